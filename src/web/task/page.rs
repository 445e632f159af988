//! The task page's markup, from a [`TaskPage`] the handler fills: the case and its
//! resolution, the due date, the task's history, and then the form (or the vote). Pure.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::attachments::FilesOf;
use super::history::{HistoryItem, history_list};
use crate::web::form::{self, AgencyOption, FieldError, FormContext};
use crate::web::format::{Remaining, bdi, clock_time, date, number};
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

/// The task's read model (`GET /v1/tasks/{id}`), the fields the page shows.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskDoc {
    pub id: String,
    pub case: String,
    pub agency: Option<String>,
    pub assignee: Option<String>,
    pub status: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub due_at: Option<DateTime<Utc>>,
    /// Where the rule put the deadline, when that was a day off and it rolled.
    #[serde(default)]
    pub due_nominal_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub due_moved: Option<super::due::DueMovedDoc>,
    #[serde(default)]
    pub escalation_level: u32,
    pub version: i64,
    #[serde(default)]
    pub submissions: Vec<SubmissionDoc>,
    pub vote: Option<String>,
    /// Who cast the vote for the agency.
    #[serde(default)]
    pub voted_by: Option<String>,
    /// The role that acts on the task (for a vote: the voters' role).
    #[serde(default)]
    pub role: String,
    /// The form's key: an inventory's task links to its case's exchange matrix.
    #[serde(default)]
    pub form: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubmissionDoc {
    pub number: u32,
    pub data: Value,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub attachments: Vec<crate::domain::Attachment>,
}

impl TaskDoc {
    /// Whether a submission may be made now: a form task, open or returned.
    pub fn accepts_submission(&self) -> bool {
        self.kind == "submission" && matches!(self.status.as_str(), "open" | "returned")
    }
}

/// What the page below the case's facts holds.
pub enum Body<'a> {
    Form {
        schema: &'a Value,
        data: &'a Value,
        errors: &'a [FieldError],
        agencies: &'a [AgencyOption],
        /// The viewer may save and submit (their agency's open or returned task).
        editable: bool,
        draft_saved_at: Option<DateTime<Utc>>,
        /// The files chosen for the next submission.
        pending: &'a [crate::domain::AttachmentRef],
        attachment_max_bytes: usize,
    },
    Vote {
        editable: bool,
        /// The name of the member who cast the agency's vote, once cast.
        voter: Option<String>,
    },
    Nothing,
}

pub struct TaskPage<'a> {
    pub viewer: &'a Viewer,
    pub task: &'a TaskDoc,
    pub case_title: &'a str,
    pub resolution: Option<&'a str>,
    /// The files the resolution (or the meeting that adopted it) carries.
    pub resolution_files: &'a [crate::domain::Attachment],
    pub agency_name: Option<&'a str>,
    /// What made the nominal due day a day off (see [`super::due::day_off_text`]).
    pub nominal_day_off: Option<&'a str>,
    pub history: &'a [HistoryItem],
    /// On a confirmation task: the needs addressed to the task's agency.
    pub addressed: &'a [crate::reports::confirmations::AddressedNeed],
    /// Said at the top in a box: why the page came back (a conflict, a refusal).
    pub problem: Option<&'a str>,
    /// For an htmx update: the live region's new text (swapped out of band).
    pub announce: Option<&'a str>,
    pub body: Body<'a>,
}

pub fn task_page(view: &TaskPage) -> Markup {
    let locale = view.viewer.locale;
    let body = html! {
        @if let Some(text) = view.announce {
            div #live hx-swap-oob="true" role="status" aria-live="polite" { (text) }
        }
        @if let Some(problem) = view.problem {
            div.notice.problem role="alert" { (problem) }
        }
        (facts(view))
        (super::practice::actions(view))
        @if view.resolution.is_some() || !view.resolution_files.is_empty() {
            section.resolution aria-labelledby="resolution-title" {
                h2 #resolution-title { (locale.pick("متن مصوبه", "The resolution")) }
                @if let Some(text) = view.resolution {
                    blockquote { p { (text) } }
                }
                (super::attachments::file_list(locale, FilesOf::Resolution, view.resolution_files))
            }
        }
        (history_list(locale, view.history))
        @if !view.addressed.is_empty() {
            (super::addressed::addressed_section(locale, view.addressed))
        }
        @match &view.body {
            Body::Form { .. } => (form_section(view)),
            Body::Vote { editable, voter } => (super::vote::vote_section(view, *editable, voter.as_deref())),
            Body::Nothing => {}
        }
    };
    page(view.viewer, view.case_title, body)
}

fn status_text(locale: Locale, status: &str) -> &'static str {
    match status {
        "open" => locale.pick("باز", "open"),
        "submitted" => locale.pick("ارسال‌شده، در انتظار بررسی", "submitted, awaiting review"),
        "returned" => locale.pick("بازگردانده برای اصلاح", "returned for changes"),
        "accepted" => locale.pick("پذیرفته", "accepted"),
        "voted" => locale.pick("رأی داده شد", "voted"),
        "expired" => locale.pick("مهلت رأی گذشت", "expired"),
        "cancelled" => locale.pick("لغوشده", "cancelled"),
        _ => locale.pick("نامعلوم", "unknown"),
    }
}

fn facts(view: &TaskPage) -> Markup {
    let locale = view.viewer.locale;
    let task = view.task;
    let remaining = task
        .due_at
        .map(|due| Remaining::between(due, view.viewer.now));
    html! {
        dl.facts {
            dt { (locale.pick("وضعیت", "Status")) }
            dd { span.chip.(format!("status-{}", task.status)) { (status_text(locale, &task.status)) } }
            @if let Some(agency) = &task.agency {
                dt { (locale.pick("دستگاه", "Agency")) }
                dd { (bdi(agency)) @if let Some(name) = view.agency_name { " — " (name) } }
            }
            @if let (Some(due), Some(remaining)) = (task.due_at, remaining) {
                dt { (locale.pick("مهلت", "Due")) }
                dd {
                    (date(locale, due)) " "
                    span.badge.overdue[remaining.is_overdue()] { "(" (remaining.text(locale)) ")" }
                    @if task.escalation_level > 0 {
                        " " span.badge.escalated {
                            (locale.pick("سطح پیگیری ", "escalation level ")) (number(locale, task.escalation_level))
                        }
                    }
                    (super::due::due_note(locale, task, view.nominal_day_off))
                }
            }
            dt { (locale.pick("پرونده", "Case")) }
            dd { a href={ "/cases/" (task.case) } { (locale.pick("جدول وضعیت همه دستگاه‌ها", "Every agency's status")) } }
            @if task.form.as_deref() == Some(crate::reports::INVENTORY_FORM) {
                dt { (locale.pick("جدول تبادل", "Exchange matrix")) }
                dd { a href={ "/cases/" (task.case) "/matrix" } { (locale.pick("نیازها و عرضه‌های برآورده و برآورده‌نشده", "Needs and offers, met and not met")) } }
            }
        }
    }
}

fn form_section(view: &TaskPage) -> Markup {
    let Body::Form {
        schema,
        data,
        errors,
        agencies,
        editable,
        draft_saved_at,
        pending,
        attachment_max_bytes,
    } = &view.body
    else {
        return html! {};
    };
    let locale = view.viewer.locale;
    let action = format!("/tasks/{}", view.task.id);
    let ctx = FormContext {
        locale,
        agencies,
        action: &action,
    };
    let latest = view.task.submissions.last();
    html! {
        section.task-form aria-labelledby="form-title" {
            h2 #form-title { (locale.pick("فرم", "The form")) }
            @if let Some(submission) = latest {
                p.downloads {
                    a href=(format!("/tasks/{}/submission.json", view.task.id)) download {
                        (locale.pick("دریافت آخرین ارسال (JSON)", "Download the last submission (JSON)"))
                    }
                    " — " (locale.pick("ارسال ", "submission ")) (number(locale, submission.number)) "، " (date(locale, submission.at))
                }
                (super::attachments::file_list(locale, FilesOf::Submission, &submission.attachments))
            }
            @if *editable {
                form #task-form method="post" action=(action) novalidate data-warn-unsaved {
                    (csrf_field(view.viewer))
                    input type="hidden" name="version" value=(view.task.version);
                    // Enter in a field saves the draft: without this, the first button in
                    // the form (an array's "remove") would be the one pressed.
                    button.visually-hidden name="action" value="save" tabindex="-1" aria-hidden="true" { "save" }
                    (form::render(schema, data, errors, &ctx))
                    (super::attachments::pending_fieldset(locale, &format!("{action}/attachments"), pending, *attachment_max_bytes))
                    div.actions {
                        button.secondary name="action" value="save" { (locale.pick("ذخیره پیش‌نویس", "Save draft")) }
                        button.primary name="action" value="submit" { (locale.pick("ارسال", "Submit")) }
                        @if let Some(at) = draft_saved_at {
                            span.saved role="status" { (locale.pick("ذخیره شد ", "Saved ")) (clock_time(locale, *at)) }
                        }
                    }
                }
                (upload_form(view))
            } @else {
                p { (locale.pick("این کار اکنون پذیرای ارسال نیست؛ فرم فقط برای خواندن است.", "This task does not take a submission now; the form is read only.")) }
                details.read-only {
                    summary { (locale.pick("نمایش فرم", "Show the form")) }
                    fieldset.read-only disabled {
                        (form::render(schema, data, errors, &ctx))
                    }
                }
            }
        }
    }
}

/// Pasting a JSON document fills the form (it is not submitted until "Submit").
fn upload_form(view: &TaskPage) -> Markup {
    let locale = view.viewer.locale;
    html! {
        details.upload {
            summary { (locale.pick("پر کردن فرم از یک سند JSON", "Fill the form from a JSON document")) }
            form method="post" action=(format!("/tasks/{}/upload", view.task.id)) {
                (csrf_field(view.viewer))
                // Shown by daftar.js, which reads the chosen file into the text box below;
                // without scripts, pasting the text does the same.
                p.upload-file hidden {
                    label for="upload-file" { (locale.pick("یک پرونده JSON برگزینید:", "Choose a JSON file:")) }
                    " "
                    input #upload-file type="file" accept=".json,application/json" data-fills="upload-json";
                }
                label for="upload-json" { (locale.pick("یا متن JSON را اینجا بچسبانید:", "Or paste the JSON here:")) }
                textarea #upload-json name="json" rows="6" dir="ltr" {}
                button.secondary type="submit" { (locale.pick("پر کردن فرم", "Fill the form")) }
            }
        }
    }
}
