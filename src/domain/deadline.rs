//! Resolving a written due rule to an instant. The result records the rule, the instant and
//! the business-calendar version, so replaying the event years later needs no calendar at
//! all and always gives the same answer.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{BusinessCalendar, CalendarError, JalaliDate, end_of_day, tehran_date};
use crate::workflow::{DueRule, JalaliPeriod};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The rule as the definition wrote it.
    pub rule: DueRule,
    pub due_at: DateTime<Utc>,
    /// The due day in the Solar Hijri calendar, Tehran time.
    pub due_jalali: String,
    pub calendar_version: String,
}

/// Resolves `rule` for a task that opens at `now`.
pub fn resolve_deadline(
    rule: &DueRule,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Deadline, CalendarError> {
    let due_at = match rule {
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
    };
    Ok(Deadline {
        rule: rule.clone(),
        due_at,
        due_jalali: tehran_date(due_at)?.to_string(),
        calendar_version: calendar.version(),
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
    fn end_of_the_jalali_year_is_29_esfand_1405() {
        let calendar = BusinessCalendar::builtin();
        let deadline = resolve_deadline(
            &DueRule::EndOf(JalaliPeriod::JalaliYear),
            at("2026-11-26T08:00:00Z"),
            &calendar,
        )
        .unwrap();
        assert_eq!(deadline.due_jalali, "1405-12-29");
        assert_eq!(deadline.due_at.date_naive().to_string(), "2027-03-20");
    }

    #[test]
    fn after_adds_exact_time_and_on_takes_the_end_of_that_day() {
        let calendar = BusinessCalendar::builtin();
        let now = at("2026-11-26T08:00:00Z");
        let after = resolve_deadline(
            &DueRule::After(IsoDuration::parse("P7D").unwrap()),
            now,
            &calendar,
        )
        .unwrap();
        assert_eq!(after.due_at, at("2026-12-03T08:00:00Z"));
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
