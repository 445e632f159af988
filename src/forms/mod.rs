//! Form registry: the JSON Schemas (draft 2020-12) that agencies' submissions are
//! validated against, versioned by content hash.
//!
//! Owns registering schemas (meta-validated, compiled once per version and shared
//! behind `Arc`), looking versions up and validating documents, reporting every
//! violation with JSON Pointers. It must not do I/O except in [`FormRegistry::load_dir`] / `load_file`,
//! must not fetch external `$ref`s, and knows nothing of workflows or the event store:
//! persisting versions is the caller's job.

mod agency_refs;
mod canonical;
mod error;
mod load;
mod nil_return;
mod version;
mod violation;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

pub use agency_refs::{AgencyRefWalk, NOT_AGENCIES, agency_refs, walk as walk_agency_refs};
pub use canonical::{canonical_json, content_hash};
pub use error::FormError;
pub use nil_return::{NOTHING_TO_DECLARE, admits_nil_return, is_nil_return, nil_return_reason};
pub use version::{FormVersion, REGEX_BACKTRACK_LIMIT};
pub use violation::{MAX_DEPTH, SchemaViolation};

/// Outcome of [`FormRegistry::register`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredForm {
    pub key: String,
    pub version: u32,
    pub hash: String,
    /// False when the schema equals the latest version's: nothing new was stored.
    pub created: bool,
}

/// Every form version known to this process. Plain data: wrap it in a lock to share.
#[derive(Debug, Default, Clone)]
pub struct FormRegistry {
    // versions[i] is version i + 1
    forms: BTreeMap<String, Vec<Arc<FormVersion>>>,
}

impl FormRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `schema` under `key`. A schema identical (canonically) to the latest
    /// version returns that version with `created: false`; anything else becomes a new
    /// version, even a revert to an older text, so that "latest" is always what was
    /// registered last.
    pub fn register(&mut self, key: &str, schema: Value) -> Result<RegisteredForm, FormError> {
        if !is_valid_key(key) {
            return Err(FormError::InvalidKey {
                key: key.to_owned(),
            });
        }
        let hash = content_hash(&schema);
        let versions = self.forms.get(key).map(Vec::as_slice).unwrap_or_default();
        if let Some(latest) = versions.last().filter(|v| v.hash() == hash) {
            return Ok(registered(latest, false));
        }
        let next = u32::try_from(versions.len() + 1).expect("fewer than 2^32 versions");
        let compiled = Arc::new(FormVersion::compile(key, next, hash, schema)?);
        let result = registered(&compiled, true);
        self.forms.entry(key.to_owned()).or_default().push(compiled);
        Ok(result)
    }

    /// Whether any version is registered under `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.forms.contains_key(key)
    }

    /// The given version, or the latest when `version` is `None`.
    pub fn get(&self, key: &str, version: Option<u32>) -> Option<Arc<FormVersion>> {
        let versions = self.forms.get(key)?;
        let found = match version {
            None => versions.last(),
            Some(v) => versions.get(usize::try_from(v).ok()?.checked_sub(1)?),
        };
        found.cloned()
    }

    /// Latest version of every form, ordered by key.
    pub fn list(&self) -> Vec<Arc<FormVersion>> {
        self.forms
            .values()
            .filter_map(|v| v.last().cloned())
            .collect()
    }

    /// Validates `data` against a form version (latest when `version` is `None`),
    /// returning every violation. An unknown form or version is reported as a single
    /// violation at the root; use [`FormRegistry::get`] to tell that case apart.
    pub fn validate(
        &self,
        key: &str,
        version: Option<u32>,
        data: &Value,
    ) -> Result<(), Vec<SchemaViolation>> {
        match self.get(key, version) {
            Some(form) => form.validate(data),
            None => Err(vec![SchemaViolation {
                instance_path: String::new(),
                schema_path: String::new(),
                message: match version {
                    Some(v) => format!("unknown form {key:?} version {v}"),
                    None => format!("unknown form {key:?}"),
                },
            }]),
        }
    }
}

fn registered(form: &FormVersion, created: bool) -> RegisteredForm {
    RegisteredForm {
        key: form.key().to_owned(),
        version: form.version(),
        hash: form.hash().to_owned(),
        created,
    }
}

/// Form keys become file names and URL segments: lowercase words joined by hyphens.
pub(crate) fn is_valid_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && !key.ends_with('-')
        && !key.contains("--")
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
