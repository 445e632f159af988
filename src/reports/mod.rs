//! Reports: the inter-agency data-exchange matrix ([`matrix`]) and the secretariat's status
//! board ([`board`]), with their CSV exports ([`csv`]).
//!
//! Both are read models derived from a case alone: [`documents`] turns a [`CaseState`] into
//! the `matrix` and `board` documents (keyed by case id), which the engine writes in the same
//! transaction as the case's events; [`rebuild_reports`] recomputes them from the case's
//! stream with the same functions. Everything here but [`rebuild`] is pure: no I/O, no clock.

pub mod board;
pub mod csv;
pub mod duplicates;
pub mod entries;
pub mod matrix;
pub mod normalise;
mod rebuild;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::documents::{Document, SideWrite};
use crate::domain::{CaseEvent, CaseState, TaskStatus};

pub use board::{Board, Locale, build_board};
pub use matrix::{Basis, ExchangeMatrix, Reason, build_matrix};
pub use rebuild::{
    ReportKind, Reports, agency_names, export, not_an_inventory, rebuild_reports, replay_case,
};

/// The form whose accepted submissions feed the matrix.
pub const INVENTORY_FORM: &str = "data-exchange-inventory";
pub const MATRIX_KIND: &str = "matrix";
pub const BOARD_KIND: &str = "board";

/// The accepted submission an agency's part of the matrix comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub agency: String,
    pub task: Uuid,
    pub submission: Uuid,
}

/// The `matrix` document: the matrix and what it was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The matrix of an inventory case from its accepted submissions (`None` for other cases).
/// A task's last submission is the one accepted: a returned one is always resubmitted.
pub fn matrix_document(state: &CaseState) -> Option<MatrixDocument> {
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
        matrix: build_matrix(&state.participants, &inventories),
    })
}

/// The report documents of a case. The board changes with every event; the matrix only when
/// a case opens or a submission is accepted, so `events` (those just decided) says whether
/// to write it — `None` (a rebuild) writes everything.
pub fn documents(state: &CaseState, events: Option<&[CaseEvent]>) -> Vec<SideWrite> {
    let id = state.id.to_string();
    let mut board = Document::new(BOARD_KIND, id.clone(), state.version, &build_board(state));
    board.case_id = Some(id.clone());
    let mut writes = vec![SideWrite::Document(board)];
    let matrix_changed = events.is_none_or(|events| {
        events.iter().any(|e| {
            matches!(
                e,
                CaseEvent::CaseOpened { .. } | CaseEvent::SubmissionAccepted { .. }
            )
        })
    });
    if matrix_changed && let Some(matrix) = matrix_document(state) {
        let mut doc = Document::new(MATRIX_KIND, id.clone(), state.version, &matrix);
        doc.case_id = Some(id);
        writes.push(SideWrite::Document(doc));
    }
    writes
}
