//! A seeded engine for tests: the 31 agencies of the fixture, a focal point for each
//! (`m-<code>`, role member, with a supervisor `s-<code>`) and the secretariat (`sec-1`),
//! and two providers of data outside the cluster.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use daftar::documents::Documents;
use daftar::domain::{Actor, Role};
use daftar::engine::{AgencyInput, Engine, EngineConfig, ManualClock, MemberInput};
use daftar::side_writes::OpenEventStore;
use serde_json::{Value, json};

use super::TestDb;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn admin() -> Actor {
    Actor {
        member_id: "admin".into(),
        agency: Some("MIMT".into()),
        roles: vec![Role::Admin],
    }
}

pub fn secretariat() -> Actor {
    Actor {
        member_id: "sec-1".into(),
        agency: Some("MIMT".into()),
        roles: vec![Role::Secretariat],
    }
}

pub fn member_of(code: &str) -> Actor {
    Actor {
        member_id: format!("m-{}", code.to_lowercase()),
        agency: Some(code.into()),
        roles: vec![Role::Member],
    }
}

/// IRICA's member `member` (its focal point `m-irica`, or a colleague such as the deputy).
pub fn of_irica(member: &str) -> Actor {
    Actor {
        member_id: member.into(),
        agency: Some("IRICA".into()),
        roles: vec![Role::Member],
    }
}

/// Registers `deputy-irica`, a second member of IRICA beside its focal point.
pub async fn register_irica_deputy(engine: &Engine) {
    let deputy = MemberInput {
        id: Some("deputy-irica".into()),
        name: "معاون گمرک".into(),
        email: "deputy@irica.example".into(),
        agency: "IRICA".into(),
        roles: vec!["member".into()],
        supervisor_id: None,
        locale: None,
    };
    engine.register_member(&admin(), deputy).await.unwrap();
}

pub fn fixture(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

pub async fn start(db: &TestDb, clock: ManualClock) -> Engine {
    start_from(db, clock, root()).await
}

/// [`start`] with the forms and workflows of `dir` (its `schemas/` and `workflows/`) instead
/// of the shipped ones.
pub async fn start_from(db: &TestDb, clock: ManualClock, dir: &std::path::Path) -> Engine {
    let database = db.connect().await;
    let config = EngineConfig {
        schemas_dir: dir.join("schemas"),
        workflows_dir: dir.join("workflows"),
        calendar_dir: None,
    };
    Engine::start(
        database.event_store(),
        Documents::new(database),
        &config,
        Arc::new(clock),
    )
    .await
    .expect("engine starts")
}

/// The 31 agencies, a member for each and the secretariat; and two providers of data from
/// outside the cluster (`tests/fixtures/outside-agencies.json`), which have no members and
/// are not among the codes returned.
pub async fn seed(engine: &Engine) -> Vec<String> {
    let agencies = fixture("tests/fixtures/agencies.json");
    let mut codes = Vec::new();
    for agency in agencies["agencies"].as_array().unwrap() {
        let input: AgencyInput = serde_json::from_value(json!({"code": agency["code"], "name_fa": agency["name_fa"], "name_en": agency["name_en"], "cluster": agency["cluster"]})).unwrap();
        engine.register_agency(&admin(), input).await.unwrap();
        codes.push(agency["code"].as_str().unwrap().to_string());
    }
    for agency in outside_agencies() {
        engine.register_agency(&admin(), agency).await.unwrap();
    }
    for code in &codes {
        let member = MemberInput {
            id: Some(format!("m-{}", code.to_lowercase())),
            name: format!("کارشناس {code}"),
            email: format!("focal@{}.example", code.to_lowercase()),
            agency: code.clone(),
            roles: vec!["member".into()],
            supervisor_id: None,
            locale: None,
        };
        engine.register_member(&admin(), member).await.unwrap();
    }
    let secretariat = MemberInput {
        id: Some("sec-1".into()),
        name: "دبیرخانه".into(),
        email: "secretariat@mimt.example".into(),
        agency: "MIMT".into(),
        roles: vec!["secretariat".into()],
        supervisor_id: None,
        locale: Some("en".into()),
    };
    engine.register_member(&admin(), secretariat).await.unwrap();
    codes
}

/// Providers of data outside the cluster: needs may name them; they receive no tasks.
pub fn outside_agencies() -> Vec<AgencyInput> {
    serde_json::from_value(fixture("tests/fixtures/outside-agencies.json")["agencies"].clone())
        .unwrap()
}

pub fn inventory() -> Value {
    fixture("tests/fixtures/forms/data-exchange-inventory/valid/01-irica-needs-and-offers.json")
}

/// The codes of the 31 agencies, in the fixture's order.
pub fn agency_codes() -> Vec<String> {
    fixture("tests/fixtures/agencies.json")["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}
