//! The Solar Hijri (Jalali) business calendar: dates, Tehran time and working days.
//!
//! This module owns everything deadlines need to know about time in Iran:
//! - [`JalaliDate`], a valid Solar Hijri date, converted to and from Gregorian with ICU4X
//!   (`icu_calendar`), which is correct around 1404 where some crates are off by a day;
//! - Tehran civil time ([`tehran_date`], [`end_of_day`]): a fixed UTC+03:30, as Iran has kept
//!   no daylight saving time since 2022;
//! - [`BusinessCalendar`]: working days (Saturday–Wednesday, minus official holidays and
//!   announced closures) and office hours from versioned per-year tables, which are data, not
//!   code; when a deadline rolls and when a reminder or escalation may reach people at work;
//! - Persian names and digits for display ([`format_fa`]).
//!
//! Everything here is pure and synchronous. The one exception is
//! [`BusinessCalendar::load_dir`], which reads an administrator's holiday files. The module
//! never reads the clock: callers pass the instant in, so replays give the same answers.

mod business;
mod closures;
mod error;
mod holidays;
mod jalali;
mod names;
mod office;
mod rules;
mod tehran;

pub use business::{BusinessCalendar, DayOff};
pub use closures::{Closure, ClosureRefused};
pub use error::CalendarError;
pub use holidays::{Holiday, HolidayKind, HolidayTable};
pub use jalali::JalaliDate;
pub use rules::{OfficeHours, QuietPeriod, WorkRules};

pub use jalali::{days_in_month, is_leap_year};
pub use names::{format_fa, to_persian_digits, weekday_name_fa};
pub use tehran::{end_of_day, tehran_date, tehran_offset};

pub use jalali::{MAX_YEAR, MIN_YEAR};
pub use names::{MONTH_NAMES_EN, MONTH_NAMES_FA};
pub use tehran::TEHRAN_UTC_OFFSET_SECONDS;
