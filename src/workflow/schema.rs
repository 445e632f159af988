//! The workflow language's JSON Schema (`schemas/workflow.schema.json`), compiled once.
//!
//! Owns checking a parsed document against the schema and wording the failures
//! for administrators. It must not check meaning (references, reachability): that
//! is `semantic`, which runs only on documents that pass here.

use std::sync::OnceLock;

use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use super::IsoDuration;
use super::error::{Issue, IssueKind};

/// The schema text, embedded so the binary cannot drift from the file it ships.
pub const WORKFLOW_SCHEMA: &str = include_str!("../../schemas/workflow.schema.json");

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // Both failures are build defects, caught by the tests, never by users.
        let schema: Value =
            serde_json::from_str(WORKFLOW_SCHEMA).expect("workflow.schema.json is JSON");
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .offline()
            .build(&schema)
            .expect("workflow.schema.json compiles");
        Compiled { schema, validator }
    })
}

/// The workflow schema as a JSON value (e.g. to serve it to editors).
pub fn workflow_schema() -> &'static Value {
    &compiled().schema
}

/// Every schema violation in `document`, in the validator's order.
pub(super) fn check(document: &Value) -> Vec<Issue> {
    let Compiled { schema, validator } = compiled();
    validator
        .iter_errors(document)
        .map(|error| {
            let schema_path = error.schema_path().as_str().to_owned();
            let message = explain(&error, schema, &schema_path);
            Issue::new(
                error.instance_path().as_str(),
                IssueKind::Schema {
                    schema_path,
                    message,
                },
            )
        })
        .collect()
}

/// jsonschema's message, except where it would show a regex or a sub-schema:
/// there the failing node's `description` (written as "a …") says what was expected.
fn explain(error: &ValidationError<'_>, schema: &Value, schema_path: &str) -> String {
    let instance = error.instance();
    if schema_path.starts_with("/$defs/Duration/")
        && let Some(text) = instance.as_str()
        && let Err(e) = IsoDuration::parse(text)
    {
        return e.to_string();
    }
    let opaque = matches!(
        error.kind().keyword(),
        "pattern" | "not" | "oneOf" | "anyOf"
    );
    let parent = schema_path
        .rsplit_once('/')
        .map_or("", |(parent, _)| parent);
    let description = schema
        .pointer(parent)
        .and_then(|node| node.get("description"))
        .and_then(Value::as_str);
    match description {
        Some(expected) if opaque => format!("{instance} is not {expected}"),
        _ => error.to_string(),
    }
}
