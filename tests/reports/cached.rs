//! Reports are built outside the case's lock, each alone, and kept per case version: a
//! board of an unchanged case is built once, a command on the case goes on while its report
//! is being built, and the next read sees the command.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use daftar::engine::ManualClock;
use daftar::engine::{case_board, case_matrix};
use daftar::reports::{Board, build_board};

use crate::support::TestDb;
use crate::support::seed::*;
use crate::{inventory_of, open_inventory, submit_and_accept, task_of};

pub async fn a_report_is_built_once_per_case_version(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = open_inventory(&engine, Some(&["IRICA", "MIMT"])).await;
    let builds = AtomicUsize::new(0);
    let counted = |state: &daftar::domain::CaseState| {
        builds.fetch_add(1, Ordering::SeqCst);
        build_board(state)
    };
    let first = engine.derive(case.id, counted).await.unwrap().unwrap();
    let again = engine.derive(case.id, counted).await.unwrap().unwrap();
    assert_eq!(
        builds.load(Ordering::SeqCst),
        1,
        "an unchanged case is built once"
    );
    assert!(Arc::ptr_eq(&first, &again));
    assert!(Arc::ptr_eq(
        &first,
        &case_board(&engine, case.id).await.unwrap()
    ));

    let after = submit_and_accept(&engine, &case, "IRICA").await;
    let rebuilt = engine.derive(case.id, counted).await.unwrap().unwrap();
    assert_eq!(
        builds.load(Ordering::SeqCst),
        2,
        "a changed case is built again"
    );
    assert_eq!(
        (first.version, rebuilt.version),
        (case.version, after.version)
    );
    // The matrix is its own value, built when asked for, from the same version.
    let matrix = case_matrix(&engine, case.id).await.unwrap();
    let sources = &matrix.matrix.as_ref().unwrap().sources;
    assert_eq!(
        sources
            .iter()
            .map(|s| s.agency.as_str())
            .collect::<Vec<_>>(),
        ["IRICA"]
    );
    assert_eq!(builds.load(Ordering::SeqCst), 2);
}

pub async fn a_command_goes_on_while_its_cases_report_is_built(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = open_inventory(&engine, Some(&["IRICA", "MIMT"])).await;
    let (writer, task) = (engine.clone(), task_of(&case, "IRICA"));
    let board: Arc<Board> = engine
        .derive(case.id, |state| {
            // Were the case's lock held here, the submission would wait for it forever.
            let irica = member_of("IRICA");
            let submit = writer.submit(&irica, task, inventory_of("IRICA"));
            let submitted = tokio::task::block_in_place(|| {
                let guarded = tokio::time::timeout(Duration::from_secs(60), submit);
                tokio::runtime::Handle::current().block_on(guarded)
            });
            submitted
                .expect("the command did not wait for the report")
                .expect("the inventory is accepted for review");
            build_board(state)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        board.version, case.version,
        "built from the case as it was read"
    );
    let now = case_board(&engine, case.id).await.unwrap();
    assert!(now.version > board.version);
    let irica = now
        .rows
        .iter()
        .find(|r| r.agency.as_deref() == Some("IRICA"));
    assert_eq!(irica.unwrap().status, "submitted");
}
