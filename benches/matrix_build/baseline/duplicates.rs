//! Duplicate work (موازی کاری) in the inventories — what the working group exists to prevent.
//!
//! - **The same need from several agencies**: needs that name the same provider (`unknown`
//!   included) and share at least one data item. Each group is one exchange that could be
//!   built once for all of them.
//! - **The same data offered by several providers**: offers that share at least two data
//!   items, or every item of an offer that has just one. One shared item is not enough
//!   here: without a common provider, a single generic name (کد تعرفه کالا, نام کالا) would
//!   tie unrelated registers together.
//!
//! Linked entries form groups (transitively); a group is reported when its entries come
//! from at least two agencies. Identifier items do not count (see [`super::normalise`]).

use serde::{Deserialize, Serialize};

use super::entries::{NeedEntry, OfferEntry, Profile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    Need,
    Offer,
}

/// A group of needs (or offers) of several agencies for the same data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub kind: DuplicateKind,
    /// The provider the needs name (`None` for offers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub agencies: Vec<String>,
    /// The refs of the needs or offers, in agency order.
    pub entries: Vec<String>,
    /// The data items that entries of at least two agencies share.
    pub data_items: Vec<String>,
}

pub fn duplicates(
    needs: &[NeedEntry],
    need_profiles: &[Profile],
    offers: &[OfferEntry],
    offer_profiles: &[Profile],
) -> Vec<Duplicate> {
    let need_agencies: Vec<&str> = needs.iter().map(|n| n.agency.as_str()).collect();
    let need_groups = groups(need_profiles, |i, j| {
        needs[i].provider_agency == needs[j].provider_agency
            && !need_profiles[i].shared_items(&need_profiles[j]).is_empty()
    });
    let offer_agencies: Vec<&str> = offers.iter().map(|o| o.agency.as_str()).collect();
    let offer_groups = groups(offer_profiles, |i, j| {
        let (a, b) = (&offer_profiles[i], &offer_profiles[j]);
        let wanted = a.items.len().min(b.items.len()).clamp(1, 2);
        a.shared_items(b).len() >= wanted
    });
    let mut found = Vec::new();
    for group in need_groups {
        if let Some(mut duplicate) = report(&group, &need_agencies, need_profiles) {
            duplicate.kind = DuplicateKind::Need;
            duplicate.provider = Some(needs[group[0]].provider_agency.clone());
            duplicate.entries = group.iter().map(|&i| needs[i].reference.clone()).collect();
            found.push(duplicate);
        }
    }
    for group in offer_groups {
        if let Some(mut duplicate) = report(&group, &offer_agencies, offer_profiles) {
            duplicate.entries = group.iter().map(|&i| offers[i].reference.clone()).collect();
            found.push(duplicate);
        }
    }
    found
}

/// Connected components of the "linked" relation, each in index order, ordered by first
/// index. Quadratic, which is fine for a cluster's few hundred entries.
fn groups(profiles: &[Profile], linked: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..profiles.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..profiles.len() {
        for j in i + 1..profiles.len() {
            if linked(i, j) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut slot_of_root = vec![usize::MAX; profiles.len()];
    for i in 0..profiles.len() {
        let r = root(&mut parent, i);
        if slot_of_root[r] == usize::MAX {
            slot_of_root[r] = components.len();
            components.push(Vec::new());
        }
        components[slot_of_root[r]].push(i);
    }
    components
}

/// The group as a duplicate, if it spans two agencies or more.
fn report(group: &[usize], agency_of: &[&str], profiles: &[Profile]) -> Option<Duplicate> {
    let mut agencies: Vec<String> = group.iter().map(|&i| agency_of[i].to_string()).collect();
    agencies.dedup();
    if agencies.len() < 2 {
        return None;
    }
    // An item counts when entries of two different agencies in the group both have it.
    let mut data_items: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &i in group {
        for (key, name) in &profiles[i].items {
            let elsewhere = group
                .iter()
                .any(|&j| agency_of[j] != agency_of[i] && profiles[j].items.contains_key(key));
            if elsewhere && seen.insert(key.clone()) {
                data_items.push(name.clone());
            }
        }
    }
    Some(Duplicate {
        kind: DuplicateKind::Offer,
        provider: None,
        agencies,
        entries: Vec::new(),
        data_items,
    })
}
