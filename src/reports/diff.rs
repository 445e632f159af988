//! What changed between two rounds of the inventory (two inventory cases): the needs met
//! since, the needs newly unmet, the needs withdrawn, and the offers added or withdrawn.
//! Pure: two [`MatrixDocument`]s in, a [`MatrixDiff`] out.
//!
//! # Which need (or offer) is which across two rounds
//! A ref (`AGENCY/needs/N`) is a position in one submission, and positions move between
//! rounds, so a need is identified by **its agency and its title compared folded**
//! ([`match_key`]: Arabic ي/ك as Persian ی/ک, spaces, half-spaces and diacritics ignored).
//! When one agency lists several needs with the same folded title, the first of them in one
//! round is the first in the other, and so on. The same holds for offers. A need whose
//! title was reworded is, to this rule, one need withdrawn and another added.
//!
//! A need is *met* in a round when an offer meets it (it has a match in its cell).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MatrixDocument;
use super::entries::{Consumers, NeedEntry, OfferEntry, Text};
use super::normalise::match_key;

/// Where a need stands in one round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Met,
    Unmet,
    /// The agency's accepted inventory of that round has no such need.
    Absent,
}

/// A need whose standing changed between the two rounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NeedChange {
    pub agency: Text,
    /// The title as submitted in the later round it is in.
    pub title: Text,
    /// The provider it names in the later round it is in.
    pub provider_agency: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_ref: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_ref: Option<Text>,
    pub was: Standing,
    pub now: Standing,
    /// The providers it names in each round it is in (for a member's view).
    #[serde(skip)]
    providers: Vec<Text>,
}

/// An offer in one round and not in the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OfferChange {
    /// Its ref in the round it is in.
    #[serde(rename = "ref")]
    pub reference: Text,
    pub agency: Text,
    pub title: Text,
    pub consumer_agencies: Consumers,
}

/// `GET /v1/exchange-matrix/diff`: from the round `from` to the round `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatrixDiff {
    pub from: Uuid,
    pub to: Uuid,
    /// Met in `to`, unmet or absent in `from`.
    pub needs_met: Vec<NeedChange>,
    /// Unmet in `to`, met or absent in `from`.
    pub needs_unmet: Vec<NeedChange>,
    /// In `from`, not in `to`.
    pub needs_withdrawn: Vec<NeedChange>,
    pub offers_added: Vec<OfferChange>,
    pub offers_withdrawn: Vec<OfferChange>,
}

/// (agency, folded title, how many before it in that agency share the folded title).
type Identity = (String, String, usize);

/// The position in the submission a ref names (`AGENCY/needs/N` → N).
fn position(reference: &str) -> usize {
    reference
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Entries keyed by identity, from entries given as (agency, ref, title, value).
fn identify<'a, T>(mut entries: Vec<(&'a str, &'a str, &'a str, T)>) -> BTreeMap<Identity, T> {
    entries.sort_by_key(|(agency, reference, _, _)| (*agency, position(reference)));
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut keyed = BTreeMap::new();
    for (agency, _, title, value) in entries {
        let name = (agency.to_string(), match_key(title));
        let count = seen.entry(name.clone()).or_default();
        keyed.insert((name.0, name.1, *count), value);
        *count += 1;
    }
    keyed
}

/// Every need of the round with whether it is met.
fn needs(doc: &MatrixDocument) -> BTreeMap<Identity, (&NeedEntry, Standing)> {
    let m = &doc.matrix;
    let mut by_ref: BTreeMap<&str, (&NeedEntry, Standing)> = BTreeMap::new();
    for need in m.unmatched_needs.iter().map(|u| &u.need) {
        by_ref.insert(&need.reference, (need, Standing::Unmet));
    }
    for cell in &m.cells {
        for need in &cell.needs {
            let met = cell.matched.iter().any(|x| x.need == need.reference);
            let standing = if met { Standing::Met } else { Standing::Unmet };
            by_ref.entry(&need.reference).or_insert((need, standing));
        }
    }
    identify(
        by_ref
            .into_values()
            .map(|(n, s)| {
                (
                    n.agency.as_str(),
                    n.reference.as_str(),
                    n.title.as_str(),
                    (n, s),
                )
            })
            .collect(),
    )
}

/// Every offer of the round, used or not.
fn offers(doc: &MatrixDocument) -> BTreeMap<Identity, &OfferEntry> {
    let m = &doc.matrix;
    let mut by_ref: BTreeMap<&str, &OfferEntry> = BTreeMap::new();
    for offer in m
        .cells
        .iter()
        .flat_map(|c| &c.offers)
        .chain(&m.unused_offers)
    {
        by_ref.insert(&offer.reference, offer);
    }
    identify(
        by_ref
            .into_values()
            .map(|o| (o.agency.as_str(), o.reference.as_str(), o.title.as_str(), o))
            .collect(),
    )
}

fn offer_change(offer: &OfferEntry) -> OfferChange {
    OfferChange {
        reference: offer.reference.clone(),
        agency: offer.agency.clone(),
        title: offer.title.clone(),
        consumer_agencies: offer.consumer_agencies.clone(),
    }
}

/// What changed from the round `from` to the round `to` (see the module documentation).
pub fn diff(from: &MatrixDocument, to: &MatrixDocument) -> MatrixDiff {
    let (before, after) = (needs(from), needs(to));
    let mut out = MatrixDiff {
        from: from.case,
        to: to.case,
        needs_met: Vec::new(),
        needs_unmet: Vec::new(),
        needs_withdrawn: Vec::new(),
        offers_added: Vec::new(),
        offers_withdrawn: Vec::new(),
    };
    let mut keys: Vec<&Identity> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (old, new) = (before.get(key), after.get(key));
        let was = old.map_or(Standing::Absent, |(_, s)| *s);
        let now = new.map_or(Standing::Absent, |(_, s)| *s);
        let Some(&(latest, _)) = new.or(old) else {
            continue;
        };
        let change = NeedChange {
            agency: latest.agency.clone(),
            title: latest.title.clone(),
            provider_agency: latest.provider_agency.clone(),
            from_ref: old.map(|(n, _)| n.reference.clone()),
            to_ref: new.map(|(n, _)| n.reference.clone()),
            was,
            now,
            providers: [old, new]
                .into_iter()
                .flatten()
                .map(|(n, _)| n.provider_agency.clone())
                .collect(),
        };
        match (was, now) {
            (Standing::Met, Standing::Met) | (Standing::Unmet, Standing::Unmet) => {}
            (_, Standing::Met) => out.needs_met.push(change),
            (_, Standing::Unmet) => out.needs_unmet.push(change),
            (_, Standing::Absent) => out.needs_withdrawn.push(change),
        }
    }
    let (before, after) = (offers(from), offers(to));
    out.offers_added = after
        .iter()
        .filter(|(key, _)| !before.contains_key(*key))
        .map(|(_, o)| offer_change(o))
        .collect();
    out.offers_withdrawn = before
        .iter()
        .filter(|(key, _)| !after.contains_key(*key))
        .map(|(_, o)| offer_change(o))
        .collect();
    out
}

impl MatrixDiff {
    /// The part a member of `agency` reads: as for the matrix ([`MatrixDocument::seen_by`]),
    /// the needs of its agency or naming it as provider (in every round the need is in),
    /// and the offers of its agency or open to it.
    pub fn seen_by(&self, agency: &str) -> MatrixDiff {
        let need = |n: &&NeedChange| n.agency == agency || n.providers.iter().all(|p| p == agency);
        let offer = |o: &&OfferChange| o.agency == agency || o.consumer_agencies.admits(agency);
        let needs = |list: &[NeedChange]| list.iter().filter(need).cloned().collect();
        let offers = |list: &[OfferChange]| list.iter().filter(offer).cloned().collect();
        MatrixDiff {
            from: self.from,
            to: self.to,
            needs_met: needs(&self.needs_met),
            needs_unmet: needs(&self.needs_unmet),
            needs_withdrawn: needs(&self.needs_withdrawn),
            offers_added: offers(&self.offers_added),
            offers_withdrawn: offers(&self.offers_withdrawn),
        }
    }
}

#[cfg(test)]
mod tests;
