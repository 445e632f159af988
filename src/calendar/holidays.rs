//! One Jalali year's official holidays, read from a versioned JSON file and validated.
//!
//! The file format (one file per year) is what administrators write:
//!
//! ```json
//! {"year": 1405, "version": "1405.1", "description": "optional note",
//!  "holidays": [{"date": "1405-01-01", "kind": "solar", "name_fa": "…", "name_en": "Nowruz"}]}
//! ```
//!
//! A holiday whose date is not yet official (a lunar one before the year's calendar is
//! published) says `"forecast": true`. The year's weekend, office hours and no-escalation
//! periods are optional keys beside `holidays` (see [`super::rules`]).
//!
//! A table is only ever built by [`HolidayTable::from_json`], so a table that exists has been
//! checked: real dates, all in its own year, no repeats, a version to record in events.

use serde::{Deserialize, Serialize};

use super::rules::{HoursText, QuietText, RulesText, WorkRules};
use super::{CalendarError, JalaliDate, MAX_YEAR, MIN_YEAR};

/// Whether a holiday is fixed in the solar calendar or follows the Hijri lunar calendar
/// (and so moves about 11 days earlier each year, and may move a day with the moon sighting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayKind {
    Solar,
    Lunar,
}

impl HolidayKind {
    /// The spelling used in holiday files: `solar` or `lunar`.
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Solar => "solar",
            HolidayKind::Lunar => "lunar",
        }
    }
}

/// One official holiday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: JalaliDate,
    pub kind: HolidayKind,
    pub name_fa: String,
    pub name_en: String,
    /// The date is a forecast, not yet officially announced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forecast: bool,
}

/// The validated holidays of one Jalali year, sorted by date, with the year's working rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidayTable {
    year: i32,
    version: String,
    description: Option<String>,
    holidays: Vec<Holiday>,
    rules: WorkRules,
}

/// The file as written, before validation. Unknown keys are refused so that a misspelt
/// `"holiday"` is an error rather than an empty year.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    year: i32,
    version: String,
    #[serde(default)]
    description: Option<String>,
    holidays: Vec<HolidayEntry>,
    #[serde(default)]
    weekend: Option<Vec<String>>,
    #[serde(default)]
    office_hours: Option<HoursText>,
    #[serde(default)]
    no_escalation: Option<Vec<QuietText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    // Kept as text so that a bad date is reported with its entry, not as a bare serde error.
    date: String,
    kind: HolidayKind,
    name_fa: String,
    name_en: String,
    #[serde(default)]
    forecast: bool,
}

impl HolidayTable {
    /// Parses and validates one year's holiday file. `file` names it in error messages.
    pub fn from_json(file: &str, json: &str) -> Result<Self, CalendarError> {
        let fail = |reason: String| CalendarError::InvalidHolidayFile {
            file: file.to_owned(),
            reason,
        };
        let raw: HolidayFile = serde_json::from_str(json)
            .map_err(|error| fail(format!("not a valid holiday table: {error}")))?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&raw.year) {
            return Err(fail(format!(
                "year {} is outside the supported years {MIN_YEAR}..={MAX_YEAR}",
                raw.year
            )));
        }
        if raw.version.trim().is_empty() {
            return Err(fail(
                "\"version\" must not be empty: it is recorded with every deadline".into(),
            ));
        }
        let rules = RulesText {
            weekend: raw.weekend,
            office_hours: raw.office_hours,
            no_escalation: raw.no_escalation,
        }
        .into_rules(raw.year)
        .map_err(fail)?;
        let mut holidays: Vec<Holiday> = Vec::with_capacity(raw.holidays.len());
        for (index, entry) in raw.holidays.into_iter().enumerate() {
            let holiday = check_entry(raw.year, &holidays, entry).map_err(|(date, reason)| {
                fail(format!("entry {} ({date:?}): {reason}", index + 1))
            })?;
            holidays.push(holiday);
        }
        // Stable sort: holidays sharing a date keep the file's order.
        holidays.sort_by_key(|holiday| holiday.date);
        Ok(Self {
            year: raw.year,
            version: raw.version,
            description: raw.description,
            holidays,
            rules,
        })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The version as recorded with deadlines: the file's `version`, followed by the
    /// working rules where they differ from the defaults (see [`WorkRules::fingerprint`]).
    pub fn calendar_version(&self) -> String {
        match self.rules.fingerprint(self.year) {
            None => self.version.clone(),
            Some(rules) => format!("{}[{rules}]", self.version),
        }
    }

    /// The year's weekend, office hours and no-escalation periods.
    pub fn rules(&self) -> &WorkRules {
        &self.rules
    }

    /// All holidays of the year, in date order.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The holidays falling on `date` (usually none, sometimes a solar and a lunar one).
    pub fn holidays_on(&self, date: JalaliDate) -> &[Holiday] {
        let start = self.holidays.partition_point(|holiday| holiday.date < date);
        let end = self
            .holidays
            .partition_point(|holiday| holiday.date <= date);
        &self.holidays[start..end]
    }
}

/// Checks one entry against its file's year and the entries before it.
/// On failure returns the entry's date text and the reason.
fn check_entry(
    year: i32,
    earlier: &[Holiday],
    entry: HolidayEntry,
) -> Result<Holiday, (String, String)> {
    let date: JalaliDate = match entry.date.parse() {
        Ok(date) => date,
        Err(error) => return Err((entry.date, error.to_string())),
    };
    let reject = |reason: String| Err((entry.date.clone(), reason));
    if date.year() != year {
        return reject(format!(
            "the date is in {}, not in this file's year {year}",
            date.year()
        ));
    }
    if entry.name_fa.trim().is_empty() || entry.name_en.trim().is_empty() {
        return reject("name_fa and name_en must both be given".into());
    }
    // A solar and a lunar holiday may share a day (Nowruz and Eid al-Fitr in 1405); two of the
    // same kind on one day can only be a copy-paste slip.
    if let Some(position) = earlier
        .iter()
        .position(|holiday| holiday.date == date && holiday.kind == entry.kind)
    {
        return reject(format!(
            "duplicate: entry {} is already a {} holiday on this date",
            position + 1,
            entry.kind.as_str()
        ));
    }
    Ok(Holiday {
        date,
        kind: entry.kind,
        name_fa: entry.name_fa,
        name_en: entry.name_en,
        forecast: entry.forecast,
    })
}

#[cfg(test)]
mod tests;
