//! Resolving a written due rule to an instant. The result records the rule, the instant and
//! the business-calendar version, so replaying the event years later needs no calendar at
//! all and always gives the same answer.
//!
//! A deadline falls on a working day: one whose Tehran day is a weekend day, a holiday or a
//! closure moves to the end of the next working day (design.md §5), unless the step says
//! `roll: none`. `due_at` is the moved instant, the one everything acts on; the nominal one
//! is kept beside it for people to see why.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{BusinessCalendar, CalendarError, JalaliDate, end_of_day, tehran_date};
use crate::workflow::{DueRule, JalaliPeriod, Roll};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The rule as the definition wrote it.
    pub rule: DueRule,
    /// When the task is due: the nominal instant, moved off a day that is not a working day.
    pub due_at: DateTime<Utc>,
    /// The due day in the Solar Hijri calendar, Tehran time.
    pub due_jalali: String,
    pub calendar_version: String,
    /// Where the rule itself landed, when that was not a working day and the deadline moved.
    /// Absent when the deadline is the nominal one (and in events written before deadlines
    /// rolled, which keep their meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal: Option<NominalDue>,
}

/// The instant a rule named before it was moved to a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominalDue {
    pub at: DateTime<Utc>,
    /// The nominal day, Jalali, Tehran time.
    pub jalali: String,
}

impl Deadline {
    /// The instant the rule named, moved or not.
    pub fn nominal_at(&self) -> DateTime<Utc> {
        self.nominal.as_ref().map_or(self.due_at, |n| n.at)
    }

    /// This deadline moved off `calendar`'s days off (e.g. a closure announced since), keeping
    /// the nominal instant it had; unchanged when its day is a working day.
    pub fn rolled(&self, calendar: &BusinessCalendar) -> Result<Deadline, CalendarError> {
        let due_at = roll_to_working_day(self.due_at, calendar)?;
        if due_at == self.due_at {
            return Ok(self.clone());
        }
        deadline(&self.rule, self.nominal_at(), due_at, calendar)
    }
}

/// Resolves `rule` for a task that opens at `now`, moving a deadline that falls on a day off
/// to the end of the next working day.
pub fn resolve_deadline(
    rule: &DueRule,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Deadline, CalendarError> {
    resolve_deadline_as(rule, Roll::NextWorkingDay, now, calendar)
}

/// Resolves `rule` as a step that says `roll` does.
pub fn resolve_deadline_as(
    rule: &DueRule,
    roll: Roll,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Deadline, CalendarError> {
    let nominal = nominal_due_at(rule, now, calendar)?;
    let due_at = match roll {
        Roll::None => nominal,
        Roll::NextWorkingDay => roll_to_working_day(nominal, calendar)?,
    };
    deadline(rule, nominal, due_at, calendar)
}

/// A deadline due at `due_at` for a rule that named `nominal`.
fn deadline(
    rule: &DueRule,
    nominal: DateTime<Utc>,
    due_at: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Deadline, CalendarError> {
    let moved = (due_at != nominal)
        .then(|| {
            Ok::<_, CalendarError>(NominalDue {
                at: nominal,
                jalali: tehran_date(nominal)?.to_string(),
            })
        })
        .transpose()?;
    Ok(Deadline {
        rule: rule.clone(),
        due_at,
        due_jalali: tehran_date(due_at)?.to_string(),
        calendar_version: calendar.version(),
        nominal: moved,
    })
}

/// `instant` if its Tehran day is a working day, else the end of the next working day.
fn roll_to_working_day(
    instant: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<DateTime<Utc>, CalendarError> {
    let day = tehran_date(instant)?;
    let working = calendar.working_day_on_or_after(day)?;
    Ok(if working == day {
        instant
    } else {
        end_of_day(working)
    })
}

/// The instant `rule` names for a task that opens at `now`, before any roll.
fn nominal_due_at(
    rule: &DueRule,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<DateTime<Utc>, CalendarError> {
    Ok(match rule {
        DueRule::After(duration) => {
            let seconds = i64::try_from(duration.as_seconds()).unwrap_or(i64::MAX / 2);
            now + Duration::seconds(seconds)
        }
        DueRule::WorkingDays(days) => {
            end_of_day(calendar.add_working_days(tehran_date(now)?, *days)?)
        }
        DueRule::EndOf(JalaliPeriod::JalaliMonth) => end_of_day(tehran_date(now)?.end_of_month()),
        DueRule::EndOf(JalaliPeriod::JalaliYear) => end_of_day(tehran_date(now)?.end_of_year()),
        DueRule::On(date) => end_of_day(JalaliDate::from_str(date)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::IsoDuration;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn end_of_the_jalali_month_is_30_azar_1405_for_5_azar() {
        let calendar = BusinessCalendar::builtin();
        let deadline = resolve_deadline(
            &DueRule::EndOf(JalaliPeriod::JalaliMonth),
            at("2026-11-26T08:00:00Z"),
            &calendar,
        )
        .unwrap();
        assert_eq!(deadline.due_jalali, "1405-09-30");
        assert_eq!(deadline.due_at, at("2026-12-21T20:29:59Z"));
        assert_eq!(deadline.calendar_version, calendar.version());
    }

    #[test]
    fn end_of_the_jalali_year_is_29_esfand_1405_moved_past_nowruz() {
        let calendar = BusinessCalendar::builtin();
        let deadline = resolve_deadline(
            &DueRule::EndOf(JalaliPeriod::JalaliYear),
            at("2026-11-26T08:00:00Z"),
            &calendar,
        )
        .unwrap();
        // 29 Esfand is a holiday, 1-4 Farvardin too, then Thursday and Friday.
        assert_eq!(deadline.due_jalali, "1406-01-07");
        let nominal = deadline.nominal.as_ref().unwrap();
        assert_eq!(nominal.jalali, "1405-12-29");
        assert_eq!(nominal.at.date_naive().to_string(), "2027-03-20");
        assert_eq!(deadline.nominal_at(), nominal.at);
    }

    #[test]
    fn roll_none_keeps_the_nominal_day() {
        let calendar = BusinessCalendar::builtin();
        let deadline = resolve_deadline_as(
            &DueRule::EndOf(JalaliPeriod::JalaliYear),
            Roll::None,
            at("2026-11-26T08:00:00Z"),
            &calendar,
        )
        .unwrap();
        assert_eq!(deadline.due_jalali, "1405-12-29");
        assert_eq!(deadline.nominal, None);
    }

    #[test]
    fn a_deadline_resolved_before_rolling_existed_reads_unchanged() {
        let old = r#"{"rule": {"end_of": "jalali_year"}, "due_at": "2027-03-20T20:29:59Z",
            "due_jalali": "1405-12-29", "calendar_version": "1404.1+1405.1+1406.1"}"#;
        let deadline: Deadline = serde_json::from_str(old).unwrap();
        assert_eq!(deadline.due_jalali, "1405-12-29");
        assert_eq!(deadline.nominal, None);
        let again = serde_json::to_value(&deadline).unwrap();
        assert_eq!(
            again,
            serde_json::from_str::<serde_json::Value>(old).unwrap()
        );
    }

    #[test]
    fn after_adds_exact_time_and_on_takes_the_end_of_that_day() {
        let calendar = BusinessCalendar::builtin();
        let now = at("2026-11-26T08:00:00Z");
        let after = resolve_deadline(
            &DueRule::After(IsoDuration::parse("P6D").unwrap()),
            now,
            &calendar,
        )
        .unwrap();
        assert_eq!(after.due_at, at("2026-12-02T08:00:00Z"));
        assert_eq!(after.nominal, None);
        // Seven days is Thursday 12 Azar: the end of Saturday 14 Azar instead.
        let week = resolve_deadline(
            &DueRule::After(IsoDuration::parse("P7D").unwrap()),
            now,
            &calendar,
        )
        .unwrap();
        assert_eq!(week.due_at, at("2026-12-05T20:29:59Z"));
        assert_eq!(week.nominal_at(), at("2026-12-03T08:00:00Z"));
        let on = resolve_deadline(&DueRule::On("1405-09-30".into()), now, &calendar).unwrap();
        assert_eq!(on.due_at, at("2026-12-21T20:29:59Z"));
        assert!(resolve_deadline(&DueRule::On("1405-12-30".into()), now, &calendar).is_err());
    }

    #[test]
    fn working_days_skip_thursday_and_friday() {
        let calendar = BusinessCalendar::builtin();
        // 5 Azar 1405 is a Thursday: the next working day is Saturday 7 Azar.
        let deadline = resolve_deadline(
            &DueRule::WorkingDays(1),
            at("2026-11-26T08:00:00Z"),
            &calendar,
        )
        .unwrap();
        assert_eq!(deadline.due_jalali, "1405-09-07");
    }
}
