//! Reports: the inter-agency data-exchange matrix ([`matrix`]) and the secretariat's status
//! board ([`board`]), with their CSV exports ([`csv`]).
//!
//! Both are derived from a case alone and built when asked for, not stored: a case's state
//! changes with every command, and rewriting a 31-row board and a matrix of every accepted
//! inventory in each command's transaction was most of the bytes the writer wrote.
//! `engine::case_board` and `engine::case_matrix` build each alone from the engine's cached
//! case state, outside the case's lock, kept per case version; `daftar report` builds from a
//! replay. Everything here is pure: no I/O, no clock, nothing of the engine.

pub mod board;
pub mod catalogue_index;
pub mod confirmations;
pub mod csv;
pub mod diff;
pub mod duplicates;
pub mod entries;
pub mod matrix;
pub mod normalise;
pub mod services;
pub mod text;
pub mod visibility;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{CaseState, TaskStatus};

pub use board::{Board, Locale, build_board};
pub use matrix::{Basis, ExchangeMatrix, Quality, QualityCounts, Reason, build_matrix};
pub use text::Text;

/// The form whose accepted submissions feed the matrix.
pub const INVENTORY_FORM: &str = "data-exchange-inventory";

/// The accepted submission an agency's part of the matrix comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Source {
    pub agency: String,
    pub task: Uuid,
    pub submission: Uuid,
}

/// The `matrix` document: the matrix and what it was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatrixDocument {
    pub case: Uuid,
    pub sources: Vec<Source>,
    #[serde(flatten)]
    pub matrix: ExchangeMatrix,
}

/// True when the case collects data-exchange inventories (its tasks carry that form).
pub fn is_inventory_case(state: &CaseState) -> bool {
    state
        .tasks
        .iter()
        .any(|t| t.form.as_deref() == Some(INVENTORY_FORM))
}

/// The matrix of an inventory case from its accepted submissions (`None` for other cases),
/// its data items resolved through `catalogue`.
/// A task's last submission is the one accepted: a returned one is always resubmitted.
pub fn matrix_document(
    state: &CaseState,
    catalogue: &catalogue_index::CatalogueIndex,
) -> Option<MatrixDocument> {
    if !is_inventory_case(state) {
        return None;
    }
    let accepted: Vec<(Source, &serde_json::Value)> = state
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Accepted && t.form.as_deref() == Some(INVENTORY_FORM))
        .filter_map(|t| {
            let agency = t.agency.clone()?;
            let submission = t.submissions.last()?;
            let source = Source {
                agency,
                task: t.id,
                submission: submission.id,
            };
            Some((source, submission.data.as_ref()))
        })
        .collect();
    let inventories: Vec<(String, &serde_json::Value)> = accepted
        .iter()
        .map(|(s, data)| (s.agency.clone(), *data))
        .collect();
    let mut sources: Vec<Source> = accepted.into_iter().map(|(s, _)| s).collect();
    sources.sort_by(|a, b| a.agency.cmp(&b.agency));
    Some(MatrixDocument {
        case: state.id,
        sources,
        matrix: build_matrix(&state.participants, &inventories, catalogue),
    })
}
