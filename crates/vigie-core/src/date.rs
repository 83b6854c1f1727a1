//! Partial dates: a year, a month or a day, as news metadata gives them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How precise a [`PartialDate`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// Only the year is known (`2022`).
    Year,
    /// Year and month (`2022-08`).
    Month,
    /// A full calendar day (`2022-08-14`).
    Day,
}

/// A calendar date known to the year, the month or the day.
///
/// Serialised as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Ordering compares the known parts first
/// (a month sorts before the days inside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year (proleptic Gregorian), 1 to 9999.
    pub year: u16,
    /// Month 1-12, when known.
    pub month: Option<u8>,
    /// Day of month, when known (implies `month`).
    pub day: Option<u8>,
}

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialDateError(pub String);

impl fmt::Display for PartialDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a date: {:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            self.0
        )
    }
}

impl std::error::Error for PartialDateError {}

impl PartialDate {
    /// The precision of this date.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (_, Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// Builds a date, checking month and day ranges (including month lengths and leap years).
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if year == 0 || year > 9999 || (day.is_some() && month.is_none()) {
            return None;
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return None;
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return None;
                }
            }
        }
        Some(PartialDate { year, month, day })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (negative before 1970).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // H. Hinnant's algorithm (public domain), valid for every year of a `PartialDate`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar day (year, month, day) of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl PartialDate {
    /// The first day this date covers, as days since 1970-01-01 (`2022-08` → 2022-08-01).
    pub fn first_day(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month.unwrap_or(1)),
            u32::from(self.day.unwrap_or(1)),
        )
    }

    /// The last day this date covers, as days since 1970-01-01 (`2022-08` → 2022-08-31).
    pub fn last_day(&self) -> i64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => days_from_civil(i64::from(self.year), u32::from(m), u32::from(d)),
            (Some(m), None) => days_from_civil(
                i64::from(self.year),
                u32::from(m),
                u32::from(days_in_month(self.year, m)),
            ),
            _ => days_from_civil(i64::from(self.year), 12, 31),
        }
    }

    /// The day-precision date of a day number (inverse of [`PartialDate::first_day`] for days).
    pub fn from_days(days: i64) -> Option<Self> {
        let (y, m, d) = civil_from_days(days);
        PartialDate::new(u16::try_from(y).ok()?, Some(m as u8), Some(d as u8))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

fn num<T: FromStr>(s: &str, len: std::ops::RangeInclusive<usize>) -> Option<T> {
    if len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl FromStr for PartialDate {
    type Err = PartialDateError;

    /// Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/` or `.` separators), an RFC 3339
    /// timestamp (`2022-08-14T10:00:00Z`, the time is dropped) and the day-first
    /// `DD/MM/YYYY` common in French sources.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PartialDateError(s.to_string());
        let t = s.trim();
        // Drop a time part: `2022-08-14T10:00:00Z` or `2022-08-14 10:00`.
        let t = t.split(['T', ' ']).next().unwrap_or(t);
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        let date = match parts.as_slice() {
            [y] => PartialDate::new(num(y, 4..=4).ok_or_else(err)?, None, None),
            [y, m] => PartialDate::new(
                num(y, 4..=4).ok_or_else(err)?,
                Some(num(m, 1..=2).ok_or_else(err)?),
                None,
            ),
            [a, b, c] if a.len() == 4 => PartialDate::new(
                num(a, 4..=4).ok_or_else(err)?,
                Some(num(b, 1..=2).ok_or_else(err)?),
                Some(num(c, 1..=2).ok_or_else(err)?),
            ),
            [d, m, y] if y.len() == 4 => PartialDate::new(
                num(y, 4..=4).ok_or_else(err)?,
                Some(num(m, 1..=2).ok_or_else(err)?),
                Some(num(d, 1..=2).ok_or_else(err)?),
            ),
            _ => None,
        };
        date.ok_or_else(err)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        let m: PartialDate = "2022-08".parse().unwrap();
        assert_eq!(m.precision(), DatePrecision::Month);
        assert_eq!(m.to_string(), "2022-08");
        assert_eq!(
            "2022".parse::<PartialDate>().unwrap().precision(),
            DatePrecision::Year
        );
        let d: PartialDate = "2020-07-02T10:12:00Z".parse().unwrap();
        assert_eq!(
            (d.to_string(), d.precision()),
            ("2020-07-02".into(), DatePrecision::Day)
        );
        assert_eq!(
            "02/07/2020".parse::<PartialDate>().unwrap().to_string(),
            "2020-07-02"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2022-13",
            "2021-02-29",
            "22-08",
            "août 2022",
            "",
            "2022-08-1x",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn month_sorts_before_its_days() {
        let m: PartialDate = "2022-08".parse().unwrap();
        let d: PartialDate = "2022-08-01".parse().unwrap();
        assert!(m < d);
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for n in [-1_000_000, -1, 0, 59, 60, 11_016, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
        }
        let aug: PartialDate = "2022-08".parse().unwrap();
        assert_eq!(aug.last_day() - aug.first_day(), 30);
        let leap: PartialDate = "2024".parse().unwrap();
        assert_eq!(leap.last_day() - leap.first_day(), 365);
        assert_eq!(
            PartialDate::from_days(aug.first_day()).unwrap().to_string(),
            "2022-08-01"
        );
    }
}
