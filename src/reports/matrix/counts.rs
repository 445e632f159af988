//! How many needs are met how, per cell and for the whole matrix: met in full, in part, by a
//! shared lookup key only (which counts as unmet), or not at all. A need met by several
//! offers counts once, by its best match.

use serde::{Deserialize, Serialize};

use super::matching::Outcome;
use super::{Cell, Quality, Reason, UnmatchedNeed};
use crate::reports::entries::UNKNOWN_PROVIDER;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct QualityCounts {
    pub full: usize,
    pub partial: usize,
    pub lookup_key_only: usize,
    pub none: usize,
}

impl QualityCounts {
    pub(super) fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Matched(found) if found.iter().any(|(_, m)| m.quality == Quality::Full) => {
                self.full += 1
            }
            Outcome::Matched(_) => self.partial += 1,
            Outcome::Unmatched {
                reason: Reason::LookupKeyOnly,
                ..
            } => self.lookup_key_only += 1,
            Outcome::Unmatched { .. } => self.none += 1,
        }
    }

    pub fn needs(&self) -> usize {
        self.full + self.partial + self.lookup_key_only + self.none
    }

    /// Needs an offer meets, in full or in part.
    pub fn met(&self) -> usize {
        self.full + self.partial
    }

    fn add(&mut self, other: &QualityCounts) {
        self.full += other.full;
        self.partial += other.partial;
        self.lookup_key_only += other.lookup_key_only;
        self.none += other.none;
    }
}

/// The counts of `cells`, and the needs of `unmatched` naming `unknown` (they have no cell)
/// as `none`: every need once. The same sum for a member's part of the matrix.
pub fn totals(cells: &[Cell], unmatched: &[UnmatchedNeed]) -> QualityCounts {
    let mut totals = QualityCounts::default();
    cells.iter().for_each(|c| totals.add(&c.counts));
    totals.none += unmatched
        .iter()
        .filter(|u| u.need.provider_agency == UNKNOWN_PROVIDER)
        .count();
    totals
}
