//! Tests of the workflow language, by concern. Helpers here build small
//! definitions and a stand-in form registry.

mod due_override;
mod files;
mod load;
mod on_return;
mod registry;
mod semantic;
mod shipped;

use serde_json::{Value, json};

use super::{DefinitionError, Format, WorkflowDefinition, load::typed, semantic as checks};
use crate::forms::FormRegistry;

/// The shipped forms' keys, with tiny stand-in schemas.
fn forms() -> FormRegistry {
    let mut forms = FormRegistry::new();
    for key in [
        "data-exchange-inventory",
        "service-identity-cards",
        "needs-confirmation",
    ] {
        forms
            .register(key, json!({"type": "object", "required": ["title"]}))
            .unwrap();
    }
    forms
}

/// A valid two-step definition to vary.
fn inventory() -> Value {
    json!({
        "key": "inventory",
        "title": {"fa": "احصا", "en": "Inventory"},
        "participants": "agencies",
        "steps": [
            {
                "id": "submit", "type": "submission",
                "assignee": {"role": "member", "of": "participant"},
                "form": "data-exchange-inventory",
                "due": {"end_of": "jalali_month"},
                "remind": ["P3D"],
                "escalate": [{"after": "PT0S", "notify": ["supervisor", {"role": "secretariat"}]}],
                "next": "review"
            },
            {
                "id": "review", "type": "review",
                "assignee": {"role": "secretariat"},
                "on_accept": "done", "on_return": "submit"
            }
        ]
    })
}

fn load(document: Value) -> Result<WorkflowDefinition, DefinitionError> {
    WorkflowDefinition::from_value("test.yaml", document, &forms())
}

fn load_yaml(text: &str) -> Result<WorkflowDefinition, DefinitionError> {
    WorkflowDefinition::parse("workflows/test.yaml", text, Format::Yaml, &forms())
}

/// `(pointer, code)` of every issue, in order.
fn found(result: Result<WorkflowDefinition, DefinitionError>) -> Vec<(String, &'static str)> {
    let error = result.expect_err("definition should be refused");
    error
        .issues
        .iter()
        .map(|i| (i.pointer.clone(), i.kind.code()))
        .collect()
}

/// Semantic issues of a document typed without the schema, for rules the schema
/// also enforces (so the full pipeline would stop before them).
fn semantic_only(document: Value) -> Vec<(String, &'static str)> {
    let definition = typed(document).expect("document has the typed shape");
    checks::check(&definition, &forms())
        .iter()
        .map(|i| (i.pointer.clone(), i.kind.code()))
        .collect()
}

fn pair(pointer: &str, code: &'static str) -> (String, &'static str) {
    (pointer.to_owned(), code)
}
