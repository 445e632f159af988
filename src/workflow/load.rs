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
            if let Some((line, column)) = flow_too_deep(text) {
                return Err(IssueKind::Syntax {
                    line: Some(line),
                    column: Some(column),
                    message: format!("[ ] or {{ }} nested deeper than {MAX_FLOW_DEPTH} levels"),
                });
            }
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

/// The deepest nesting of YAML flow collections (`[…]`, `{…}`) accepted. The YAML parser
/// takes time quadratic in that depth (50,000 levels of `{a: ` took 46 s), so one request
/// could hold a core for minutes; no definition needs more than a handful of levels.
const MAX_FLOW_DEPTH: usize = 64;

/// Where flow nesting first passes [`MAX_FLOW_DEPTH`], if it does: a linear scan that skips
/// comments and quoted scalars (a quote counts only where a scalar can start, so an
/// apostrophe inside plain text cannot hide brackets from it).
fn flow_too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let (mut comment, mut escaped) = (false, false);
    let mut previous = ' ';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
        }
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if comment => {}
            None => match c {
                '"' | '\''
                    if matches!(
                        previous,
                        ' ' | '\t' | '\n' | ':' | ',' | '[' | '{' | '-' | '?'
                    ) =>
                {
                    quote = Some(c)
                }
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((line, column));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod flow_depth_tests {
    use super::flow_too_deep;

    #[test]
    fn deep_flow_nesting_is_found_and_quoted_or_commented_brackets_are_not() {
        let deep = format!("key: {}{}", "{a: ".repeat(65), "}".repeat(65));
        assert_eq!(flow_too_deep(&deep), Some((1, 5 + 65 * 4 - 3)));
        assert_eq!(flow_too_deep(&format!("a: {}", "[".repeat(64))), None);
        let quoted = format!(
            "title: \"{}\"\nnote: '{}'\n# {}",
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(flow_too_deep(&quoted), None);
        let sneaky = format!("title: it's\nsteps: {}", "[".repeat(100));
        assert!(
            flow_too_deep(&sneaky).is_some(),
            "an apostrophe in plain text hides nothing"
        );
    }
}
