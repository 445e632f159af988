//! Needs and offers read out of accepted inventory documents, and the comparable profile of
//! each: its data items by catalogue item or match key, and its lookup keys. The documents passed the form's
//! schema at submission, so missing fields are read as empty rather than refused.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::catalogue_index::CatalogueIndex;
use super::normalise::{identifier_of_key, push_match_key, shown};

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

/// A data item as compared within one matrix: the number [`Keys`] gives the catalogue item
/// it resolves to or, for a name the catalogue does not know, its name's match key. The two
/// kinds never meet: a name the catalogue does not know is not one of its items.
pub type ItemKey = u32;
/// A lookup key, numbered by [`Keys`] likewise.
pub type LookupKey = u32;

/// What is compared: data items by [`ItemKey`] (identifiers excluded), in document order
/// without repeats, each with the position of its name in the entry's `data_items`; and
/// lookup keys (with the identifiers named as items, without `other`), sorted, no repeats.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub items: Vec<(ItemKey, usize)>,
    pub keys: Vec<LookupKey>,
}

impl Profile {
    pub fn has(&self, key: ItemKey) -> bool {
        self.items.iter().any(|(k, _)| *k == key)
    }

    /// The shared items, named as `self` names them (`names`: its entry's `data_items`).
    pub fn shared_items(&self, names: &[String], other: &Profile) -> Vec<String> {
        self.items
            .iter()
            .filter(|(key, _)| other.has(*key))
            .map(|(_, at)| names[*at].clone())
            .collect()
    }

    /// `self`'s items that `other` lacks, named as `self` names them.
    pub fn missing_items(&self, names: &[String], other: &Profile) -> Vec<String> {
        self.items
            .iter()
            .filter(|(key, _)| !other.has(*key))
            .map(|(_, at)| names[*at].clone())
            .collect()
    }

    /// Whether a shared item is a catalogue item.
    pub fn shares_catalogue_item(&self, other: &Profile, keys: &Keys) -> bool {
        self.items
            .iter()
            .any(|(key, _)| keys.is_catalogue_item(*key) && other.has(*key))
    }

    /// The shared lookup keys, by name, in alphabetical order.
    pub fn shared_keys(&self, other: &Profile, keys: &Keys) -> Vec<String> {
        let mut shared: Vec<String> = self
            .keys
            .iter()
            .filter(|k| other.keys.binary_search(k).is_ok())
            .map(|k| keys.lookup_key_name(*k).to_string())
            .collect();
        shared.sort_unstable();
        shared
    }
}

/// The numbering of one matrix's data items and lookup keys, and the profiles it builds:
/// each distinct name is folded once, and compared afterwards as a number.
pub struct Keys<'c, 'v> {
    catalogue: &'c CatalogueIndex,
    by_name: FxHashMap<String, ItemKey>,
    by_catalogue_id: FxHashMap<&'c str, ItemKey>,
    /// Names as submitted (without a `catalogue_id`) already resolved: agencies type the
    /// same item the same way far more often than not.
    by_submitted_name: FxHashMap<&'v str, Resolved>,
    /// By [`ItemKey`]: whether the item is a catalogue item.
    catalogue_items: Vec<bool>,
    lookup_keys: FxHashMap<String, LookupKey>,
    lookup_key_names: Vec<String>,
    /// Scratch space for folding names.
    folded: String,
    word: Vec<char>,
}

/// What a submitted data item is compared as.
#[derive(Clone, Copy)]
enum Resolved {
    Item(ItemKey),
    /// An identifier: the lookup key it stands for.
    LookupKey(LookupKey),
}

impl<'c, 'v> Keys<'c, 'v> {
    pub fn new(catalogue: &'c CatalogueIndex) -> Self {
        Keys {
            catalogue,
            by_name: FxHashMap::default(),
            by_catalogue_id: FxHashMap::default(),
            by_submitted_name: FxHashMap::default(),
            catalogue_items: Vec::new(),
            lookup_keys: FxHashMap::default(),
            lookup_key_names: Vec::new(),
            folded: String::new(),
            word: Vec::new(),
        }
    }

    /// How many data items were numbered: every [`ItemKey`] is below it.
    pub fn item_count(&self) -> usize {
        self.catalogue_items.len()
    }

    pub fn is_catalogue_item(&self, key: ItemKey) -> bool {
        self.catalogue_items[key as usize]
    }

    pub fn lookup_key_name(&self, key: LookupKey) -> &str {
        &self.lookup_key_names[key as usize]
    }

    fn next_item(catalogue_items: &mut Vec<bool>, catalogue: bool) -> ItemKey {
        catalogue_items.push(catalogue);
        (catalogue_items.len() - 1) as ItemKey
    }

    fn lookup_key(&mut self, name: &str) -> LookupKey {
        if let Some(&key) = self.lookup_keys.get(name) {
            return key;
        }
        let key = self.lookup_key_names.len() as LookupKey;
        self.lookup_key_names.push(name.to_string());
        self.lookup_keys.insert(name.to_string(), key);
        key
    }

    /// The profile of one need or offer: `entry` as submitted, `lookup_keys` as read by
    /// [`needs_of`] and [`offers_of`].
    pub fn profile(&mut self, entry: &'v Value, lookup_keys: &[String]) -> Profile {
        let mut profile = Profile::default();
        for key in lookup_keys.iter().filter(|k| *k != OTHER_KEY) {
            let key = self.lookup_key(key);
            profile.keys.push(key);
        }
        let items = entry["data_items"].as_array().map(Vec::as_slice);
        for (at, item) in items.unwrap_or(&[]).iter().enumerate() {
            let name = item["name"].as_str().unwrap_or_default();
            let resolved = match item["catalogue_id"].as_str() {
                None => match self.by_submitted_name.get(name) {
                    Some(&resolved) => resolved,
                    None => {
                        let resolved = self.resolve(name, None);
                        self.by_submitted_name.insert(name, resolved);
                        resolved
                    }
                },
                catalogue_id => self.resolve(name, catalogue_id),
            };
            match resolved {
                Resolved::LookupKey(key) => profile.keys.push(key),
                Resolved::Item(key) if !profile.has(key) => profile.items.push((key, at)),
                Resolved::Item(_) => {}
            }
        }
        profile.keys.sort_unstable();
        profile.keys.dedup();
        profile
    }

    /// A data item resolves through the catalogue (by its `catalogue_id`, else its name),
    /// else is an identifier's lookup key, else is compared by its name.
    fn resolve(&mut self, name: &str, catalogue_id: Option<&str>) -> Resolved {
        let catalogue = self.catalogue;
        self.folded.clear();
        push_match_key(name, &mut self.folded, &mut self.word);
        if let Some(id) = catalogue.resolve_folded(&self.folded, catalogue_id) {
            if let Some(lookup) = catalogue.lookup_key_of(id) {
                return Resolved::LookupKey(self.lookup_key(lookup));
            }
            let items = &mut self.catalogue_items;
            let key = self.by_catalogue_id.entry(id);
            return Resolved::Item(*key.or_insert_with(|| Self::next_item(items, true)));
        }
        if let Some(lookup) = identifier_of_key(&self.folded) {
            return Resolved::LookupKey(self.lookup_key(lookup));
        }
        if let Some(&key) = self.by_name.get(self.folded.as_str()) {
            return Resolved::Item(key);
        }
        let key = Self::next_item(&mut self.catalogue_items, false);
        self.by_name.insert(self.folded.clone(), key);
        Resolved::Item(key)
    }
}

/// The entries of an inventory's needs (`list` = `"needs"`) or offers (`"offers"`), as
/// submitted, in document order.
pub fn listed<'v>(data: &'v Value, list: &str) -> &'v [Value] {
    data[list].as_array().map(Vec::as_slice).unwrap_or(&[])
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
    listed(data, "needs")
        .iter()
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
    listed(data, "offers")
        .iter()
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
