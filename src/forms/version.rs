//! One registered version of one form: its schema and the validator compiled from it.
//!
//! Owns compiling (once, at registration) and running the validator. It must not
//! read files or fetch anything: external `$ref`s are refused, because an
//! administrator's schema must not be able to make the server read local files
//! or call out to the network.

use jsonschema::{Draft, Validator};
use serde_json::Value;

use super::FormError;
use super::violation::{SchemaViolation, precheck};

/// The only meta-schema accepted; forms.md fixes draft 2020-12 for every form.
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Backtracking steps one `pattern` may take on one value (fancy-regex allows a million):
/// past it the value is refused as a violation, so an administrator's pattern with nested
/// quantifiers and a backreference cannot hold a request for long. Patterns without
/// backreferences or look-around run on the linear-time `regex` engine and never count.
pub const REGEX_BACKTRACK_LIMIT: usize = 10_000;

/// A form schema at one version, with its compiled validator.
#[derive(Debug)]
pub struct FormVersion {
    key: String,
    version: u32,
    hash: String,
    schema: Value,
    validator: Validator,
}

impl FormVersion {
    /// Checks `schema` against the draft 2020-12 meta-schema (reporting every
    /// problem) and compiles it with format validation on.
    pub(crate) fn compile(
        key: &str,
        version: u32,
        hash: String,
        schema: Value,
    ) -> Result<Self, FormError> {
        check_draft(key, &schema)?;
        let meta = jsonschema::draft202012::meta::validator();
        let problems: Vec<SchemaViolation> = meta
            .iter_errors(&schema)
            .map(|e| SchemaViolation::from_validation(&e, None))
            .collect();
        if !problems.is_empty() {
            return Err(FormError::NotASchema {
                key: key.to_owned(),
                problems,
            });
        }
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            // Format keywords (email, uri, date…) only annotate unless asked to assert.
            .should_validate_formats(true)
            .with_pattern_options(
                jsonschema::PatternOptions::fancy_regex().backtrack_limit(REGEX_BACKTRACK_LIMIT),
            )
            .offline()
            .build(&schema)
            .map_err(|e| FormError::Compile {
                key: key.to_owned(),
                message: e.to_string(),
            })?;
        Ok(FormVersion {
            key: key.to_owned(),
            version,
            hash,
            schema,
            validator,
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// 1 for the first schema registered under the key, then +1 per change.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Hex SHA-256 of the canonical schema JSON.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Every way `data` fails the schema; `Ok` if it fits.
    pub fn validate(&self, data: &Value) -> Result<(), Vec<SchemaViolation>> {
        if let Some(refused) = precheck(data) {
            return Err(vec![refused]);
        }
        let violations: Vec<SchemaViolation> = self
            .validator
            .iter_errors(data)
            .map(|e| SchemaViolation::from_validation(&e, Some(&self.schema)))
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }
}

fn check_draft(key: &str, schema: &Value) -> Result<(), FormError> {
    match schema.get("$schema") {
        None => Ok(()),
        Some(Value::String(uri)) if uri.trim_end_matches('#') == DRAFT_2020_12 => Ok(()),
        Some(other) => Err(FormError::UnsupportedDraft {
            key: key.to_owned(),
            declared: other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned),
        }),
    }
}
