//! A year's working rules besides its holidays: which weekdays are off, the office hours, and
//! the periods in which nobody is escalated (Nowruz). They are optional keys of a year's
//! holiday file, so tables written before they existed still load with today's practice:
//!
//! ```json
//! {"weekend": ["thursday", "friday"],
//!  "office_hours": {"opens": "08:00", "closes": "14:00"},
//!  "no_escalation": [{"from": "1405-01-01", "to": "1405-01-13", "name_fa": "نوروز", "name_en": "Nowruz"}]}
//! ```
//!
//! The rules take part in the calendar's version ([`WorkRules::fingerprint`]): a deadline
//! records the version it was resolved with, so a changed weekend must change the version
//! even when the file's own `version` was not bumped.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::JalaliDate;

/// The last instant of a day: offices that close at "24:00" close then.
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999) {
    Some(time) => time,
    None => panic!("23:59:59.999999999 is a time"),
};

/// When offices are open on a working day, Tehran time: `opens` ≤ t < `closes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OfficeHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl Default for OfficeHours {
    /// Iranian government offices: 08:00 to 14:00.
    fn default() -> Self {
        Self {
            opens: NaiveTime::from_hms_opt(8, 0, 0).expect("08:00 is a time"),
            closes: NaiveTime::from_hms_opt(14, 0, 0).expect("14:00 is a time"),
        }
    }
}

/// Days on which no escalation is sent; escalations due in them wait for the first office
/// hour after. Nowruz (1–13 Farvardin) unless the file says otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuietPeriod {
    pub from: JalaliDate,
    pub to: JalaliDate,
    pub name_fa: String,
    pub name_en: String,
}

impl QuietPeriod {
    pub fn contains(&self, date: JalaliDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The weekend, office hours and quiet periods of one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkRules {
    /// Days off every week, in week order from Saturday.
    pub weekend: Vec<Weekday>,
    pub office_hours: OfficeHours,
    pub no_escalation: Vec<QuietPeriod>,
}

impl WorkRules {
    /// Thursday and Friday off, 08:00–14:00, no escalation from 1 to 13 Farvardin.
    pub fn default_for(year: i32) -> Self {
        let nowruz = |day| JalaliDate::new(year, 1, day).expect("Farvardin has 13 days");
        Self {
            weekend: vec![Weekday::Thu, Weekday::Fri],
            office_hours: OfficeHours::default(),
            no_escalation: vec![QuietPeriod {
                from: nowruz(1),
                to: nowruz(13),
                name_fa: "نوروز".into(),
                name_en: "Nowruz".into(),
            }],
        }
    }

    pub fn is_weekend(&self, day: Weekday) -> bool {
        self.weekend.contains(&day)
    }

    /// A short text of the rules when they differ from the defaults of `year`, e.g.
    /// `weekend=fri;hours=07:30-14:30`; `None` for the defaults, so the versions of tables
    /// that keep today's practice read as they always did.
    pub fn fingerprint(&self, year: i32) -> Option<String> {
        let default = Self::default_for(year);
        let mut parts = Vec::new();
        if self.weekend != default.weekend {
            let days: Vec<String> = self
                .weekend
                .iter()
                .map(|d| d.to_string().to_lowercase())
                .collect();
            parts.push(format!("weekend={}", days.join(",")));
        }
        if self.office_hours != default.office_hours {
            let OfficeHours { opens, closes } = self.office_hours;
            let closes = if closes == END_OF_DAY {
                "24:00".to_string()
            } else {
                closes.format("%H:%M").to_string()
            };
            parts.push(format!("hours={}-{closes}", opens.format("%H:%M")));
        }
        if self.no_escalation != default.no_escalation {
            let periods: Vec<String> = self
                .no_escalation
                .iter()
                .map(|p| format!("{}..{}", p.from, p.to))
                .collect();
            parts.push(format!("quiet={}", periods.join(",")));
        }
        (!parts.is_empty()).then(|| parts.join(";"))
    }
}

/// The optional keys as written in a holiday file.
pub(super) struct RulesText {
    pub weekend: Option<Vec<String>>,
    pub office_hours: Option<HoursText>,
    pub no_escalation: Option<Vec<QuietText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoursText {
    opens: String,
    closes: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuietText {
    from: String,
    to: String,
    name_fa: String,
    name_en: String,
}

impl RulesText {
    /// Checks the keys given and fills the rest with the defaults of `year`.
    pub(super) fn into_rules(self, year: i32) -> Result<WorkRules, String> {
        let mut rules = WorkRules::default_for(year);
        if let Some(names) = self.weekend {
            rules.weekend = weekend(&names)?;
        }
        if let Some(hours) = self.office_hours {
            rules.office_hours = office_hours(&hours)?;
        }
        if let Some(periods) = self.no_escalation {
            rules.no_escalation = periods
                .into_iter()
                .map(|p| quiet_period(year, p))
                .collect::<Result<_, _>>()?;
        }
        Ok(rules)
    }
}

fn weekend(names: &[String]) -> Result<Vec<Weekday>, String> {
    let mut days = Vec::new();
    for name in names {
        let day: Weekday = name
            .parse()
            .map_err(|_| format!("weekend: {name:?} is not a weekday (e.g. \"friday\")"))?;
        if days.contains(&day) {
            return Err(format!("weekend: {name:?} is listed twice"));
        }
        days.push(day);
    }
    if days.len() >= 7 {
        return Err("weekend: a week needs at least one working day".into());
    }
    // Week order from Saturday, as an Iranian week runs.
    days.sort_by_key(|d| (d.num_days_from_monday() + 2) % 7);
    Ok(days)
}

fn office_hours(hours: &HoursText) -> Result<OfficeHours, String> {
    let time = |text: &str| {
        NaiveTime::parse_from_str(text, "%H:%M")
            .map_err(|_| format!("office_hours: {text:?} is not a time of day as HH:MM"))
    };
    // "24:00" closes at the end of the day: offices open round the clock with "00:00".
    let closes = match hours.closes.as_str() {
        "24:00" => END_OF_DAY,
        text => time(text)?,
    };
    let (opens, closes) = (time(&hours.opens)?, closes);
    if opens >= closes {
        return Err(format!(
            "office_hours: offices must open before they close ({} is not before {})",
            hours.opens, hours.closes
        ));
    }
    Ok(OfficeHours { opens, closes })
}

fn quiet_period(year: i32, text: QuietText) -> Result<QuietPeriod, String> {
    let date = |value: &str| -> Result<JalaliDate, String> {
        let date: JalaliDate = value.parse().map_err(|e| format!("no_escalation: {e}"))?;
        if date.year() != year {
            return Err(format!(
                "no_escalation: {value} is not in this file's year {year}"
            ));
        }
        Ok(date)
    };
    let (from, to) = (date(&text.from)?, date(&text.to)?);
    if from > to {
        return Err(format!(
            "no_escalation: {} comes after {}",
            text.from, text.to
        ));
    }
    if text.name_fa.trim().is_empty() || text.name_en.trim().is_empty() {
        return Err("no_escalation: name_fa and name_en must both be given".into());
    }
    Ok(QuietPeriod {
        from,
        to,
        name_fa: text.name_fa,
        name_en: text.name_en,
    })
}
