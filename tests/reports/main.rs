//! Reports on a real engine and database, on both backends: the exchange matrix of all 31
//! agencies' inventories against the result worked out by hand
//! (`tests/fixtures/inventories/expected-matrix.json`), the matrix following a case as
//! submissions are accepted, the status board, and reports from the engine's cached case
//! state equal to ones built from a replay of the log.

#[path = "../support/mod.rs"]
mod support;

mod board;
mod cached;
mod expected;

use board::the_board_shows_every_agency_at_a_glance;
use cached::{
    a_command_goes_on_while_its_cases_report_is_built, a_report_is_built_once_per_case_version,
};

use daftar::domain::{CaseState, ReviewDecision};
use daftar::engine::{Engine, ManualClock, OpenCase, ParticipantsInput};
use daftar::engine::{case_reports, replay_case};
use daftar::reports::{MatrixDocument, Reason, build_board, matrix_document};
use serde_json::{Value, json};
use support::TestDb;
use support::seed::*;

pub async fn open_inventory(engine: &Engine, participants: Option<&[&str]>) -> CaseState {
    let participants = match participants {
        Some(list) => ParticipantsInput::List(list.iter().map(|a| a.to_string()).collect()),
        None => ParticipantsInput::All("all".into()),
    };
    let open = OpenCase {
        workflow: "data-exchange-inventory".into(),
        title: "احصای اطلاعات مورد نیاز و قابل عرضه خوشه صنعت و تجارت".into(),
        participants: Some(participants),
        params: json!({}),
        parent_case: None,
        case_id: None,
    };
    let case = engine.open_case(&secretariat(), open).await.unwrap();
    std::sync::Arc::unwrap_or_clone(case)
}

pub fn inventory_of(agency: &str) -> Value {
    fixture(&format!("tests/fixtures/inventories/{agency}.json"))
}

pub fn task_of(case: &CaseState, agency: &str) -> uuid::Uuid {
    case.tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some(agency))
        .unwrap()
        .id
}

pub async fn submit_and_accept(engine: &Engine, case: &CaseState, agency: &str) -> CaseState {
    let task = task_of(case, agency);
    engine
        .submit(&member_of(agency), task, inventory_of(agency))
        .await
        .unwrap_or_else(|e| panic!("{agency}'s inventory is refused: {e}"));
    let sec = secretariat();
    let case = engine.review(&sec, task, ReviewDecision::Accept, None);
    std::sync::Arc::unwrap_or_clone(case.await.unwrap())
}

/// The report a reader is served now (`board` or `matrix`), as JSON.
pub async fn served(engine: &Engine, kind: &str, case: &CaseState) -> Value {
    let reports = case_reports(engine, case.id).await.unwrap();
    match kind {
        "board" => serde_json::to_value(&reports.board).unwrap(),
        "matrix" => serde_json::to_value(reports.matrix.expect("an inventory case")).unwrap(),
        other => panic!("no report {other}"),
    }
}

/// The reports served from the engine's cached state equal the ones built from a fresh
/// replay of the case's stream, and none of them is stored as a document.
pub async fn assert_served_equals_replayed(engine: &Engine, case: &CaseState) {
    let replayed = replay_case(&engine.store, case.id).await.unwrap().unwrap();
    assert_eq!(
        served(engine, "board", case).await,
        serde_json::to_value(build_board(&replayed)).unwrap()
    );
    assert_eq!(
        served(engine, "matrix", case).await,
        serde_json::to_value(matrix_document(&replayed, &Default::default()).unwrap()).unwrap()
    );
    for kind in ["board", "matrix"] {
        let stored = engine.documents.get(kind, &case.id.to_string()).await;
        assert_eq!(stored.unwrap(), None, "a stored {kind} document");
    }
}

async fn the_matrix_of_the_31_inventories_is_what_a_reader_finds(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    let codes = seed(&engine).await;
    let case = open_inventory(&engine, None).await;
    for (i, code) in codes.iter().enumerate() {
        submit_and_accept(&engine, &case, code).await;
        if i == 15 {
            assert_served_equals_replayed(&engine, &case).await;
        }
    }
    let matrix = matrix_of(&engine, &case).await;
    assert_eq!(matrix.sources.len(), 31);
    expected::assert_matches_hand_worked_result(&matrix.matrix);
    assert!(
        matrix
            .matrix
            .agencies
            .iter()
            .all(|a| a.participant && a.inventory_accepted)
    );
    assert_served_equals_replayed(&engine, &case).await;
}

pub async fn matrix_of(engine: &Engine, case: &CaseState) -> MatrixDocument {
    serde_json::from_value(served(engine, "matrix", case).await).unwrap()
}

async fn the_matrix_follows_the_case_as_submissions_are_accepted(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = open_inventory(&engine, Some(&["CPPO", "ICG"])).await;
    let empty = matrix_of(&engine, &case).await;
    assert!(empty.matrix.cells.is_empty() && empty.sources.is_empty());
    // CPPO first sends something else and is returned: only what is accepted counts.
    let cppo = task_of(&case, "CPPO");
    let first =
        fixture("tests/fixtures/forms/data-exchange-inventory/valid/03-cppo-needs-only.json");
    engine
        .submit(&member_of("CPPO"), cppo, first)
        .await
        .unwrap();
    assert_eq!(
        matrix_of(&engine, &case).await,
        empty,
        "nothing accepted yet"
    );
    let comment = Some("نیازها را کامل کنید".to_string());
    let sec = secretariat();
    let returned = engine.review(&sec, cppo, ReviewDecision::Return, comment);
    returned.await.unwrap();
    let after_cppo = submit_and_accept(&engine, &case, "CPPO").await;
    let m = matrix_of(&engine, &case).await;
    let last = after_cppo
        .task(cppo)
        .unwrap()
        .submissions
        .last()
        .unwrap()
        .id;
    assert_eq!(m.sources.len(), 1);
    assert_eq!(
        m.sources[0].submission, last,
        "the resubmission, not the first try"
    );
    let unmatched = &m.matrix.unmatched_needs;
    let waiting = unmatched
        .iter()
        .find(|u| u.need.reference == "CPPO/needs/0")
        .unwrap();
    assert_eq!(
        waiting.reason,
        Reason::ProviderHasNoAcceptedInventory,
        "ICG has not answered"
    );
    assert_served_equals_replayed(&engine, &after_cppo).await;

    let done = submit_and_accept(&engine, &case, "ICG").await;
    let m = matrix_of(&engine, &done).await;
    let cells = &m.matrix.cells;
    let cell = cells
        .iter()
        .find(|c| c.consumer == "CPPO" && c.provider == "ICG")
        .unwrap();
    assert_eq!(cell.matched[0].offer, "ICG/offers/0");
    assert!(
        m.matrix
            .unmatched_needs
            .iter()
            .all(|u| u.need.reference != "CPPO/needs/0")
    );
    assert_served_equals_replayed(&engine, &done).await;
}

async fn a_case_that_collects_no_inventories_has_a_board_but_no_matrix(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let open = OpenCase {
        workflow: "resolution-approval".into(),
        title: "مصوبه".into(),
        participants: None,
        params: json!({"text": "متن"}),
        parent_case: None,
        case_id: None,
    };
    let case = engine.open_case(&secretariat(), open).await.unwrap();
    let reports = case_reports(&engine, case.id).await.unwrap();
    assert!(reports.matrix.is_none());
    assert_eq!(
        reports.board.rows.len(),
        31,
        "one vote task per member agency"
    );
    let replayed = replay_case(&engine.store, case.id).await.unwrap().unwrap();
    assert_eq!(reports.board, build_board(&replayed));
}

on_both_backends!(
    the_matrix_of_the_31_inventories_is_what_a_reader_finds,
    the_matrix_follows_the_case_as_submissions_are_accepted,
    a_case_that_collects_no_inventories_has_a_board_but_no_matrix,
    the_board_shows_every_agency_at_a_glance,
    a_report_is_built_once_per_case_version,
    a_command_goes_on_while_its_cases_report_is_built,
);
