//! When people are at work: the moment a deadline rolls to, and the moment a reminder or an
//! escalation may reach someone. Deadlines roll to the end of the next working day (as in
//! Iranian administrative practice); reminders and escalations wait for the next office hour
//! of a working day, and escalations also wait out the year's no-escalation periods (Nowruz).

use chrono::{DateTime, TimeDelta, Utc};

use super::{BusinessCalendar, CalendarError, JalaliDate, tehran_date, tehran_offset};
use super::{OfficeHours, TEHRAN_UTC_OFFSET_SECONDS};

impl BusinessCalendar {
    /// `date` if it is a working day, else the first working day after it.
    pub fn working_day_on_or_after(&self, date: JalaliDate) -> Result<JalaliDate, CalendarError> {
        let mut day = date;
        // Terminates: a year has working days, and running off the last table is an error.
        while !self.is_working_day(day)? {
            day = day.next_day()?;
        }
        Ok(day)
    }

    /// The office hours of `date`'s year.
    pub fn office_hours(&self, date: JalaliDate) -> Result<OfficeHours, CalendarError> {
        Ok(self.table_for(date)?.rules().office_hours)
    }

    /// The first moment at or after `instant` that falls in office hours on a working day:
    /// `instant` itself when people are at work then.
    pub fn at_work(&self, instant: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        let local = instant.with_timezone(&tehran_offset()).time();
        let today = tehran_date(instant)?;
        if self.is_working_day(today)? {
            let hours = self.office_hours(today)?;
            if local < hours.opens {
                return self.opening(today);
            }
            if local < hours.closes {
                return Ok(instant);
            }
        }
        let next = self.working_day_on_or_after(today.next_day()?)?;
        self.opening(next)
    }

    /// When an escalation due at `instant` may be sent: after any no-escalation period
    /// `instant` falls in, at the first office hour of a working day.
    pub fn escalation_moment(
        &self,
        instant: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let mut moment = self.at_work(instant)?;
        // Each round leaves one quiet period behind; periods are finite and within a year.
        loop {
            let day = tehran_date(moment)?;
            let rules = self.table_for(day)?.rules();
            let Some(period) = rules.no_escalation.iter().find(|p| p.contains(day)) else {
                return Ok(moment);
            };
            let after = self.working_day_on_or_after(period.to.next_day()?)?;
            moment = self.opening(after)?;
        }
    }

    /// The instant offices open on `date`, as UTC.
    fn opening(&self, date: JalaliDate) -> Result<DateTime<Utc>, CalendarError> {
        let opens = self.office_hours(date)?.opens;
        let local = date.to_gregorian().and_time(opens);
        Ok(local.and_utc() - TimeDelta::seconds(i64::from(TEHRAN_UTC_OFFSET_SECONDS)))
    }
}

#[cfg(test)]
mod tests;
