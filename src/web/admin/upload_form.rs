//! The upload form of the workflow and form pages: what it holds (kept when refused), the
//! checks on what it sent that the API's body gets too (size, UTF-8, a schema an object that
//! compiles offline), every problem of a refusal with its file and JSON Pointer, and the
//! form's markup.

use maud::{Markup, html};
use serde_json::Value;

use super::catalog::Kind;
use crate::forms::{FormError, FormRegistry};
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::csrf_field;
use crate::web::multipart::FilePart;
use crate::web::session::Viewer;
use crate::workflow::{DefinitionError, Format};

/// What the upload form held: kept when it is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadForm {
    /// The form's key (forms only; a workflow names its own).
    pub key: String,
    /// Pasted text, when no file was chosen.
    pub text: String,
}

/// One problem: where (a JSON Pointer, empty for the whole document) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

/// Why nothing was registered: the file (or "pasted text") and every problem in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub source: String,
    pub problems: Vec<Problem>,
}

impl Refusal {
    pub(super) fn whole(source: &str, message: impl Into<String>) -> Self {
        Refusal::at(source, "", message)
    }

    fn at(source: &str, pointer: &str, message: impl Into<String>) -> Self {
        Refusal {
            source: source.to_string(),
            problems: vec![Problem {
                pointer: pointer.to_string(),
                message: message.into(),
            }],
        }
    }
}

impl From<DefinitionError> for Refusal {
    fn from(error: DefinitionError) -> Self {
        Refusal {
            source: error.source,
            problems: error
                .issues
                .iter()
                .map(|issue| Problem {
                    pointer: issue.pointer.clone(),
                    message: issue.message(),
                })
                .collect(),
        }
    }
}

/// A form schema's refusal, each meta-schema violation at its own pointer.
pub fn form_refusal(source: &str, error: FormError) -> Refusal {
    match error {
        FormError::NotASchema { problems, .. } => Refusal {
            source: source.to_string(),
            problems: problems
                .into_iter()
                .map(|p| Problem {
                    pointer: p.instance_path,
                    message: p.message,
                })
                .collect(),
        },
        FormError::UnsupportedDraft { .. } => Refusal::at(source, "/$schema", error.to_string()),
        other => Refusal::whole(source, other.to_string()),
    }
}

/// The text sent, named as errors name it: the file's name, or "pasted text". Checked as
/// the API's body is: at most `limit` bytes, UTF-8.
pub fn upload_text(
    locale: Locale,
    form: &UploadForm,
    file: Option<&FilePart>,
    limit: usize,
) -> Result<(String, String), Refusal> {
    let (source, bytes) = match file {
        Some(file) => (file.filename.clone(), file.bytes.as_slice()),
        None => (
            locale.pick("متن واردشده", "pasted text").to_string(),
            form.text.as_bytes(),
        ),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::whole(
            &source,
            locale.pick(
                "پرونده‌ای برگزینید یا متن را در کادر بگذارید.",
                "Choose a file or paste the text in the box.",
            ),
        ));
    }
    if bytes.len() > limit {
        return Err(Refusal::whole(
            &source,
            format!(
                "{} {} {} {}",
                locale.pick("اندازه", "The size is"),
                number(locale, bytes.len()),
                locale.pick("بایت است؛ حد مجاز", "bytes; the limit is"),
                number(locale, limit),
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Refusal::whole(
            &source,
            format!(
                "not UTF-8 text (first invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    Ok((source, text.to_string()))
}

/// YAML unless the file is named `.json` or the pasted text is a JSON object.
pub fn format_for(file: Option<&FilePart>, text: &str) -> Format {
    match file {
        Some(file) => {
            crate::workflow::format_of(std::path::Path::new(&file.filename)).unwrap_or(Format::Yaml)
        }
        None if text.trim_start().starts_with('{') => Format::Json,
        None => Format::Yaml,
    }
}

/// The schema sent, checked as `PUT /v1/forms/{key}` checks it: JSON, an object, a valid
/// draft 2020-12 schema that compiles offline (no remote `$ref`).
pub fn checked_schema(source: &str, key: &str, text: &str) -> Result<Value, Refusal> {
    let schema: Value =
        serde_json::from_str(text).map_err(|e| Refusal::whole(source, format!("not JSON: {e}")))?;
    if !schema.is_object() {
        return Err(Refusal::whole(
            source,
            "a form's schema must be a JSON Schema object",
        ));
    }
    // A registry of its own: the schema's problems, each at its pointer, with nothing kept.
    FormRegistry::new()
        .register(key, schema.clone())
        .map_err(|e| form_refusal(source, e))?;
    Ok(schema)
}

/// Every problem of a refused upload, each with its file and pointer.
pub fn refusal_summary(locale: Locale, refusal: &Refusal) -> Markup {
    html! {
        div.error-summary #upload-errors role="alert" tabindex="-1" {
            h2 { (locale.pick("چیزی ثبت نشد", "Nothing was registered")) }
            p {
                (locale.pick("هر مشکل با نام پرونده، جای آن در متن (JSON Pointer، مانند ", "Each problem names the file, where in it (a JSON Pointer, e.g. "))
                code dir="ltr" { "/steps/0" }
                (locale.pick(" برای نخستین گام) و شرح آن آمده است. متن را درست کنید و دوباره بارگذاری کنید.", " for the first step) and what is wrong. Fix the text and upload it again."))
            }
            ul.problems {
                @for problem in &refusal.problems {
                    li {
                        bdi.source dir="ltr" { (refusal.source) }
                        @if !problem.pointer.is_empty() {
                            " " code.pointer dir="ltr" { (problem.pointer) }
                        }
                        " " span.message dir="ltr" { (problem.message) }
                    }
                }
            }
        }
    }
}

/// The upload form: a file, or the text pasted; a form's key for forms.
pub fn upload_panel(
    viewer: &Viewer,
    kind: Kind,
    typed: &UploadForm,
    refusal: Option<&Refusal>,
) -> Markup {
    let locale = viewer.locale;
    let (heading, help) = match kind {
        Kind::Workflow => (
            locale.pick(
                "بارگذاری نسخهٔ تازهٔ گردش‌کار",
                "Upload a new workflow version",
            ),
            locale.pick(
                "پرونده YAML یا JSON؛ کلید گردش‌کار از خود تعریف خوانده می‌شود.",
                "A YAML or JSON file; the workflow's key is read from the definition.",
            ),
        ),
        Kind::Form => (
            locale.pick("بارگذاری نسخهٔ تازهٔ فرم", "Upload a new form version"),
            locale.pick(
                "طرح‌وارهٔ JSON (پیش‌نویس 2020-12)؛ ارجاع بیرونی ($ref به نشانی دیگر) پذیرفته نیست.",
                "A JSON Schema (draft 2020-12); no $ref to anywhere else.",
            ),
        ),
    };
    html! {
        section.panel #upload aria-labelledby="upload-heading" {
            h2 #upload-heading { (heading) }
            @if let Some(refusal) = refusal { (refusal_summary(locale, refusal)) }
            p.help #upload-help { (help) }
            // The fragment brings a refused upload's problems into view.
            form method="post" action={ (kind.path()) "#upload" } enctype="multipart/form-data" {
                (csrf_field(viewer))
                @if kind == Kind::Form {
                    div.field {
                        label for="key" { (locale.pick("کلید فرم", "Form key")) span.required-mark aria-hidden="true" { "*" } }
                        input #key type="text" name="key" value=(typed.key) dir="ltr" autocomplete="off"
                            pattern="[a-z0-9]+(-[a-z0-9]+)*" required;
                    }
                }
                div.field {
                    label for="file" { (locale.pick("پرونده", "File")) }
                    input #file type="file" name="file" accept=".yaml,.yml,.json,application/json,application/yaml"
                        aria-describedby="upload-help";
                }
                div.field {
                    label for="text" { (locale.pick("یا متن را اینجا بگذارید", "Or paste the text here")) }
                    textarea #text name="text" rows="10" dir="ltr" spellcheck="false"
                        aria-invalid=[refusal.map(|_| "true")]
                        aria-describedby=[refusal.map(|_| "upload-errors")] { (typed.text) }
                }
                div.actions {
                    button.primary type="submit" { (locale.pick("بارگذاری", "Upload")) }
                }
            }
            p.muted { (locale.pick("هر تغییری نسخهٔ تازه‌ای می‌سازد؛ پرونده‌های باز روی نسخهٔ خود می‌مانند.", "Every change is a new version; open cases stay on theirs.")) }
        }
    }
}
