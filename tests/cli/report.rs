//! `daftar report …`: a case's matrix and board straight from the log, as JSON or CSV.

use daftar::domain::ReviewDecision;
use daftar::engine::{ManualClock, OpenCase, ParticipantsInput};
use serde_json::{Value, json};

use super::{daftar, refused};
use crate::support;
use crate::support::seed::*;

/// A SQLite database with an inventory case of CPPO and ICG, both accepted, and a
/// resolution case; returns (url, inventory case id, resolution case id).
async fn prepared(db: &support::TestDb) -> (String, String, String) {
    let engine = start(db, ManualClock::at(now())).await;
    seed(&engine).await;
    let open = |workflow: &str, participants: Option<ParticipantsInput>| OpenCase {
        workflow: workflow.into(),
        title: "احصا".into(),
        participants,
        params: json!({"text": "متن"}),
        parent_case: None,
        case_id: None,
    };
    let list = ParticipantsInput::List(vec!["CPPO".into(), "ICG".into()]);
    let case = engine
        .open_case(&secretariat(), open("data-exchange-inventory", Some(list)))
        .await
        .unwrap();
    for task in &case.tasks {
        let agency = task.agency.clone().unwrap();
        let data = fixture(&format!("tests/fixtures/inventories/{agency}.json"));
        engine
            .submit(&member_of(&agency), task.id, data)
            .await
            .unwrap();
        engine
            .review(&secretariat(), task.id, ReviewDecision::Accept, None)
            .await
            .unwrap();
    }
    let vote = engine
        .open_case(&secretariat(), open("resolution-approval", None))
        .await
        .unwrap();
    engine.store.shutdown().await;
    (db.url.display(), case.id.to_string(), vote.id.to_string())
}

#[tokio::test]
async fn reports_are_printed_from_the_log_as_json_or_csv() {
    let db = support::sqlite();
    let (url, case, vote) = prepared(&db).await;
    let env = [("DAFTAR_DATABASE_URL", url.as_str())];

    let output = daftar(&["report", "exchange-matrix", "--case", &case], &env);
    assert!(output.status.success(), "{output:?}");
    let matrix: Value = serde_json::from_slice(&output.stdout).unwrap();
    let cells = matrix["cells"].as_array().unwrap();
    let cell = cells
        .iter()
        .find(|c| c["consumer"] == "CPPO" && c["provider"] == "ICG");
    let cell = cell.expect("CPPO's need from ICG has its cell");
    assert_eq!(cell["matched"][0]["offer"], "ICG/offers/0");

    let output = daftar(
        &[
            "report",
            "exchange-matrix",
            "--case",
            &case,
            "--format",
            "csv",
        ],
        &env,
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(&output.stdout[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(output.stdout[3..].to_vec()).unwrap();
    assert!(
        text.contains("match,,CPPO,ICG,CPPO/needs/0,پروانه کسب واحدهای صنفی"),
        "{text}"
    );

    let output = daftar(
        &["report", "board", "--case", &case, "--format", "csv"],
        &env,
    );
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout[3..].to_vec()).unwrap();
    assert!(text.contains("CPPO,سازمان حمایت مصرف"), "{text}");
    assert!(text.contains(",accepted,"), "{text}");
    assert!(text.contains("۳۰ آذر ۱۴۰۵"), "{text}");

    let line = refused(&daftar(
        &["report", "exchange-matrix", "--case", &vote],
        &env,
    ));
    assert!(line.contains("resolution-approval"), "{line}");
    let missing = "00000000-0000-7000-8000-000000000000";
    let line = refused(&daftar(&["report", "board", "--case", missing], &env));
    assert!(line.contains("no case"), "{line}");
}
