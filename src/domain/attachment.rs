//! Files a submission or a resolution carries: a signed letter as PDF or image, with the
//! official letter number and Jalali date. A request names an uploaded file by its SHA-256
//! ([`AttachmentRef`]); the event records it with its size and type ([`Attachment`]), so
//! the hash chain covers the file while its bytes stay in the `files` table.

use serde::{Deserialize, Serialize};

use super::command::DomainError;
use crate::calendar::JalaliDate;

/// The most files one submission, or one list of a resolution, may carry.
pub const MAX_ATTACHMENTS: usize = 5;

/// The longest letter number accepted (characters), e.g. «۱۲۳۴/ص/۱۴۰۵».
pub const MAX_LETTER_NO_CHARS: usize = 100;

/// How a request names an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// The hex SHA-256 `POST /v1/files` answered with.
    pub sha256: String,
    /// The name to show for it here.
    pub filename: String,
    /// The official letter's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_no: Option<String>,
    /// The official letter's date, `YYYY-MM-DD` (Jalali).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_date_jalali: Option<String>,
}

/// A file as an event records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attachment {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub filename: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_date_jalali: Option<String>,
}

impl AttachmentRef {
    /// The recorded form, with the size and type of the stored file it names.
    pub fn attach(self, size: u64, content_type: &str) -> Attachment {
        Attachment {
            sha256: self.sha256,
            size,
            content_type: content_type.to_string(),
            filename: self.filename,
            letter_no: self.letter_no,
            letter_date_jalali: self.letter_date_jalali,
        }
    }

    /// What is wrong with this reference on its own (the file's existence aside).
    fn problem(&self) -> Option<String> {
        if !crate::files::is_sha256(&self.sha256) {
            return Some(format!(
                "sha256 {:?} is not 64 lowercase hex digits",
                self.sha256
            ));
        }
        if let Err(why) = crate::files::check_filename(&self.filename) {
            return Some(why);
        }
        if let Some(number) = &self.letter_no {
            let length = number.chars().count();
            if number.trim().is_empty() || length > MAX_LETTER_NO_CHARS {
                return Some(format!(
                    "letter_no must be 1 to {MAX_LETTER_NO_CHARS} characters"
                ));
            }
            if number.chars().any(char::is_control) {
                return Some("letter_no contains a control character".into());
            }
        }
        let date = self.letter_date_jalali.as_deref()?;
        date.parse::<JalaliDate>()
            .err()
            .map(|e| format!("letter_date_jalali {date:?}: {e}"))
    }
}

/// A list of references: at most [`MAX_ATTACHMENTS`], each well formed, none twice. The
/// refusal names the list (`what`) and the entry.
pub fn check_refs(what: &str, refs: &[AttachmentRef]) -> Result<(), DomainError> {
    check_count(what, refs.len())?;
    for (index, reference) in refs.iter().enumerate() {
        if let Some(problem) = reference.problem() {
            return Err(DomainError::Invalid(format!("{what}/{index}: {problem}")));
        }
        if refs[..index].iter().any(|r| r.sha256 == reference.sha256) {
            return Err(DomainError::Invalid(format!(
                "{what}/{index}: the file {} is attached twice",
                reference.sha256
            )));
        }
    }
    Ok(())
}

/// At most [`MAX_ATTACHMENTS`] files in one list.
pub fn check_count(what: &str, count: usize) -> Result<(), DomainError> {
    if count > MAX_ATTACHMENTS {
        return Err(DomainError::Invalid(format!(
            "{what}: {count} files; at most {MAX_ATTACHMENTS} may be attached"
        )));
    }
    Ok(())
}
