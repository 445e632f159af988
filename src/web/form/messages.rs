//! The validator's violations as messages for the person filling the form.
//!
//! The API's messages name keywords and patterns; a form says what to do, in the
//! person's language, at the field concerned. A missing required property is reported
//! by the validator at its parent object; here it moves to the property's own field.

use serde_json::Value;

use super::FieldError;
use super::schema::{escape, field_at};
use super::text::{self, Locale};
use crate::forms::SchemaViolation;

/// One message per violation, at the field it concerns.
pub fn violations_to_errors(
    schema: &Value,
    violations: &[SchemaViolation],
    lang: Locale,
) -> Vec<FieldError> {
    violations
        .iter()
        .map(|v| {
            let node = parent(&v.schema_path).and_then(|p| schema.pointer(p));
            match (v.keyword(), quoted(&v.message)) {
                ("required", Some(property)) => {
                    let pointer = format!("{}/{}", v.instance_path, escape(&property));
                    let known = field_at(schema, &pointer).is_some();
                    FieldError {
                        pointer: if known {
                            pointer
                        } else {
                            v.instance_path.clone()
                        },
                        message: required(lang, if known { "" } else { &property }),
                    }
                }
                (keyword, _) => FieldError {
                    pointer: v.instance_path.clone(),
                    message: message(keyword, node, schema, v, lang),
                },
            }
        })
        .collect()
}

fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(parent, _)| parent)
}

/// The first JSON string in a message (`"title" is a required property` → `title`).
fn quoted(message: &str) -> Option<String> {
    let start = message.find('"')?;
    let mut de = serde_json::Deserializer::from_str(&message[start..]).into_iter::<String>();
    de.next()?.ok()
}

fn required(lang: Locale, property: &str) -> String {
    match (lang, property.is_empty()) {
        (Locale::Fa, true) => "این بخش را پر کنید؛ الزامی است.".into(),
        (Locale::En, true) => "This is required.".into(),
        (Locale::Fa, false) => format!("«{property}» الزامی است."),
        (Locale::En, false) => format!("“{property}” is required."),
    }
}

fn message(
    keyword: &str,
    node: Option<&Value>,
    schema: &Value,
    violation: &SchemaViolation,
    lang: Locale,
) -> String {
    let limit = |k: &str| {
        let n = node
            .and_then(|n| n.get(k))
            .map(ToString::to_string)
            .unwrap_or_default();
        text::digits(&n, lang)
    };
    let fa = lang == Locale::Fa;
    match keyword {
        "minLength" if limit("minLength") == text::digits("1", lang) => pick(
            fa,
            "این بخش را خالی نگذارید.".into(),
            "Must not be empty.".into(),
        ),
        "minLength" => pick(
            fa,
            format!("دست‌کم {} نویسه بنویسید.", limit("minLength")),
            format!("At least {} characters.", limit("minLength")),
        ),
        "maxLength" => pick(
            fa,
            format!("حداکثر {} نویسه.", limit("maxLength")),
            format!("At most {} characters.", limit("maxLength")),
        ),
        "minimum" => pick(
            fa,
            format!("کمتر از {} نباشد.", limit("minimum")),
            format!("Must be at least {}.", limit("minimum")),
        ),
        "maximum" => pick(
            fa,
            format!("بیشتر از {} نباشد.", limit("maximum")),
            format!("Must be at most {}.", limit("maximum")),
        ),
        "exclusiveMinimum" => pick(
            fa,
            format!("باید بیشتر از {} باشد.", limit("exclusiveMinimum")),
            format!("Must be more than {}.", limit("exclusiveMinimum")),
        ),
        "exclusiveMaximum" => pick(
            fa,
            format!("باید کمتر از {} باشد.", limit("exclusiveMaximum")),
            format!("Must be less than {}.", limit("exclusiveMaximum")),
        ),
        "minItems" => pick(
            fa,
            format!("دست‌کم {} مورد لازم است.", limit("minItems")),
            format!("Add at least {}.", limit("minItems")),
        ),
        "maxItems" => pick(
            fa,
            format!("حداکثر {} مورد.", limit("maxItems")),
            format!("At most {}.", limit("maxItems")),
        ),
        "uniqueItems" => pick(
            fa,
            "موارد تکراری را حذف کنید.".into(),
            "Remove the repeated items.".into(),
        ),
        "type" => type_message(node, fa),
        "enum" | "const" => pick(
            fa,
            "یکی از گزینه‌های فهرست را انتخاب کنید.".into(),
            "Pick one of the listed options.".into(),
        ),
        "oneOf" | "anyOf" => alternatives(node, schema, violation, fa),
        "pattern" => pick(
            fa,
            "قالب این مقدار درست نیست.".into(),
            "This value is not in the expected form.".into(),
        ),
        "format" => format_message(node, fa),
        "additionalProperties" | "unevaluatedProperties" => pick(
            fa,
            format!(
                "این بخش در فرم نیست و پذیرفته نمی‌شود: {}",
                quoted(&violation.message).unwrap_or_default()
            ),
            format!(
                "Not part of this form: {}",
                quoted(&violation.message).unwrap_or_default()
            ),
        ),
        "AgencyRef" => pick(
            fa,
            "این کد دستگاه ثبت نشده است؛ دستگاه را از فهرست انتخاب کنید.".into(),
            "No agency has this code; pick one from the list.".into(),
        ),
        _ => violation.message.clone(),
    }
}

fn pick(fa: bool, persian: String, english: String) -> String {
    if fa { persian } else { english }
}

fn type_message(node: Option<&Value>, fa: bool) -> String {
    let wanted = node.and_then(|n| n.get("type")).and_then(Value::as_str);
    match wanted {
        Some("integer") => pick(
            fa,
            "یک عدد صحیح بنویسید.".into(),
            "Enter a whole number.".into(),
        ),
        Some("number") => pick(fa, "یک عدد بنویسید.".into(), "Enter a number.".into()),
        Some("boolean") => pick(
            fa,
            "بلی یا خیر را انتخاب کنید.".into(),
            "Choose yes or no.".into(),
        ),
        Some("array") => pick(
            fa,
            "اینجا فهرستی از موارد لازم است.".into(),
            "A list is expected here.".into(),
        ),
        Some("object") => pick(
            fa,
            "اینجا مجموعه‌ای از بخش‌ها لازم است.".into(),
            "A group of fields is expected here.".into(),
        ),
        _ => pick(
            fa,
            "نوع این مقدار درست نیست.".into(),
            "This value has the wrong type.".into(),
        ),
    }
}

fn format_message(node: Option<&Value>, fa: bool) -> String {
    match node.and_then(|n| n.get("format")).and_then(Value::as_str) {
        Some("email") => pick(
            fa,
            "نشانی پست الکترونیکی درست نیست (مانند name@example.ir).".into(),
            "Not an e-mail address (like name@example.ir).".into(),
        ),
        Some("uri") => pick(
            fa,
            "نشانی اینترنتی کامل بنویسید (با https:// آغاز شود).".into(),
            "Enter a full web address (starting with https://).".into(),
        ),
        _ => pick(
            fa,
            "قالب این مقدار درست نیست.".into(),
            "This value is not in the expected form.".into(),
        ),
    }
}

/// A failed `oneOf`/`anyOf`: a list of constants is "pick one"; branches that each require
/// or fill a property are "fill at least one of" those properties, by their titles.
fn alternatives(
    node: Option<&Value>,
    schema: &Value,
    violation: &SchemaViolation,
    fa: bool,
) -> String {
    let branches = node
        .and_then(|n| n.get(violation.keyword()))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if !branches.is_empty() && branches.iter().all(|b| b.get("const").is_some()) {
        return pick(
            fa,
            "یکی از گزینه‌های فهرست را انتخاب کنید.".into(),
            "Pick one of the listed options.".into(),
        );
    }
    let mut names: Vec<String> = Vec::new();
    for branch in branches {
        let required = branch
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let filled = branch
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys());
        for name in required
            .filter_map(Value::as_str)
            .chain(filled.map(String::as_str))
        {
            let pointer = format!("{}/{}", violation.instance_path, escape(name));
            let title = field_at(schema, &pointer)
                .and_then(|f| f.title.map(str::to_owned))
                .unwrap_or_else(|| name.to_owned());
            if !names.contains(&title) {
                names.push(title);
            }
        }
    }
    if names.is_empty() {
        return pick(
            fa,
            "این مقدار با هیچ‌یک از حالت‌های پذیرفتنی جور نیست.".into(),
            "This value fits none of the accepted forms.".into(),
        );
    }
    let sep = if fa { "، " } else { ", " };
    pick(
        fa,
        format!("دست‌کم یکی از این‌ها را پر کنید: {}", names.join(sep)),
        format!("Fill in at least one of: {}", names.join(sep)),
    )
}
