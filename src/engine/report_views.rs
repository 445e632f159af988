//! Reports computed on demand: for the HTTP handlers from the engine's cached case state
//! ([`case_reports`]), and for `daftar report …` from a replay of the case's stream
//! ([`replay_case`]), which reads the log directly and writes nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use uuid::Uuid;

use super::{Engine, EngineError, case_stream, decode};
use crate::documents::{DocumentQuery, Documents};
use crate::domain::CaseState;
use crate::event_store::EventStore;
use crate::reports::{Board, Locale, MatrixDocument, build_board, matrix_document};

/// A case's reports as recomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reports {
    pub board: Board,
    /// `None` when the case collects no data-exchange inventories.
    pub matrix: Option<MatrixDocument>,
}

/// The case as its stream leaves it, or `None` when there is no such case.
pub async fn replay_case(
    store: &EventStore,
    case_id: Uuid,
) -> Result<Option<CaseState>, EngineError> {
    let mut state = CaseState::default();
    for stored in store.read_stream(&case_stream(case_id), 1).await? {
        let (event, at) = decode(&stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
        state = state.apply(&event, at);
    }
    Ok(state.exists().then_some(state))
}

/// The matrix endpoint's answer for a case: its exchange matrix, or the workflow that makes
/// it a case without one.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMatrix {
    pub workflow: String,
    /// `None` when the case collects no data-exchange inventories.
    pub matrix: Option<MatrixDocument>,
}

/// The case's board as it stands now, built from this node's cached state of the case
/// (caught up with one read of its newer events) outside the case's lock, and kept until
/// the case changes: nothing is stored, so a board is never older than the case.
pub async fn case_board(engine: &Engine, case_id: Uuid) -> Result<Arc<Board>, EngineError> {
    engine
        .derive(case_id, build_board)
        .await?
        .ok_or_else(|| EngineError::NotFound(format!("no case {case_id}")))
}

/// The case's exchange matrix as it stands now, as [`case_board`] builds the board.
/// A matrix depends on the catalogue too: it is kept per case version and catalogue version.
pub async fn case_matrix(engine: &Engine, case_id: Uuid) -> Result<Arc<CaseMatrix>, EngineError> {
    let catalogue = engine.catalogue_index().await?;
    let build = |state: &CaseState| CaseMatrix {
        workflow: state.workflow.clone(),
        matrix: matrix_document(state, &catalogue),
    };
    let found = engine
        .derive_with(case_id, catalogue.version, build)
        .await?
        .ok_or_else(|| EngineError::NotFound(format!("no case {case_id}")))?;
    let Some(document) = &found.matrix else {
        return Ok(found);
    };
    // The accepted answers of the case's confirmation rounds (none for most cases: then the
    // kept matrix is served as it is, uncopied).
    let rounds = engine.confirmation_rounds(case_id).await?;
    let answers = engine.confirmation_answers(&rounds).await?;
    if answers.is_empty() {
        return Ok(found);
    }
    let mut document = document.clone();
    crate::reports::confirmations::apply_confirmations(&mut document.matrix, &answers);
    Ok(Arc::new(CaseMatrix {
        workflow: found.workflow.clone(),
        matrix: Some(document),
    }))
}

/// Both reports of the case as they stand now (see [`case_board`], [`case_matrix`]).
pub async fn case_reports(engine: &Engine, case_id: Uuid) -> Result<Reports, EngineError> {
    let board = case_board(engine, case_id).await?;
    let matrix = case_matrix(engine, case_id).await?;
    Ok(Reports {
        board: Board::clone(&board),
        matrix: matrix.matrix.clone(),
    })
}

/// Agency code → name in the reader's language (the Persian name when no English one).
pub async fn agency_names(
    documents: &Documents,
    locale: Locale,
) -> Result<BTreeMap<String, String>, EngineError> {
    let query = DocumentQuery {
        limit: 10_000,
        ..Default::default()
    };
    let mut names = BTreeMap::new();
    for (code, doc) in documents.list("agency", &query).await? {
        let agency: serde_json::Value = serde_json::from_str(&doc).unwrap_or_default();
        let name = match locale {
            Locale::En => agency["name_en"].as_str().or(agency["name_fa"].as_str()),
            Locale::Fa => agency["name_fa"].as_str(),
        };
        if let Some(name) = name {
            names.insert(code, name.to_string());
        }
    }
    Ok(names)
}

/// Which report `export` renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    ExchangeMatrix,
    Board,
}

/// A report of one case straight from the log, as JSON or CSV (for the CLI). With
/// `member_of`, the report as a member of that agency reads it through the API: its part of
/// the matrix, the board without other agencies' people, and no case it takes no part in.
pub async fn export(
    store: &EventStore,
    documents: &Documents,
    kind: ReportKind,
    case_id: Uuid,
    csv: bool,
    locale: Locale,
    member_of: Option<&str>,
) -> Result<String, EngineError> {
    let state = replay_case(store, case_id)
        .await?
        .filter(|state| {
            member_of.is_none_or(|agency| crate::reports::visibility::takes_part(state, agency))
        })
        .ok_or_else(|| EngineError::NotFound(format!("no case {case_id}")))?;
    match kind {
        ReportKind::ExchangeMatrix => {
            let catalogue = super::catalogue_from_log(store).await?.index();
            let mut matrix = matrix_document(&state, &catalogue)
                .ok_or_else(|| not_an_inventory(case_id, &state.workflow))?;
            if let Some(agency) = member_of {
                matrix = matrix.seen_by(agency);
            }
            Ok(if csv {
                crate::reports::csv::matrix_csv(&matrix.matrix)
            } else {
                pretty(&matrix)
            })
        }
        ReportKind::Board => {
            let mut board = build_board(&state);
            if let Some(agency) = member_of {
                board = board.seen_by(agency);
            }
            board.localise(locale, &agency_names(documents, locale).await?);
            Ok(if csv {
                crate::reports::csv::board_csv(&board)
            } else {
                pretty(&board)
            })
        }
    }
}

/// The refusal for a matrix asked of a case that collects no inventories.
pub fn not_an_inventory(case_id: Uuid, workflow: &str) -> EngineError {
    EngineError::Invalid(format!(
        "case {case_id} runs the workflow {workflow:?}, which collects no {} forms; the \
         exchange matrix is built from the accepted submissions of a data-exchange inventory case",
        crate::reports::INVENTORY_FORM
    ))
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialize")
}
