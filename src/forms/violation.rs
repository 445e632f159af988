//! What a submitter is told when a form document does not fit its schema.
//!
//! Owns the conversion from jsonschema's errors to plain, serialisable
//! [`SchemaViolation`]s and the guards that run before the validator (nesting
//! depth, root type). It must not decide HTTP status codes or wording of API
//! problems; callers render the list.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde::Serialize;
use serde_json::Value;

/// Documents nested deeper than this are refused before validation: the validator
/// recurses per level, and a hostile document must not be able to exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// Messages longer than this echo too much of the submitted document; they are
/// re-rendered with the value masked.
const MAX_MESSAGE_LEN: usize = 200;

/// One reason a document does not satisfy a form's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaViolation {
    /// JSON Pointer into the submitted document ("" is the root).
    pub instance_path: String,
    /// JSON Pointer into the schema, without `$ref` hops (its last segment is the
    /// keyword that failed, e.g. `/$defs/Contact/properties/email/format`).
    pub schema_path: String,
    /// Human-readable reason.
    pub message: String,
}

impl SchemaViolation {
    /// The keyword that failed: the schema path's last segment.
    pub fn keyword(&self) -> &str {
        self.schema_path.rsplit('/').next().unwrap_or("")
    }

    /// `schema` is the schema that failed, to quote its descriptions; `None` for
    /// the meta-schema.
    pub(crate) fn from_validation(error: &ValidationError<'_>, schema: Option<&Value>) -> Self {
        let schema_path = error.schema_path().as_str().to_owned();
        let labelled = schema.and_then(|s| labelled_options(s, &schema_path));
        let mut message = match (error.kind(), &labelled) {
            // jsonschema names two options and "N other candidates"; a submitter
            // needs them all.
            (ValidationErrorKind::Enum { options }, _) => {
                format!("{} is not one of {}", error.instance(), list(options))
            }
            // An enum written as `oneOf: [{const, title}]` (forms.md) says the same.
            // The list of options may be long; only the submitted value needs masking.
            (_, Some(options)) => format!("{} is not one of {options}", shown_value(error)),
            _ => error.to_string(),
        };
        if labelled.is_none() && message.len() > MAX_MESSAGE_LEN {
            message = error.masked_with("the value").to_string();
        }
        let explained = labelled.is_none().then_some(schema).flatten();
        if let Some(expected) = explained.and_then(|s| explanation(error, s, &schema_path)) {
            message = format!("{message} ({expected})");
        }
        SchemaViolation {
            instance_path: error.instance_path().as_str().to_owned(),
            schema_path,
            message,
        }
    }
}

impl std::fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(root)"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {}", self.message)
    }
}

/// For keywords whose own message cannot say what was wanted (a regex, a list of
/// alternatives), the `description` the schema author wrote beside them.
fn explanation<'s>(error: &ValidationError<'_>, schema: &'s Value, path: &str) -> Option<&'s str> {
    let keyword = error.kind().keyword();
    if !matches!(keyword, "pattern" | "anyOf" | "oneOf" | "not") {
        return None;
    }
    let parent = path.rsplit_once('/').map_or("", |(parent, _)| parent);
    schema.pointer(parent)?.get("description")?.as_str()
}

/// The submitted value as JSON, or "the value" when quoting it would echo too much.
fn shown_value(error: &ValidationError<'_>) -> String {
    let value = error.instance().to_string();
    if value.len() > MAX_MESSAGE_LEN / 2 {
        "the value".to_owned()
    } else {
        value
    }
}

/// For a failed `oneOf`/`anyOf` whose every branch is a `const`, the allowed values with
/// their titles: `"daily" (روزانه), "weekly" (هفتگی)`.
fn labelled_options(schema: &Value, path: &str) -> Option<String> {
    if !(path.ends_with("/oneOf") || path.ends_with("/anyOf")) {
        return None;
    }
    let branches = schema.pointer(path)?.as_array()?;
    let options = branches
        .iter()
        .map(|branch| {
            let value = branch.get("const")?;
            Some(match branch.get("title").and_then(Value::as_str) {
                Some(title) => format!("{value} ({title})"),
                None => value.to_string(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    (!options.is_empty()).then(|| options.join(", "))
}

fn list(options: &Value) -> String {
    match options.as_array() {
        Some(items) => items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        None => options.to_string(),
    }
}

/// Violations found before the schema is consulted: too deep, or not an object.
pub(crate) fn precheck(data: &Value) -> Option<SchemaViolation> {
    if exceeds_depth(data, MAX_DEPTH) {
        return Some(SchemaViolation {
            instance_path: String::new(),
            schema_path: String::new(),
            message: format!("document is nested deeper than {MAX_DEPTH} levels"),
        });
    }
    if !data.is_object() {
        return Some(SchemaViolation {
            instance_path: String::new(),
            schema_path: "/type".to_owned(),
            message: format!("a form document must be a JSON object, not {}", kind(data)),
        });
    }
    None
}

/// Whether any array/object sits more than `limit` containers deep (the root
/// container is level 1). Iterative, so the check itself cannot overflow the stack.
pub(crate) fn exceeds_depth(value: &Value, limit: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((node, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match node {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth + 1 > limit {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
