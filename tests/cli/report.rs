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

#[tokio::test]
async fn reports_print_a_members_part_with_agency() {
    let db = support::sqlite();
    let (url, case, _) = prepared(&db).await;
    let env = [("DAFTAR_DATABASE_URL", url.as_str())];
    let matrix = |args: &[&str]| {
        let mut all = vec!["report", "exchange-matrix", "--case", &case];
        all.extend_from_slice(args);
        daftar(&all, &env)
    };
    let whole: Value = serde_json::from_slice(&matrix(&[]).stdout).unwrap();
    let pairs = |m: &Value| -> Vec<String> {
        m["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}>{}",
                    c["consumer"].as_str().unwrap(),
                    c["provider"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert!(pairs(&whole).contains(&"ICG>NOCR".to_string()), "{whole}");
    let output = matrix(&["--agency", "CPPO"]);
    assert!(output.status.success(), "{output:?}");
    let part: Value = serde_json::from_slice(&output.stdout).unwrap();
    // CPPO's own needs, each of its providers: ICG's needs of NOCR and POST are not its.
    assert_eq!(
        pairs(&part),
        [
            "CPPO>ECDC",
            "CPPO>GTC",
            "CPPO>ICG",
            "CPPO>INSO",
            "CPPO>MIMT"
        ]
    );
    let unmatched = part["unmatched_needs"].as_array().unwrap();
    assert!(unmatched.iter().all(|u| u["agency"] == "CPPO"), "{part}");
    let sources: Vec<&str> = part["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["agency"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["CPPO"]);

    let output = matrix(&["--agency", "CPPO", "--format", "csv"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout[3..].to_vec()).unwrap();
    assert!(text.contains(",CPPO,ICG,CPPO/needs/0,"), "{text}");
    assert!(
        !text.contains("ICG/needs/"),
        "ICG's needs are not CPPO's: {text}"
    );

    // MIMT takes no part in the case: for its members there is no such case.
    let line = refused(&matrix(&["--agency", "MIMT"]));
    assert!(line.contains("no case"), "{line}");
    let board = |agency: &str| {
        daftar(
            &["report", "board", "--case", &case, "--agency", agency],
            &env,
        )
    };
    let output = board("ICG");
    assert!(output.status.success(), "{output:?}");
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        rows["rows"].as_array().unwrap().len(),
        2,
        "every agency's status"
    );
    assert!(refused(&board("MIMT")).contains("no case"));
}
