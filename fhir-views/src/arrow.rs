//! Rows into Arrow record batches, with the column types the specification maps.
//!
//! | view type | Arrow (default) | Arrow (asked) |
//! |---|---|---|
//! | `boolean` | Boolean | |
//! | `integer`, `positiveInt`, `unsignedInt`, `integer64` | Int64 | |
//! | `decimal` | Utf8, exactly as written | Decimal128(precision, scale) |
//! | `date` | Utf8, precision kept | Date32 |
//! | `dateTime`, `instant` | Utf8, precision kept | Timestamp(µs, UTC) |
//! | `time`, strings, codes, ids, URIs | Utf8 | |
//! | complex types | Utf8 (FHIR JSON) | |
//! | `collection: true` | List of the above | |
//!
//! Every field carries its view type in the metadata key [`FHIR_TYPE_KEY`]. Native dates and
//! timestamps of a partial value (`2020`, `2020-05`) take the start of the period; text keeps
//! the precision.

use crate::run::{Cell, Row};
use crate::view::{ColumnKind, ViewDefinition};
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, ListArray, RecordBatch, RecordBatchOptions};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, FieldRef, Schema, SchemaRef, TimeUnit};
use std::collections::HashMap;
use std::sync::Arc;

/// Field metadata key holding the column's FHIR type (`decimal`, `code`).
pub const FHIR_TYPE_KEY: &str = "fhir.type";

/// How decimals are stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecimalAs {
    /// Utf8, exactly as written (`1.50` stays `1.50`).
    #[default]
    Text,
    /// Decimal128 with this precision and scale; a value with more fraction digits than
    /// the scale is an issue (and null), never rounded.
    Decimal128 {
        /// Total digits (1..=38).
        precision: u8,
        /// Digits after the point.
        scale: i8,
    },
}

/// How `date` and `dateTime`/`instant` are stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TemporalAs {
    /// Utf8, with the precision the data has.
    #[default]
    Text,
    /// Date32 and Timestamp(µs, UTC).
    Native,
}

/// Arrow type choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArrowOptions {
    /// How decimals are stored.
    pub decimal: DecimalAs,
    /// How dates and dateTimes are stored.
    pub temporal: TemporalAs,
}

/// The Arrow schema of a view's output.
pub fn schema(view: &ViewDefinition, options: &ArrowOptions) -> SchemaRef {
    let fields: Vec<Field> = view
        .columns
        .iter()
        .map(|c| {
            let item = data_type(c.kind, options);
            let ty = if c.collection {
                DataType::List(Arc::new(Field::new_list_field(item, true)))
            } else {
                item
            };
            let fhir_type = c.fhir_type.clone().unwrap_or_else(|| "string".to_owned());
            Field::new(&c.name, ty, true)
                .with_metadata(HashMap::from([(FHIR_TYPE_KEY.to_owned(), fhir_type)]))
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn data_type(kind: ColumnKind, options: &ArrowOptions) -> DataType {
    match (kind, options) {
        (ColumnKind::Boolean, _) => DataType::Boolean,
        (ColumnKind::Integer, _) => DataType::Int64,
        (
            ColumnKind::Decimal,
            ArrowOptions {
                decimal: DecimalAs::Decimal128 { precision, scale },
                ..
            },
        ) => DataType::Decimal128(*precision, *scale),
        (
            ColumnKind::Date,
            ArrowOptions {
                temporal: TemporalAs::Native,
                ..
            },
        ) => DataType::Date32,
        (
            ColumnKind::DateTime,
            ArrowOptions {
                temporal: TemporalAs::Native,
                ..
            },
        ) => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        _ => DataType::Utf8,
    }
}

/// Builds record batches row by row.
pub struct BatchBuilder {
    schema: SchemaRef,
    columns: Vec<ColumnBuilder>,
    rows: usize,
}

enum ColumnBuilder {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Text(StringBuilder),
    Decimal(Decimal128Builder, u8, i8),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
    List {
        field: FieldRef,
        values: Box<ColumnBuilder>,
        offsets: Vec<i32>,
        valid: Vec<bool>,
    },
}

impl BatchBuilder {
    /// A builder for `schema` (from [`schema`]).
    pub fn new(schema: SchemaRef) -> BatchBuilder {
        let columns = schema
            .fields()
            .iter()
            .map(|f| ColumnBuilder::new(f.data_type()))
            .collect();
        BatchBuilder {
            schema,
            columns,
            rows: 0,
        }
    }

    /// The schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows appended since the last [`BatchBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row is waiting.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends a row. A cell that cannot be stored as its column's type (a decimal with more
    /// digits than the scale, a date that is not one) becomes null and is reported in the
    /// error; the row is still added, so the columns stay aligned.
    pub fn push(&mut self, row: &Row) -> Result<(), String> {
        let mut problem = None;
        for (i, col) in self.columns.iter_mut().enumerate() {
            let cell = row.get(i).unwrap_or(&Cell::Null);
            if let Err(e) = col.append(cell) {
                problem.get_or_insert_with(|| {
                    format!("column \"{}\": {e}", self.schema.field(i).name())
                });
            }
        }
        self.rows += 1;
        problem.map_or(Ok(()), Err)
    }

    /// The rows so far as a batch; the builder starts again empty.
    pub fn finish(&mut self) -> RecordBatch {
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(ColumnBuilder::finish).collect();
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        self.rows = 0;
        match RecordBatch::try_new_with_options(self.schema.clone(), arrays, &options) {
            Ok(batch) => batch,
            // The builders follow the schema, so this cannot happen; an empty batch keeps
            // callers going without a panic.
            Err(_) => RecordBatch::new_empty(self.schema.clone()),
        }
    }
}

impl ColumnBuilder {
    fn new(ty: &DataType) -> ColumnBuilder {
        match ty {
            DataType::Boolean => ColumnBuilder::Bool(BooleanBuilder::new()),
            DataType::Int64 => ColumnBuilder::Int(Int64Builder::new()),
            DataType::Decimal128(p, s) => {
                let b = Decimal128Builder::new();
                let b = b
                    .with_precision_and_scale(*p, *s)
                    .unwrap_or_else(|_| Decimal128Builder::new());
                ColumnBuilder::Decimal(b, *p, *s)
            }
            DataType::Date32 => ColumnBuilder::Date(Date32Builder::new()),
            DataType::Timestamp(_, tz) => ColumnBuilder::Timestamp(
                TimestampMicrosecondBuilder::new().with_timezone_opt(tz.clone()),
            ),
            DataType::List(field) => ColumnBuilder::List {
                field: field.clone(),
                values: Box::new(ColumnBuilder::new(field.data_type())),
                offsets: vec![0],
                valid: Vec::new(),
            },
            _ => ColumnBuilder::Text(StringBuilder::new()),
        }
    }

    fn append_null(&mut self) {
        match self {
            ColumnBuilder::Bool(b) => b.append_null(),
            ColumnBuilder::Int(b) => b.append_null(),
            ColumnBuilder::Text(b) => b.append_null(),
            ColumnBuilder::Decimal(b, ..) => b.append_null(),
            ColumnBuilder::Date(b) => b.append_null(),
            ColumnBuilder::Timestamp(b) => b.append_null(),
            ColumnBuilder::List { offsets, valid, .. } => {
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last);
                valid.push(false);
            }
        }
    }

    /// Appends one entry, always (a null when the cell cannot be stored, with the reason).
    fn append(&mut self, cell: &Cell) -> Result<(), String> {
        fn or_null<T>(
            value: Result<T, String>,
            append: impl FnOnce(Option<T>),
        ) -> Result<(), String> {
            match value {
                Ok(v) => {
                    append(Some(v));
                    Ok(())
                }
                Err(e) => {
                    append(None);
                    Err(e)
                }
            }
        }
        match (self, cell) {
            (this, Cell::Null) => {
                this.append_null();
                Ok(())
            }
            (ColumnBuilder::Bool(b), Cell::Bool(v)) => {
                b.append_value(*v);
                Ok(())
            }
            (ColumnBuilder::Int(b), Cell::Int(v)) => {
                b.append_value(*v);
                Ok(())
            }
            (ColumnBuilder::Text(b), Cell::Text(s)) => {
                b.append_value(s);
                Ok(())
            }
            (ColumnBuilder::Text(b), Cell::Int(v)) => {
                b.append_value(v.to_string());
                Ok(())
            }
            (ColumnBuilder::Text(b), Cell::Bool(v)) => {
                b.append_value(v.to_string());
                Ok(())
            }
            (ColumnBuilder::Decimal(b, p, s), Cell::Text(t)) => {
                or_null(decimal128(t, *p, *s), |v| b.append_option(v))
            }
            (ColumnBuilder::Date(b), Cell::Text(t)) => or_null(date32(t), |v| b.append_option(v)),
            (ColumnBuilder::Timestamp(b), Cell::Text(t)) => {
                or_null(timestamp_micros(t), |v| b.append_option(v))
            }
            (
                ColumnBuilder::List {
                    values,
                    offsets,
                    valid,
                    ..
                },
                Cell::List(items),
            ) => {
                let mut problem = Ok(());
                for item in items {
                    if let Err(e) = values.append(item) {
                        if problem.is_ok() {
                            problem = Err(e);
                        }
                    }
                }
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last + items.len() as i32);
                valid.push(true);
                problem
            }
            (this, other) => {
                this.append_null();
                Err(format!(
                    "a value of the wrong kind for the column: {other:?}"
                ))
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            ColumnBuilder::Int(b) => Arc::new(b.finish()),
            ColumnBuilder::Text(b) => Arc::new(b.finish()),
            ColumnBuilder::Decimal(b, ..) => Arc::new(b.finish()),
            ColumnBuilder::Date(b) => Arc::new(b.finish()),
            ColumnBuilder::Timestamp(b) => Arc::new(b.finish()),
            ColumnBuilder::List {
                field,
                values,
                offsets,
                valid,
            } => {
                let values = values.finish();
                let offs = std::mem::replace(offsets, vec![0]);
                let nulls = std::mem::take(valid);
                let nulls = if nulls.iter().all(|v| *v) {
                    None
                } else {
                    Some(NullBuffer::from(nulls))
                };
                let list = ListArray::try_new(
                    field.clone(),
                    OffsetBuffer::new(offs.into()),
                    values.clone(),
                    nulls,
                );
                match list {
                    Ok(l) => Arc::new(l),
                    Err(_) => arrow_array::new_empty_array(&DataType::List(field.clone())),
                }
            }
        }
    }
}

/// `12.50` at scale 3 as 12500; more fraction digits than the scale, or too many digits for
/// the precision, is an error (values are never rounded).
fn decimal128(text: &str, precision: u8, scale: i8) -> Result<i128, String> {
    let bad = || format!("\"{text}\" does not fit decimal({precision}, {scale})");
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = frac.trim_end_matches('0');
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || scale < 0
        || frac.len() > scale as usize
    {
        return Err(bad());
    }
    let mut all = String::with_capacity(int.len() + scale as usize);
    all.push_str(int.trim_start_matches('0'));
    all.push_str(frac);
    for _ in frac.len()..scale as usize {
        all.push('0');
    }
    let trimmed = all.trim_start_matches('0');
    if trimmed.len() > precision as usize {
        return Err(bad());
    }
    let v: i128 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().map_err(|_| bad())?
    };
    Ok(if neg { -v } else { v })
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the start of a partial date).
fn parse_date(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.splitn(3, '-');
    let y = parts.next().filter(|s| s.len() == 4)?.parse().ok()?;
    let m = match parts.next() {
        Some(s) if s.len() == 2 => s.parse().ok().filter(|m| (1..=12).contains(m))?,
        Some(_) => return None,
        None => 1,
    };
    let d = match parts.next() {
        Some(s) if s.len() == 2 => s.parse().ok().filter(|d| (1..=31).contains(d))?,
        Some(_) => return None,
        None => 1,
    };
    Some((y, m, d))
}

fn date32(text: &str) -> Result<i32, String> {
    let (y, m, d) = parse_date(text).ok_or_else(|| format!("\"{text}\" is not a date"))?;
    i32::try_from(days_from_civil(y, m, d)).map_err(|_| format!("\"{text}\" is out of range"))
}

/// Microseconds since the epoch (UTC) of a FHIR dateTime/instant; a partial value takes the
/// start of its period, a time without zone is read as UTC.
fn timestamp_micros(text: &str) -> Result<i64, String> {
    let bad = || format!("\"{text}\" is not a dateTime");
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let (y, m, d) = parse_date(date).ok_or_else(bad)?;
    let mut micros = days_from_civil(y, m, d) * 86_400_000_000;
    if !time.is_empty() {
        let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
        let (clock, zone) = time.split_at(zone_at);
        let mut hms = clock.splitn(3, ':');
        let h: i64 = hms.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let mi: i64 = hms.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let sec = hms.next().unwrap_or("0");
        let (s, frac) = sec.split_once('.').unwrap_or((sec, ""));
        let s: i64 = s.parse().map_err(|_| bad())?;
        let mut f = String::from(frac);
        f.truncate(6);
        while f.len() < 6 {
            f.push('0');
        }
        let f: i64 = f.parse().map_err(|_| bad())?;
        micros += ((h * 60 + mi) * 60 + s) * 1_000_000 + f;
        if let Some(off) = zone.strip_prefix(['+', '-']) {
            let (oh, om) = off.split_once(':').ok_or_else(bad)?;
            let off: i64 = (oh.parse::<i64>().map_err(|_| bad())? * 60
                + om.parse::<i64>().map_err(|_| bad())?)
                * 60_000_000;
            micros -= if zone.starts_with('-') { -off } else { off };
        }
    }
    Ok(micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_or_refused() {
        assert_eq!(decimal128("12.50", 10, 3), Ok(12_500));
        assert_eq!(decimal128("-0.001", 10, 3), Ok(-1));
        assert!(decimal128("1.0001", 10, 3).is_err());
        assert!(decimal128("123456789", 5, 0).is_err());
        assert!(decimal128("abc", 10, 2).is_err());
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(date32("1970-01-02"), Ok(1));
        assert_eq!(date32("2000-03"), Ok(11_017));
        assert!(date32("2000-13-01").is_err());
        assert_eq!(timestamp_micros("1970-01-01T00:00:01Z"), Ok(1_000_000));
        assert_eq!(timestamp_micros("1970-01-01T01:00:00+01:00"), Ok(0));
        assert_eq!(
            timestamp_micros("1970-01-01T00:00:00.5-00:30"),
            Ok(1_800_500_000)
        );
    }
}
