//! Needs and offers read out of accepted inventory documents, and the comparable profile of
//! each: its data items by catalogue item or match key, and its lookup keys. The documents
//! passed the form's schema at submission, so missing fields are read as empty rather than
//! refused. Numbering and reading entries is `keys`; reading in two parts at once, `parts`;
//! an entry waiting for its texts, `texts`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::text::{Names, Text};

mod keys;
mod parts;
mod texts;

pub use keys::Keys;
pub use parts::{Read, read};
pub use texts::{NeedRest, OfferRest, Texts, Unwritten};

/// The provider a submitter names when it does not know who holds the data.
pub const UNKNOWN_PROVIDER: &str = "unknown";
/// The consumers of an offer open to any agency with a legal basis.
pub const ANY_CONSUMER: &str = "any_with_legal_basis";

/// One need (اطلاعات مورد نیاز) of one agency's accepted inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NeedEntry {
    /// `AGENCY/needs/INDEX`: the agency and the JSON Pointer into its submission.
    #[serde(rename = "ref")]
    pub reference: Text,
    pub agency: Text,
    pub title: Text,
    pub provider_agency: Text,
    /// Item names as submitted (trimmed: see [`shown`](super::normalise::shown)), shared
    /// with the matches that name them.
    pub data_items: Arc<[Text]>,
    pub lookup_keys: Vec<Text>,
}

/// Who may receive an offer: listed agencies, or any agency with a legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Consumers {
    Listed(Vec<Text>),
    Any(Text),
}

impl Consumers {
    pub fn admits(&self, agency: &str) -> bool {
        match self {
            Consumers::Listed(codes) => codes.iter().any(|c| &**c == agency),
            Consumers::Any(_) => true,
        }
    }

    pub fn listed(&self) -> &[Text] {
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
    pub reference: Text,
    pub agency: Text,
    pub title: Text,
    pub consumer_agencies: Consumers,
    pub data_items: Vec<Text>,
    pub lookup_keys: Vec<Text>,
    /// Its source register is the legal master copy of the data
    /// (`source_register.is_authoritative_master`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authoritative_master: bool,
}

/// A data item as compared within one matrix: the number [`Keys`] gives the catalogue item
/// it resolves to or, for a name the catalogue does not know, its name's match key. The two
/// kinds never meet: a name the catalogue does not know is not one of its items.
pub type ItemKey = u32;
/// A lookup key, numbered by [`Keys`] likewise.
pub type LookupKey = u32;
/// An agency code, numbered by [`Keys`] likewise (codes that differ only in surrounding
/// spaces are one agency).
pub type AgencyKey = u32;

/// What is compared: data items by [`ItemKey`] (identifiers excluded), in document order
/// without repeats, each with the position of its name in the entry's `data_items`; and
/// lookup keys (with the identifiers named as items, without `other`), sorted, no repeats.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub items: Vec<(ItemKey, usize)>,
    pub keys: Vec<LookupKey>,
    /// The agency whose entry it is.
    pub agency: AgencyKey,
    /// A need's provider (`None`: `unknown`); an offer has none (it is its `agency`).
    pub provider: Option<AgencyKey>,
    /// An offer's consumers, sorted (`None`: any agency with a legal basis; a need has none).
    pub consumers: Option<Vec<AgencyKey>>,
}

impl Profile {
    /// Whether an offer with this profile is open to `agency`.
    pub fn admits(&self, agency: AgencyKey) -> bool {
        self.consumers
            .as_ref()
            .is_none_or(|codes| codes.binary_search(&agency).is_ok())
    }

    pub fn has(&self, key: ItemKey) -> bool {
        self.items.iter().any(|(k, _)| *k == key)
    }

    /// The shared items, named as `self` names them (`names`: its entry's `data_items`).
    pub fn shared_items(&self, names: &Arc<[Text]>, other: &Profile) -> Names {
        self.picked(names, |key| other.has(key))
    }

    /// `self`'s items that `other` lacks, named as `self` names them.
    pub fn missing_items(&self, names: &Arc<[Text]>, other: &Profile) -> Names {
        self.picked(names, |key| !other.has(key))
    }

    /// The names of the items that `pick` picks, in `names`' order.
    fn picked(&self, names: &Arc<[Text]>, pick: impl Fn(ItemKey) -> bool) -> Names {
        // An item is named once in `items`, at its first place in `names`: increasing.
        let positions = self.items.iter().filter(|(key, _)| pick(*key));
        Names::picked(names, positions.map(|&(_, at)| at))
    }

    /// Whether a shared item is a catalogue item.
    pub fn shares_catalogue_item(&self, other: &Profile, keys: &Keys) -> bool {
        self.items
            .iter()
            .any(|(key, _)| keys.is_catalogue_item(*key) && other.has(*key))
    }

    /// The shared lookup keys, by name, in alphabetical order.
    pub fn shared_keys(&self, other: &Profile, keys: &Keys) -> Vec<Text> {
        let mut shared: Vec<Text> = self
            .keys
            .iter()
            .filter(|k| other.keys.binary_search(k).is_ok())
            .map(|k| keys.lookup_key_name(*k).clone())
            .collect();
        shared.sort_unstable();
        shared
    }
}

/// The entries of an inventory's needs (`list` = `"needs"`) or offers (`"offers"`), as
/// submitted, in document order.
pub fn listed<'v>(data: &'v Value, list: &str) -> &'v [Value] {
    array(&data[list])
}

fn array(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or(&[])
}
