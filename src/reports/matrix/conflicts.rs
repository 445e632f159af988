//! Conflicts of authoritative masters: one data item that two or more providers each claim
//! to hold as the legal master copy (`source_register.is_authoritative_master` on their
//! offers). At most one register can be the master; the others are replicas, or the same
//! register is being built twice — the duplicate work the working group exists to stop.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::reports::entries::{ItemKey, OfferEntry, Profile, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Conflict {
    /// The item, named as the first of the offers names it.
    pub item: Text,
    /// The providers' codes, in order.
    pub providers: Vec<Text>,
    /// The offers that make the claim, in order.
    pub offers: Vec<Text>,
}

/// The conflicts among `offers`, ordered by their first offer, then by the item's place in it.
pub fn conflicts(offers: &[OfferEntry], profiles: &[Profile]) -> Vec<Conflict> {
    let mut claims: FxHashMap<ItemKey, (usize, usize, Conflict)> = FxHashMap::default();
    for (i, (offer, profile)) in offers.iter().zip(profiles).enumerate() {
        if !offer.authoritative_master {
            continue;
        }
        for (position, &(key, at)) in profile.items.iter().enumerate() {
            let (_, _, conflict) = claims.entry(key).or_insert_with(|| {
                let conflict = Conflict {
                    item: offer.data_items[at].clone(),
                    providers: Vec::new(),
                    offers: Vec::new(),
                };
                (i, position, conflict)
            });
            if conflict.providers.last() != Some(&offer.agency) {
                conflict.providers.push(offer.agency.clone());
            }
            conflict.offers.push(offer.reference.clone());
        }
    }
    let mut found: Vec<(usize, usize, Conflict)> = claims
        .into_values()
        .filter(|(_, _, c)| c.providers.len() >= 2)
        .collect();
    found.sort_by_key(|(offer, position, _)| (*offer, *position));
    found.into_iter().map(|(_, _, c)| c).collect()
}
