//! Unplanned closures (تعطیلی): days an administrator closes offices at run time, e.g. for
//! air pollution or a national mourning. They come from the log (a `ClosureAdded` event in
//! the `calendar` stream), never from files, and count as days off like holidays.

use serde::{Deserialize, Serialize};

use super::{BusinessCalendar, CalendarError, DayOff, JalaliDate};

/// One announced closure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Closure {
    #[schemars(with = "String")]
    pub date_jalali: JalaliDate,
    pub reason: String,
}

impl BusinessCalendar {
    /// Checks that `closure` may be added: a day of a loaded year that is not already off.
    /// The message says why not, for an administrator to read.
    pub fn check_closure(&self, closure: &Closure) -> Result<(), ClosureRefused> {
        let date = closure.date_jalali;
        match self.day_off(date) {
            Err(CalendarError::NoHolidayTable { year }) => Err(ClosureRefused::Invalid(format!(
                "{date} is in {year}, a year the calendar has no table for"
            ))),
            Err(error) => Err(ClosureRefused::Invalid(error.to_string())),
            Ok(Some(DayOff::Closure(existing))) => Err(ClosureRefused::AlreadyOff(format!(
                "{date} is already closed: {}",
                existing.reason
            ))),
            Ok(Some(DayOff::Holiday(holiday))) => Err(ClosureRefused::AlreadyOff(format!(
                "{date} is already a holiday: {}",
                holiday.name_en
            ))),
            Ok(Some(DayOff::Weekend(day))) => Err(ClosureRefused::AlreadyOff(format!(
                "{date} is a {day}, already a weekend day"
            ))),
            Ok(None) => Ok(()),
        }
    }

    /// Adds a closure (as read from the log; checks are the writer's, see
    /// [`BusinessCalendar::check_closure`]). A second closure of the same day keeps the first.
    pub fn add_closure(&mut self, closure: Closure) {
        self.closures.entry(closure.date_jalali).or_insert(closure);
    }

    /// The closures announced, in date order.
    pub fn closures(&self) -> impl Iterator<Item = &Closure> {
        self.closures.values()
    }
}

/// Why a closure cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClosureRefused {
    /// Not a day the calendar can close (422).
    #[error("{0}")]
    Invalid(String),
    /// The day is off already (409).
    #[error("{0}")]
    AlreadyOff(String),
}
