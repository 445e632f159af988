//! Tehran civil time: which Jalali day an instant falls on, and when a Jalali day ends.
//!
//! Iran abolished daylight saving time in 2022, so Tehran is a fixed UTC+03:30 and no time
//! zone database is needed. Should the law change again, this file is the one place to change,
//! and the instants already resolved stay as recorded in the events.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta, Utc};

use super::{CalendarError, JalaliDate};

/// Tehran's offset from UTC: +03:30.
pub const TEHRAN_UTC_OFFSET_SECONDS: i32 = 3 * 3600 + 30 * 60;

/// The last second of a Tehran day; deadlines fall due at `23:59:59` local time.
const END_OF_DAY: NaiveTime =
    NaiveTime::from_hms_opt(23, 59, 59).expect("23:59:59 is a valid time");

/// Tehran's offset as a chrono time zone.
pub fn tehran_offset() -> FixedOffset {
    FixedOffset::east_opt(TEHRAN_UTC_OFFSET_SECONDS).expect("+03:30 is a valid UTC offset")
}

/// The Jalali date that a wall calendar in Tehran shows at `instant`.
///
/// Fails only for instants whose date lies outside the supported Jalali years.
pub fn tehran_date(instant: DateTime<Utc>) -> Result<JalaliDate, CalendarError> {
    JalaliDate::from_gregorian(instant.with_timezone(&tehran_offset()).date_naive())
}

/// The instant at which `date` ends in Tehran: 23:59:59 local time, as UTC.
pub fn end_of_day(date: JalaliDate) -> DateTime<Utc> {
    let local = date.to_gregorian().and_time(END_OF_DAY);
    local.and_utc() - TimeDelta::seconds(i64::from(TEHRAN_UTC_OFFSET_SECONDS))
}

#[cfg(test)]
mod tests;
