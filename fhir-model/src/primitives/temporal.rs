//! `date`, `dateTime`, `instant` and `time`.
//!
//! FHIR dates are partial ("2015", "2015-02") and carry an optional
//! timezone, so they are stored as their validated text rather than as a
//! calendar type that would invent missing parts or normalise the offset.
//! Components are read back from the text on demand.

/// How much of a date/time value was written. Ordered from coarse to fine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePrecision {
    /// `YYYY`
    Year,
    /// `YYYY-MM`
    Month,
    /// `YYYY-MM-DD`
    Day,
    /// Time given to whole seconds.
    Second,
    /// Time given with a fractional second.
    Fraction,
}

// ---- scanners -------------------------------------------------------------
//
// All scanners work on bytes and only look at positions through `get`, so
// they cannot panic; a position is only advanced past bytes that were checked
// to be ASCII, which makes later `str` slicing at those positions safe.

fn digit(b: &[u8], i: usize) -> Option<u8> {
    match b.get(i) {
        Some(c @ b'0'..=b'9') => Some(c - b'0'),
        _ => None,
    }
}

fn two_digits(b: &[u8], i: usize) -> Option<u8> {
    Some(digit(b, i)? * 10 + digit(b, i + 1)?)
}

fn year_of(b: &[u8]) -> Option<u16> {
    let mut year = 0u16;
    for i in 0..4 {
        year = year * 10 + u16::from(digit(b, i)?);
    }
    Some(year)
}

fn is_leap(year: u16) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Scans `YYYY(-MM(-DD)?)?` at the start of `b` and returns how many bytes
/// it covers (4, 7 or 10). Stops without error at the first byte that does
/// not continue the date; callers decide whether trailing text is allowed.
fn scan_date(b: &[u8]) -> Result<usize, &'static str> {
    let year = year_of(b).ok_or("year must be 4 digits")?;
    if year == 0 {
        return Err("year 0000 is not allowed");
    }
    if b.get(4) != Some(&b'-') {
        return Ok(4);
    }
    let month = two_digits(b, 5).ok_or("month must be 2 digits")?;
    if !(1..=12).contains(&month) {
        return Err("month out of range 01-12");
    }
    if b.get(7) != Some(&b'-') {
        return Ok(7);
    }
    let day = two_digits(b, 8).ok_or("day must be 2 digits")?;
    if day == 0 || day > days_in_month(year, month) {
        return Err("day out of range for month");
    }
    Ok(10)
}

/// Explains why a date scanned to `end` was followed by unexpected text.
fn date_trailer(end: usize) -> &'static str {
    match end {
        4 => "expected '-' after year",
        7 => "expected '-' after month",
        _ => "unexpected text after day",
    }
}

/// Scans `hh:mm:ss(.f+)?` starting at `start`, returns the end position.
fn scan_time(b: &[u8], start: usize) -> Result<usize, &'static str> {
    let hour = two_digits(b, start).ok_or("hour must be 2 digits")?;
    if hour > 23 {
        return Err("hour out of range 00-23");
    }
    if b.get(start + 2) != Some(&b':') {
        return Err("expected ':' after hour");
    }
    let minute = two_digits(b, start + 3).ok_or("minute must be 2 digits")?;
    if minute > 59 {
        return Err("minute out of range 00-59");
    }
    if b.get(start + 5) != Some(&b':') {
        return Err("seconds are required");
    }
    let second = two_digits(b, start + 6).ok_or("second must be 2 digits")?;
    if second > 60 {
        return Err("second out of range 00-60");
    }
    let mut end = start + 8;
    if b.get(end) == Some(&b'.') {
        end += 1;
        if digit(b, end).is_none() {
            return Err("fraction needs a digit after '.'");
        }
        while digit(b, end).is_some() {
            end += 1;
        }
    }
    Ok(end)
}

/// Checks that `tz` is exactly `Z` or `(+|-)hh:mm` within -14:00..+14:00.
fn check_timezone(tz: &[u8]) -> Result<(), &'static str> {
    match tz.first() {
        None => Err("timezone is required when a time is given"),
        Some(b'Z') if tz.len() == 1 => Ok(()),
        Some(b'Z') => Err("unexpected text after timezone"),
        Some(b'+' | b'-') => {
            let hour = two_digits(tz, 1).ok_or("timezone hour must be 2 digits")?;
            if tz.get(3) != Some(&b':') {
                return Err("expected ':' in timezone");
            }
            let minute = two_digits(tz, 4).ok_or("timezone minute must be 2 digits")?;
            if tz.len() != 6 {
                return Err("unexpected text after timezone");
            }
            if minute > 59 || hour > 14 || (hour == 14 && minute != 0) {
                return Err("timezone out of range -14:00..+14:00");
            }
            Ok(())
        }
        Some(_) => Err("timezone must be 'Z' or +hh:mm / -hh:mm"),
    }
}

/// Checks `T hh:mm:ss(.f+)? tz` following a full date (at byte 10).
fn check_time_and_zone(b: &[u8]) -> Result<(), &'static str> {
    if b.get(10) != Some(&b'T') {
        return Err("expected 'T' after date");
    }
    let end = scan_time(b, 11)?;
    check_timezone(b.get(end..).unwrap_or_default())
}

fn check_date(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    let end = scan_date(b)?;
    if end == b.len() {
        Ok(())
    } else {
        Err(date_trailer(end))
    }
}

fn check_date_time(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    let end = scan_date(b)?;
    if end == b.len() {
        return Ok(());
    }
    if end < 10 {
        return Err(date_trailer(end));
    }
    check_time_and_zone(b)
}

fn check_instant(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    if scan_date(b)? < 10 {
        return Err("instant needs a full date, time and timezone");
    }
    check_time_and_zone(b)
}

fn check_time(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    if scan_time(b, 0)? == b.len() {
        Ok(())
    } else {
        Err("unexpected text after time (a time has no timezone)")
    }
}

// ---- shared accessors on validated text -------------------------------------

fn precision_of(b: &[u8]) -> DatePrecision {
    match b.len() {
        4 => DatePrecision::Year,
        7 => DatePrecision::Month,
        10 => DatePrecision::Day,
        _ if b.get(19) == Some(&b'.') => DatePrecision::Fraction,
        _ => DatePrecision::Second,
    }
}

/// The `Z` or `±hh:mm` suffix of a validated value that has a time.
fn timezone_of(text: &str) -> Option<&str> {
    if text.len() <= 10 {
        None
    } else if text.ends_with('Z') {
        Some("Z")
    } else {
        text.get(text.len().saturating_sub(6)..)
    }
}

str_newtype! {
    /// FHIR `date` (<https://hl7.org/fhir/R4/datatypes.html#date>): `YYYY`,
    /// `YYYY-MM` or `YYYY-MM-DD`, no time and no timezone. The day must exist
    /// in that month (leap years included), which the spec's regex alone
    /// does not check.
    #[derive(Clone, PartialEq, Eq, Hash)]
    Date, "date", check_date
}

impl Date {
    /// How many components were given.
    pub fn precision(&self) -> DatePrecision {
        precision_of(self.0.as_bytes())
    }

    /// The year (1..=9999).
    pub fn year(&self) -> u16 {
        year_of(self.0.as_bytes()).unwrap_or_default()
    }

    /// The month (1..=12), if given.
    pub fn month(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 5)
    }

    /// The day of the month, if given.
    pub fn day(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 8)
    }
}

str_newtype! {
    /// FHIR `dateTime` (<https://hl7.org/fhir/R4/datatypes.html#dateTime>):
    /// a partial or full date, optionally with a time. When a time is given,
    /// seconds and a timezone are required; the offset is kept as written
    /// rather than normalised, so the text round-trips exactly.
    #[derive(Clone, PartialEq, Eq, Hash)]
    DateTime, "dateTime", check_date_time
}

impl DateTime {
    /// How many components were given (any of the five levels).
    pub fn precision(&self) -> DatePrecision {
        precision_of(self.0.as_bytes())
    }

    /// The year (1..=9999).
    pub fn year(&self) -> u16 {
        year_of(self.0.as_bytes()).unwrap_or_default()
    }

    /// The month (1..=12), if given.
    pub fn month(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 5)
    }

    /// The day of the month, if given.
    pub fn day(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 8)
    }

    /// The hour (0..=23), if a time is given.
    pub fn hour(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 11)
    }

    /// The minute (0..=59), if a time is given.
    pub fn minute(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 14)
    }

    /// The whole second (0..=60, 60 being a leap second), if a time is given.
    pub fn second(&self) -> Option<u8> {
        two_digits(self.0.as_bytes(), 17)
    }

    /// The timezone as written (`"Z"` or e.g. `"+02:00"`), if a time is given.
    pub fn timezone(&self) -> Option<&str> {
        timezone_of(&self.0)
    }
}

str_newtype! {
    /// FHIR `instant` (<https://hl7.org/fhir/R4/datatypes.html#instant>): a
    /// full date and time to at least the second, always with a timezone.
    /// Kept as text so fractional digits and the offset round-trip exactly.
    #[derive(Clone, PartialEq, Eq, Hash)]
    Instant, "instant", check_instant
}

impl Instant {
    /// `Second` or `Fraction`.
    pub fn precision(&self) -> DatePrecision {
        precision_of(self.0.as_bytes())
    }

    /// The year (1..=9999).
    pub fn year(&self) -> u16 {
        year_of(self.0.as_bytes()).unwrap_or_default()
    }

    /// The month (1..=12); always present in an instant.
    pub fn month(&self) -> u8 {
        two_digits(self.0.as_bytes(), 5).unwrap_or_default()
    }

    /// The day of the month; always present in an instant.
    pub fn day(&self) -> u8 {
        two_digits(self.0.as_bytes(), 8).unwrap_or_default()
    }

    /// The hour (0..=23).
    pub fn hour(&self) -> u8 {
        two_digits(self.0.as_bytes(), 11).unwrap_or_default()
    }

    /// The minute (0..=59).
    pub fn minute(&self) -> u8 {
        two_digits(self.0.as_bytes(), 14).unwrap_or_default()
    }

    /// The whole second (0..=60, 60 being a leap second).
    pub fn second(&self) -> u8 {
        two_digits(self.0.as_bytes(), 17).unwrap_or_default()
    }

    /// The timezone as written (`"Z"` or e.g. `"+02:00"`); always present.
    pub fn timezone(&self) -> &str {
        timezone_of(&self.0).unwrap_or_default()
    }

    /// Orders two instants in time, whatever their offsets (`10:00:00+02:00` is before
    /// `09:00:00Z`); fractional digits compare by value (`.5` equals `.500`).
    pub fn cmp_time(&self, other: &Instant) -> std::cmp::Ordering {
        self.utc_seconds()
            .cmp(&other.utc_seconds())
            .then_with(|| fraction_cmp(self.fraction(), other.fraction()))
    }

    /// Seconds since 0000-03-01 UTC (any fixed epoch orders the same).
    fn utc_seconds(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year()), self.month(), self.day());
        let local = days * 86_400
            + i64::from(self.hour()) * 3_600
            + i64::from(self.minute()) * 60
            + i64::from(self.second());
        let offset = match self.timezone().as_bytes() {
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let n = |a: &u8, b: &u8| i64::from(a - b'0') * 10 + i64::from(b - b'0');
                let minutes = n(h1, h2) * 60 + n(m1, m2);
                if *sign == b'-' {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => 0,
        };
        local - offset * 60
    }

    /// The digits after the decimal point of the seconds (empty when there are none).
    fn fraction(&self) -> &str {
        let text: &str = &self.0;
        match text.get(19..) {
            Some(rest) if rest.starts_with('.') => {
                let digits = &rest[1..];
                let end = digits
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(digits.len());
                &digits[..end]
            }
            _ => "",
        }
    }
}

/// Days from a fixed epoch for a proleptic Gregorian date (the usual era-based formula).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

/// Compares two runs of fractional-second digits by value: the shorter is padded with zeros.
fn fraction_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    let digit = |s: &str, i: usize| s.as_bytes().get(i).copied().unwrap_or(b'0');
    (0..len)
        .map(|i| digit(a, i).cmp(&digit(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

str_newtype! {
    /// FHIR `time` (<https://hl7.org/fhir/R4/datatypes.html#time>): a time of
    /// day `hh:mm:ss(.f+)?` with no timezone. Kept as text so fractional
    /// digits round-trip exactly.
    #[derive(Clone, PartialEq, Eq, Hash)]
    Time, "time", check_time
}

impl Time {
    /// `Second` or `Fraction`.
    pub fn precision(&self) -> DatePrecision {
        if self.0.as_bytes().get(8) == Some(&b'.') {
            DatePrecision::Fraction
        } else {
            DatePrecision::Second
        }
    }

    /// The hour (0..=23).
    pub fn hour(&self) -> u8 {
        two_digits(self.0.as_bytes(), 0).unwrap_or_default()
    }

    /// The minute (0..=59).
    pub fn minute(&self) -> u8 {
        two_digits(self.0.as_bytes(), 3).unwrap_or_default()
    }

    /// The whole second (0..=60, 60 being a leap second).
    pub fn second(&self) -> u8 {
        two_digits(self.0.as_bytes(), 6).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_table<T, E: std::fmt::Debug>(
        parse: impl Fn(&str) -> Result<T, E>,
        render: impl Fn(&T) -> &str,
        good: &[&str],
        bad: &[&str],
    ) {
        for s in good {
            match parse(s) {
                Ok(v) => assert_eq!(render(&v), *s, "round trip of {s:?}"),
                Err(e) => panic!("{s:?} should be accepted: {e:?}"),
            }
        }
        for s in bad {
            assert!(parse(s).is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn instants_order_in_time_across_offsets_and_fractions() {
        use std::cmp::Ordering::*;
        let i = |s: &str| Instant::parse(s).unwrap();
        let cases = [
            ("2024-05-01T10:00:00+02:00", "2024-05-01T09:00:00Z", Less),
            ("2024-05-01T08:00:00Z", "2024-05-01T10:00:00+02:00", Equal),
            ("2024-05-01T00:30:00-01:00", "2024-05-01T01:00:00Z", Greater),
            ("2024-03-01T00:00:00Z", "2024-02-29T23:59:59Z", Greater),
            ("1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z", Less),
            ("2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.500Z", Equal),
            ("2024-05-01T10:00:00.05Z", "2024-05-01T10:00:00.5Z", Less),
            ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.001Z", Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(i(a).cmp_time(&i(b)), expected, "{a} vs {b}");
            assert_eq!(i(b).cmp_time(&i(a)), expected.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn date_table() {
        let good = [
            "2015",
            "2015-02",
            "2015-02-07",
            "0001",
            "0010",
            "0100",
            "1000",
            "9999-12-31",
            "2016-02-29",
            "2000-02-29",
            "2015-02-28",
            "2015-04-30",
            "2015-01-31",
            "1900-02-28",
        ];
        let bad = [
            "",
            "0000",
            "0000-01-01",
            "201",
            "20151",
            "2015-",
            "2015-1",
            "2015-00",
            "2015-13",
            "2015-02-",
            "2015-02-7",
            "2015-02-00",
            "2015-02-30",
            "2015-02-29",
            "1900-02-29",
            "2100-02-29",
            "2015-04-31",
            "2015-01-32",
            "2015-02-07T13:28:17Z",
            "2015/02/07",
            " 2015",
            "2015 ",
            "2015-02-07Z",
            "+2015",
            "２０１５",
        ];
        assert_table(Date::parse, Date::as_str, &good, &bad);
    }

    #[test]
    fn date_time_table() {
        let good = [
            "2015",
            "2015-02",
            "2015-02-07",
            "2015-02-07T13:28:17-05:00",
            "2015-02-07T13:28:17.239+02:00",
            "2017-01-01T00:00:00Z",
            "2017-01-01T00:00:00.000Z",
            "2016-12-31T23:59:60Z",
            "2016-02-29T12:00:00+14:00",
            "2015-02-07T13:28:17-14:00",
            "2015-02-07T13:28:17+13:59",
            "2015-02-07T13:28:17-00:00",
            "2015-02-07T13:28:17.1234567890123+00:00",
            "0001-01-01T00:00:00Z",
        ];
        let bad = [
            "",
            "2015-02-07T13:28",
            "2015-02-07T13:28Z",
            "2015-02-07T13:28:17",
            "2015-02-07T13:28:17.239",
            "2015-02-07T13:28:17+14:30",
            "2015-02-07T13:28:17+15:00",
            "2015-02-07T13:28:17+05",
            "2015-02-07T13:28:17+0500",
            "2015-02-07T13:28:17+05:60",
            "2015-02-07T13:28:17z",
            "2015-02-07T13:28:17ZZ",
            "2015-02-07T13:28:17+05:00Z",
            "2015-02-07T24:00:00Z",
            "2015-02-07T13:60:00Z",
            "2015-02-07T13:28:61Z",
            "2015-02-07T13:28:17.Z",
            "2015-02-07 13:28:17Z",
            "2015-02-07T",
            "2015-02T13:28:17Z",
            "2015T13:28:17Z",
            "2015-02-30T13:28:17Z",
            "0000-01-01T00:00:00Z",
            "2015-02-07T1:28:17Z",
        ];
        assert_table(DateTime::parse, DateTime::as_str, &good, &bad);
    }

    #[test]
    fn instant_table() {
        let good = [
            "2015-02-07T13:28:17-05:00",
            "2015-02-07T13:28:17.239+02:00",
            "2017-01-01T00:00:00Z",
            "2017-01-01T00:00:00.0Z",
            "2016-12-31T23:59:60Z",
            "2016-02-29T00:00:00+14:00",
            "2015-02-07T13:28:17-14:00",
            "2015-02-07T13:28:17+13:59",
            "9999-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00-00:00",
        ];
        let bad = [
            "",
            "2015",
            "2015-02",
            "2015-02-07",
            "2015-02-07T13:28",
            "2015-02-07T13:28:17",
            "2015-02-07T13:28:17+14:30",
            "2015-02-07T13:28:17+14:01",
            "2015-02-07T13:28:17.Z",
            "2015-02-07T24:00:00Z",
            "2015-02-29T00:00:00Z",
            "2015-13-07T13:28:17Z",
            "2015-02-07t13:28:17Z",
            "2015-02-07T13:28:17Z ",
        ];
        assert_table(Instant::parse, Instant::as_str, &good, &bad);
    }

    #[test]
    fn time_table() {
        let good = [
            "00:00:00",
            "23:59:59",
            "23:59:60",
            "13:28:17",
            "13:28:17.239",
            "13:28:17.0",
            "09:05:01",
            "19:00:00.000000001",
            "20:59:59",
            "10:10:10.10",
        ];
        let bad = [
            "",
            "24:00:00",
            "23:60:00",
            "23:59:61",
            "13:28",
            "13:28:17Z",
            "13:28:17+01:00",
            "13:28:17.",
            "1:28:17",
            "13:2:17",
            "13-28-17",
            "13:28:17 ",
            "T13:28:17",
            "13:28:17.2a",
        ];
        assert_table(Time::parse, Time::as_str, &good, &bad);
    }

    #[test]
    fn date_components() {
        let d = Date::parse("2015").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2015, None, None));
        assert_eq!(d.precision(), DatePrecision::Year);
        let d = Date::parse("2015-02").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2015, Some(2), None));
        assert_eq!(d.precision(), DatePrecision::Month);
        let d = Date::parse("0001-12-31").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1, Some(12), Some(31)));
        assert_eq!(d.precision(), DatePrecision::Day);
    }

    #[test]
    fn date_time_components() {
        let d = DateTime::parse("2015-02").unwrap();
        assert_eq!(d.precision(), DatePrecision::Month);
        assert_eq!((d.hour(), d.timezone()), (None, None));
        let d = DateTime::parse("2015-02-07").unwrap();
        assert_eq!((d.day(), d.hour(), d.timezone()), (Some(7), None, None));
        let d = DateTime::parse("2015-02-07T13:28:17-05:00").unwrap();
        assert_eq!(d.precision(), DatePrecision::Second);
        assert_eq!((d.year(), d.month(), d.day()), (2015, Some(2), Some(7)));
        assert_eq!(
            (d.hour(), d.minute(), d.second()),
            (Some(13), Some(28), Some(17))
        );
        assert_eq!(d.timezone(), Some("-05:00"));
        let d = DateTime::parse("2015-02-07T13:28:17.239Z").unwrap();
        assert_eq!(d.precision(), DatePrecision::Fraction);
        assert_eq!(d.timezone(), Some("Z"));
    }

    #[test]
    fn instant_and_time_components() {
        let i = Instant::parse("2015-02-07T13:28:17.239+02:00").unwrap();
        assert_eq!((i.year(), i.month(), i.day()), (2015, 2, 7));
        assert_eq!((i.hour(), i.minute(), i.second()), (13, 28, 17));
        assert_eq!(i.timezone(), "+02:00");
        assert_eq!(i.precision(), DatePrecision::Fraction);
        let i = Instant::parse("2016-12-31T23:59:60Z").unwrap();
        assert_eq!((i.second(), i.timezone()), (60, "Z"));
        assert_eq!(i.precision(), DatePrecision::Second);
        let t = Time::parse("07:08:09").unwrap();
        assert_eq!((t.hour(), t.minute(), t.second()), (7, 8, 9));
        assert_eq!(t.precision(), DatePrecision::Second);
        assert_eq!(
            Time::parse("07:08:09.5").unwrap().precision(),
            DatePrecision::Fraction
        );
    }

    #[test]
    fn precision_orders_coarse_to_fine() {
        assert!(DatePrecision::Year < DatePrecision::Month);
        assert!(DatePrecision::Day < DatePrecision::Second);
        assert!(DatePrecision::Second < DatePrecision::Fraction);
    }

    #[test]
    fn error_reasons() {
        let reason = |s: &str| DateTime::parse(s).unwrap_err().reason();
        assert_eq!(reason("2015-13"), "month out of range 01-12");
        assert_eq!(reason("2015-02-30"), "day out of range for month");
        assert_eq!(reason("2015-02-07T13:28"), "seconds are required");
        assert_eq!(
            reason("2015-02-07T13:28:17"),
            "timezone is required when a time is given"
        );
        assert_eq!(
            reason("2015-02-07T13:28:17+14:30"),
            "timezone out of range -14:00..+14:00"
        );
        assert_eq!(reason("0000"), "year 0000 is not allowed");
        assert_eq!(
            Date::parse("2015-02-07T10:00:00Z").unwrap_err().reason(),
            "unexpected text after day"
        );
        assert_eq!(Time::parse("10:00:00Z").unwrap_err().fhir_type(), "time");
    }

    #[test]
    fn owned_string_conversion_and_traits() {
        let s = String::from("2015-02-07T13:28:17.239+02:00");
        let ptr = s.as_ptr();
        let d = DateTime::try_from(s).unwrap();
        assert_eq!(d.as_str().as_ptr(), ptr, "allocation reused");
        assert_eq!(d.to_string(), "2015-02-07T13:28:17.239+02:00");
        assert_eq!(
            format!("{d:?}"),
            "DateTime(\"2015-02-07T13:28:17.239+02:00\")"
        );
        let parsed: Date = "2015-02".parse().unwrap();
        assert_eq!(parsed, Date::parse("2015-02").unwrap());
        assert_ne!(parsed, Date::parse("2015-02-01").unwrap());
        assert!(parsed == "2015-02");
        assert!(Instant::try_from(String::from("2015")).is_err());
        assert_eq!(String::from(parsed), "2015-02");
    }
}
