//! Writing record batches: NDJSON (one JSON object per row) and CSV (RFC 4180, a header
//! row), written here without more Arrow crates; Parquet with the `datafusion` feature.
//!
//! NDJSON keeps each column's type: booleans and integers as JSON literals, decimals as
//! numbers exactly as written, complex values as JSON, lists as arrays, null as `null`. CSV
//! writes null as an empty field and lists as JSON array text.

use crate::arrow::FHIR_TYPE_KEY;
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use std::io::{self, Write};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated, with a header.
    Csv,
    /// Apache Parquet (feature `datafusion`).
    Parquet,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "ndjson" | "json" => Ok(Format::Ndjson),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            other => Err(format!(
                "unknown format \"{other}\" (parquet, csv or ndjson)"
            )),
        }
    }
}

/// Writes each row of `batch` as a JSON object on its own line.
pub fn write_ndjson(batch: &RecordBatch, out: &mut dyn Write) -> io::Result<()> {
    let mut line = String::new();
    for row in 0..batch.num_rows() {
        line.clear();
        row_json(batch, row, &mut line);
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// One row as a JSON object, columns in schema order.
pub fn row_json(batch: &RecordBatch, row: usize, out: &mut String) {
    out.push('{');
    let schema = batch.schema();
    for (i, field) in schema.fields().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(field.name(), out);
        out.push(':');
        let fhir_type = field
            .metadata()
            .get(FHIR_TYPE_KEY)
            .map(String::as_str)
            .unwrap_or("string");
        value_json(batch.column(i).as_ref(), row, fhir_type, out);
    }
    out.push('}');
}

fn value_json(array: &dyn Array, i: usize, fhir_type: &str, out: &mut String) {
    if array.is_null(i) {
        out.push_str("null");
        return;
    }
    match array.data_type() {
        DataType::Boolean => out.push_str(if array.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int64 => out.push_str(&array.as_primitive::<Int64Type>().value(i).to_string()),
        DataType::Utf8 => {
            let s = array.as_string::<i32>().value(i);
            let raw = match fhir_type {
                "decimal" => is_json_number(s),
                t => {
                    t.starts_with(|c: char| c.is_ascii_uppercase())
                        && serde_json::from_str::<serde_json::Value>(s).is_ok()
                }
            };
            if raw {
                out.push_str(s);
            } else {
                json_string(s, out);
            }
        }
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            let values = list.value(i);
            out.push('[');
            for j in 0..values.len() {
                if j > 0 {
                    out.push(',');
                }
                value_json(values.as_ref(), j, fhir_type, out);
            }
            out.push(']');
        }
        DataType::Decimal128(..) | DataType::Date32 | DataType::Timestamp(..) => {
            let text = value_text(array, i);
            if matches!(array.data_type(), DataType::Decimal128(..)) {
                out.push_str(&text);
            } else {
                json_string(&text, out);
            }
        }
        _ => out.push_str("null"),
    }
}

/// A non-null scalar as text (decimals, dates and timestamps formatted).
fn value_text(array: &dyn Array, i: usize) -> String {
    match array.data_type() {
        DataType::Boolean => array.as_boolean().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Utf8 => array.as_string::<i32>().value(i).to_owned(),
        DataType::Decimal128(_, scale) => {
            format_decimal(array.as_primitive::<Decimal128Type>().value(i), *scale)
        }
        DataType::Date32 => {
            let (y, m, d) = civil_from_days(i64::from(array.as_primitive::<Date32Type>().value(i)));
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataType::Timestamp(..) => {
            let us = array.as_primitive::<TimestampMicrosecondType>().value(i);
            let (days, rem) = (us.div_euclid(86_400_000_000), us.rem_euclid(86_400_000_000));
            let (y, m, d) = civil_from_days(days);
            let secs = rem / 1_000_000;
            let frac = rem % 1_000_000;
            let mut s = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            if frac != 0 {
                s.push_str(format!(".{frac:06}").trim_end_matches('0'));
            }
            s.push('Z');
            s
        }
        _ => String::new(),
    }
}

fn format_decimal(v: i128, scale: i8) -> String {
    if scale <= 0 {
        return v.to_string();
    }
    let scale = scale as usize;
    let digits = v.unsigned_abs().to_string();
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = digits.split_at(digits.len() - scale);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// JSON's number grammar (FHIR decimals follow it).
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes CSV: the header (column names) when `header` is true, then one line per row.
pub fn write_csv(batch: &RecordBatch, header: bool, out: &mut dyn Write) -> io::Result<()> {
    let schema = batch.schema();
    let mut line = String::new();
    if header {
        for (i, f) in schema.fields().iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            csv_field(f.name(), &mut line);
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    let mut text = String::new();
    for row in 0..batch.num_rows() {
        line.clear();
        for (i, field) in schema.fields().iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            let array = batch.column(i);
            if array.is_null(row) {
                continue;
            }
            text.clear();
            if matches!(array.data_type(), DataType::List(_)) {
                let fhir_type = field
                    .metadata()
                    .get(FHIR_TYPE_KEY)
                    .map(String::as_str)
                    .unwrap_or("string");
                value_json(array.as_ref(), row, fhir_type, &mut text);
            } else {
                text.push_str(&value_text(array.as_ref(), row));
            }
            csv_field(&text, &mut line);
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Where a command's batches go: one CSV or NDJSON file, or a directory of Parquet files.
pub enum Sink {
    /// A CSV file.
    Csv {
        /// The file.
        out: io::BufWriter<std::fs::File>,
        /// The path, for the report.
        path: std::path::PathBuf,
        /// Whether the header is written.
        header_done: bool,
    },
    /// An NDJSON file.
    Ndjson {
        /// The file.
        out: io::BufWriter<std::fs::File>,
        /// The path, for the report.
        path: std::path::PathBuf,
    },
    /// Parquet files `part-NNNNN.parquet` in a directory.
    #[cfg(feature = "datafusion")]
    Parquet(Box<crate::parquet::PartitionedWriter>),
}

impl Sink {
    /// Creates the output (the file, or the directory for Parquet).
    pub fn create(
        format: Format,
        path: &std::path::Path,
        partition_rows: usize,
    ) -> io::Result<Sink> {
        let file = || -> io::Result<io::BufWriter<std::fs::File>> {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            Ok(io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(path)?,
            ))
        };
        match format {
            Format::Csv => Ok(Sink::Csv {
                out: file()?,
                path: path.to_owned(),
                header_done: false,
            }),
            Format::Ndjson => Ok(Sink::Ndjson {
                out: file()?,
                path: path.to_owned(),
            }),
            #[cfg(feature = "datafusion")]
            Format::Parquet => Ok(Sink::Parquet(Box::new(
                crate::parquet::PartitionedWriter::create(path, partition_rows)?,
            ))),
            #[cfg(not(feature = "datafusion"))]
            Format::Parquet => {
                let _ = partition_rows;
                Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "Parquet output needs fhir-views built with the `datafusion` feature",
                ))
            }
        }
    }

    /// Called once with the schema before the first batch.
    pub fn start(&mut self, schema: &arrow_schema::SchemaRef) -> io::Result<()> {
        match self {
            Sink::Csv {
                out, header_done, ..
            } => {
                let empty = RecordBatch::new_empty(schema.clone());
                write_csv(&empty, true, out)?;
                *header_done = true;
                Ok(())
            }
            Sink::Ndjson { .. } => Ok(()),
            #[cfg(feature = "datafusion")]
            Sink::Parquet(w) => {
                w.set_schema(schema.clone());
                Ok(())
            }
        }
    }

    /// Writes a batch.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        match self {
            Sink::Csv {
                out, header_done, ..
            } => {
                let header = !*header_done;
                *header_done = true;
                write_csv(batch, header, out)
            }
            Sink::Ndjson { out, .. } => write_ndjson(batch, out),
            #[cfg(feature = "datafusion")]
            Sink::Parquet(w) => w.write(batch),
        }
    }

    /// Flushes and closes; returns the files written.
    pub fn finish(self) -> io::Result<Vec<String>> {
        match self {
            Sink::Csv { mut out, path, .. } | Sink::Ndjson { mut out, path } => {
                out.flush()?;
                Ok(vec![path.display().to_string()])
            }
            #[cfg(feature = "datafusion")]
            Sink::Parquet(w) => w.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_decimals() {
        assert!(is_json_number("1.50"));
        assert!(is_json_number("-0.001e-3"));
        assert!(!is_json_number("01"));
        assert!(!is_json_number("1."));
        assert_eq!(format_decimal(12_500, 3), "12.500");
        assert_eq!(format_decimal(-1, 3), "-0.001");
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    }

    #[test]
    fn csv_quoting() {
        let mut s = String::new();
        csv_field("a,\"b\"", &mut s);
        assert_eq!(s, "\"a,\"\"b\"\"\"");
    }
}
