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
//! Items compare as in the matrix: by catalogue item, else by match key.

use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap;

use super::entries::{AgencyKey, ItemKey, NeedEntry, OfferEntry, Profile, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    Need,
    Offer,
}

/// A group of needs (or offers) of several agencies for the same data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Duplicate {
    pub kind: DuplicateKind,
    /// The provider the needs name (`None` for offers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Text>,
    pub agencies: Vec<Text>,
    /// The refs of the needs or offers, in agency order.
    pub entries: Vec<Text>,
    /// The data items that entries of at least two agencies share.
    pub data_items: Vec<Text>,
}

/// The duplicates among `needs` and `offers`; `items`: how many data items their profiles
/// number (every [`ItemKey`] is below it).
pub fn duplicates(
    needs: &[NeedEntry],
    need_profiles: &[Profile],
    offers: &[OfferEntry],
    offer_profiles: &[Profile],
    items: usize,
) -> Vec<Duplicate> {
    let need_agencies: Vec<&Text> = needs.iter().map(|n| &n.agency).collect();
    let need_names: Vec<&[Text]> = needs.iter().map(|n| &n.data_items[..]).collect();
    let offer_names: Vec<&[Text]> = offers.iter().map(|o| &o.data_items[..]).collect();
    let need_groups = need_groups(need_profiles);
    let offer_agencies: Vec<&Text> = offers.iter().map(|o| &o.agency).collect();
    let offer_groups = offer_groups(offer_profiles, items);
    let mut found = Vec::new();
    for group in need_groups {
        if let Some(mut duplicate) = report(&group, &need_agencies, &need_names, need_profiles) {
            duplicate.kind = DuplicateKind::Need;
            duplicate.provider = Some(needs[group[0]].provider_agency.clone());
            duplicate.entries = group.iter().map(|&i| needs[i].reference.clone()).collect();
            found.push(duplicate);
        }
    }
    for group in offer_groups {
        if let Some(mut duplicate) = report(&group, &offer_agencies, &offer_names, offer_profiles) {
            duplicate.entries = group.iter().map(|&i| offers[i].reference.clone()).collect();
            found.push(duplicate);
        }
    }
    found
}

/// Needs naming the same provider and sharing an item: every need listed under one
/// (provider, item) is linked to the first one listed there.
fn need_groups(profiles: &[Profile]) -> Vec<Vec<usize>> {
    let mut sets = DisjointSets::new(profiles.len());
    let mut first: FxHashMap<(Option<AgencyKey>, ItemKey), usize> = FxHashMap::default();
    for (i, profile) in profiles.iter().enumerate() {
        for &(item, _) in &profile.items {
            let j = *first.entry((profile.provider, item)).or_insert(i);
            sets.join(i, j);
        }
    }
    sets.groups()
}

/// Offers sharing at least two items, or every item of an offer that has one: the shared
/// items of each pair are counted through the offers listed under each item, so only pairs
/// that share something are looked at.
fn offer_groups(profiles: &[Profile], items: usize) -> Vec<Vec<usize>> {
    let mut sets = DisjointSets::new(profiles.len());
    let mut by_item: Vec<Vec<usize>> = vec![Vec::new(); items];
    for (i, profile) in profiles.iter().enumerate() {
        for &(item, _) in &profile.items {
            by_item[item as usize].push(i);
        }
    }
    // How many items each later offer shares with the one at hand, and which offers those
    // are (the counts are put back to zero after each offer).
    let mut shared = vec![0u32; profiles.len()];
    let mut met: Vec<usize> = Vec::new();
    for (i, profile) in profiles.iter().enumerate() {
        for (item, _) in &profile.items {
            for &j in by_item[*item as usize].iter().filter(|&&j| j > i) {
                if shared[j] == 0 {
                    met.push(j);
                }
                shared[j] += 1;
            }
        }
        for j in met.drain(..) {
            let count = std::mem::take(&mut shared[j]) as usize;
            let wanted = profile.items.len().min(profiles[j].items.len()).clamp(1, 2);
            if count >= wanted {
                sets.join(i, j);
            }
        }
    }
    sets.groups()
}

/// Union-find over entry indices.
struct DisjointSets(Vec<usize>);

impl DisjointSets {
    fn new(len: usize) -> Self {
        DisjointSets((0..len).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, i: usize, j: usize) {
        let (a, b) = (self.root(i), self.root(j));
        self.0[a.max(b)] = a.min(b);
    }

    /// The connected components, each in index order, ordered by first index.
    fn groups(mut self) -> Vec<Vec<usize>> {
        let mut components: Vec<Vec<usize>> = Vec::new();
        let mut slot_of_root = vec![usize::MAX; self.0.len()];
        for i in 0..self.0.len() {
            let r = self.root(i);
            if slot_of_root[r] == usize::MAX {
                slot_of_root[r] = components.len();
                components.push(Vec::new());
            }
            components[slot_of_root[r]].push(i);
        }
        components
    }
}

/// The group as a duplicate, if it spans two agencies or more.
fn report(
    group: &[usize],
    agency_of: &[&Text],
    names: &[&[Text]],
    profiles: &[Profile],
) -> Option<Duplicate> {
    // Most groups are one entry, or entries of one agency: nothing to report.
    let first = agency_of[group[0]];
    if group.iter().all(|&i| agency_of[i] == first) {
        return None;
    }
    let mut agencies: Vec<Text> = group.iter().map(|&i| agency_of[i].clone()).collect();
    agencies.dedup();
    // An item counts when entries of two different agencies in the group both have it; it
    // is named where it first appears.
    struct Seen<'a> {
        order: usize,
        agency: &'a str,
        name: &'a Text,
        shared: bool,
    }
    let mut seen: FxHashMap<ItemKey, Seen> = FxHashMap::default();
    for &i in group {
        for &(key, at) in &profiles[i].items {
            let order = seen.len();
            let first = seen.entry(key).or_insert(Seen {
                order,
                agency: agency_of[i],
                name: &names[i][at],
                shared: false,
            });
            first.shared |= first.agency != agency_of[i];
        }
    }
    let mut shared: Vec<(usize, &Text)> = seen
        .values()
        .filter(|s| s.shared)
        .map(|s| (s.order, s.name))
        .collect();
    shared.sort();
    Some(Duplicate {
        kind: DuplicateKind::Offer,
        provider: None,
        agencies,
        entries: Vec::new(),
        data_items: shared.into_iter().map(|(_, name)| name.clone()).collect(),
    })
}
