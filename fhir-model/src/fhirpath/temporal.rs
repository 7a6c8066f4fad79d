//! Dates, dateTimes and times with partial precision (FHIRPath "Date/Time arithmetic" and
//! comparison): values of different precision compare to empty when the common part is equal.

use std::cmp::Ordering;
use std::fmt;

/// Which of the three temporal types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `@2014-01-25`.
    Date,
    /// `@2014-01-25T14:30:14.559`.
    DateTime,
    /// `@T14:30`.
    Time,
}

/// Precision levels; seconds and milliseconds compare as one level (`15:30:31 = 15:30:31.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// Year.
    Year,
    /// Month.
    Month,
    /// Day.
    Day,
    /// Hour.
    Hour,
    /// Minute.
    Minute,
    /// Second.
    Second,
    /// Millisecond (any fraction of a second).
    Millisecond,
}

/// A date, dateTime or time; fields below the precision are 0 (or 1 for month and day).
#[derive(Clone, Debug)]
pub struct Temporal {
    /// Date, DateTime or Time.
    pub kind: Kind,
    /// The finest field written.
    pub precision: Precision,
    /// Year (dates and dateTimes).
    pub year: i32,
    /// Month 1-12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// Hour 0-23.
    pub hour: u32,
    /// Minute.
    pub minute: u32,
    /// Second.
    pub second: u32,
    /// Milliseconds.
    pub millis: u32,
    /// Offset in minutes; `None` when the value has no zone.
    pub offset: Option<i32>,
}

fn num(text: &str, digits: usize) -> Option<(u32, &str)> {
    let head = text.get(..digits)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[digits..]))
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

impl Temporal {
    fn empty(kind: Kind) -> Temporal {
        Temporal {
            kind,
            precision: Precision::Year,
            year: 0,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            millis: 0,
            offset: None,
        }
    }

    /// A date or dateTime as FHIR writes it (`2015-02-07T13:28:17-05:00`); `date_only`
    /// refuses a time part. A trailing `T` (`@2015T`, FHIRPath) makes a dateTime.
    pub fn parse_date_time(text: &str, kind: Kind) -> Option<Temporal> {
        let mut t = Temporal::empty(kind);
        let (year, mut rest) = num(text, 4)?;
        t.year = year as i32;
        if let Some(r) = rest.strip_prefix('-') {
            let (m, r) = num(r, 2)?;
            t.month = m;
            t.precision = Precision::Month;
            rest = r;
            if let Some(r) = rest.strip_prefix('-') {
                let (d, r) = num(r, 2)?;
                t.day = d;
                t.precision = Precision::Day;
                rest = r;
            }
        }
        if !(1..=12).contains(&t.month) || t.day < 1 || t.day > days_in_month(t.year, t.month) {
            return None;
        }
        if let Some(r) = rest.strip_prefix('T') {
            if kind == Kind::Date {
                return None;
            }
            if r.is_empty() {
                return Some(t);
            }
            rest = t.parse_time_part(r)?;
            rest = t.parse_offset(rest)?;
        } else if kind == Kind::DateTime && t.precision == Precision::Day {
            rest = t.parse_offset(rest)?;
        }
        rest.is_empty().then_some(t)
    }

    /// A time (`13:28`, `13:28:17.239`), without the FHIRPath `T` prefix.
    pub fn parse_time(text: &str) -> Option<Temporal> {
        let mut t = Temporal::empty(Kind::Time);
        let rest = t.parse_time_part(text)?;
        rest.is_empty().then_some(t)
    }

    fn parse_time_part<'t>(&mut self, text: &'t str) -> Option<&'t str> {
        let (h, mut rest) = num(text, 2)?;
        self.hour = h;
        self.precision = Precision::Hour;
        if let Some(r) = rest.strip_prefix(':') {
            let (m, r) = num(r, 2)?;
            self.minute = m;
            self.precision = Precision::Minute;
            rest = r;
            if let Some(r) = rest.strip_prefix(':') {
                let (s, r) = num(r, 2)?;
                self.second = s;
                self.precision = Precision::Second;
                rest = r;
                if let Some(r) = rest.strip_prefix('.') {
                    let n = r.bytes().take_while(u8::is_ascii_digit).count();
                    if n == 0 {
                        return None;
                    }
                    let frac = &r[..n.min(3)];
                    self.millis = format!("{frac:0<3}").parse().ok()?;
                    self.precision = Precision::Millisecond;
                    rest = &r[n..];
                }
            }
        }
        (self.hour < 24 && self.minute < 60 && self.second < 61).then_some(rest)
    }

    fn parse_offset<'t>(&mut self, text: &'t str) -> Option<&'t str> {
        if let Some(r) = text.strip_prefix('Z') {
            self.offset = Some(0);
            return Some(r);
        }
        let sign = match text.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Some(text),
        };
        let (h, r) = num(&text[1..], 2)?;
        let r = r.strip_prefix(':')?;
        let (m, r) = num(r, 2)?;
        self.offset = Some(sign * (h as i32 * 60 + m as i32));
        Some(r)
    }

    /// Milliseconds since the epoch of the local fields (the offset not applied).
    fn local_millis(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        ((days * 24 + i64::from(self.hour)) * 60 + i64::from(self.minute)) * 60_000
            + i64::from(self.second) * 1000
            + i64::from(self.millis)
    }

    fn set_local_millis(&mut self, ms: i64) {
        let days = ms.div_euclid(86_400_000);
        let rest = ms.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        self.year = y;
        self.month = m;
        self.day = d;
        self.hour = (rest / 3_600_000) as u32;
        self.minute = (rest / 60_000 % 60) as u32;
        self.second = (rest / 1000 % 60) as u32;
        self.millis = (rest % 1000) as u32;
    }

    /// Fields in UTC when there is an offset (precision kept).
    fn normalized(&self) -> Temporal {
        match self.offset {
            Some(offset) if self.kind != Kind::Time && self.precision >= Precision::Hour => {
                let mut t = self.clone();
                t.set_local_millis(self.local_millis() - i64::from(offset) * 60_000);
                t.offset = Some(0);
                t
            }
            _ => self.clone(),
        }
    }

    /// The comparison of FHIRPath: `None` when precision or zone presence makes it unknown.
    pub fn compare(&self, other: &Temporal) -> Option<Ordering> {
        let both_timed = self.kind == Kind::Time
            || (self.precision >= Precision::Hour && other.precision >= Precision::Hour);
        if both_timed && self.kind != Kind::Time && self.offset.is_some() != other.offset.is_some()
        {
            return None;
        }
        let (a, b) = (self.normalized(), other.normalized());
        let levels: &[Precision] = if self.kind == Kind::Time {
            &[Precision::Hour, Precision::Minute, Precision::Second]
        } else {
            &[
                Precision::Year,
                Precision::Month,
                Precision::Day,
                Precision::Hour,
                Precision::Minute,
                Precision::Second,
            ]
        };
        let cap = |p: Precision| p.min(Precision::Second);
        for &level in levels {
            let (ha, hb) = (cap(a.precision) >= level, cap(b.precision) >= level);
            if !ha || !hb {
                return if ha == hb {
                    Some(Ordering::Equal)
                } else {
                    None
                };
            }
            let ord = a.field(level).cmp(&b.field(level));
            if ord != Ordering::Equal {
                return Some(ord);
            }
        }
        Some(Ordering::Equal)
    }

    fn field(&self, level: Precision) -> i64 {
        match level {
            Precision::Year => i64::from(self.year),
            Precision::Month => i64::from(self.month),
            Precision::Day => i64::from(self.day),
            Precision::Hour => i64::from(self.hour),
            Precision::Minute => i64::from(self.minute),
            Precision::Second | Precision::Millisecond => {
                i64::from(self.second) * 1000 + i64::from(self.millis)
            }
        }
    }

    /// Adds `amount` of a calendar unit (`year` .. `millisecond`); `None` for a unit finer
    /// than nothing sensible or out of range.
    pub fn add(&self, amount: i64, unit: &str) -> Option<Temporal> {
        let mut t = self.clone();
        match unit {
            "year" => t.year = i32::try_from(i64::from(t.year).checked_add(amount)?).ok()?,
            "month" => {
                let total = i64::from(t.year) * 12 + i64::from(t.month) - 1 + amount;
                t.year = i32::try_from(total.div_euclid(12)).ok()?;
                t.month = total.rem_euclid(12) as u32 + 1;
            }
            _ => {
                let ms = match unit {
                    "week" => amount.checked_mul(7 * 86_400_000)?,
                    "day" => amount.checked_mul(86_400_000)?,
                    "hour" => amount.checked_mul(3_600_000)?,
                    "minute" => amount.checked_mul(60_000)?,
                    "second" => amount.checked_mul(1000)?,
                    "millisecond" => amount,
                    _ => return None,
                };
                if self.kind == Kind::Time {
                    let day_ms = t.local_millis().rem_euclid(86_400_000);
                    let v = (day_ms + ms.rem_euclid(86_400_000)).rem_euclid(86_400_000);
                    t.set_local_millis(v + days_from_civil(t.year, t.month, t.day) * 86_400_000);
                } else {
                    // Units finer than the value's precision add whole units of its precision.
                    let grain = match self.precision {
                        Precision::Year | Precision::Month | Precision::Day => 86_400_000,
                        Precision::Hour => 3_600_000,
                        Precision::Minute => 60_000,
                        Precision::Second => 1000,
                        Precision::Millisecond => 1,
                    };
                    let ms = ms / grain * grain;
                    if self.precision <= Precision::Month && ms.abs() < 86_400_000 * 28 {
                        return Some(t);
                    }
                    t.set_local_millis(t.local_millis().checked_add(ms)?);
                }
            }
        }
        if !(1..=9999).contains(&t.year) {
            return None;
        }
        t.day = t.day.min(days_in_month(t.year, t.month));
        Some(t)
    }

    /// `precision()`: digits of the written form (year 4, month 6, ... milliseconds 17; time
    /// hours 2 .. milliseconds 9).
    pub fn precision_digits(&self) -> i64 {
        let p = self.precision as i64;
        match self.kind {
            Kind::Time => [2, 4, 6, 9][(p - 3).clamp(0, 3) as usize],
            _ => [4, 6, 8, 10, 12, 14, 17][p as usize],
        }
    }

    /// `lowBoundary`/`highBoundary` at `digits` (see [`Temporal::precision_digits`]).
    pub fn boundary(&self, digits: i64, high: bool) -> Option<Temporal> {
        let precision = match (self.kind, digits) {
            (Kind::Time, 2) => Precision::Hour,
            (Kind::Time, 4) => Precision::Minute,
            (Kind::Time, 6) => Precision::Second,
            (Kind::Time, 9) => Precision::Millisecond,
            (Kind::Time, _) => return None,
            (_, 4) => Precision::Year,
            (_, 6) => Precision::Month,
            (_, 8) => Precision::Day,
            (Kind::DateTime, 10) => Precision::Hour,
            (Kind::DateTime, 12) => Precision::Minute,
            (Kind::DateTime, 14) => Precision::Second,
            (Kind::DateTime, 17) => Precision::Millisecond,
            _ => return None,
        };
        let mut t = self.clone();
        let have = self.precision;
        if have < Precision::Month {
            t.month = if high { 12 } else { 1 };
        }
        if have < Precision::Day {
            t.day = if high {
                days_in_month(t.year, t.month)
            } else {
                1
            };
        }
        if have < Precision::Hour {
            t.hour = if high { 23 } else { 0 };
        }
        if have < Precision::Minute && have < Precision::Hour {
            t.minute = if high { 59 } else { 0 };
        }
        if have < Precision::Second {
            t.second = if high { 59 } else { 0 };
        }
        if have < Precision::Millisecond {
            t.millis = if high { 999 } else { 0 };
        }
        if t.kind == Kind::DateTime && precision >= Precision::Hour && t.offset.is_none() {
            t.offset = Some(if high { -12 * 60 } else { 14 * 60 });
        }
        if precision < Precision::Hour {
            t.offset = None;
            if t.kind == Kind::DateTime && precision <= Precision::Day {
                t.kind = Kind::Date;
            }
        }
        t.precision = precision;
        Some(t)
    }
}

impl fmt::Display for Temporal {
    /// The FHIR form (no `@`): `2015-02-07T13:28:17.239+02:00`, `13:28`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.precision;
        if self.kind != Kind::Time {
            write!(f, "{:04}", self.year)?;
            if p >= Precision::Month {
                write!(f, "-{:02}", self.month)?;
            }
            if p >= Precision::Day {
                write!(f, "-{:02}", self.day)?;
            }
            if self.kind == Kind::Date || p < Precision::Hour {
                return Ok(());
            }
            f.write_str("T")?;
        }
        write!(f, "{:02}", self.hour)?;
        if p >= Precision::Minute {
            write!(f, ":{:02}", self.minute)?;
        }
        if p >= Precision::Second {
            write!(f, ":{:02}", self.second)?;
        }
        if p >= Precision::Millisecond {
            write!(f, ".{:03}", self.millis)?;
        }
        match self.offset {
            Some(0) if self.kind != Kind::Time => f.write_str("Z"),
            Some(o) if self.kind != Kind::Time => {
                let sign = if o < 0 { '-' } else { '+' };
                write!(f, "{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compares_and_adds() {
        let a = Temporal::parse_date_time("2012-04-15T15:00:00+02:00", Kind::DateTime).unwrap();
        let b = Temporal::parse_date_time("2012-04-15T16:00:00+03:00", Kind::DateTime).unwrap();
        assert_eq!(a.compare(&b), Some(Ordering::Equal));
        let d = Temporal::parse_date_time("2012-04-15", Kind::Date).unwrap();
        assert_eq!(d.compare(&a), None);
        let added = d.add(1, "month").unwrap();
        assert_eq!(added.to_string(), "2012-05-15");
        assert!(Temporal::parse_date_time("2012-02-30", Kind::Date).is_none());
        assert_eq!(Temporal::parse_time("10:30").unwrap().to_string(), "10:30");
    }
}
