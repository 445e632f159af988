//! A resolution adopted in a meeting of the working group (design.md §7): the case's
//! `params.adopted_in_meeting` is the meeting's record, checked here before the case opens.
//! Such a resolution is not put to the vote; its vote step counts as approved.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::command::DomainError;
use crate::calendar::{JalaliDate, tehran_date};

/// The longest minutes' text a meeting record may carry (characters).
pub const MAX_MINUTES_CHARS: usize = 20_000;
/// The longest meeting or resolution number (characters).
const MAX_NUMBER_CHARS: usize = 50;

/// The meeting's record as the case keeps it: numbers as typed (Persian digits stay), the
/// date as `YYYY-MM-DD` in ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingRecord {
    pub meeting_no: String,
    pub meeting_date_jalali: String,
    pub resolution_no: String,
    pub minutes: String,
    /// Scanned minutes as the resolution names them; checked by the files module.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Value>,
}

impl MeetingRecord {
    /// The record in `params.adopted_in_meeting`, if any, checked against `now` (a meeting
    /// cannot be dated in the future).
    pub fn from_params(params: &Value, now: DateTime<Utc>) -> Result<Option<Self>, DomainError> {
        match params.get("adopted_in_meeting") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(fields)) => parse(fields, now).map(Some),
            Some(_) => Err(invalid("params.adopted_in_meeting must be an object")),
        }
    }

    /// The meeting day, already checked by [`MeetingRecord::from_params`].
    pub fn date(&self) -> Option<JalaliDate> {
        self.meeting_date_jalali.parse().ok()
    }
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::Invalid(message.into())
}

fn parse(
    fields: &serde_json::Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<MeetingRecord, DomainError> {
    const KNOWN: [&str; 5] = [
        "meeting_no",
        "meeting_date_jalali",
        "resolution_no",
        "minutes",
        "attachments",
    ];
    if let Some(unknown) = fields.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(invalid(format!(
            "params.adopted_in_meeting.{unknown} is not a field of a meeting record"
        )));
    }
    let attachments = match fields.get("attachments") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(invalid(
                "params.adopted_in_meeting.attachments must be an array",
            ));
        }
    };
    Ok(MeetingRecord {
        meeting_no: meeting_no(fields.get("meeting_no"))?,
        meeting_date_jalali: meeting_date(fields.get("meeting_date_jalali"), now)?,
        resolution_no: short_text(fields.get("resolution_no"), "resolution_no")?,
        minutes: minutes(fields.get("minutes"))?,
        attachments,
    })
}

/// A positive number, or a non-empty text (a number written with Persian digits must be
/// positive too).
fn meeting_no(value: Option<&Value>) -> Result<String, DomainError> {
    let wrong = || {
        invalid(
            "params.adopted_in_meeting.meeting_no must be a positive number or a non-empty text",
        )
    };
    match value {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(n) if n > 0 => Ok(n.to_string()),
            _ => Err(wrong()),
        },
        Some(Value::String(_)) => {
            let text = short_text(value, "meeting_no")?;
            let digits = ascii_digits(&text);
            let zero = digits.chars().all(|c| c.is_ascii_digit()) && digits.parse::<u64>() == Ok(0);
            if zero { Err(wrong()) } else { Ok(text) }
        }
        _ => Err(wrong()),
    }
}

fn short_text(value: Option<&Value>, name: &str) -> Result<String, DomainError> {
    let text = value.and_then(Value::as_str).map(str::trim).unwrap_or("");
    if text.is_empty() || text.chars().count() > MAX_NUMBER_CHARS {
        return Err(invalid(format!(
            "params.adopted_in_meeting.{name} must be 1 to {MAX_NUMBER_CHARS} characters"
        )));
    }
    Ok(text.to_string())
}

fn minutes(value: Option<&Value>) -> Result<String, DomainError> {
    let text = value.and_then(Value::as_str).map(str::trim).unwrap_or("");
    if text.is_empty() || text.chars().count() > MAX_MINUTES_CHARS {
        return Err(invalid(format!(
            "params.adopted_in_meeting.minutes must be 1 to {MAX_MINUTES_CHARS} characters"
        )));
    }
    Ok(text.to_string())
}

/// A real Jalali day, not after today in Tehran. `1405/03/02` and Persian digits are read
/// as `1405-03-02`.
fn meeting_date(value: Option<&Value>, now: DateTime<Utc>) -> Result<String, DomainError> {
    let typed = value.and_then(Value::as_str).unwrap_or("").trim();
    let text = typed_jalali(typed);
    let date: JalaliDate = text.parse().map_err(|e| {
        invalid(format!(
            "params.adopted_in_meeting.meeting_date_jalali {typed:?} is not a Jalali date (YYYY-MM-DD): {e}"
        ))
    })?;
    let today = tehran_date(now).map_err(|e| invalid(e.to_string()))?;
    if date > today {
        return Err(invalid(format!(
            "params.adopted_in_meeting.meeting_date_jalali {date} is in the future (today is {today})"
        )));
    }
    Ok(date.to_string())
}

/// A Jalali day as people type it (`۱۴۰۵/۳/۲`, `1405-3-2`) in the one spelling stored and
/// parsed (`1405-03-02`); anything else comes back as typed, for the parse to refuse.
pub fn typed_jalali(typed: &str) -> String {
    padded(&ascii_digits(typed.trim()).replace('/', "-"))
}

/// `1405-3-2` as `1405-03-02`; anything else unchanged (the parse judges it).
fn padded(text: &str) -> String {
    match text.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] if !m.is_empty() && !d.is_empty() && m.len() <= 2 && d.len() <= 2 => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => text.to_string(),
    }
}

/// Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII.
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => shift(c, 0x06F0),
            '\u{0660}'..='\u{0669}' => shift(c, 0x0660),
            _ => c,
        })
        .collect()
}

fn shift(c: char, zero: u32) -> char {
    char::from_u32(u32::from(c) - zero + u32::from('0')).unwrap_or(c)
}
