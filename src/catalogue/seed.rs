//! A seed takes the catalogue's first words from what agencies actually wrote: the distinct
//! data item names of a case's accepted inventories, compared by `match_key`, each shown
//! under the spelling most agencies used, with how many agencies used it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use uuid::Uuid;

use super::{Catalogue, CatalogueEvent, SeededItem, tidy};
use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::normalise::match_key;

/// One name as the inventories have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The spelling most agencies used (the first in order of appearance on a tie).
    pub name: String,
    pub agencies: u32,
}

/// Every data item (name, catalogue id) of an inventory's needs and offers.
fn data_items(inventory: &Value) -> impl Iterator<Item = (&str, Option<&str>)> {
    ["needs", "offers"]
        .into_iter()
        .filter_map(|list| inventory[list].as_array())
        .flatten()
        .filter_map(|entry| entry["data_items"].as_array())
        .flatten()
        .filter_map(|item| Some((item["name"].as_str()?, item["catalogue_id"].as_str())))
}

/// The distinct names of `inventories` (agency code, accepted submission), by match key;
/// a data item that names an id `index` knows is that item already, whatever its name.
pub fn candidates(
    inventories: &[(String, &Value)],
    index: &CatalogueIndex,
) -> BTreeMap<String, Candidate> {
    // match key → spelling → agencies that wrote it; first appearance breaks ties.
    let mut spellings: BTreeMap<String, Vec<(String, BTreeSet<&str>)>> = BTreeMap::new();
    for (agency, inventory) in inventories {
        for (name, id) in data_items(inventory) {
            if id.is_some_and(|id| index.knows_id(id)) {
                continue;
            }
            let name = tidy(name);
            let key = match_key(&name);
            if key.is_empty() {
                continue;
            }
            let forms = spellings.entry(key).or_default();
            match forms.iter_mut().find(|(s, _)| *s == name) {
                Some((_, agencies)) => {
                    agencies.insert(agency.as_str());
                }
                None => forms.push((name, BTreeSet::from([agency.as_str()]))),
            }
        }
    }
    spellings
        .into_iter()
        .map(|(key, forms)| {
            let all: BTreeSet<&str> = forms.iter().flat_map(|(_, a)| a.iter().copied()).collect();
            let best = forms
                .iter()
                .rev()
                .max_by_key(|(_, a)| a.len())
                .map(|(s, _)| s.clone());
            let candidate = Candidate {
                name: best.unwrap_or_default(),
                agencies: u32::try_from(all.len()).unwrap_or(u32::MAX),
            };
            (key, candidate)
        })
        .collect()
}

/// The seed event: an item for every candidate the catalogue does not read yet, and each
/// item's agency count in this case (an agency naming an item by its id counts too).
pub fn seed(
    state: &Catalogue,
    case: Uuid,
    inventories: &[(String, &Value)],
    by: &str,
) -> CatalogueEvent {
    let index: CatalogueIndex = state.index();
    let mut users: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (agency, inventory) in inventories {
        for (name, id) in data_items(inventory) {
            if let Some(item) = index.resolve(name, id) {
                users
                    .entry(item.to_string())
                    .or_default()
                    .insert(agency.as_str());
            }
        }
    }
    let mut counts: BTreeMap<String, u32> = users
        .into_iter()
        .map(|(id, agencies)| (id, u32::try_from(agencies.len()).unwrap_or(u32::MAX)))
        .collect();
    let mut added = Vec::new();
    for candidate in candidates(inventories, &index).into_values() {
        if index.resolve(&candidate.name, None).is_some() {
            continue;
        }
        let id = state.next_id(added.len() as u64);
        counts.insert(id.clone(), candidate.agencies);
        added.push(SeededItem {
            id,
            name: candidate.name,
        });
    }
    CatalogueEvent::CatalogueSeeded {
        case,
        added,
        counts,
        by: by.to_string(),
    }
}

/// Every `catalogue_id` an inventory names, with its JSON Pointer, in document order.
pub fn catalogue_ids(inventory: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for list in ["needs", "offers"] {
        for (i, entry) in inventory[list].as_array().into_iter().flatten().enumerate() {
            for (j, item) in entry["data_items"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(id) = item["catalogue_id"].as_str() {
                    found.push((
                        format!("/{list}/{i}/data_items/{j}/catalogue_id"),
                        id.to_string(),
                    ));
                }
            }
        }
    }
    found
}
