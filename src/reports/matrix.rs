//! The inter-agency data-exchange matrix, built from accepted inventories (pure: no I/O).
//!
//! Input: one accepted `data-exchange-inventory` document per agency, as `(agency, data)`
//! (a later pair for the same agency replaces an earlier one), and the case's participants.
//! Output: [`ExchangeMatrix`]. Everything is ordered by agency code, then by position in
//! the submission, so the same inventories always give the same matrix.
//!
//! # The matching rule
//! Names are compared by [`match_key`](super::normalise::match_key): Arabic ي/ك read as
//! Persian ی/ک, diacritics and tatweel dropped, digits as ASCII, lowercased, and every
//! space and half-space (ZWNJ) removed. A data item whose name is an identifier (کد ملی,
//! شناسه ملی, کد پستی, شماره کارت بازرگانی, شماره اظهارنامه گمرکی) counts as that lookup
//! key, not as a data item; the lookup key `other` is never compared.
//!
//! A need of consumer C naming provider P is matched against P's offers:
//! 1. offers of P that share at least one data item with the need and are open to C
//!    (`consumer_agencies` lists C, or is `any_with_legal_basis`) meet it (`on: data_items`);
//! 2. if P has offers sharing a data item but none is open to C, the need is unmatched:
//!    `not_offered_to_consumer`;
//! 3. if no offer of P shares a data item, offers of P open to C that share a lookup key meet
//!    it (`on: lookup_keys`, a weaker match: the same records, named differently);
//! 4. otherwise it is unmatched: `no_matching_offer`.
//!
//! A need naming `unknown` is unmatched (`provider_unknown`), as is one naming an agency
//! with no accepted inventory (`provider_has_no_accepted_inventory`). Every unmatched need
//! lists as `candidates` the offers of other agencies (any, not only the one it named) that
//! share a data item with it: where the data may be found.
//! An agency whose accepted inventory is a nil return has answered: it is on the axes with
//! no needs and no offers, and a need naming it is looked for among its (absent) offers.
//! An offer that meets no need is unused. Duplicates: see [`super::duplicates`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::duplicates::{Duplicate, duplicates};
use super::entries::{NeedEntry, OfferEntry, Profile, UNKNOWN_PROVIDER, needs_of, offers_of};
use crate::forms::is_nil_return;

/// Why a need found no offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ProviderUnknown,
    ProviderHasNoAcceptedInventory,
    NotOfferedToConsumer,
    NoMatchingOffer,
}

/// What a match rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    DataItems,
    LookupKeys,
}

/// A need and an offer that meets it, with what they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Match {
    pub need: String,
    pub offer: String,
    pub on: Basis,
    pub data_items: Vec<String>,
    pub lookup_keys: Vec<String>,
    /// The provider's accepted answer in a confirmation round, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<super::confirmations::Confirmation>,
}

/// One (consumer, provider) pair: the consumer's needs naming the provider, the provider's
/// offers that meet them, and the matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cell {
    pub consumer: String,
    pub provider: String,
    pub needs: Vec<NeedEntry>,
    pub offers: Vec<OfferEntry>,
    pub matched: Vec<Match>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnmatchedNeed {
    #[serde(flatten)]
    pub need: NeedEntry,
    pub reason: Reason,
    /// Offers of other agencies sharing a data item with the need: where the data may be.
    pub candidates: Vec<String>,
    /// The provider's accepted answer in a confirmation round, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<super::confirmations::Confirmation>,
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
    pub unused_offers: Vec<OfferEntry>,
    pub duplicates: Vec<Duplicate>,
}

/// Builds the matrix from accepted inventories; see the module documentation for the rule.
pub fn build_matrix<V: std::borrow::Borrow<Value>>(
    participants: &[String],
    inventories: &[(String, V)],
) -> ExchangeMatrix {
    let by_agency: BTreeMap<&str, &Value> = inventories
        .iter()
        .map(|(agency, data)| (agency.as_str(), data.borrow()))
        .collect();
    let needs: Vec<NeedEntry> = by_agency.iter().flat_map(|(a, d)| needs_of(a, d)).collect();
    let offers: Vec<OfferEntry> = by_agency
        .iter()
        .flat_map(|(a, d)| offers_of(a, d))
        .collect();
    let need_profiles: Vec<Profile> = needs
        .iter()
        .map(|n| Profile::of(&n.data_items, &n.lookup_keys))
        .collect();
    let offer_profiles: Vec<Profile> = offers
        .iter()
        .map(|o| Profile::of(&o.data_items, &o.lookup_keys))
        .collect();
    let mut matches = Vec::new();
    let mut unmatched_needs = Vec::new();
    for (need, profile) in needs.iter().zip(&need_profiles) {
        let outcome = if need.provider_agency == UNKNOWN_PROVIDER {
            Err(Reason::ProviderUnknown)
        } else if !by_agency.contains_key(need.provider_agency.as_str()) {
            Err(Reason::ProviderHasNoAcceptedInventory)
        } else {
            match_need(need, profile, &offers, &offer_profiles)
        };
        match outcome {
            Ok(found) => matches.extend(found),
            Err(reason) => unmatched_needs.push(UnmatchedNeed {
                need: need.clone(),
                reason,
                candidates: candidates(need, profile, &offers, &offer_profiles),
                confirmation: None,
            }),
        }
    }
    let used: BTreeSet<&str> = matches.iter().map(|m| m.offer.as_str()).collect();
    let unused_offers = offers
        .iter()
        .filter(|o| !used.contains(o.reference.as_str()))
        .cloned()
        .collect();
    ExchangeMatrix {
        agencies: agencies(participants, &by_agency, &needs, &offers),
        cells: cells(&needs, &offers, &matches),
        unmatched_needs,
        unused_offers,
        duplicates: duplicates(&needs, &need_profiles, &offers, &offer_profiles),
    }
}

/// Steps 1–4 of the rule for a need whose provider has an accepted inventory.
fn match_need(
    need: &NeedEntry,
    profile: &Profile,
    offers: &[OfferEntry],
    offer_profiles: &[Profile],
) -> Result<Vec<Match>, Reason> {
    let of_provider: Vec<(&OfferEntry, &Profile)> = offers
        .iter()
        .zip(offer_profiles)
        .filter(|(o, _)| o.agency == need.provider_agency)
        .collect();
    let open = |o: &OfferEntry| o.consumer_agencies.admits(&need.agency);
    let mut sharing_items = of_provider
        .iter()
        .filter(|(_, p)| !profile.shared_items(p).is_empty())
        .peekable();
    let basis = if sharing_items.peek().is_some() {
        if !sharing_items.any(|(o, _)| open(o)) {
            return Err(Reason::NotOfferedToConsumer);
        }
        Basis::DataItems
    } else {
        Basis::LookupKeys
    };
    let found: Vec<Match> = of_provider
        .iter()
        .filter(|(o, _)| open(o))
        .map(|(o, p)| Match {
            need: need.reference.clone(),
            offer: o.reference.clone(),
            on: basis,
            data_items: profile.shared_items(p),
            lookup_keys: profile.shared_keys(p),
            confirmation: None,
        })
        .filter(|m| match basis {
            Basis::DataItems => !m.data_items.is_empty(),
            Basis::LookupKeys => !m.lookup_keys.is_empty(),
        })
        .collect();
    if found.is_empty() {
        Err(Reason::NoMatchingOffer)
    } else {
        Ok(found)
    }
}

/// Offers of other agencies sharing a data item (an agency's own offer is not where it will
/// find what it lacks).
fn candidates(
    need: &NeedEntry,
    profile: &Profile,
    offers: &[OfferEntry],
    offer_profiles: &[Profile],
) -> Vec<String> {
    offers
        .iter()
        .zip(offer_profiles)
        .filter(|(o, p)| o.agency != need.agency && !profile.shared_items(p).is_empty())
        .map(|(o, _)| o.reference.clone())
        .collect()
}

fn cells(needs: &[NeedEntry], offers: &[OfferEntry], matches: &[Match]) -> Vec<Cell> {
    let mut cells: BTreeMap<(String, String), Cell> = BTreeMap::new();
    for need in needs
        .iter()
        .filter(|n| n.provider_agency != UNKNOWN_PROVIDER)
    {
        let key = (need.agency.clone(), need.provider_agency.clone());
        let cell = cells.entry(key).or_insert_with(|| Cell {
            consumer: need.agency.clone(),
            provider: need.provider_agency.clone(),
            needs: Vec::new(),
            offers: Vec::new(),
            matched: Vec::new(),
        });
        cell.needs.push(need.clone());
        cell.matched
            .extend(matches.iter().filter(|m| m.need == need.reference).cloned());
    }
    for cell in cells.values_mut() {
        let used: BTreeSet<&str> = cell.matched.iter().map(|m| m.offer.as_str()).collect();
        cell.offers = offers
            .iter()
            .filter(|o| used.contains(o.reference.as_str()))
            .cloned()
            .collect();
    }
    cells.into_values().collect()
}

fn agencies(
    participants: &[String],
    by_agency: &BTreeMap<&str, &Value>,
    needs: &[NeedEntry],
    offers: &[OfferEntry],
) -> Vec<AgencySummary> {
    let mut codes: BTreeSet<&str> = participants.iter().map(String::as_str).collect();
    codes.extend(by_agency.keys());
    codes.extend(needs.iter().map(|n| n.provider_agency.as_str()));
    codes.extend(
        offers
            .iter()
            .flat_map(|o| o.consumer_agencies.listed())
            .map(String::as_str),
    );
    codes.remove(UNKNOWN_PROVIDER);
    codes
        .into_iter()
        .map(|code| AgencySummary {
            code: code.to_string(),
            participant: participants.iter().any(|p| p == code),
            inventory_accepted: by_agency.contains_key(code),
            nothing_to_declare: by_agency.get(code).is_some_and(|d| is_nil_return(d)),
            needs: needs.iter().filter(|n| n.agency == code).count(),
            offers: offers.iter().filter(|o| o.agency == code).count(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
