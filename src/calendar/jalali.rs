//! [`JalaliDate`]: a valid Solar Hijri date, its `YYYY-MM-DD` text form and its Gregorian twin.
//!
//! Month lengths, leap years and conversions all come from ICU4X's Persian calendar; this
//! file does no calendar arithmetic of its own, because that is where Jalali libraries go
//! wrong (several are a day off around 1404).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};
use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};

use super::{CalendarError, MONTH_NAMES_EN};

/// First supported Jalali year (1621 CE). Together with [`MAX_YEAR`] it keeps every date
/// printable as exactly four digits, so that the text form always parses back.
pub const MIN_YEAR: i32 = 1000;
/// Last supported Jalali year.
pub const MAX_YEAR: i32 = 9999;

/// A Solar Hijri date that is known to exist (built only by [`JalaliDate::new`], parsing or
/// conversion). Orders chronologically. Serialized as `"1405-09-30"`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct JalaliDate {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: i32,
    month: u8,
    day: u8,
}

impl JalaliDate {
    /// The date `year-month-day`, refused unless that day exists (31 Mehr does not; 30 Esfand
    /// exists only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, CalendarError> {
        let length = days_in_month(year, month).map_err(|error| match error {
            CalendarError::InvalidDate { reason, .. } => invalid(year, month, day, reason),
            other => other,
        })?;
        if day == 0 || day > length {
            let mut reason = format!("{} {year} has {length} days", month_name(month));
            if month == 12 && length == 29 {
                reason.push_str(&format!(" ({year} is not a leap year)"));
            }
            return Err(invalid(year, month, day, reason));
        }
        Ok(Self { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 = Farvardin … 12 = Esfand.
    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The Jalali date of a Gregorian day.
    pub fn from_gregorian(date: NaiveDate) -> Result<Self, CalendarError> {
        let out_of_range = || CalendarError::GregorianOutOfRange { date };
        // Month and day of a NaiveDate always fit in u8.
        let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
            .map_err(|_| out_of_range())?;
        let persian = iso.to_calendar(Persian);
        let year = persian.year().extended_year();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(out_of_range());
        }
        Ok(Self {
            year,
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        })
    }

    /// The Gregorian day of this date.
    pub fn to_gregorian(self) -> NaiveDate {
        let iso = self.to_icu().to_calendar(Iso);
        NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            iso.month().ordinal.into(),
            iso.day_of_month().0.into(),
        )
        .expect("Jalali years 1000..=9999 lie well inside chrono's range")
    }

    pub fn weekday(self) -> Weekday {
        self.to_gregorian().weekday()
    }

    pub fn is_in_leap_year(self) -> bool {
        self.to_icu().is_in_leap_year()
    }

    /// The last day of this date's month (30 Azar for any day of Azar).
    pub fn end_of_month(self) -> Self {
        Self {
            day: self.to_icu().days_in_month(),
            ..self
        }
    }

    /// The last day of this date's year: 29 Esfand, or 30 Esfand in a leap year.
    pub fn end_of_year(self) -> Self {
        let last_day = if self.is_in_leap_year() { 30 } else { 29 };
        Self {
            month: 12,
            day: last_day,
            ..self
        }
    }

    /// The following day; fails only past the last supported year.
    pub fn next_day(self) -> Result<Self, CalendarError> {
        let gregorian = self.to_gregorian();
        let next = gregorian
            .succ_opt()
            .ok_or(CalendarError::GregorianOutOfRange { date: gregorian })?;
        Self::from_gregorian(next)
    }

    /// The preceding day; fails only before the first supported year.
    pub fn previous_day(self) -> Result<Self, CalendarError> {
        let gregorian = self.to_gregorian();
        let previous = gregorian
            .pred_opt()
            .ok_or(CalendarError::GregorianOutOfRange { date: gregorian })?;
        Self::from_gregorian(previous)
    }

    fn to_icu(self) -> Date<Persian> {
        Date::try_new_persian(self.year, self.month, self.day)
            .expect("a JalaliDate is checked against the Persian calendar when built")
    }
}

/// Whether `year` has 366 days (30 Esfand), per the Iranian calendar's astronomical rule.
pub fn is_leap_year(year: i32) -> Result<bool, CalendarError> {
    Ok(first_of_month(year, 1)?.is_in_leap_year())
}

/// The number of days in `month` (1–12) of `year`: 31, 30, or 29/30 for Esfand.
pub fn days_in_month(year: i32, month: u8) -> Result<u8, CalendarError> {
    if !(1..=12).contains(&month) {
        return Err(invalid(
            year,
            month,
            1,
            "months run from 1 (Farvardin) to 12 (Esfand)",
        ));
    }
    Ok(first_of_month(year, month)?.days_in_month())
}

fn first_of_month(year: i32, month: u8) -> Result<Date<Persian>, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    Date::try_new_persian(year, month, 1)
        .map_err(|error| invalid(year, month, 1, error.to_string()))
}

fn invalid(year: i32, month: u8, day: u8, reason: impl Into<String>) -> CalendarError {
    CalendarError::InvalidDate {
        date: format!("{year:04}-{month:02}-{day:02}"),
        reason: reason.into(),
    }
}

fn month_name(month: u8) -> &'static str {
    MONTH_NAMES_EN[usize::from(month - 1)]
}

impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for JalaliDate {
    type Err = CalendarError;

    /// Accepts exactly `YYYY-MM-DD` in ASCII digits; anything looser (`1405-9-30`, spaces,
    /// Persian digits) is refused so that stored dates have one spelling.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let unparsable = || CalendarError::Unparsable {
            input: input.to_owned(),
        };
        let bytes = input.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(unparsable());
        }
        // The shape check guarantees ASCII digits, so these parses cannot fail.
        let number = |range: std::ops::Range<usize>| input[range].parse::<u16>().ok();
        match (number(0..4), number(5..7), number(8..10)) {
            (Some(year), Some(month), Some(day)) => {
                Self::new(i32::from(year), month as u8, day as u8)
            }
            _ => Err(unparsable()),
        }
    }
}

impl TryFrom<String> for JalaliDate {
    type Error = CalendarError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<JalaliDate> for String {
    fn from(date: JalaliDate) -> Self {
        date.to_string()
    }
}

#[cfg(test)]
mod tests;
