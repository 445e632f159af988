//! Needs and offers read out of accepted inventory documents, and the comparable profile of
//! each: its data items by match key and its lookup keys. The documents passed the form's
//! schema at submission, so missing fields are read as empty rather than refused.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::normalise::{clean, identifier_key, match_key};

/// The provider a submitter names when it does not know who holds the data.
pub const UNKNOWN_PROVIDER: &str = "unknown";
/// The consumers of an offer open to any agency with a legal basis.
pub const ANY_CONSUMER: &str = "any_with_legal_basis";
/// The lookup key that says nothing about which register a record is in.
const OTHER_KEY: &str = "other";

/// One need (اطلاعات مورد نیاز) of one agency's accepted inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedEntry {
    /// `AGENCY/needs/INDEX`: the agency and the JSON Pointer into its submission.
    #[serde(rename = "ref")]
    pub reference: String,
    pub agency: String,
    pub title: String,
    pub provider_agency: String,
    /// Item names as shown (see [`clean`]).
    pub data_items: Vec<String>,
    pub lookup_keys: Vec<String>,
}

/// Who may receive an offer: listed agencies, or any agency with a legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferEntry {
    /// `AGENCY/offers/INDEX`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub agency: String,
    pub title: String,
    pub consumer_agencies: Consumers,
    pub data_items: Vec<String>,
    pub lookup_keys: Vec<String>,
}

/// What is compared: data items by match key (identifiers excluded) and lookup keys (with
/// the identifiers named as items, without `other`).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// match key → the name as shown.
    pub items: BTreeMap<String, String>,
    pub keys: BTreeSet<String>,
}

impl Profile {
    pub fn of(data_items: &[String], lookup_keys: &[String]) -> Self {
        let mut profile = Profile::default();
        for key in lookup_keys.iter().filter(|k| *k != OTHER_KEY) {
            profile.keys.insert(key.clone());
        }
        for name in data_items {
            match identifier_key(name) {
                Some(key) => {
                    profile.keys.insert(key.to_string());
                }
                None => {
                    profile
                        .items
                        .entry(match_key(name))
                        .or_insert_with(|| name.clone());
                }
            }
        }
        profile
    }

    /// The shared items, named as `self` names them.
    pub fn shared_items(&self, other: &Profile) -> Vec<String> {
        self.items
            .iter()
            .filter(|(key, _)| other.items.contains_key(*key))
            .map(|(_, name)| name.clone())
            .collect()
    }

    pub fn shared_keys(&self, other: &Profile) -> Vec<String> {
        self.keys.intersection(&other.keys).cloned().collect()
    }
}

fn text(value: &Value) -> String {
    value.as_str().map(clean).unwrap_or_default()
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
        })
        .collect()
}
