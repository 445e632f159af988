//! The markup of attachments: a submission's files as download links (on the task and the
//! review pages), and, inside the task's form, the files chosen for the next submission with
//! the inputs that add more. Pure: lists in, markup out.

use maud::{Markup, html};

use crate::domain::{Attachment, AttachmentRef, MAX_ATTACHMENTS};
use crate::web::format::{bdi, digits, number};
use crate::web::i18n::Locale;

/// The hidden field carrying the files chosen so far (JSON), posted with every button.
pub const PENDING_FIELD: &str = "attachments";

fn letter(locale: Locale, number_text: Option<&str>, date: Option<&str>) -> Markup {
    html! {
        @if let Some(number_text) = number_text {
            " · " (locale.pick("نامه شماره ", "letter no. ")) (bdi(number_text))
        }
        @if let Some(date) = date {
            " · " (locale.pick("تاریخ ", "dated ")) (digits(locale, &date.replace('-', "/")))
        }
    }
}

fn size_text(locale: Locale, size: u64) -> String {
    let kb = size.div_ceil(1024);
    format!("{} {}", number(locale, kb), locale.pick("کیلوبایت", "KB"))
}

/// The files a case's parameters carry (a resolution's, its meeting's), as recorded.
pub fn files_in_params(params: &serde_json::Value) -> Vec<Attachment> {
    crate::engine::CASE_ATTACHMENT_LISTS
        .iter()
        .filter_map(|pointer| params.pointer(pointer))
        .flat_map(|list| {
            serde_json::from_value::<Vec<Attachment>>(list.clone()).unwrap_or_default()
        })
        .collect()
}

/// Whose files a list shows (its heading).
#[derive(Debug, Clone, Copy)]
pub enum FilesOf {
    Submission,
    Resolution,
}

/// Files, each a link to its bytes, with its size and letter.
pub fn file_list(locale: Locale, of: FilesOf, files: &[Attachment]) -> Markup {
    if files.is_empty() {
        return html! {};
    }
    let heading = match of {
        FilesOf::Submission => locale.pick("پیوست‌های ارسال", "Attachments of the submission"),
        FilesOf::Resolution => locale.pick("پیوست‌های مصوبه", "Attachments of the resolution"),
    };
    html! {
        section.attachments aria-label=(heading) {
            h3 { (heading) }
            ul.files {
                @for file in files {
                    li {
                        a href={ "/files/" (file.sha256) } download=(file.filename) { (bdi(&file.filename)) }
                        " (" (size_text(locale, file.size)) ")"
                        (letter(locale, file.letter_no.as_deref(), file.letter_date_jalali.as_deref()))
                    }
                }
            }
        }
    }
}

/// Inside the task's form: the files chosen for this submission (each removable), and the
/// inputs to add more. Its buttons post the whole form, typed data included, as
/// `multipart/form-data` to `attach_action`, so nothing typed is lost.
pub fn pending_fieldset(
    locale: Locale,
    attach_action: &str,
    pending: &[AttachmentRef],
    max_bytes: usize,
) -> Markup {
    let json = serde_json::to_string(pending).unwrap_or_else(|_| "[]".into());
    let megabytes = max_bytes / (1024 * 1024);
    html! {
        fieldset.attachments #attachments {
            legend { (locale.pick("پیوست‌ها (نامه رسمی و مستندات)", "Attachments (the official letter and documents)")) }
            input type="hidden" name=(PENDING_FIELD) value=(json);
            @if !pending.is_empty() {
                ul.files.pending {
                    @for file in pending {
                        li {
                            a href={ "/files/" (file.sha256) } download=(file.filename) { (bdi(&file.filename)) }
                            (letter(locale, file.letter_no.as_deref(), file.letter_date_jalali.as_deref()))
                            " "
                            button.link type="submit" name="detach" value=(file.sha256) formaction=(attach_action)
                                formenctype="multipart/form-data" formmethod="post"
                                aria-label={ (locale.pick("حذف ", "Remove ")) (file.filename) } {
                                (locale.pick("حذف", "Remove"))
                            }
                        }
                    }
                }
            }
            p.help #attach-help {
                (locale.pick("PDF، PNG یا JPEG؛ هر پرونده تا ", "PDF, PNG or JPEG; each file up to "))
                (number(locale, megabytes)) (locale.pick(" مگابایت؛ حداکثر ", " MB; at most "))
                (number(locale, MAX_ATTACHMENTS)) (locale.pick(" پرونده در هر ارسال.", " files per submission."))
            }
            label for="attach-files" { (locale.pick("پرونده‌ها", "Files")) }
            input #attach-files type="file" name="files" multiple accept=".pdf,.png,.jpg,.jpeg" aria-describedby="attach-help";
            label for="letter-no" { (locale.pick("شماره نامه", "Letter number")) }
            input #letter-no type="text" name="letter_no" maxlength="100";
            label for="letter-date" { (locale.pick("تاریخ نامه (۱۴۰۵/۰۹/۳۰)", "Letter date (1405/09/30)")) }
            input #letter-date type="text" name="letter_date" dir="ltr" inputmode="numeric" placeholder="۱۴۰۵/۰۹/۳۰";
            button.secondary type="submit" name="attach" value="1" formaction=(attach_action)
                formenctype="multipart/form-data" formmethod="post" {
                (locale.pick("افزودن پیوست", "Attach"))
            }
        }
    }
}
