//! Versions of workflow definitions, in memory.
//!
//! Owns numbering: a definition whose content hash equals its key's latest
//! version is that version; anything else becomes the next version. It must not
//! do I/O: persistence wraps this (store `definition.source()`, re-register on
//! start). Definitions are shared as `Arc` so running cases can hold the exact
//! version they started with.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::definition::WorkflowDefinition;

/// Outcome of [`WorkflowRegistry::register`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registered {
    pub key: String,
    pub version: u32,
    pub hash: String,
    /// False when the definition equals the latest version: nothing new was stored.
    pub created: bool,
}

/// One version of one workflow.
#[derive(Debug, Clone)]
pub struct WorkflowVersion {
    pub version: u32,
    pub definition: Arc<WorkflowDefinition>,
}

#[derive(Debug, Default, Clone)]
pub struct WorkflowRegistry {
    // versions[i] is version i + 1
    by_key: BTreeMap<String, Vec<Arc<WorkflowDefinition>>>,
    // hash -> (key, version); the first version with that content wins
    by_hash: HashMap<String, (String, u32)>,
}

impl WorkflowRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `definition` as its key's next version unless it equals the latest
    /// one. Reverting to an older text makes a new version (so "latest" is what was
    /// registered last); `by_hash` still finds the content either way.
    pub fn register(&mut self, definition: WorkflowDefinition) -> Registered {
        let key = definition.key().to_owned();
        let hash = definition.content_hash().to_owned();
        let versions = self.by_key.entry(key.clone()).or_default();
        if versions
            .last()
            .is_some_and(|latest| latest.content_hash() == hash)
        {
            let version = version_number(versions.len());
            return Registered {
                key,
                version,
                hash,
                created: false,
            };
        }
        versions.push(Arc::new(definition));
        let version = version_number(versions.len());
        self.by_hash
            .entry(hash.clone())
            .or_insert_with(|| (key.clone(), version));
        Registered {
            key,
            version,
            hash,
            created: true,
        }
    }

    pub fn latest(&self, key: &str) -> Option<WorkflowVersion> {
        let versions = self.by_key.get(key)?;
        versions.last().map(|definition| WorkflowVersion {
            version: version_number(versions.len()),
            definition: Arc::clone(definition),
        })
    }

    pub fn get(&self, key: &str, version: u32) -> Option<WorkflowVersion> {
        let index = usize::try_from(version).ok()?.checked_sub(1)?;
        let definition = self.by_key.get(key)?.get(index)?;
        Some(WorkflowVersion {
            version,
            definition: Arc::clone(definition),
        })
    }

    /// The version with this content hash, as recorded in `CaseOpened`.
    pub fn by_hash(&self, hash: &str) -> Option<WorkflowVersion> {
        let (key, version) = self.by_hash.get(hash)?;
        self.get(key, *version)
    }

    /// The latest version of every workflow, ordered by key.
    pub fn list(&self) -> Vec<WorkflowVersion> {
        self.by_key
            .keys()
            .filter_map(|key| self.latest(key))
            .collect()
    }
}

fn version_number(count: usize) -> u32 {
    u32::try_from(count).expect("fewer than 2^32 versions")
}
