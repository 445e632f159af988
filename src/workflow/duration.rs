//! ISO 8601 durations as administrators write them in `due`, `remind` and `escalate`.
//!
//! Owns parsing and the canonical text form. Only units of fixed length are
//! accepted (weeks, days, hours, minutes, seconds): a "month" or "year" has no
//! fixed length, and deadlines that depend on the calendar are written as
//! `{end_of: …}` rules instead. It must not know about calendars or clocks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;

/// Longest accepted duration: 100 years of days. Nothing in a workflow waits longer,
/// and the cap keeps deadline arithmetic downstream far from overflow.
pub const MAX_SECONDS: u64 = 36_525 * DAY;

/// A non-negative length of time of fixed size, e.g. `P7D`, `PT12H`, `P1DT2H30M`,
/// at most [`MAX_SECONDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDuration {
    seconds: u64,
}

/// Why a text is not an accepted duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a supported ISO 8601 duration: {reason}")]
pub struct DurationError {
    text: String,
    reason: &'static str,
}

impl IsoDuration {
    pub const ZERO: IsoDuration = IsoDuration { seconds: 0 };

    pub fn from_seconds(seconds: u64) -> Self {
        IsoDuration { seconds }
    }

    pub fn as_seconds(&self) -> u64 {
        self.seconds
    }

    pub fn parse(text: &str) -> Result<Self, DurationError> {
        parse_seconds(text)
            .map(Self::from_seconds)
            .map_err(|reason| DurationError {
                text: text.to_owned(),
                reason,
            })
    }
}

fn parse_seconds(text: &str) -> Result<u64, &'static str> {
    if text.starts_with('-') {
        return Err("negative durations are not allowed");
    }
    let rest = text
        .strip_prefix('P')
        .ok_or("it must start with P (e.g. P7D, PT12H)")?;
    if rest.is_empty() {
        return Err("P must be followed by at least one number and unit (e.g. P1D)");
    }
    let (date, time) = match rest.split_once('T') {
        Some((_, "")) => return Err("T must be followed by hours, minutes or seconds"),
        Some((date, time)) => (date, time),
        None => (rest, ""),
    };
    let date = components(date, &['Y', 'M', 'W', 'D'])?;
    let time = components(time, &['H', 'M', 'S'])?;
    if date.iter().any(|&(_, unit)| unit == 'Y' || unit == 'M') {
        return Err(
            "years and months have no fixed length; write days or weeks (e.g. P30D), or use a {end_of: ...} due rule",
        );
    }
    if date.iter().any(|&(_, unit)| unit == 'W') && date.len() + time.len() > 1 {
        return Err("weeks cannot be combined with other units; write days (e.g. P9D)");
    }
    let unit_seconds = |unit: char, in_time: bool| match (unit, in_time) {
        ('W', false) => WEEK,
        ('D', false) => DAY,
        ('H', true) => HOUR,
        ('M', true) => MINUTE,
        _ => 1,
    };
    let parts = date.iter().map(|&(n, u)| (n, unit_seconds(u, false)));
    let parts = parts.chain(time.iter().map(|&(n, u)| (n, unit_seconds(u, true))));
    let mut total: u64 = 0;
    for (n, unit) in parts {
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .filter(|&t| t <= MAX_SECONDS)
            .ok_or("longer than 100 years (36525 days)")?;
    }
    Ok(total)
}

/// Splits e.g. `1W2D` into `[(1, 'W'), (2, 'D')]`, requiring `order` and no repeats.
fn components(part: &str, order: &[char]) -> Result<Vec<(u64, char)>, &'static str> {
    let mut found = Vec::new();
    let mut next_allowed = 0;
    let mut digits = String::new();
    for c in part.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if c == '.' || c == ',' {
            return Err("fractions are not supported; use a smaller unit (e.g. PT90M)");
        }
        let rank = order[next_allowed..]
            .iter()
            .position(|&u| u == c)
            .map(|offset| next_allowed + offset)
            .ok_or(
                "expected numbers followed by W, D, then T and H, M, S, in that order (upper case)",
            )?;
        if digits.is_empty() {
            return Err("each unit needs a number before it (e.g. P1D)");
        }
        let n = digits
            .parse()
            .map_err(|_| "longer than 100 years (36525 days)")?;
        found.push((n, c));
        digits.clear();
        next_allowed = rank + 1;
    }
    if !digits.is_empty() {
        return Err("a number must be followed by its unit (e.g. P1D, not P1)");
    }
    Ok(found)
}

impl FromStr for IsoDuration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        IsoDuration::parse(text)
    }
}

/// Canonical form: days, then a time part with non-zero hours, minutes, seconds;
/// weeks are written as days, and zero is `PT0S`.
impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("PT0S");
        }
        let (days, rest) = (self.seconds / DAY, self.seconds % DAY);
        f.write_str("P")?;
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if rest > 0 {
            f.write_str("T")?;
            let (hours, minutes, seconds) = (rest / HOUR, rest % HOUR / MINUTE, rest % MINUTE);
            for (n, unit) in [(hours, 'H'), (minutes, 'M'), (seconds, 'S')] {
                if n > 0 {
                    write!(f, "{n}{unit}")?;
                }
            }
        }
        Ok(())
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Written as its ISO 8601 text.
impl schemars::JsonSchema for IsoDuration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDuration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^P"})
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDuration::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> u64 {
        IsoDuration::parse(text).unwrap().as_seconds()
    }

    #[test]
    fn parses_fixed_length_units() {
        assert_eq!(seconds("P1D"), 86_400);
        assert_eq!(seconds("PT0S"), 0);
        assert_eq!(seconds("P0D"), 0);
        assert_eq!(seconds("P1W"), 7 * 86_400);
        assert_eq!(seconds("PT12H"), 12 * 3_600);
        assert_eq!(seconds("P1DT2H30M"), 86_400 + 2 * 3_600 + 30 * 60);
        assert_eq!(seconds("PT90M"), 5_400);
        assert_eq!(seconds("P1DT1S"), 86_401);
    }

    #[test]
    fn refuses_what_it_cannot_represent_exactly() {
        let refused = |text: &str, why: &str| {
            let err = IsoDuration::parse(text).unwrap_err().to_string();
            assert!(err.contains(why), "{text}: {err}");
        };
        refused("-P1D", "negative");
        refused("P", "at least one");
        refused("PT", "T must be followed");
        refused("", "start with P");
        refused("P1Y", "years and months");
        refused("P2M", "years and months");
        refused("P1Y2D", "years and months");
        refused("PT1.5H", "fractions");
        refused("P1", "followed by its unit");
        refused("PD", "needs a number");
        refused("P1D2W", "in that order");
        refused("PT1S2M", "in that order");
        refused("P1D1D", "in that order");
        refused("p1d", "start with P");
        refused("P1W2D", "weeks cannot be combined");
        refused("P5218W", "100 years");
        refused("P36526D", "100 years");
        refused("PT99999999999999999999999S", "100 years");
        refused("seven days", "start with P");
        refused("P1H", "in that order");
    }

    #[test]
    fn displays_canonical_text_that_parses_back() {
        let canonical = |text: &str| IsoDuration::parse(text).unwrap().to_string();
        assert_eq!(canonical("P1W"), "P7D");
        assert_eq!(canonical("PT0S"), "PT0S");
        assert_eq!(canonical("P0D"), "PT0S");
        assert_eq!(canonical("PT36H"), "P1DT12H");
        assert_eq!(canonical("P1DT2H30M"), "P1DT2H30M");
        assert_eq!(canonical("PT61S"), "PT1M1S");
        assert_eq!(seconds("P5217W"), 5217 * 7 * 86_400);
        for extreme in ["P5217W", "P36525D", "PT876600H", "PT3155759999S"] {
            let d = IsoDuration::parse(extreme).unwrap();
            assert_eq!(IsoDuration::parse(&d.to_string()), Ok(d), "{extreme}");
        }
    }

    #[test]
    fn serde_uses_the_text_form() {
        let d: IsoDuration = serde_json::from_str("\"P3D\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"P3D\"");
        assert!(serde_json::from_str::<IsoDuration>("\"P1M\"").is_err());
    }
}
