//! Steps 1–4 of the matching rule (see [`super`]) for one need, on an index of the offers
//! built once per matrix: each data item's offers in order (a provider's offers are a run of
//! them, and all of them are the candidates), and (provider, lookup key). A need looks at the
//! few offers that share something with it, not at all of them: 31 agencies × 500 offers
//! would be 15 500 comparisons per need. The needs are handed out in [`Runs`] to the threads
//! that match them.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;

use super::{Basis, Match, Quality, Reason};
use crate::reports::entries::{AgencyKey, Keys, LookupKey, NeedEntry, OfferEntry, Profile, Text};

/// What the rule found for one need: matches (offer index, match) in offer order, or why
/// not, with the offers that share only a lookup key (`lookup_key_only`) and the
/// `candidates` (see [`Index::candidates`]).
pub enum Outcome {
    Matched(Vec<(usize, Match)>),
    Unmatched {
        reason: Reason,
        offers: Vec<Text>,
        candidates: Vec<Text>,
    },
}

/// Why a need is unmatched, with the provider's offers that share only a lookup key.
type Unmatched = (Reason, Vec<usize>);

/// Needs are matched in runs of this many, each taken by whichever thread is free.
const RUN: usize = 256;

/// The needs to match, handed out a run at a time to the threads that match them, so that a
/// thread that has finished other work takes its share.
pub struct Runs {
    next: AtomicUsize,
    needs: usize,
}

impl Runs {
    pub fn new(needs: usize) -> Self {
        Runs {
            next: AtomicUsize::new(0),
            needs,
        }
    }

    /// Takes runs until none is left, each matched by `matched`: each run's first need and
    /// its outcomes.
    pub fn take(
        &self,
        mut matched: impl FnMut(Range<usize>) -> Vec<Outcome>,
    ) -> Vec<(usize, Vec<Outcome>)> {
        let mut taken = Vec::new();
        loop {
            let from = self.next.fetch_add(RUN, Ordering::Relaxed);
            if from >= self.needs {
                return taken;
            }
            taken.push((from, matched(from..(from + RUN).min(self.needs))));
        }
    }

    /// The outcomes of every run that `take` gave out, in the needs' order.
    pub fn joined(
        &self,
        taken: impl IntoIterator<Item = Vec<(usize, Vec<Outcome>)>>,
    ) -> Vec<Outcome> {
        let mut runs: Vec<(usize, Vec<Outcome>)> = taken.into_iter().flatten().collect();
        runs.sort_unstable_by_key(|(from, _)| *from);
        let mut outcomes = Vec::with_capacity(self.needs);
        runs.into_iter().for_each(|(_, run)| outcomes.extend(run));
        assert_eq!(outcomes.len(), self.needs, "every need matched once");
        outcomes
    }
}

pub struct Index<'a> {
    offers: &'a [OfferEntry],
    profiles: &'a [Profile],
    keys: &'a Keys<'a, 'a>,
    /// (provider, lookup key) → the provider's offers keyed by it, in order.
    by_provider_key: FxHashMap<(AgencyKey, LookupKey), Vec<usize>>,
    /// By item: every offer carrying it, in order.
    by_item: Vec<Vec<usize>>,
    /// By agency: the range of its offers. The offers come grouped by agency, so a
    /// provider's offers carrying an item are a run of that item's list.
    offers_of: Vec<Range<usize>>,
}

/// `lists` merged into one list in offer order, without repeats.
fn union<'l>(lists: impl Iterator<Item = &'l [usize]>) -> Vec<usize> {
    let mut found: Vec<usize> = lists.flatten().copied().collect();
    found.sort_unstable();
    found.dedup();
    found
}

impl<'a> Index<'a> {
    pub fn new(offers: &'a [OfferEntry], profiles: &'a [Profile], keys: &'a Keys<'a, 'a>) -> Self {
        let mut index = Index {
            offers,
            profiles,
            keys,
            by_provider_key: FxHashMap::default(),
            by_item: vec![Vec::new(); keys.item_count()],
            offers_of: vec![0..0; keys.agency_count()],
        };
        for (i, profile) in profiles.iter().enumerate() {
            let provider = profile.agency;
            let range = &mut index.offers_of[provider as usize];
            if range.start == range.end {
                *range = i..i;
            }
            assert_eq!(range.end, i, "the offers come grouped by agency");
            range.end = i + 1;
            for &(item, _) in &profile.items {
                index.by_item[item as usize].push(i);
            }
            for &key in &profile.keys {
                index
                    .by_provider_key
                    .entry((provider, key))
                    .or_default()
                    .push(i);
            }
        }
        index
    }

    /// The offers of `provider` that share a data item (or, with `keys`, a lookup key) with
    /// the need, in offer order.
    fn sharing(&self, provider: AgencyKey, profile: &Profile, keys: bool) -> Vec<usize> {
        if keys {
            union(
                profile
                    .keys
                    .iter()
                    .filter_map(|&key| self.by_provider_key.get(&(provider, key)))
                    .map(Vec::as_slice),
            )
        } else {
            let theirs = &self.offers_of[provider as usize];
            union(profile.items.iter().map(|&(item, _)| {
                let carrying = &self.by_item[item as usize];
                let from = carrying.partition_point(|&i| i < theirs.start);
                let to = from + carrying[from..].partition_point(|&i| i < theirs.end);
                &carrying[from..to]
            }))
        }
    }

    /// The rule for one need; `submitted`: by agency, whether it has an accepted inventory.
    pub fn outcome(&self, need: &NeedEntry, profile: &Profile, submitted: &[bool]) -> Outcome {
        let (reason, offers) = match profile.provider {
            None => (Reason::ProviderUnknown, Vec::new()),
            Some(provider) if !submitted[provider as usize] => {
                (Reason::ProviderHasNoAcceptedInventory, Vec::new())
            }
            Some(provider) => match self.match_need(need, provider, profile) {
                Ok(found) => return Outcome::Matched(found),
                Err(unmatched) => unmatched,
            },
        };
        Outcome::Unmatched {
            reason,
            offers: offers
                .into_iter()
                .map(|i| self.offers[i].reference.clone())
                .collect(),
            candidates: self.candidates(profile),
        }
    }

    /// Steps 1–4 for a need whose provider has an accepted inventory: its matches, or why
    /// not with the offers sharing only a lookup key.
    fn match_need(
        &self,
        need: &NeedEntry,
        provider: AgencyKey,
        profile: &Profile,
    ) -> Result<Vec<(usize, Match)>, Unmatched> {
        let open = |i: &usize| self.profiles[*i].admits(profile.agency);
        let sharing = self.sharing(provider, profile, false);
        if !sharing.is_empty() {
            let found: Vec<(usize, Match)> = sharing
                .into_iter()
                .filter(open)
                .map(|i| (i, self.make_match(need, profile, i)))
                .collect();
            return if found.is_empty() {
                Err((Reason::NotOfferedToConsumer, Vec::new()))
            } else {
                Ok(found)
            };
        }
        let mut by_key = self.sharing(provider, profile, true);
        by_key.retain(open);
        if by_key.is_empty() {
            Err((Reason::NoMatchingOffer, Vec::new()))
        } else {
            Err((Reason::LookupKeyOnly, by_key))
        }
    }

    fn make_match(&self, need: &NeedEntry, profile: &Profile, offer: usize) -> Match {
        let other = &self.profiles[offer];
        let missing_items = profile.missing_items(&need.data_items, other);
        Match {
            need: need.reference.clone(),
            offer: self.offers[offer].reference.clone(),
            on: if profile.shares_catalogue_item(other, self.keys) {
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
            data_items: profile.shared_items(&need.data_items, other),
            lookup_keys: profile.shared_keys(other, self.keys),
            confirmation: None,
        }
    }

    /// Offers of other agencies sharing a data item (an agency's own offer is not where it
    /// will find what it lacks), in offer order.
    fn candidates(&self, profile: &Profile) -> Vec<Text> {
        let mut found = union(
            profile
                .items
                .iter()
                .map(|&(item, _)| self.by_item[item as usize].as_slice()),
        );
        found.retain(|&i| self.profiles[i].agency != profile.agency);
        found
            .into_iter()
            .map(|i| self.offers[i].reference.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An outcome that says which need it was made for.
    fn made_for(need: usize) -> Outcome {
        Outcome::Unmatched {
            reason: Reason::NoMatchingOffer,
            offers: vec![need.to_string().into()],
            candidates: Vec::new(),
        }
    }

    fn need_of(outcome: &Outcome) -> usize {
        match outcome {
            Outcome::Unmatched { offers, .. } => offers[0].parse().unwrap(),
            Outcome::Matched(_) => unreachable!(),
        }
    }

    #[test]
    fn runs_taken_by_two_threads_join_in_the_needs_order() {
        let needs = 3 * RUN + 17;
        let runs = Runs::new(needs);
        let take = || runs.take(|run| run.map(made_for).collect());
        let (ours, theirs) = std::thread::scope(|scope| {
            let theirs = scope.spawn(take);
            (take(), theirs.join().unwrap())
        });
        let outcomes = runs.joined([ours, theirs]);
        let order: Vec<usize> = outcomes.iter().map(need_of).collect();
        assert_eq!(order, (0..needs).collect::<Vec<_>>());
    }

    #[test]
    fn no_needs_no_runs() {
        let runs = Runs::new(0);
        let taken = runs.take(|_| panic!("nothing to match"));
        assert!(taken.is_empty());
        assert!(runs.joined([taken]).is_empty());
    }
}
