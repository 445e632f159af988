//! Steps 1–4 of the matching rule (see [`super`]) for one need, on an index of the offers
//! built once per matrix: by (provider, data item) and (provider, lookup key), and by data
//! item alone for the candidates. A need looks at the few offers that share something with
//! it, not at all of them: 31 agencies × 500 offers would be 15 500 comparisons per need.

use std::collections::{BTreeSet, HashMap};

use super::{Basis, Match, Quality, Reason};
use crate::reports::entries::{ItemKey, NeedEntry, OfferEntry, Profile};

/// What the rule found for one need: matches (offer index, match) in offer order, or why
/// not, with the offers that share only a lookup key (`lookup_key_only`).
pub enum Outcome {
    Matched(Vec<(usize, Match)>),
    Unmatched(Reason, Vec<usize>),
}

pub struct Index<'a> {
    offers: &'a [OfferEntry],
    profiles: &'a [Profile],
    /// (provider, item) → the provider's offers carrying it, in order.
    by_provider_item: HashMap<(&'a str, &'a ItemKey), Vec<usize>>,
    /// (provider, lookup key) → the provider's offers keyed by it, in order.
    by_provider_key: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// item → every offer carrying it, in order.
    by_item: HashMap<&'a ItemKey, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(offers: &'a [OfferEntry], profiles: &'a [Profile]) -> Self {
        let mut index = Index {
            offers,
            profiles,
            by_provider_item: HashMap::new(),
            by_provider_key: HashMap::new(),
            by_item: HashMap::new(),
        };
        for (i, (offer, profile)) in offers.iter().zip(profiles).enumerate() {
            let provider = offer.agency.as_str();
            for (item, _) in &profile.items {
                index
                    .by_provider_item
                    .entry((provider, item))
                    .or_default()
                    .push(i);
                index.by_item.entry(item).or_default().push(i);
            }
            for key in &profile.keys {
                let entry = index.by_provider_key.entry((provider, key.as_str()));
                entry.or_default().push(i);
            }
        }
        index
    }

    /// The offers of `provider` that share a data item (or, with `keys`, a lookup key) with
    /// the need, in offer order.
    fn sharing(&self, provider: &str, profile: &Profile, keys: bool) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        if keys {
            for key in &profile.keys {
                if let Some(list) = self.by_provider_key.get(&(provider, key.as_str())) {
                    found.extend(list);
                }
            }
        } else {
            for (item, _) in &profile.items {
                if let Some(list) = self.by_provider_item.get(&(provider, item)) {
                    found.extend(list);
                }
            }
        }
        found
    }

    /// Steps 1–4 for a need whose provider has an accepted inventory.
    pub fn match_need(&self, need: &NeedEntry, profile: &Profile) -> Outcome {
        let provider = need.provider_agency.as_str();
        let open = |i: &usize| self.offers[*i].consumer_agencies.admits(&need.agency);
        let sharing = self.sharing(provider, profile, false);
        if !sharing.is_empty() {
            let found: Vec<(usize, Match)> = sharing
                .into_iter()
                .filter(open)
                .map(|i| (i, self.make_match(need, profile, i)))
                .collect();
            return if found.is_empty() {
                Outcome::Unmatched(Reason::NotOfferedToConsumer, Vec::new())
            } else {
                Outcome::Matched(found)
            };
        }
        let by_key: Vec<usize> = self
            .sharing(provider, profile, true)
            .into_iter()
            .filter(open)
            .collect();
        if by_key.is_empty() {
            Outcome::Unmatched(Reason::NoMatchingOffer, Vec::new())
        } else {
            Outcome::Unmatched(Reason::LookupKeyOnly, by_key)
        }
    }

    fn make_match(&self, need: &NeedEntry, profile: &Profile, offer: usize) -> Match {
        let other = &self.profiles[offer];
        let missing_items = profile.missing_items(other);
        Match {
            need: need.reference.clone(),
            offer: self.offers[offer].reference.clone(),
            on: if profile.shares_catalogue_item(other) {
                Basis::CatalogueItems
            } else {
                Basis::DataItems
            },
            quality: if missing_items.is_empty() {
                Quality::Full
            } else {
                Quality::Partial
            },
            missing_items,
            data_items: profile.shared_items(other),
            lookup_keys: profile.shared_keys(other),
            confirmation: None,
        }
    }

    /// Offers of other agencies sharing a data item (an agency's own offer is not where it
    /// will find what it lacks), in offer order.
    pub fn candidates(&self, need: &NeedEntry, profile: &Profile) -> Vec<String> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        for (item, _) in &profile.items {
            if let Some(list) = self.by_item.get(item) {
                found.extend(
                    list.iter()
                        .filter(|&&i| self.offers[i].agency != need.agency),
                );
            }
        }
        found
            .into_iter()
            .map(|i| self.offers[i].reference.clone())
            .collect()
    }
}
