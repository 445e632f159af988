//! Opening a case from a form: a resolution put to the members' vote (its text, and the case
//! that opens on approval with its participants), or a case of any workflow opened directly.
//! This file reads the posted fields into the engine's [`OpenCase`] — the same request
//! `POST /v1/cases` makes — and places the engine's refusals at the fields they concern.
//! The engine decides; nothing here adds a rule.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::engine::{OpenCase, ParticipantsInput};

pub use meeting::MeetingFields;
use meeting::missing_meeting_fields;

/// The workflow a resolution is put to the vote with (workflows/resolution-approval.yaml).
pub const RESOLUTION_WORKFLOW: &str = "resolution-approval";

/// What the form holds, as typed: re-shown whole when the engine refuses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCaseForm {
    pub title: String,
    pub text: String,
    /// «همه دستگاه‌های عضو خوشه»: every agency of the cluster takes part.
    pub everyone: bool,
    /// The agencies ticked, when not everyone.
    pub agencies: Vec<String>,
    /// The workflow that opens on approval, or the case's own when opened directly.
    pub workflow: String,
    /// Open the case directly, without a resolution and its vote.
    pub direct: bool,
    /// The meeting that adopted the resolution, as typed (all empty: put to the vote).
    pub meeting: MeetingFields,
    /// The deadline the resolution sets for the cases it opens: `""` (the workflow's own),
    /// `end_of_month`, `end_of_year` or `on` (the Jalali day in `due_on`).
    pub due: String,
    pub due_on: String,
}

/// The form's field names, shared by the markup and the reader.
pub mod field {
    pub const TITLE: &str = "title";
    pub const TEXT: &str = "text";
    pub const PARTICIPANTS: &str = "participants";
    pub const AGENCY: &str = "agency";
    pub const WORKFLOW: &str = "workflow";
    pub const DIRECT: &str = "direct";
    pub const MEETING_NO: &str = "meeting_no";
    pub const MEETING_DATE: &str = "meeting_date";
    pub const RESOLUTION_NO: &str = "resolution_no";
    pub const MINUTES: &str = "minutes";
    pub const DUE: &str = "due";
    pub const DUE_ON: &str = "due_on";
}

impl NewCaseForm {
    /// A blank form: everyone takes part, nothing typed yet.
    pub fn blank() -> Self {
        NewCaseForm {
            everyone: true,
            ..Default::default()
        }
    }

    /// The posted fields (repeated `agency` fields for the agencies ticked).
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut form = NewCaseForm::default();
        for (name, value) in fields {
            match name.as_str() {
                field::TITLE => form.title.clone_from(value),
                field::TEXT => form.text.clone_from(value),
                field::PARTICIPANTS => form.everyone = value == "all",
                field::AGENCY if !value.trim().is_empty() => {
                    form.agencies.push(value.trim().to_string());
                }
                field::WORKFLOW => form.workflow = value.trim().to_string(),
                field::DIRECT => form.direct = value == "on" || value == "true",
                field::MEETING_NO => form.meeting.number.clone_from(value),
                field::MEETING_DATE => form.meeting.date.clone_from(value),
                field::RESOLUTION_NO => form.meeting.resolution_no.clone_from(value),
                field::MINUTES => form.meeting.minutes.clone_from(value),
                field::DUE => form.due = value.trim().to_string(),
                field::DUE_ON => form.due_on.clone_from(value),
                _ => {}
            }
        }
        form
    }

    fn participants(&self) -> ParticipantsInput {
        if self.everyone {
            ParticipantsInput::All("all".into())
        } else {
            ParticipantsInput::List(self.agencies.clone())
        }
    }

    /// The engine's request: a resolution whose approval opens `workflow` for the chosen
    /// agencies, or, `direct`, that case itself.
    pub fn open_case(&self) -> OpenCase {
        let participants = self.participants();
        let mut ordered = json!({});
        if let Some(due) = self.due_rule() {
            ordered["due"] = due;
        }
        if self.direct {
            return OpenCase {
                workflow: self.workflow.clone(),
                title: self.title.clone(),
                participants: Some(participants),
                params: ordered,
                parent_case: None,
                case_id: None,
            };
        }
        let participants = match participants {
            ParticipantsInput::All(all) => Value::String(all),
            ParticipantsInput::List(codes) => json!(codes),
        };
        let mut order = json!({"workflow": self.workflow, "participants": participants});
        if ordered.as_object().is_some_and(|o| !o.is_empty()) {
            order["params"] = ordered;
        }
        let mut params = json!({"text": self.text, "on_approval": order});
        if self.meeting.is_filled() {
            params["adopted_in_meeting"] = self.meeting.params();
        }
        OpenCase {
            workflow: RESOLUTION_WORKFLOW.into(),
            title: self.title.clone(),
            participants: None,
            params,
            parent_case: None,
            case_id: None,
        }
    }

    /// The due rule chosen for the cases that open, if any.
    fn due_rule(&self) -> Option<Value> {
        match self.due.as_str() {
            "end_of_month" => Some(json!({"end_of": "jalali_month"})),
            "end_of_year" => Some(json!({"end_of": "jalali_year"})),
            "on" => Some(json!({"on": crate::domain::typed_jalali(&self.due_on)})),
            _ => None,
        }
    }
}

/// Messages shown at the fields, by field name; `""` is the form as a whole.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// What the form itself can tell before asking the engine: it was filled in and the
/// choices it offered were taken. (Whether a title is short enough, an agency registered, a workflow known, is the
/// engine's to say; see [`place_refusal`].)
pub fn incomplete(
    form: &NewCaseForm,
    pick: impl Fn(&'static str, &'static str) -> String,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if form.title.trim().is_empty() {
        errors.insert(field::TITLE, pick("عنوان را بنویسید.", "Write a title."));
    }
    if form.workflow.is_empty() {
        errors.insert(
            field::WORKFLOW,
            pick("کاری را که آغاز می‌شود برگزینید.", "Choose what opens."),
        );
    }
    if !form.everyone && form.agencies.is_empty() {
        errors.insert(
            field::PARTICIPANTS,
            pick(
                "دست‌کم یک دستگاه را برگزینید، یا «همه دستگاه‌های عضو خوشه» را.",
                "Tick at least one agency, or «all agencies».",
            ),
        );
    }
    if !form.direct && form.meeting.is_filled() {
        errors.extend(missing_meeting_fields(&form.meeting, &pick));
    }
    if form.due == "on" && form.due_on.trim().is_empty() {
        errors.insert(
            field::DUE_ON,
            pick(
                "روز مهلت را بنویسید (۱۴۰۵/۱۰/۱۵).",
                "Write the deadline's day (1405/10/15).",
            ),
        );
    }
    if !form.direct && form.text.trim().is_empty() {
        errors.insert(
            field::TEXT,
            pick("متن مصوبه را بنویسید.", "Write the resolution's text."),
        );
    }
    errors
}

/// The field an engine refusal concerns, judged by what its message names; anything else
/// belongs to the form as a whole (shown in the summary at the top).
pub fn place_refusal(message: &str) -> &'static str {
    let lower = message.to_lowercase();
    let meeting = [
        ("meeting_no", field::MEETING_NO),
        ("meeting_date_jalali", field::MEETING_DATE),
        ("resolution_no", field::RESOLUTION_NO),
        ("minutes", field::MINUTES),
        ("params.due", field::DUE),
    ];
    if let Some((_, name)) = meeting.iter().find(|(key, _)| lower.contains(key)) {
        return name;
    }
    if lower.starts_with("title") {
        field::TITLE
    } else if lower.contains("agency") || lower.contains("participant") {
        field::PARTICIPANTS
    } else if lower.contains("workflow") {
        field::WORKFLOW
    } else {
        ""
    }
}

mod meeting;
#[cfg(test)]
mod tests;
