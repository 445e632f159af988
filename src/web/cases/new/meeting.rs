//! The new-resolution form's meeting fields as typed, and what the form itself can tell of
//! them before the engine judges them: a meeting is typed whole or not at all.

use serde_json::{Value, json};

use super::{FieldErrors, field};

/// The "adopted in meeting" fieldset, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFields {
    pub number: String,
    pub date: String,
    pub resolution_no: String,
    pub minutes: String,
}

impl MeetingFields {
    /// Anything typed: the resolution was adopted in a meeting, not put to the vote.
    pub fn is_filled(&self) -> bool {
        [&self.number, &self.date, &self.resolution_no, &self.minutes]
            .iter()
            .any(|f| !f.trim().is_empty())
    }

    /// `params.adopted_in_meeting`, as the API takes it (the engine checks it).
    pub(super) fn params(&self) -> Value {
        json!({
            "meeting_no": self.number.trim(),
            "meeting_date_jalali": self.date.trim(),
            "resolution_no": self.resolution_no.trim(),
            "minutes": self.minutes.trim(),
        })
    }
}

/// A meeting record is typed whole: each of its fields it lacks.
pub(super) fn missing_meeting_fields(
    meeting: &MeetingFields,
    pick: &impl Fn(&'static str, &'static str) -> String,
) -> FieldErrors {
    let fields = [
        (
            field::MEETING_NO,
            &meeting.number,
            pick("شماره جلسه را بنویسید.", "Write the meeting's number."),
        ),
        (
            field::MEETING_DATE,
            &meeting.date,
            pick(
                "تاریخ جلسه را بنویسید (۱۴۰۵/۰۳/۰۲).",
                "Write the meeting's date (1405/03/02).",
            ),
        ),
        (
            field::RESOLUTION_NO,
            &meeting.resolution_no,
            pick("شماره مصوبه را بنویسید.", "Write the resolution's number."),
        ),
        (
            field::MINUTES,
            &meeting.minutes,
            pick("متن صورت‌جلسه را بنویسید.", "Write the minutes."),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, typed, _)| typed.trim().is_empty())
        .map(|(name, _, message)| (name, message))
        .collect()
}
