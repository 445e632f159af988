//! The catalogue of data items (فهرست اقلام اطلاعاتی): the shared vocabulary the
//! secretariat curates so that agencies' own wordings of one data item meet in the matrix.
//!
//! Pure, like [`crate::domain`]: the events of the `catalogue` stream ([`CatalogueEvent`]),
//! the state they fold into ([`Catalogue`]), the rules each change must keep ([`decide`]),
//! the candidates a seed takes from a case's inventories ([`seed`]) and the suggestions
//! while typing ([`search`]). Reading and appending the stream is the engine's
//! (`engine::vocabulary`).
//!
//! Ids are short and readable — `DI-1`, `DI-2`, … in the order items were added — because
//! agencies type them into their inventories and people read them in reports; the stream's
//! optimistic concurrency guarantees two nodes never hand out the same number.

pub mod decide;
mod events;
pub mod search;
pub mod seed;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::normalise::match_key;

pub use decide::{CatalogueCommand, CatalogueError, decide};
pub use events::{CatalogueEvent, SeededItem};

/// The stream every change of the catalogue is appended to.
pub const CATALOGUE_STREAM: &str = "catalogue";

/// One data item of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Item {
    pub id: String,
    /// The Persian name it is shown under.
    pub name: String,
    /// Other wordings agencies use for it.
    pub synonyms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The lookup key this item stands for, when it is an identifier (e.g. `national_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many agencies used it in the case it was last counted from (a seed).
    pub agencies: u32,
    /// Ids of items merged into this one: they resolve to it.
    pub former_ids: Vec<String>,
}

impl Item {
    /// The name and every synonym.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.synonyms.iter().map(String::as_str))
    }
}

/// A change as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// The `catalogue` stream version of the event.
    pub version: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub event: CatalogueEvent,
}

/// The catalogue as its stream leaves it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub items: BTreeMap<String, Item>,
    /// Every id merged away → the item it resolves to now.
    pub merged: BTreeMap<String, String>,
    /// The number the next added item takes.
    pub next_number: u64,
    /// The stream version folded in.
    pub version: i64,
    pub history: Vec<Change>,
}

impl Catalogue {
    pub fn next_id(&self, offset: u64) -> String {
        format!("DI-{}", self.next_number.max(1) + offset)
    }

    /// The items in the order they were added (DI-2 before DI-10).
    pub fn listed(&self) -> Vec<&Item> {
        let mut items: Vec<&Item> = self.items.values().collect();
        items.sort_by_key(|item| (item.id.len(), item.id.clone()));
        items
    }

    /// The item `id` is now: itself, or the survivor of the merge that took it.
    pub fn resolve(&self, id: &str) -> Option<&Item> {
        self.items
            .get(id)
            .or_else(|| self.items.get(self.merged.get(id)?))
    }

    /// The item (other than `except`) whose name or a synonym reads as `name`.
    pub fn owner_of(&self, name: &str, except: Option<&str>) -> Option<&Item> {
        let key = match_key(name);
        self.items
            .values()
            .filter(|item| Some(item.id.as_str()) != except)
            .find(|item| item.names().any(|n| match_key(n) == key))
    }

    /// The changes that touched `id` (or an item merged into it), oldest first.
    pub fn history_of(&self, id: &str) -> Vec<&Change> {
        let Some(item) = self.items.get(id) else {
            return Vec::new();
        };
        let ids: Vec<&str> = std::iter::once(id)
            .chain(item.former_ids.iter().map(String::as_str))
            .collect();
        self.history
            .iter()
            .filter(|change| ids.iter().any(|i| change.event.touches(i)))
            .collect()
    }

    /// The index the matrix resolves data items through.
    pub fn index(&self) -> CatalogueIndex {
        let mut index = CatalogueIndex::default();
        for item in self.items.values() {
            index.insert_item(&item.id, item.names(), item.lookup_key.as_deref());
        }
        for (old, survivor) in &self.merged {
            index.insert_former_id(old, survivor);
        }
        index.version = u64::try_from(self.version).unwrap_or_default();
        index
    }

    /// Folds one event in (`version` is its stream version).
    pub fn apply(
        &mut self,
        version: i64,
        at: chrono::DateTime<chrono::Utc>,
        event: CatalogueEvent,
    ) {
        events::apply(self, &event);
        self.version = version;
        self.history.push(Change { version, at, event });
    }
}

/// A name as stored: trimmed, runs of spaces collapsed, otherwise as typed (the spelling is
/// the writer's; comparisons fold it with `match_key`).
pub fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}
