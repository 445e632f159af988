//! Needs and offers read out of accepted inventory documents, and the comparable profile of
//! each: its data items by catalogue item or match key, and its lookup keys. The documents passed the form's
//! schema at submission, so missing fields are read as empty rather than refused.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::catalogue_index::CatalogueIndex;
use super::normalise::{identifier_key, match_key, shown};

/// The provider a submitter names when it does not know who holds the data.
pub const UNKNOWN_PROVIDER: &str = "unknown";
/// The consumers of an offer open to any agency with a legal basis.
pub const ANY_CONSUMER: &str = "any_with_legal_basis";
/// The lookup key that says nothing about which register a record is in.
const OTHER_KEY: &str = "other";

/// One need (اطلاعات مورد نیاز) of one agency's accepted inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NeedEntry {
    /// `AGENCY/needs/INDEX`: the agency and the JSON Pointer into its submission.
    #[serde(rename = "ref")]
    pub reference: String,
    pub agency: String,
    pub title: String,
    pub provider_agency: String,
    /// Item names as submitted (trimmed: see [`shown`]).
    pub data_items: Vec<String>,
    pub lookup_keys: Vec<String>,
}

/// Who may receive an offer: listed agencies, or any agency with a legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Consumers {
    Listed(Vec<String>),
    Any(String),
}

impl Consumers {
    pub fn admits(&self, agency: &str) -> bool {
        match self {
            Consumers::Listed(codes) => codes.iter().any(|c| c == agency),
            Consumers::Any(_) => true,
        }
    }

    pub fn listed(&self) -> &[String] {
        match self {
            Consumers::Listed(codes) => codes,
            Consumers::Any(_) => &[],
        }
    }
}

/// One offer (اطلاعات قابل عرضه) of one agency's accepted inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OfferEntry {
    /// `AGENCY/offers/INDEX`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub agency: String,
    pub title: String,
    pub consumer_agencies: Consumers,
    pub data_items: Vec<String>,
    pub lookup_keys: Vec<String>,
    /// Its source register is the legal master copy of the data
    /// (`source_register.is_authoritative_master`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authoritative_master: bool,
}

/// What a data item is compared as: the catalogue item it resolves to, or else its name's
/// match key. The two never meet: a name the catalogue does not know is not one of its items.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKey {
    Catalogue(String),
    Name(String),
}

/// What is compared: data items by [`ItemKey`] (identifiers excluded), in document order
/// without repeats, each with its name as submitted; and lookup keys (with the identifiers
/// named as items, without `other`).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub items: Vec<(ItemKey, String)>,
    pub keys: BTreeSet<String>,
}

impl Profile {
    /// The profile of data items given as `(name, catalogue_id)`.
    pub fn build<'a>(
        data_items: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        lookup_keys: &[String],
        catalogue: &CatalogueIndex,
    ) -> Self {
        let mut profile = Profile::default();
        for key in lookup_keys.iter().filter(|k| *k != OTHER_KEY) {
            profile.keys.insert(key.clone());
        }
        for (name, id) in data_items {
            let key = match catalogue.resolve(name, id) {
                Some(id) => match catalogue.lookup_key_of(id) {
                    Some(lookup) => {
                        profile.keys.insert(lookup.to_string());
                        continue;
                    }
                    None => ItemKey::Catalogue(id.to_string()),
                },
                None => match identifier_key(name) {
                    Some(lookup) => {
                        profile.keys.insert(lookup.to_string());
                        continue;
                    }
                    None => ItemKey::Name(match_key(name)),
                },
            };
            if !profile.has(&key) {
                profile.items.push((key, shown(name)));
            }
        }
        profile
    }

    /// The profile of plain names, with no catalogue.
    pub fn of(data_items: &[String], lookup_keys: &[String]) -> Self {
        let names = data_items.iter().map(|n| (n.as_str(), None));
        Profile::build(names, lookup_keys, &CatalogueIndex::default())
    }

    pub fn has(&self, key: &ItemKey) -> bool {
        self.items.iter().any(|(k, _)| k == key)
    }

    /// The shared items, named as `self` names them.
    pub fn shared_items(&self, other: &Profile) -> Vec<String> {
        self.items
            .iter()
            .filter(|(key, _)| other.has(key))
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// `self`'s items that `other` lacks.
    pub fn missing_items(&self, other: &Profile) -> Vec<String> {
        self.items
            .iter()
            .filter(|(key, _)| !other.has(key))
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// Whether a shared item is a catalogue item.
    pub fn shares_catalogue_item(&self, other: &Profile) -> bool {
        self.items
            .iter()
            .any(|(key, _)| matches!(key, ItemKey::Catalogue(_)) && other.has(key))
    }

    pub fn shared_keys(&self, other: &Profile) -> Vec<String> {
        self.keys.intersection(&other.keys).cloned().collect()
    }
}

/// The profiles of an inventory's needs (`list` = `"needs"`) or offers (`"offers"`), in the
/// order of [`needs_of`] and [`offers_of`], each data item resolved through `catalogue`.
pub fn profiles_of(data: &Value, list: &str, catalogue: &CatalogueIndex) -> Vec<Profile> {
    let entries = data[list].as_array().map(Vec::as_slice).unwrap_or(&[]);
    entries
        .iter()
        .map(|entry| {
            let items = entry["data_items"].as_array().map(Vec::as_slice);
            let items = items.unwrap_or(&[]).iter().map(|i| {
                let name = i["name"].as_str().unwrap_or_default();
                (name, i["catalogue_id"].as_str())
            });
            Profile::build(items, &lookup_keys(entry), catalogue)
        })
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().map(shown).unwrap_or_default()
}

fn item_names(entry: &Value) -> Vec<String> {
    entry["data_items"]
        .as_array()
        .map(|items| items.iter().map(|i| text(&i["name"])).collect())
        .unwrap_or_default()
}

fn lookup_keys(entry: &Value) -> Vec<String> {
    entry["lookup_keys"]
        .as_array()
        .map(|keys| keys.iter().map(|k| text(k).to_lowercase()).collect())
        .unwrap_or_default()
}

/// The needs of one inventory, in document order.
pub fn needs_of(agency: &str, data: &Value) -> Vec<NeedEntry> {
    let list = data["needs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    list.iter()
        .enumerate()
        .map(|(index, need)| NeedEntry {
            reference: format!("{agency}/needs/{index}"),
            agency: agency.to_string(),
            title: text(&need["title"]),
            provider_agency: need["provider_agency"]
                .as_str()
                .map(str::trim)
                .unwrap_or(UNKNOWN_PROVIDER)
                .to_string(),
            data_items: item_names(need),
            lookup_keys: lookup_keys(need),
        })
        .collect()
}

/// The offers of one inventory, in document order.
pub fn offers_of(agency: &str, data: &Value) -> Vec<OfferEntry> {
    let list = data["offers"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    list.iter()
        .enumerate()
        .map(|(index, offer)| OfferEntry {
            reference: format!("{agency}/offers/{index}"),
            agency: agency.to_string(),
            title: text(&offer["title"]),
            consumer_agencies: match &offer["consumer_agencies"] {
                Value::Array(codes) => Consumers::Listed(
                    codes
                        .iter()
                        .filter_map(|c| c.as_str())
                        .map(str::to_string)
                        .collect(),
                ),
                _ => Consumers::Any(ANY_CONSUMER.to_string()),
            },
            data_items: item_names(offer),
            lookup_keys: lookup_keys(offer),
            authoritative_master: offer["source_register"]["is_authoritative_master"]
                .as_bool()
                .unwrap_or(false),
        })
        .collect()
}
