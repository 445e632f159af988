//! From text to a validated [`WorkflowDefinition`]: parse, schema, types, meaning.
//!
//! Owns the order of the checks and the rule that every problem of a stage is
//! reported together. Later stages run only when earlier ones pass (typing a
//! document the schema refused would only repeat its complaints). No I/O here:
//! files are read in `files`.

use serde::Deserialize;
use serde_json::Value;

use super::definition::{Header, WorkflowDefinition};
use super::error::{DefinitionError, Issue, IssueKind};
use super::model::Step;
use super::{schema, semantic};
use crate::forms::FormRegistry;

/// The text's syntax. YAML is what administrators write; JSON is accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl WorkflowDefinition {
    /// Parses and validates a definition. `source` names it in errors (a file
    /// path, or "request body").
    pub fn parse(
        source: &str,
        text: &str,
        format: Format,
        forms: &FormRegistry,
    ) -> Result<Self, DefinitionError> {
        let document = parse_document(text, format)
            .map_err(|kind| DefinitionError::single(source, "", kind))?;
        Self::from_value(source, document, forms)
    }

    /// Validates an already parsed document: schema, then types, then meaning.
    pub fn from_value(
        source: &str,
        document: Value,
        forms: &FormRegistry,
    ) -> Result<Self, DefinitionError> {
        let refuse = |issues| DefinitionError::new(source, issues);
        let schema_issues = schema::check(&document);
        if !schema_issues.is_empty() {
            return Err(refuse(schema_issues));
        }
        let definition = typed(document).map_err(refuse)?;
        let issues = semantic::check(&definition, forms);
        if issues.is_empty() {
            Ok(definition)
        } else {
            Err(refuse(issues))
        }
    }
}

/// Text to a JSON value. YAML goes through yaml_serde's own `Value` first
/// because only that path refuses duplicate keys (a second `next:` must not
/// silently win).
pub(super) fn parse_document(text: &str, format: Format) -> Result<Value, IssueKind> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| IssueKind::Syntax {
            line: Some(e.line()),
            column: Some(e.column()),
            message: e.to_string(),
        }),
        Format::Yaml => {
            let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
                let location = e.location();
                IssueKind::Syntax {
                    line: location.as_ref().map(yaml_serde::Location::line),
                    column: location.as_ref().map(yaml_serde::Location::column),
                    message: e.to_string(),
                }
            })?;
            // Tags and non-string keys have no JSON form.
            yaml_serde::from_value(yaml).map_err(|e| IssueKind::Syntax {
                line: None,
                column: None,
                message: format!("not representable as JSON: {e}"),
            })
        }
    }
}

/// The typed form of a document, without the schema or semantic checks. Shape
/// errors name their step, since serde_json's own errors carry no path.
pub(super) fn typed(document: Value) -> Result<WorkflowDefinition, Vec<Issue>> {
    let shape = |pointer: String, e: serde_json::Error| {
        Issue::new(pointer, IssueKind::Shape(e.to_string()))
    };
    let header = Header::deserialize(&document).map_err(|e| vec![shape(String::new(), e)])?;
    let mut steps = Vec::with_capacity(header.steps.len());
    let mut issues = Vec::new();
    for (i, step) in header.steps.iter().enumerate() {
        match Step::deserialize(step) {
            Ok(step) => steps.push(step),
            Err(e) => issues.push(shape(format!("/steps/{i}"), e)),
        }
    }
    if issues.is_empty() {
        Ok(WorkflowDefinition::unchecked(header, steps, document))
    } else {
        Err(issues)
    }
}
