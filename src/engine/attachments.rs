//! Files named by commands: a submission's attachments and a case's (a resolution's
//! `params.attachments`, and its meeting's `params.adopted_in_meeting.attachments`). Each
//! named file must have been uploaded; the event then records it with its size and type.
//! Who may read a file follows from what names it: a submission's file, whoever may see the
//! task; a case's file, whoever may see the case; a file nothing names, its uploaders only.

use serde_json::{Map, Value};

use super::{Engine, EngineError};
use crate::domain::{Actor, Attachment, AttachmentRef, DomainError, Role, check_refs};
use crate::files::{FileMeta, Files};

/// Where a case's parameters carry attachment lists (JSON Pointers into `params`).
pub const CASE_ATTACHMENT_LISTS: [&str; 2] = ["/attachments", "/adopted_in_meeting/attachments"];

impl Engine {
    pub fn files(&self) -> Files {
        Files::new(self.documents.database().clone())
    }

    /// Checks each reference and finds its file; `what` names the list in a refusal. The
    /// actor must be able to read each file (its uploader, or a reader of what names it):
    /// knowing a hash is not enough to attach, and so to read, someone else's file.
    pub async fn attachments_of(
        &self,
        actor: &Actor,
        what: &str,
        refs: Vec<AttachmentRef>,
    ) -> Result<Vec<Attachment>, EngineError> {
        check_refs(what, &refs)?;
        let mut attachments = Vec::with_capacity(refs.len());
        for (index, reference) in refs.into_iter().enumerate() {
            let Some((meta, _)) = self.readable_file(actor, &reference.sha256).await? else {
                return Err(DomainError::Invalid(format!(
                    "{what}/{index}: no file with sha256 {} was uploaded (POST /v1/files first)",
                    reference.sha256
                ))
                .into());
            };
            attachments.push(reference.attach(meta.size as u64, &meta.content_type));
        }
        Ok(attachments)
    }

    /// Checks the attachment lists of a case's parameters and writes each entry back with
    /// its file's size and type, so the `CaseOpened` event records them.
    pub(super) async fn record_case_attachments(
        &self,
        actor: &Actor,
        params: &mut Value,
    ) -> Result<(), EngineError> {
        for pointer in CASE_ATTACHMENT_LISTS {
            let Some(list) = params.pointer_mut(pointer) else {
                continue;
            };
            let what = format!("params{pointer}");
            let (refs, stated) = parse_list(&what, list)?;
            let attachments = self.attachments_of(actor, &what, refs).await?;
            for (index, (attachment, stated)) in attachments.iter().zip(stated).enumerate() {
                check_stated(&what, index, attachment, stated)?;
            }
            *list =
                serde_json::to_value(&attachments).map_err(|e| EngineError::Internal(e.into()))?;
        }
        Ok(())
    }

    /// The file and the name it goes by for `actor`, if `actor` may read it.
    pub async fn readable_file(
        &self,
        actor: &Actor,
        sha256: &str,
    ) -> Result<Option<(FileMeta, String)>, EngineError> {
        let files = self.files();
        let Some(meta) = files.meta(sha256).await? else {
            return Ok(None);
        };
        if let Some(name) = files.uploaded_as(sha256, &actor.member_id).await? {
            return Ok(Some((meta, name)));
        }
        for (kind, doc) in files.naming_documents(sha256).await? {
            let Ok(mut doc) = serde_json::from_str::<Value>(&doc) else {
                continue;
            };
            if kind == "case" {
                // A case's agencies include those of its tasks, stored apart.
                let joined = super::case_documents(&self.documents, vec![doc]).await?;
                doc = joined.into_iter().next().unwrap_or_default();
            }
            let (named, visible) = match kind.as_str() {
                "task" => (named_by_task(&doc, sha256), task_visible(actor, &doc)),
                _ => (named_by_case(&doc, sha256), case_visible(actor, &doc)),
            };
            let Some(name) = named else { continue };
            if visible || (kind == "case" && self.sees_a_child(actor, &doc).await?) {
                return Ok(Some((meta, name)));
            }
        }
        Ok(None)
    }

    /// Whether `actor` sees a case that `case` ordered: the agencies working on what a
    /// resolution ordered read the resolution's text on their task pages, and its files.
    async fn sees_a_child(&self, actor: &Actor, case: &Value) -> Result<bool, EngineError> {
        let children = case["children"].as_array().map_or(&[][..], Vec::as_slice);
        for child in children.iter().filter_map(Value::as_str) {
            let doc = super::case_document(&self.documents, child).await?;
            if doc.is_some_and(|d| case_visible(actor, &d)) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// A list as sent: the references, and the size and type a caller stated for each (an
/// approved resolution hands its recorded entries on, sizes included).
type Stated = (Option<u64>, Option<String>);

fn parse_list(what: &str, list: &Value) -> Result<(Vec<AttachmentRef>, Vec<Stated>), EngineError> {
    let invalid = |detail: String| EngineError::from(DomainError::Invalid(detail));
    let entries = list
        .as_array()
        .ok_or_else(|| invalid(format!("{what} must be a list of {{sha256, filename, …}}")))?;
    crate::domain::check_count(what, entries.len())?;
    let mut refs = Vec::with_capacity(entries.len());
    let mut stated = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let mut fields: Map<String, Value> = entry
            .as_object()
            .cloned()
            .ok_or_else(|| invalid(format!("{what}/{index} must be an object")))?;
        let size = fields.remove("size").and_then(|s| s.as_u64());
        let content_type = fields
            .remove("content_type")
            .and_then(|t| t.as_str().map(str::to_string));
        let reference = serde_json::from_value(Value::Object(fields))
            .map_err(|e| invalid(format!("{what}/{index}: {e}")))?;
        refs.push(reference);
        stated.push((size, content_type));
    }
    Ok((refs, stated))
}

fn check_stated(
    what: &str,
    index: usize,
    file: &Attachment,
    stated: Stated,
) -> Result<(), EngineError> {
    let (size, content_type) = stated;
    if size.is_some_and(|s| s != file.size) || content_type.is_some_and(|t| t != file.content_type)
    {
        return Err(DomainError::Invalid(format!(
            "{what}/{index}: the size or type given differs from the stored file's ({} bytes, {})",
            file.size, file.content_type
        ))
        .into());
    }
    Ok(())
}

fn is_staff(actor: &Actor) -> bool {
    [Role::Admin, Role::Secretariat, Role::Auditor]
        .iter()
        .any(|r| actor.has(*r))
}

/// As `GET /v1/tasks/{id}`: staff, the task's agency, or its assignee.
fn task_visible(actor: &Actor, task: &Value) -> bool {
    is_staff(actor)
        || task["agency"].as_str().is_some_and(|a| actor.is_of(a))
        || task["assignee"] == actor.member_id.as_str()
}

/// As `GET /v1/cases/{id}`: staff, a participant, or an agency one of its tasks went to.
fn case_visible(actor: &Actor, case: &Value) -> bool {
    let Some(agency) = actor.agency.as_deref() else {
        return is_staff(actor);
    };
    let among = |list: &Value, pick: fn(&Value) -> Option<&str>| {
        list.as_array()
            .is_some_and(|items| items.iter().any(|i| pick(i) == Some(agency)))
    };
    is_staff(actor)
        || among(&case["participants"], Value::as_str)
        || among(&case["tasks"], |t| t["agency"].as_str())
}

fn name_in(list: &Value, sha256: &str) -> Option<String> {
    list.as_array()?
        .iter()
        .find(|a| a["sha256"] == sha256)
        .and_then(|a| a["filename"].as_str().map(str::to_string))
}

fn named_by_task(task: &Value, sha256: &str) -> Option<String> {
    task["submissions"]
        .as_array()?
        .iter()
        .find_map(|s| name_in(&s["attachments"], sha256))
}

fn named_by_case(case: &Value, sha256: &str) -> Option<String> {
    let params = &case["params"];
    CASE_ATTACHMENT_LISTS
        .iter()
        .find_map(|pointer| name_in(params.pointer(pointer)?, sha256))
}
