//! Reading the inventories in two parts at once: each part is read and numbered on its own
//! thread, then the second part's numbers are turned into the first's. Nothing in the matrix
//! depends on the numbers themselves, only on which entries share one.

use serde_json::Value;

use super::{AgencyKey, ItemKey, Keys, LookupKey, NeedEntry, OfferEntry, Profile, listed};
use crate::reports::catalogue_index::CatalogueIndex;

/// What the inventories say, read: every need and offer (agency order, then document
/// order) with its profile, the agencies that submitted, and the numbering they share.
pub struct Read<'c, 'v> {
    pub keys: Keys<'c, 'v>,
    pub needs: Vec<NeedEntry>,
    pub need_profiles: Vec<Profile>,
    pub offers: Vec<OfferEntry>,
    pub offer_profiles: Vec<Profile>,
    pub submitters: Vec<AgencyKey>,
}

/// From this many needs and offers in all, the inventories are read in two parts.
const SPLIT_FROM: usize = 2_000;

/// Reads `inventories` (`(agency, data)`, in agency order, one per agency): in two parts on
/// two threads when there are enough entries for it to pay, or when `split` says so.
pub fn read<'c, 'v>(
    catalogue: &'c CatalogueIndex,
    inventories: &[(&'v str, &'v Value)],
    split: Option<bool>,
) -> Read<'c, 'v> {
    let sizes: Vec<usize> = inventories
        .iter()
        .map(|(_, data)| listed(data, "needs").len() + listed(data, "offers").len())
        .collect();
    let total: usize = sizes.iter().sum();
    if inventories.len() < 2 || !split.unwrap_or(total >= SPLIT_FROM) {
        return read_part(catalogue, inventories, total);
    }
    // The second part starts after the inventory that reaches half of the entries.
    let mut so_far = 0;
    let middle = sizes
        .iter()
        .position(|&size| {
            so_far += size;
            so_far * 2 >= total
        })
        .map_or(1, |at| at + 1)
        .clamp(1, inventories.len() - 1);
    let (first, second) = inventories.split_at(middle);
    let before: usize = sizes[..middle].iter().sum();
    let (mut read, rest) = std::thread::scope(|scope| {
        let rest = scope.spawn(|| read_part(catalogue, second, total - before));
        let read = read_part(catalogue, first, before);
        let rest = rest
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, rest)
    });
    read.append(rest);
    read
}

fn read_part<'c, 'v>(
    catalogue: &'c CatalogueIndex,
    inventories: &[(&'v str, &'v Value)],
    entries: usize,
) -> Read<'c, 'v> {
    let mut keys = Keys::new(catalogue, entries);
    let count = |list| {
        let sizes = inventories.iter().map(|(_, data)| listed(data, list).len());
        sizes.sum::<usize>()
    };
    let (needs, offers) = (count("needs"), count("offers"));
    let (mut needs, mut need_profiles) = (Vec::with_capacity(needs), Vec::with_capacity(needs));
    let (mut offers, mut offer_profiles) = (Vec::with_capacity(offers), Vec::with_capacity(offers));
    let mut submitters = Vec::with_capacity(inventories.len());
    for &(agency, data) in inventories {
        let agency = keys.code(agency);
        submitters.push(agency.1);
        for (index, need) in listed(data, "needs").iter().enumerate() {
            let (need, profile) = keys.need(&agency, index, need);
            needs.push(need);
            need_profiles.push(profile);
        }
        for (index, offer) in listed(data, "offers").iter().enumerate() {
            let (offer, profile) = keys.offer(&agency, index, offer);
            offers.push(offer);
            offer_profiles.push(profile);
        }
    }
    let texts = keys.texts();
    Read {
        needs: needs.into_iter().map(|n| texts.need(n)).collect(),
        offers: offers.into_iter().map(|o| texts.offer(o)).collect(),
        keys,
        need_profiles,
        offer_profiles,
        submitters,
    }
}

impl<'c> Read<'c, '_> {
    /// `rest`, read after `self`, appended: its numbers turned into `self`'s.
    fn append(&mut self, rest: Read<'c, '_>) {
        let to = self.keys.renumbering(&rest.keys);
        let renumber = |mut profile: Profile| {
            to.profile(&mut profile);
            profile
        };
        self.need_profiles.reserve_exact(rest.need_profiles.len());
        self.offer_profiles.reserve_exact(rest.offer_profiles.len());
        self.needs.extend(rest.needs);
        self.offers.extend(rest.offers);
        self.need_profiles
            .extend(rest.need_profiles.into_iter().map(renumber));
        self.offer_profiles
            .extend(rest.offer_profiles.into_iter().map(renumber));
        self.submitters
            .extend(rest.submitters.iter().map(|&a| to.agencies[a as usize]));
    }
}

/// What each number of another [`Keys`] is in this one, by that one's numbers.
struct Renumbering {
    items: Vec<ItemKey>,
    lookup_keys: Vec<LookupKey>,
    agencies: Vec<AgencyKey>,
}

impl Renumbering {
    fn profile(&self, profile: &mut Profile) {
        for (item, _) in &mut profile.items {
            *item = self.items[*item as usize];
        }
        for key in &mut profile.keys {
            *key = self.lookup_keys[*key as usize];
        }
        profile.keys.sort_unstable();
        profile.agency = self.agencies[profile.agency as usize];
        if let Some(provider) = &mut profile.provider {
            *provider = self.agencies[*provider as usize];
        }
        if let Some(consumers) = &mut profile.consumers {
            for consumer in consumers.iter_mut() {
                *consumer = self.agencies[*consumer as usize];
            }
            consumers.sort_unstable();
        }
    }
}

impl<'c> Keys<'c, '_> {
    /// Numbers in `self` for everything `other` numbered (new ones for what `self` has not
    /// met), by `other`'s numbers. Every item `other` numbered is a catalogue item or a
    /// name's match key.
    fn renumbering(&mut self, other: &Keys<'c, '_>) -> Renumbering {
        let mut agencies = vec![0; other.agencies.len()];
        for (code, &key) in &other.agencies {
            agencies[key as usize] = self.agency(code).1;
        }
        let lookup_keys = other
            .lookup_key_names
            .iter()
            .map(|name| self.lookup_key(name))
            .collect();
        let mut items = vec![0; other.catalogue_items.len()];
        for (&id, &key) in &other.by_catalogue_id {
            items[key as usize] = self.catalogue_item(id);
        }
        for (folded, &key) in &other.by_name {
            items[key as usize] = self.named_item(folded);
        }
        Renumbering {
            items,
            lookup_keys,
            agencies,
        }
    }
}
