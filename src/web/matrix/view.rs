//! What the matrix page shows, read out of the matrix document: each cell's state (its
//! needs met in full, in part, by a shared lookup key only, or not at all), the axes, and where each need and offer
//! comes from. Pure: the document and the agencies' names in, plain values out.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::reports::entries::{NeedEntry, OfferEntry};
use crate::reports::matrix::{Cell, Match, UnmatchedNeed};
use crate::reports::{MatrixDocument, Quality, QualityCounts, Reason};

/// How far a need is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Met {
    /// An offer carries every data item the need asks for.
    Full,
    /// Offers carry some of its data items.
    Partial,
    /// The provider's offers share only a lookup key with it: unmet, but shown apart.
    LookupKeyOnly,
    None,
}

/// A cell's state, from the states of its needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    Matched,
    Partial,
    Unmatched,
}

impl CellState {
    pub fn class(self) -> &'static str {
        match self {
            CellState::Matched => "m-full",
            CellState::Partial => "m-part",
            CellState::Unmatched => "m-none",
        }
    }

    /// The symbol beside the counts, so the state does not rest on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            CellState::Matched => "✓",
            CellState::Partial => "◐",
            CellState::Unmatched => "✕",
        }
    }
}

/// How far `need` is met: by the quality of its best match in `matched`, else by its reason
/// in `unmatched`.
pub fn need_met(need: &NeedEntry, matched: &[Match], unmatched: &[UnmatchedNeed]) -> Met {
    let mut found = matched
        .iter()
        .filter(|m| m.need == need.reference)
        .peekable();
    if found.peek().is_some() {
        return if found.any(|m| m.quality == Quality::Full) {
            Met::Full
        } else {
            Met::Partial
        };
    }
    let lookup_only = unmatched
        .iter()
        .any(|u| u.need.reference == need.reference && u.reason == Reason::LookupKeyOnly);
    if lookup_only {
        Met::LookupKeyOnly
    } else {
        Met::None
    }
}

/// A cell's counts, as the matrix gives them, and the state they make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCounts(pub QualityCounts);

impl CellCounts {
    pub fn of(cell: &Cell) -> Self {
        CellCounts(cell.counts)
    }

    pub fn needs(self) -> usize {
        self.0.needs()
    }

    pub fn met(self) -> usize {
        self.0.met()
    }

    /// A lookup key shared is not a need met: such a cell is partial only when an offer
    /// meets some need.
    pub fn state(self) -> CellState {
        if self.0.full == self.needs() {
            CellState::Matched
        } else if self.met() == 0 {
            CellState::Unmatched
        } else {
            CellState::Partial
        }
    }
}

/// The page's reading of one matrix document.
pub struct MatrixView<'a> {
    pub document: &'a MatrixDocument,
    /// Agency code → name in the reader's language.
    pub names: &'a BTreeMap<String, String>,
    /// The agency whose part a member reads; `None` for staff, who read it whole.
    pub focus: Option<&'a str>,
    /// Whether the reader opens submissions on the review page (secretariat, admin).
    pub reviews: bool,
}

impl MatrixView<'_> {
    /// The agencies on both axes: every agency of the matrix for staff; for a member, its
    /// own and those it shares a cell with.
    pub fn axes(&self) -> Vec<&str> {
        let m = &self.document.matrix;
        match self.focus {
            None => m.agencies.iter().map(|a| a.code.as_str()).collect(),
            Some(own) => m
                .agencies
                .iter()
                .map(|a| a.code.as_str())
                .filter(|code| {
                    *code == own
                        || m.cells
                            .iter()
                            .any(|c| c.consumer == *code || c.provider == *code)
                })
                .collect(),
        }
    }

    pub fn cell(&self, consumer: &str, provider: &str) -> Option<&Cell> {
        self.document
            .matrix
            .cells
            .iter()
            .find(|c| c.consumer == consumer && c.provider == provider)
    }

    /// The agency's name (its code when the register has none).
    pub fn name<'b>(&'b self, code: &'b str) -> &'b str {
        self.names.get(code).map_or(code, String::as_str)
    }

    /// The page of the submission a need or offer (`AGENCY/needs/N`) comes from, when the
    /// reader may open it.
    pub fn submission_href(&self, reference: &str) -> Option<String> {
        let agency = reference.split('/').next()?;
        let source = self.document.sources.iter().find(|s| s.agency == agency)?;
        Some(task_href(source.task, self.reviews))
    }

    /// The offer named `reference`, wherever the document carries it.
    pub fn offer(&self, reference: &str) -> Option<&OfferEntry> {
        let m = &self.document.matrix;
        m.cells
            .iter()
            .flat_map(|c| &c.offers)
            .chain(&m.unused_offers)
            .find(|o| o.reference == reference)
            .map(|o| &**o)
    }

    /// The need named `reference`, wherever the document carries it.
    pub fn need(&self, reference: &str) -> Option<&NeedEntry> {
        let m = &self.document.matrix;
        m.cells
            .iter()
            .flat_map(|c| &c.needs)
            .chain(m.unmatched_needs.iter().map(|u| &u.need))
            .find(|n| n.reference == reference)
    }
}

fn task_href(task: Uuid, reviews: bool) -> String {
    if reviews {
        format!("/tasks/{task}/review")
    } else {
        format!("/tasks/{task}")
    }
}
