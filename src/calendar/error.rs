//! The one error type of the calendar module.

use std::path::PathBuf;

use chrono::NaiveDate;

/// Everything that can go wrong with dates, holiday tables and working-day arithmetic.
///
/// Messages name the offending input so that an administrator can fix a holiday file,
/// or a workflow author a due date, without reading code.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// Numbers that do not form a Solar Hijri date, e.g. 31 Mehr or 30 Esfand of a common year.
    #[error("{date} is not a valid Jalali date: {reason}")]
    InvalidDate { date: String, reason: String },

    /// Text that is not of the form `YYYY-MM-DD`.
    #[error("cannot read {input:?} as a Jalali date: expected YYYY-MM-DD, e.g. 1405-09-30")]
    Unparsable { input: String },

    /// A Jalali year outside the years this module supports.
    #[error("Jalali year {year} is outside the supported years {min}..={max}", min = super::MIN_YEAR, max = super::MAX_YEAR)]
    YearOutOfRange { year: i32 },

    /// A Gregorian date whose Jalali year is outside the supported years.
    #[error("Gregorian date {date} falls outside the supported Jalali years {min}..={max}", min = super::MIN_YEAR, max = super::MAX_YEAR)]
    GregorianOutOfRange { date: NaiveDate },

    /// Working days were asked for a year whose holidays are unknown. We refuse rather than
    /// assume "no holidays", which would silently move deadlines.
    #[error("no holiday table is loaded for Jalali year {year}, so its working days are unknown")]
    NoHolidayTable { year: i32 },

    /// A holiday file that is not valid JSON of the expected shape or breaks a rule.
    #[error("holiday file {file}: {reason}")]
    InvalidHolidayFile { file: String, reason: String },

    /// Two files in one directory define the same year.
    #[error("holiday files {first} and {second} both define Jalali year {year}")]
    DuplicateYear {
        year: i32,
        first: String,
        second: String,
    },

    /// A holiday directory without any `*.json` file: most likely the wrong path.
    #[error("no *.json holiday files in {}", .path.display())]
    NoHolidayFiles { path: PathBuf },

    /// A holiday directory or file that could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `add_working_days(date, 0)`: "the 0th working day after" has no meaning.
    #[error("the number of working days to add must be at least 1")]
    ZeroWorkingDays,
}
