//! Opening a case from a form: a resolution put to the members' vote (its text, and the case
//! that opens on approval with its participants), or a case of any workflow opened directly.
//! This file reads the posted fields into the engine's [`OpenCase`] — the same request
//! `POST /v1/cases` makes — and places the engine's refusals at the fields they concern.
//! The engine decides; nothing here adds a rule.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::engine::{OpenCase, ParticipantsInput};

/// The workflow a resolution is put to the vote with (workflows/resolution-approval.yaml).
pub const RESOLUTION_WORKFLOW: &str = "resolution-approval";

/// What the form holds, as typed: re-shown whole when the engine refuses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCaseForm {
    pub title: String,
    pub text: String,
    /// «همه دستگاه‌ها»: every registered agency takes part.
    pub everyone: bool,
    /// The agencies ticked, when not everyone.
    pub agencies: Vec<String>,
    /// The workflow that opens on approval, or the case's own when opened directly.
    pub workflow: String,
    /// Open the case directly, without a resolution and its vote.
    pub direct: bool,
}

/// The form's field names, shared by the markup and the reader.
pub mod field {
    pub const TITLE: &str = "title";
    pub const TEXT: &str = "text";
    pub const PARTICIPANTS: &str = "participants";
    pub const AGENCY: &str = "agency";
    pub const WORKFLOW: &str = "workflow";
    pub const DIRECT: &str = "direct";
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
        if self.direct {
            return OpenCase {
                workflow: self.workflow.clone(),
                title: self.title.clone(),
                participants: Some(participants),
                params: json!({}),
                parent_case: None,
                case_id: None,
            };
        }
        let participants = match participants {
            ParticipantsInput::All(all) => Value::String(all),
            ParticipantsInput::List(codes) => json!(codes),
        };
        OpenCase {
            workflow: RESOLUTION_WORKFLOW.into(),
            title: self.title.clone(),
            participants: None,
            params: json!({
                "text": self.text,
                "on_approval": {"workflow": self.workflow, "participants": participants},
            }),
            parent_case: None,
            case_id: None,
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
                "دست‌کم یک دستگاه را برگزینید، یا «همه دستگاه‌ها» را.",
                "Tick at least one agency, or «all agencies».",
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

#[cfg(test)]
mod tests;
