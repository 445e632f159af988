//! [`Keys`]: the numbering of one matrix's data items, lookup keys and agencies, and the
//! reading of each need and offer with its profile.

use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde_json::Value;

use super::{
    ANY_CONSUMER, AgencyKey, Consumers, ItemKey, LookupKey, NeedRest, OfferRest, Profile, Text,
    Texts, UNKNOWN_PROVIDER, Unwritten, array,
};
use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::normalise::{identifier_of_key, push_match_key};
use crate::reports::text::{Span, Writing};

/// The lookup key that says nothing about which register a record is in.
const OTHER_KEY: &str = "other";

/// The numbering of one matrix's data items and lookup keys, and the reading of its entries
/// with their profiles: each distinct name is read and folded once, then shared as a
/// [`Text`] and compared as a number.
pub struct Keys<'c, 'v> {
    catalogue: &'c CatalogueIndex,
    pub(super) by_name: FxHashMap<String, ItemKey>,
    pub(super) by_catalogue_id: FxHashMap<&'c str, ItemKey>,
    /// Data item names as submitted, written, and what each is: agencies type the same item
    /// the same way far more often than not. The table holds where each is written and its
    /// hash, so that looking a name up reads the few megabytes written rather than the
    /// submissions' JSON trees, and growing the table hashes nothing again.
    names: HashTable<Named>,
    /// The texts of the entries read (references, titles, item names), written one after
    /// the other; each entry's item names, in order, as one run of `item_names`.
    writing: Writing,
    item_names: Vec<Span>,
    /// Agency codes as submitted, and trimmed: each shared, and numbered.
    codes: FxHashMap<&'v str, (Text, AgencyKey)>,
    pub(super) agencies: FxHashMap<Text, AgencyKey>,
    /// Lookup keys as submitted: as shown, and as compared (`None`: `other`).
    submitted_keys: FxHashMap<&'v str, (Text, Option<LookupKey>)>,
    /// By [`ItemKey`]: whether the item is a catalogue item.
    pub(super) catalogue_items: Vec<bool>,
    lookup_keys: FxHashMap<Text, LookupKey>,
    pub(super) lookup_key_names: Vec<Text>,
    /// Scratch space for folding names.
    folded: String,
}

/// A data item name as submitted, in [`Keys`]'s table of them.
struct Named {
    hash: u64,
    /// The name as submitted.
    submitted: Span,
    /// The name as shown: `submitted` without the spaces around it.
    shown: Span,
    /// What it resolves to, when it was submitted without a `catalogue_id`.
    resolved: Option<Resolved>,
}

/// What a submitted data item is compared as.
#[derive(Clone, Copy)]
enum Resolved {
    Item(ItemKey),
    /// An identifier: the lookup key it stands for.
    LookupKey(LookupKey),
}

/// The members of a JSON object that an entry is read from, found in one pass over it
/// (`Null` for a missing one, or when `value` is not an object).
fn members<'v, const N: usize>(value: &'v Value, names: [&str; N]) -> [&'v Value; N] {
    const NULL: &Value = &Value::Null;
    let mut found = [NULL; N];
    for (name, member) in value.as_object().into_iter().flatten() {
        if let Some(at) = names.iter().position(|n| n == name) {
            found[at] = member;
        }
    }
    found
}

impl<'c, 'v> Keys<'c, 'v> {
    /// Numbering for about `entries` needs and offers.
    pub fn new(catalogue: &'c CatalogueIndex, entries: usize) -> Self {
        // Sized ahead: growing the table of names would hash every name in it again.
        // Agencies name a few items an entry, mostly in one another's words.
        Keys {
            catalogue,
            by_name: FxHashMap::with_capacity_and_hasher(entries / 2, Default::default()),
            by_catalogue_id: FxHashMap::default(),
            names: HashTable::with_capacity(entries),
            codes: FxHashMap::default(),
            agencies: FxHashMap::default(),
            submitted_keys: FxHashMap::default(),
            catalogue_items: Vec::new(),
            lookup_keys: FxHashMap::default(),
            lookup_key_names: Vec::new(),
            // A reference, a title and, for the names not seen before, about two of a few
            // dozen characters each: sized so the string seldom has to grow and be copied.
            writing: Writing::with_capacity(entries * 160),
            item_names: Vec::new(),
            folded: String::new(),
        }
    }

    /// How many agencies were numbered: every [`AgencyKey`] is below it.
    pub fn agency_count(&self) -> usize {
        self.agencies.len()
    }

    /// How many data items were numbered: every [`ItemKey`] is below it.
    pub fn item_count(&self) -> usize {
        self.catalogue_items.len()
    }

    pub fn is_catalogue_item(&self, key: ItemKey) -> bool {
        self.catalogue_items[key as usize]
    }

    pub fn lookup_key_name(&self, key: LookupKey) -> &Text {
        &self.lookup_key_names[key as usize]
    }

    fn next_item(catalogue_items: &mut Vec<bool>, catalogue: bool) -> ItemKey {
        catalogue_items.push(catalogue);
        (catalogue_items.len() - 1) as ItemKey
    }

    pub(super) fn lookup_key(&mut self, name: &str) -> LookupKey {
        if let Some(&key) = self.lookup_keys.get(name) {
            return key;
        }
        let key = self.lookup_key_names.len() as LookupKey;
        let name: Text = name.into();
        self.lookup_key_names.push(name.clone());
        self.lookup_keys.insert(name, key);
        key
    }

    /// An agency code as submitted, trimmed and shared, and its number.
    pub fn code(&mut self, code: &'v str) -> (Text, AgencyKey) {
        if let Some(known) = self.codes.get(code) {
            return known.clone();
        }
        let known = self.agency(code.trim());
        self.codes.insert(code, known.clone());
        known
    }

    /// A trimmed agency code, shared, and its number.
    pub(super) fn agency(&mut self, trimmed: &str) -> (Text, AgencyKey) {
        match self.agencies.get_key_value(trimmed) {
            Some((text, &key)) => (text.clone(), key),
            None => {
                let key = self.agencies.len() as AgencyKey;
                let text = Text::from(trimmed);
                self.agencies.insert(text.clone(), key);
                (text, key)
            }
        }
    }

    /// `AGENCY/LIST/INDEX`, written.
    fn reference(&mut self, agency: &str, list: &str, index: usize) -> Span {
        self.writing
            .write_fmt(format_args!("{agency}/{list}/{index}"))
    }

    /// The texts written, and the entries' item names among them: each entry read so far
    /// can be made whole ([`Texts::need`], [`Texts::offer`]). Entries read after it are
    /// written into a new string, and made whole by the next call.
    pub fn texts(&mut self) -> Texts {
        // The names seen point into the string handed over here: forgotten, so that a name
        // read after this is written anew rather than looked for where it no longer is.
        self.names.clear();
        Texts::new(
            std::mem::take(&mut self.writing).done(),
            std::mem::take(&mut self.item_names),
        )
    }

    /// One need of `agency`'s inventory (the `index`th) and its profile.
    pub fn need(
        &mut self,
        (agency, agency_key): &(Text, AgencyKey),
        index: usize,
        need: &'v Value,
    ) -> (Unwritten<NeedRest>, Profile) {
        let [title, provider, items, keys] = members(
            need,
            ["title", "provider_agency", "data_items", "lookup_keys"],
        );
        let mut profile = Profile {
            agency: *agency_key,
            ..Profile::default()
        };
        let provider_agency = match provider.as_str() {
            Some(code) if code.trim() != UNKNOWN_PROVIDER => {
                let (code, key) = self.code(code);
                profile.provider = Some(key);
                code
            }
            _ => UNKNOWN_PROVIDER.into(),
        };
        let (lookup_keys, data_items) = self.compared(keys, items, &mut profile);
        let entry = Unwritten {
            reference: self.reference(agency, "needs", index),
            title: self.writing.write(trimmed(title)),
            data_items,
            rest: NeedRest {
                agency: agency.clone(),
                provider_agency,
                lookup_keys,
            },
        };
        (entry, profile)
    }

    /// One offer of `agency`'s inventory (the `index`th) and its profile.
    pub fn offer(
        &mut self,
        (agency, agency_key): &(Text, AgencyKey),
        index: usize,
        offer: &'v Value,
    ) -> (Unwritten<OfferRest>, Profile) {
        let [title, consumers, items, keys, register] = members(
            offer,
            [
                "title",
                "consumer_agencies",
                "data_items",
                "lookup_keys",
                "source_register",
            ],
        );
        let mut profile = Profile {
            agency: *agency_key,
            ..Profile::default()
        };
        let consumer_agencies = match consumers {
            Value::Array(codes) => {
                let mut keys = Vec::with_capacity(codes.len());
                let mut listed = Vec::with_capacity(codes.len());
                for code in codes.iter().filter_map(Value::as_str) {
                    let (code, key) = self.code(code);
                    listed.push(code);
                    keys.push(key);
                }
                keys.sort_unstable();
                profile.consumers = Some(keys);
                Consumers::Listed(listed)
            }
            _ => Consumers::Any(ANY_CONSUMER.into()),
        };
        let (lookup_keys, data_items) = self.compared(keys, items, &mut profile);
        let entry = Unwritten {
            reference: self.reference(agency, "offers", index),
            title: self.writing.write(trimmed(title)),
            data_items,
            rest: OfferRest {
                agency: agency.clone(),
                consumer_agencies,
                lookup_keys,
                authoritative_master: members(register, ["is_authoritative_master"])[0]
                    .as_bool()
                    .unwrap_or(false),
            },
        };
        (entry, profile)
    }

    /// An entry's lookup keys and data item names as shown, each added to `profile` as what
    /// it is compared as; the profile's lookup keys left sorted, without repeats.
    fn compared(
        &mut self,
        keys: &'v Value,
        items: &'v Value,
        profile: &mut Profile,
    ) -> (Vec<Text>, Range<usize>) {
        let lookup_keys = self.lookup_keys_of(keys, profile);
        let data_items = self.data_items_of(items, profile);
        profile.keys.sort_unstable();
        profile.keys.dedup();
        (lookup_keys, data_items)
    }

    /// The entry's lookup keys as shown (lowercased), each but `other` added to `profile`.
    fn lookup_keys_of(&mut self, keys: &'v Value, profile: &mut Profile) -> Vec<Text> {
        let mut shown = Vec::new();
        for submitted in array(keys).iter().filter_map(Value::as_str) {
            let (name, key) = match self.submitted_keys.get(submitted) {
                Some(known) => known.clone(),
                None => {
                    let name: Text = submitted.trim().to_lowercase().into();
                    let key = (&*name != OTHER_KEY).then(|| self.lookup_key(&name));
                    self.submitted_keys.insert(submitted, (name.clone(), key));
                    (name, key)
                }
            };
            profile.keys.extend(key);
            shown.push(name);
        }
        shown
    }

    /// The entry's data item names as shown; each item added to `profile` as what it
    /// resolves to.
    fn data_items_of(&mut self, items: &'v Value, profile: &mut Profile) -> Range<usize> {
        let from = self.item_names.len();
        for (at, item) in array(items).iter().enumerate() {
            let [name, catalogue_id] = members(item, ["name", "catalogue_id"]);
            let submitted = name.as_str().unwrap_or_default();
            let catalogue_id = catalogue_id.as_str();
            let hash = FxBuildHasher.hash_one(submitted);
            let writing = &self.writing;
            let known = self
                .names
                .find(hash, |n| writing.read(n.submitted) == submitted)
                .map(|n| (n.shown, n.resolved));
            let (name, resolved) = match known {
                Some((shown, Some(resolved))) if catalogue_id.is_none() => (shown, resolved),
                Some((shown, _)) => {
                    let resolved = self.resolve(submitted, catalogue_id);
                    let writing = &self.writing;
                    let named = self
                        .names
                        .find_mut(hash, |n| writing.read(n.submitted) == submitted);
                    if let Some(named) = named
                        && catalogue_id.is_none()
                    {
                        named.resolved = Some(resolved);
                    }
                    (shown, resolved)
                }
                None => {
                    let written = self.writing.write(submitted);
                    let trimmed = submitted.trim_start();
                    let lead = submitted.len() - trimmed.len();
                    let shown = written.part(lead, trimmed.trim_end().len());
                    let resolved = self.resolve(submitted, catalogue_id);
                    let named = Named {
                        hash,
                        submitted: written,
                        shown,
                        resolved: catalogue_id.is_none().then_some(resolved),
                    };
                    self.names.insert_unique(hash, named, |n| n.hash);
                    (shown, resolved)
                }
            };
            match resolved {
                Resolved::LookupKey(key) => profile.keys.push(key),
                Resolved::Item(key) if !profile.has(key) => profile.items.push((key, at)),
                Resolved::Item(_) => {}
            }
            self.item_names.push(name);
        }
        from..self.item_names.len()
    }

    /// A data item resolves through the catalogue (by its `catalogue_id`, else its name),
    /// else is an identifier's lookup key, else is compared by its name.
    fn resolve(&mut self, name: &str, catalogue_id: Option<&str>) -> Resolved {
        let catalogue = self.catalogue;
        self.folded.clear();
        push_match_key(name, &mut self.folded);
        if let Some(id) = catalogue.resolve_folded(&self.folded, catalogue_id) {
            if let Some(lookup) = catalogue.lookup_key_of(id) {
                return Resolved::LookupKey(self.lookup_key(lookup));
            }
            return Resolved::Item(self.catalogue_item(id));
        }
        if let Some(lookup) = identifier_of_key(&self.folded) {
            return Resolved::LookupKey(self.lookup_key(lookup));
        }
        let folded = std::mem::take(&mut self.folded);
        let key = self.named_item(&folded);
        self.folded = folded;
        Resolved::Item(key)
    }

    /// The number of catalogue item `id`.
    pub(super) fn catalogue_item(&mut self, id: &'c str) -> ItemKey {
        let items = &mut self.catalogue_items;
        let key = self.by_catalogue_id.entry(id);
        *key.or_insert_with(|| Self::next_item(items, true))
    }

    /// The number of the item compared by the match key `folded`.
    pub(super) fn named_item(&mut self, folded: &str) -> ItemKey {
        if let Some(&key) = self.by_name.get(folded) {
            return key;
        }
        let key = Self::next_item(&mut self.catalogue_items, false);
        self.by_name.insert(folded.to_string(), key);
        key
    }
}

fn trimmed(value: &Value) -> &str {
    value.as_str().unwrap_or_default().trim()
}
