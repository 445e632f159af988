//! What happened to the catalogue, one event per decision of the secretariat, each with who
//! made it. Stored as `event_type` = the variant's name and `data` = its fields, like the
//! calendar's `ClosureAdded`. Events are forever: new fields come with `#[serde(default)]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Catalogue, Item};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum CatalogueEvent {
    /// An item was added by hand.
    ItemAdded {
        id: String,
        name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        synonyms: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name_en: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lookup_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        by: String,
    },
    /// Items were taken from the accepted inventories of a case: the new ones, and how many
    /// agencies used each item (new or already known).
    CatalogueSeeded {
        case: Uuid,
        added: Vec<SeededItem>,
        /// Item id → agencies that used it in the case.
        #[serde(default)]
        counts: BTreeMap<String, u32>,
        by: String,
    },
    /// `from` became a synonym of `into`; its id resolves to `into` from now on.
    ItemsMerged {
        from: String,
        into: String,
        by: String,
    },
    /// The item is shown under `name`; its former name stays as a synonym.
    ItemRenamed {
        id: String,
        name: String,
        previous: String,
        by: String,
    },
    /// A synonym of `from` became an item of its own, `id`.
    ItemSplit {
        from: String,
        synonym: String,
        id: String,
        by: String,
    },
    SynonymAdded {
        id: String,
        synonym: String,
        by: String,
    },
    SynonymRemoved {
        id: String,
        synonym: String,
        by: String,
    },
    /// The English name, lookup key and description, as they are now.
    ItemEdited {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name_en: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lookup_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        by: String,
    },
}

/// An item a seed added, under the spelling most agencies used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeededItem {
    pub id: String,
    pub name: String,
}

impl CatalogueEvent {
    /// The envelope's `event_type` and `data`.
    pub fn encode(&self) -> (String, serde_json::Value) {
        let value = serde_json::to_value(self).expect("catalogue events serialize");
        let (kind, data) = value
            .as_object()
            .and_then(|o| o.iter().next())
            .map(|(k, v)| (k.clone(), v.clone()))
            .expect("an externally tagged enum");
        (kind, data)
    }

    /// The event from its envelope's `event_type` and `data`.
    pub fn decode(event_type: &str, data: &serde_json::Value) -> serde_json::Result<Self> {
        serde_json::from_value(serde_json::json!({ event_type: data }))
    }

    /// Whether the event names the item `id`.
    pub fn touches(&self, id: &str) -> bool {
        match self {
            Self::ItemAdded { id: i, .. }
            | Self::ItemRenamed { id: i, .. }
            | Self::SynonymAdded { id: i, .. }
            | Self::SynonymRemoved { id: i, .. }
            | Self::ItemEdited { id: i, .. } => i == id,
            Self::CatalogueSeeded { added, counts, .. } => {
                added.iter().any(|s| s.id == id) || counts.contains_key(id)
            }
            Self::ItemsMerged { from, into, .. } => from == id || into == id,
            Self::ItemSplit { from, id: new, .. } => from == id || new == id,
        }
    }
}

fn new_item(id: &str, name: &str) -> Item {
    Item {
        id: id.to_string(),
        name: name.to_string(),
        synonyms: Vec::new(),
        name_en: None,
        lookup_key: None,
        description: None,
        agencies: 0,
        former_ids: Vec::new(),
    }
}

/// Takes the number of `id` (`DI-n`) as used, so the next item gets a later one.
fn take_number(state: &mut Catalogue, id: &str) {
    if let Some(n) = id.strip_prefix("DI-").and_then(|n| n.parse::<u64>().ok()) {
        state.next_number = state.next_number.max(n + 1);
    }
}

pub(super) fn apply(state: &mut Catalogue, event: &CatalogueEvent) {
    match event.clone() {
        CatalogueEvent::ItemAdded {
            id,
            name,
            synonyms,
            name_en,
            lookup_key,
            description,
            ..
        } => {
            take_number(state, &id);
            let mut item = new_item(&id, &name);
            item.synonyms = synonyms;
            (item.name_en, item.lookup_key, item.description) = (name_en, lookup_key, description);
            state.items.insert(id, item);
        }
        CatalogueEvent::CatalogueSeeded { added, counts, .. } => {
            for seeded in added {
                take_number(state, &seeded.id);
                state
                    .items
                    .insert(seeded.id.clone(), new_item(&seeded.id, &seeded.name));
            }
            for (id, count) in counts {
                if let Some(item) = state.items.get_mut(&id) {
                    item.agencies = count;
                }
            }
        }
        CatalogueEvent::ItemsMerged { from, into, .. } => merge(state, &from, &into),
        CatalogueEvent::ItemRenamed {
            id, name, previous, ..
        } => {
            if let Some(item) = state.items.get_mut(&id) {
                item.synonyms.retain(|s| *s != name);
                item.synonyms.push(previous);
                item.name = name;
            }
        }
        CatalogueEvent::ItemSplit {
            from, synonym, id, ..
        } => {
            if let Some(item) = state.items.get_mut(&from) {
                item.synonyms.retain(|s| *s != synonym);
            }
            take_number(state, &id);
            state.items.insert(id.clone(), new_item(&id, &synonym));
        }
        CatalogueEvent::SynonymAdded { id, synonym, .. } => {
            if let Some(item) = state.items.get_mut(&id) {
                item.synonyms.push(synonym);
            }
        }
        CatalogueEvent::SynonymRemoved { id, synonym, .. } => {
            if let Some(item) = state.items.get_mut(&id) {
                item.synonyms.retain(|s| *s != synonym);
            }
        }
        CatalogueEvent::ItemEdited {
            id,
            name_en,
            lookup_key,
            description,
            ..
        } => {
            if let Some(item) = state.items.get_mut(&id) {
                (item.name_en, item.lookup_key, item.description) =
                    (name_en, lookup_key, description);
            }
        }
    }
}

/// `from`'s names join `into`'s synonyms, and every id that read as `from` reads as `into`.
fn merge(state: &mut Catalogue, from: &str, into: &str) {
    let Some(gone) = state.items.remove(from) else {
        return;
    };
    for survivor in state.merged.values_mut().filter(|s| *s == from) {
        *survivor = into.to_string();
    }
    state.merged.insert(from.to_string(), into.to_string());
    if let Some(item) = state.items.get_mut(into) {
        item.synonyms.extend(gone.names().map(str::to_string));
        item.former_ids.push(gone.id.clone());
        item.former_ids.extend(gone.former_ids);
        item.agencies = item.agencies.max(gone.agencies);
    }
}
