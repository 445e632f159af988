//! The inter-agency data-exchange matrix, built from accepted inventories (pure: no I/O).
//!
//! Input: one accepted `data-exchange-inventory` document per agency, as `(agency, data)`
//! (a later pair for the same agency — the same code, surrounding spaces aside — replaces
//! an earlier one), the case's participants, and the catalogue of data items. Output:
//! [`ExchangeMatrix`]. Everything is ordered by agency code, then by position in the
//! submission, so the same inventories always give the same matrix. Names are shown as
//! submitted (trimmed), never in their folded spelling.
//!
//! # The matching rule
//! A data item that the [`CatalogueIndex`] resolves (by its `catalogue_id`, or its name or a
//! synonym) is compared as that catalogue item; any other by its name's
//! [`match_key`](super::normalise::match_key) (Arabic ي/ك, hamza and ezafe variants, ZWNJ,
//! bidi marks and punctuation folded). A data item that is an identifier (کد ملی, ایران کد,
//! شماره ثبت سفارش, …, or a catalogue item marked as one) counts as that lookup key, not
//! as a data item; the lookup key `other` is never compared.
//!
//! A need of consumer C naming provider P is matched against P's offers:
//! 1. each offer of P that shares at least one data item with the need and is open to C
//!    (`consumer_agencies` lists C, or is `any_with_legal_basis`) meets it: `full` when it
//!    carries every data item of the need, else `partial` with the `missing_items`;
//!    `on: catalogue_items` when a shared item is a catalogue item, else `data_items`;
//! 2. if P has offers sharing a data item but none is open to C, the need is unmatched:
//!    `not_offered_to_consumer`;
//! 3. if no offer of P shares a data item but offers of P open to C share a lookup key, the
//!    need is unmatched, `lookup_key_only`, naming those `offers`: the same records, but
//!    nothing says the data wanted is in them — a gap, not a match;
//! 4. otherwise it is unmatched: `no_matching_offer`.
//!
//! A need naming `unknown` is unmatched (`provider_unknown`), as is one naming an agency
//! with no accepted inventory (`provider_has_no_accepted_inventory`). Every unmatched need
//! lists as `candidates` the offers of other agencies (any, not only the one it named) that
//! share a data item with it: where the data may be found.
//! An agency whose accepted inventory is a nil return has answered: it is on the axes with
//! no needs and no offers, and a need naming it is looked for among its (absent) offers.
//! An offer that meets no need is unused. Duplicates: see [`super::duplicates`]; conflicts
//! of authoritative masters: see [`conflicts`].

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::catalogue_index::CatalogueIndex;
use super::duplicates::{Duplicate, duplicates};
use super::entries::{
    AgencyKey, Names, NeedEntry, OfferEntry, Profile, Read, Text, UNKNOWN_PROVIDER, read,
};
use crate::forms::is_nil_return;

pub mod conflicts;
mod counts;
mod matching;

pub use conflicts::Conflict;
pub use counts::{QualityCounts, totals};
use matching::{Index, Outcome, Runs};

/// Why a need found no offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ProviderUnknown,
    ProviderHasNoAcceptedInventory,
    NotOfferedToConsumer,
    /// The provider's open offers share only a lookup key with the need.
    LookupKeyOnly,
    NoMatchingOffer,
}

/// What a match rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Data items whose names meet after normalising.
    DataItems,
    /// At least one shared data item is a catalogue item.
    CatalogueItems,
}

/// How much of a need an offer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    /// Every data item of the need.
    Full,
    /// Some: the rest are the match's `missing_items`.
    Partial,
}

/// A need and an offer that meets it, with what they share and what the offer lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Match {
    pub need: Text,
    pub offer: Text,
    pub on: Basis,
    pub quality: Quality,
    /// The need's data items the offer does not carry, named as the need names them.
    pub missing_items: Names,
    /// The shared data items, named as the need names them.
    pub data_items: Names,
    pub lookup_keys: Vec<Text>,
    /// The provider's accepted answer in a confirmation round, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Box<super::confirmations::Confirmation>>,
}

/// One (consumer, provider) pair: the consumer's needs naming the provider, the provider's
/// offers that meet them, the matches, and how many needs are met how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cell {
    pub consumer: Text,
    pub provider: Text,
    pub needs: Vec<NeedEntry>,
    /// Shared with the other cells the same offers meet needs in.
    pub offers: Vec<Arc<OfferEntry>>,
    pub matched: Vec<Match>,
    pub counts: QualityCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnmatchedNeed {
    #[serde(flatten)]
    pub need: NeedEntry,
    pub reason: Reason,
    /// Offers of other agencies sharing a data item with the need: where the data may be.
    pub candidates: Vec<Text>,
    /// `lookup_key_only`: the provider's open offers that share only a lookup key with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Text>,
    /// The provider's accepted answer in a confirmation round, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Box<super::confirmations::Confirmation>>,
}

/// An agency on the matrix's axes: a participant, a submitter, or an agency named by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgencySummary {
    pub code: String,
    pub participant: bool,
    pub inventory_accepted: bool,
    /// Its accepted inventory is a nil return: it answered, with nothing to declare.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nothing_to_declare: bool,
    pub needs: usize,
    pub offers: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExchangeMatrix {
    pub agencies: Vec<AgencySummary>,
    pub cells: Vec<Cell>,
    pub unmatched_needs: Vec<UnmatchedNeed>,
    pub unused_offers: Vec<Arc<OfferEntry>>,
    pub duplicates: Vec<Duplicate>,
    pub conflicts: Vec<Conflict>,
    /// Every need counted once by how it is met: the cells' counts, and the needs naming
    /// `unknown` (which have no cell) as `none`.
    pub totals: QualityCounts,
}

/// Builds the matrix from accepted inventories; see the module documentation for the rule.
/// Pass `&CatalogueIndex::default()` to match on names alone.
pub fn build_matrix<V: std::borrow::Borrow<Value>>(
    participants: &[String],
    inventories: &[(String, V)],
    catalogue: &CatalogueIndex,
) -> ExchangeMatrix {
    build(participants, inventories, catalogue, None)
}

/// [`build_matrix`], with the inventories read in two parts or one as `split` says (`None`:
/// as their size says).
fn build<V: std::borrow::Borrow<Value>>(
    participants: &[String],
    inventories: &[(String, V)],
    catalogue: &CatalogueIndex,
    split: Option<bool>,
) -> ExchangeMatrix {
    let by_agency: BTreeMap<&str, &Value> = inventories
        .iter()
        .map(|(agency, data)| (agency.trim(), data.borrow()))
        .collect();
    let inventories: Vec<(&str, &Value)> = by_agency.iter().map(|(&a, &d)| (a, d)).collect();
    let Read {
        keys,
        needs,
        need_profiles,
        offers,
        offer_profiles,
        submitters,
    } = read(catalogue, &inventories, split);
    let mut submitted = vec![false; keys.agency_count()];
    submitters
        .into_iter()
        .for_each(|a| submitted[a as usize] = true);
    let index = Index::new(&offers, &offer_profiles, &keys);
    // Duplicates and conflicts read what matching reads and nothing it writes: they are
    // found on a second thread meanwhile, which then takes its share of the needs.
    let runs = Runs::new(needs.len());
    let match_runs = || {
        runs.take(|run| {
            let pairs = needs[run.clone()].iter().zip(&need_profiles[run]);
            let outcome = |(need, profile)| index.outcome(need, profile, &submitted);
            pairs.map(outcome).collect()
        })
    };
    let (ours, (theirs, duplicates, conflicts)) = std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            let duplicates = duplicates(
                &needs,
                &need_profiles,
                &offers,
                &offer_profiles,
                keys.item_count(),
            );
            let conflicts = conflicts::conflicts(&offers, &offer_profiles);
            (match_runs(), duplicates, conflicts)
        });
        let ours = match_runs();
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ours, others)
    });
    let mut outcomes = runs.joined([ours, theirs]);
    let mut used = vec![false; offers.len()];
    let mut unmatched_needs = Vec::new();
    for (need, outcome) in needs.iter().zip(&mut outcomes) {
        match outcome {
            Outcome::Matched(found) => found.iter().for_each(|(i, _)| used[*i] = true),
            Outcome::Unmatched {
                reason,
                offers,
                candidates,
            } => unmatched_needs.push(UnmatchedNeed {
                need: need.clone(),
                reason: *reason,
                candidates: std::mem::take(candidates),
                offers: std::mem::take(offers),
                confirmation: None,
            }),
        }
    }
    let agencies = agencies(participants, &by_agency, &needs, &offers);
    drop(index);
    // Each offer is shared by the cells it meets needs in, or listed as unused.
    let offers: Vec<Arc<OfferEntry>> = offers.into_iter().map(Arc::new).collect();
    let unused_offers = offers
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(o, _)| o.clone())
        .collect();
    let cells = cells(needs, &need_profiles, &offers, outcomes);
    ExchangeMatrix {
        agencies,
        totals: totals(&cells, &unmatched_needs),
        cells,
        unmatched_needs,
        unused_offers,
        duplicates,
        conflicts,
    }
}

/// The cells in (consumer, provider) order, each need and match moved into its own.
fn cells(
    needs: Vec<NeedEntry>,
    profiles: &[Profile],
    offers: &[Arc<OfferEntry>],
    outcomes: Vec<Outcome>,
) -> Vec<Cell> {
    // Each (consumer, provider) pair numbered where it first appears, then put in order.
    let mut pairs: FxHashMap<(AgencyKey, AgencyKey), usize> = FxHashMap::default();
    let mut firsts: Vec<usize> = Vec::new();
    let place_of: Vec<Option<usize>> = profiles
        .iter()
        .enumerate()
        .map(|(i, profile)| {
            let provider = profile.provider?;
            let next = firsts.len();
            let place = *pairs.entry((profile.agency, provider)).or_insert(next);
            if place == next {
                firsts.push(i);
            }
            Some(place)
        })
        .collect();
    let pair = |i: usize| (&*needs[i].agency, &*needs[i].provider_agency);
    let mut order: Vec<usize> = (0..firsts.len()).collect();
    order.sort_unstable_by(|&a, &b| pair(firsts[a]).cmp(&pair(firsts[b])));
    let mut rank = vec![0; order.len()];
    order
        .iter()
        .enumerate()
        .for_each(|(at, &place)| rank[place] = at);
    let mut cells: Vec<(Cell, Vec<usize>)> = order
        .iter()
        .map(|&place| {
            let need = &needs[firsts[place]];
            let cell = Cell {
                consumer: need.agency.clone(),
                provider: need.provider_agency.clone(),
                needs: Vec::new(),
                offers: Vec::new(),
                matched: Vec::new(),
                counts: QualityCounts::default(),
            };
            (cell, Vec::new())
        })
        .collect();
    for ((need, outcome), place) in needs.into_iter().zip(outcomes).zip(place_of) {
        let Some(place) = place else { continue };
        let (cell, used) = &mut cells[rank[place]];
        cell.counts.count(&outcome);
        cell.needs.push(need);
        if let Outcome::Matched(found) = outcome {
            for (offer, m) in found {
                used.push(offer);
                cell.matched.push(m);
            }
        }
    }
    cells
        .into_iter()
        .map(|(mut cell, mut used)| {
            used.sort_unstable();
            used.dedup();
            cell.offers = used.into_iter().map(|i| offers[i].clone()).collect();
            cell
        })
        .collect()
}

fn agencies(
    participants: &[String],
    by_agency: &BTreeMap<&str, &Value>,
    needs: &[NeedEntry],
    offers: &[OfferEntry],
) -> Vec<AgencySummary> {
    // Thousands of needs and offers name the same few dozen codes: gathered in a hash set,
    // then put in order once.
    let mut codes: FxHashSet<&str> = participants.iter().map(String::as_str).collect();
    codes.extend(by_agency.keys());
    codes.extend(needs.iter().map(|n| n.provider_agency.as_str()));
    codes.extend(
        offers
            .iter()
            .flat_map(|o| o.consumer_agencies.listed())
            .map(Text::as_str),
    );
    codes.remove(UNKNOWN_PROVIDER);
    let mut codes: Vec<&str> = codes.into_iter().collect();
    codes.sort_unstable();
    let mut need_count: FxHashMap<&str, usize> = FxHashMap::default();
    needs
        .iter()
        .for_each(|n| *need_count.entry(&n.agency).or_default() += 1);
    let mut offer_count: FxHashMap<&str, usize> = FxHashMap::default();
    offers
        .iter()
        .for_each(|o| *offer_count.entry(&o.agency).or_default() += 1);
    codes
        .into_iter()
        .map(|code| AgencySummary {
            code: code.to_string(),
            participant: participants.iter().any(|p| p == code),
            inventory_accepted: by_agency.contains_key(code),
            nothing_to_declare: by_agency.get(code).is_some_and(|d| is_nil_return(d)),
            needs: need_count.get(code).copied().unwrap_or(0),
            offers: offer_count.get(code).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests;
