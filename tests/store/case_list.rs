//! The case list's index (`case_agencies`), written as side writes of appends: a member's
//! page is answered by one query that reads its agency's rows, not every case.

use daftar::documents::{CaseAgency, CaseList, Document, DocumentQuery, Documents};
use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion};
use daftar::side_writes::SideWrite;
use serde_json::{Value, json};

use crate::support::TestDb;
use crate::{event, open};

/// Cases in the seeded table; every one involves `BIG`, one in `SPARSE` involves `SMALL`.
const CASES: usize = 2_000;
const SPARSE: usize = 100;

fn case_id(n: usize) -> String {
    format!("case-{n:05}")
}

fn status_of(n: usize) -> &'static str {
    if n.is_multiple_of(2) {
        "open"
    } else {
        "completed"
    }
}

fn agencies_of(n: usize) -> Vec<&'static str> {
    if n.is_multiple_of(SPARSE) {
        vec!["BIG", "SMALL"]
    } else {
        vec!["BIG"]
    }
}

fn case_writes(n: usize, status: &str, version: i64) -> Vec<SideWrite> {
    let workflow = if n.is_multiple_of(3) {
        "resolution"
    } else {
        "inventory"
    };
    let doc = json!({"id": case_id(n), "workflow": workflow, "status": status});
    let mut document = Document::new("case", case_id(n), version, &doc);
    document.status = Some(status.to_string());
    let mut writes = vec![SideWrite::Document(document)];
    for agency in agencies_of(n) {
        writes.push(SideWrite::CaseAgency(CaseAgency {
            agency: agency.into(),
            case_id: case_id(n),
            workflow: workflow.into(),
            status: status.into(),
            version,
        }));
    }
    writes
}

/// `CASES` cases in one append (its side writes go through the chunked multi-row upserts).
async fn seed(store: &EventStore) {
    let writes: Vec<_> = (0..CASES)
        .flat_map(|n| case_writes(n, status_of(n), 1))
        .collect();
    let request = AppendRequest::new("seed", ExpectedVersion::NoStream, vec![event("Seeded", 1)])
        .with_side_writes(writes);
    store.append(request).await.unwrap();
}

fn small(status: Option<&str>, limit: i64) -> CaseList {
    CaseList {
        agency: Some("SMALL".into()),
        status: status.map(str::to_string),
        limit,
        ..CaseList::default()
    }
}

async fn ids(documents: &Documents, list: &CaseList) -> Vec<String> {
    let rows = documents.list_cases(list).await.unwrap();
    rows.into_iter().map(|(id, _)| id).collect()
}

/// What the plan says each step read: for PostgreSQL, the rows every scan returned or
/// filtered out, summed; for SQLite, whose plan has no counts, the lines, each of which must
/// search an index (only the page of at most `limit` ids may be scanned).
fn rows_read(plan: &str) -> Option<f64> {
    fn walk(node: &Value) -> f64 {
        let own = if node["Node Type"]
            .as_str()
            .is_some_and(|t| t.contains("Scan"))
        {
            let count = |key: &str| node[key].as_f64().unwrap_or(0.0);
            (count("Actual Rows") + count("Rows Removed by Filter")) * count("Actual Loops")
        } else {
            0.0
        };
        let children = node["Plans"].as_array().map(|p| p.iter().map(walk).sum());
        own + children.unwrap_or(0.0)
    }
    let plan: Value = serde_json::from_str(plan).ok()?;
    Some(walk(&plan[0]["Plan"]))
}

pub async fn a_members_page_reads_its_agencys_rows_not_every_case(db: TestDb) {
    let (database, store) = open(&db).await;
    let documents = Documents::new(database.clone());
    seed(&store).await;
    if let daftar::db::Database::Postgres(pool) = &database {
        sqlx::query("analyze").execute(pool).await.unwrap();
    }
    let expected: Vec<String> = (0..CASES)
        .filter(|n| n.is_multiple_of(SPARSE) && status_of(*n) == "open")
        .map(case_id)
        .take(5)
        .collect();
    assert_eq!(ids(&documents, &small(Some("open"), 5)).await, expected);
    for list in [small(None, 5), small(Some("open"), 5)] {
        let plan = documents.explain_list_cases(&list).await.unwrap();
        match rows_read(&plan) {
            Some(rows) => assert!(
                (5.0..=20.0).contains(&rows),
                "read {rows} rows for 5 of {CASES} cases: {plan}"
            ),
            None => {
                for line in plan.lines() {
                    let scans_a_table = line.starts_with("SCAN") && line != "SCAN page";
                    assert!(!scans_a_table, "a full scan: {line}\n{plan}");
                }
                assert!(plan.contains("case_agencies"), "{plan}");
            }
        }
    }
}

pub async fn the_case_list_filters_and_pages_in_sql(db: TestDb) {
    let (database, store) = open(&db).await;
    let documents = Documents::new(database);
    seed(&store).await;
    let all_small: Vec<String> = (0..CASES).step_by(SPARSE).map(case_id).collect();
    // Paging a member's list by cursor visits each of its cases once, in id order.
    let mut seen = Vec::new();
    let mut list = small(None, 7);
    loop {
        let page = ids(&documents, &list).await;
        let Some(last) = page.last().cloned() else {
            break;
        };
        seen.extend(page);
        list.after = Some(last);
    }
    assert_eq!(seen, all_small);
    // Filters: status and workflow for a member; the same for staff, over every case.
    let resolutions = CaseList {
        agency: Some("SMALL".into()),
        workflow: Some("resolution".into()),
        limit: 500,
        ..CaseList::default()
    };
    let expected: Vec<String> = (0..CASES)
        .step_by(SPARSE)
        .filter(|n| n.is_multiple_of(3))
        .map(case_id)
        .collect();
    assert_eq!(ids(&documents, &resolutions).await, expected);
    let staff = CaseList {
        status: Some("completed".into()),
        workflow: Some("inventory".into()),
        after: Some(case_id(1_000)),
        limit: 3,
        ..CaseList::default()
    };
    let expected = [1_001, 1_003, 1_007].map(case_id).to_vec();
    assert_eq!(ids(&documents, &staff).await, expected);
    let nobody = CaseList {
        agency: Some("NONE".into()),
        limit: 50,
        ..CaseList::default()
    };
    assert!(ids(&documents, &nobody).await.is_empty());
}

pub async fn an_older_row_never_replaces_a_newer_one(db: TestDb) {
    let (database, store) = open(&db).await;
    let documents = Documents::new(database);
    let append = |stream: &'static str, writes: Vec<SideWrite>| {
        let request = AppendRequest::new(stream, ExpectedVersion::Any, vec![event("E", 1)])
            .with_side_writes(writes);
        let store = store.clone();
        async move { store.append(request).await.unwrap() }
    };
    append("a", case_writes(0, "cancelled", 5)).await;
    append("b", case_writes(0, "open", 3)).await;
    let cancelled = small(Some("cancelled"), 10);
    assert_eq!(ids(&documents, &cancelled).await, vec![case_id(0)]);
    // In one batch the newer row wins whatever its place.
    let mut writes = case_writes(0, "completed", 7);
    writes.extend(case_writes(0, "open", 6));
    append("c", writes).await;
    let completed = small(Some("completed"), 10);
    assert_eq!(ids(&documents, &completed).await, vec![case_id(0)]);
    assert!(ids(&documents, &small(Some("open"), 10)).await.is_empty());
}

/// A document whose newer version names another case or agency is found there, and no longer
/// where it was; an older version naming a third leaves it where the newer one put it.
pub async fn a_document_that_moves_is_listed_where_it_now_is(db: TestDb) {
    let (database, store) = open(&db).await;
    let documents = Documents::new(database);
    let doc = |version: i64, case: &str, agency: &str| {
        let mut doc = Document::new("member", "m-1", version, &json!({"v": version}));
        doc.case_id = Some(case.to_string());
        doc.agency = Some(agency.to_string());
        doc.status = Some("active".to_string());
        SideWrite::Document(doc)
    };
    let append = |stream: &'static str, writes: Vec<SideWrite>| {
        let request = AppendRequest::new(stream, ExpectedVersion::Any, vec![event("E", 1)])
            .with_side_writes(writes);
        let store = store.clone();
        async move { store.append(request).await.unwrap() }
    };
    let listed = async |case: Option<&str>, agency: Option<&str>| -> Vec<String> {
        let query = DocumentQuery {
            case_id: case.map(str::to_string),
            agency: agency.map(str::to_string),
            limit: 10,
            ..DocumentQuery::default()
        };
        let page = documents.list("member", &query).await.unwrap();
        page.into_iter().map(|(_, doc)| doc).collect()
    };
    append("a", vec![doc(1, "case-a", "IRICA")]).await;
    append("b", vec![doc(2, "case-b", "ITO")]).await;
    append("c", vec![doc(1, "case-c", "MIMT")]).await;
    assert_eq!(listed(None, Some("ITO")).await, vec![r#"{"v":2}"#]);
    assert_eq!(listed(Some("case-b"), None).await, vec![r#"{"v":2}"#]);
    for (case, agency) in [(Some("case-a"), None), (None, Some("IRICA"))] {
        assert!(listed(case, agency).await.is_empty(), "{case:?} {agency:?}");
    }
    for (case, agency) in [(Some("case-c"), None), (None, Some("MIMT"))] {
        assert!(listed(case, agency).await.is_empty(), "{case:?} {agency:?}");
    }
    // The same version again, moved back: the newest write of a version wins, as before.
    append("d", vec![doc(2, "case-a", "IRICA")]).await;
    assert_eq!(listed(None, Some("IRICA")).await, vec![r#"{"v":2}"#]);
    assert!(listed(None, Some("ITO")).await.is_empty());
}
