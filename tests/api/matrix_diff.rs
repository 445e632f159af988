//! `GET /v1/exchange-matrix/diff`: what changed between two inventory rounds, who may read
//! it, and the bad inputs.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::member_view::{accepted_case, need, offer};
use crate::on_both_backends;
use crate::support::TestDb;

struct World {
    app: TestApp,
    secretariat: String,
    irica: String,
    cppo: String,
    first: String,
    second: String,
}

/// Round 1: IRICA needs a licence status of INSO, which offers only statistics (to anyone).
/// Round 2: IRICA lists a new need first and writes the old one's title with an Arabic kaf; INSO offers the licence status to IRICA, and MIMT offers CPPO goods data.
async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let inso = app.member("m-inso", "INSO", &["member"]).await;
    let cppo = app.member("m-cppo", "CPPO", &["member"]).await;
    let stats = offer("آمار", json!("any_with_legal_basis"), &["تعداد واحدها"]);
    let first = [
        (
            "IRICA",
            irica.as_str(),
            json!({"needs": [need("پروانه کالا", "INSO", &["وضعیت پروانه"])], "offers": []}),
        ),
        (
            "MIMT",
            mimt.as_str(),
            json!({"needs": [], "offers": [offer("آمار تجارت", json!(["INSO"]), &["حجم تجارت"])]}),
        ),
        (
            "INSO",
            inso.as_str(),
            json!({"needs": [], "offers": [stats.clone()]}),
        ),
    ];
    let first = accepted_case(&app, &secretariat, "data-exchange-inventory", &first).await;
    let second = [
        (
            "IRICA",
            irica.as_str(),
            json!({"needs": [need("نشانی", "INSO", &["نشانی کارخانه"]), need("پروانه كالا", "INSO", &["وضعیت پروانه"])], "offers": []}),
        ),
        (
            "MIMT",
            mimt.as_str(),
            json!({"needs": [], "offers": [offer("آمار تجارت", json!(["INSO"]), &["حجم تجارت"]), offer("کالا", json!(["CPPO"]), &["نام کالا"])]}),
        ),
        (
            "INSO",
            inso.as_str(),
            json!({"needs": [], "offers": [offer("پروانه", json!(["IRICA"]), &["وضعیت پروانه"]), stats]}),
        ),
    ];
    let second = accepted_case(&app, &secretariat, "data-exchange-inventory", &second).await;
    World {
        app,
        secretariat,
        irica,
        cppo,
        first,
        second,
    }
}

fn refs(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

async fn the_diff_follows_needs_by_agency_and_title(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/exchange-matrix/diff?from={}&to={}", w.first, w.second);
    let d = w.app.get(&path, &w.secretariat).await;
    assert_eq!(d["from"], w.first.as_str());
    assert_eq!(d["to"], w.second.as_str());
    let met = d["needs_met"].as_array().unwrap();
    assert_eq!(met.len(), 1, "{d}");
    assert_eq!(
        (
            &met[0]["from_ref"],
            &met[0]["to_ref"],
            &met[0]["was"],
            &met[0]["now"]
        ),
        (
            &json!("IRICA/needs/0"),
            &json!("IRICA/needs/1"),
            &json!("unmet"),
            &json!("met")
        )
    );
    let title = met[0]["title"].as_str().unwrap();
    assert!(
        ["پروانه کالا", "پروانه كالا"].contains(&title),
        "the later round's: {title}"
    );
    let unmet = d["needs_unmet"].as_array().unwrap();
    assert_eq!(refs(&d["needs_unmet"], "to_ref"), ["IRICA/needs/0"]);
    assert_eq!(unmet[0]["was"], "absent");
    assert!(unmet[0].get("from_ref").is_none());
    assert_eq!(d["needs_withdrawn"], json!([]));
    assert_eq!(
        refs(&d["offers_added"], "ref"),
        ["INSO/offers/0", "MIMT/offers/1"]
    );
    assert_eq!(
        d["offers_withdrawn"],
        json!([]),
        "the statistics moved, not withdrawn"
    );

    // IRICA reads its own needs and the offers open to it, not MIMT's offer to CPPO.
    let part = w.app.get(&path, &w.irica).await;
    assert_eq!(part["needs_met"], d["needs_met"]);
    assert_eq!(part["needs_unmet"], d["needs_unmet"]);
    assert_eq!(refs(&part["offers_added"], "ref"), ["INSO/offers/0"]);
    // Backwards: the licence need is newly unmet, the offers withdrawn.
    let back = format!("/v1/exchange-matrix/diff?from={}&to={}", w.second, w.first);
    let b = w.app.get(&back, ADMIN_TOKEN).await;
    assert_eq!(refs(&b["needs_unmet"], "from_ref"), ["IRICA/needs/1"]);
    assert_eq!(refs(&b["needs_withdrawn"], "from_ref"), ["IRICA/needs/0"]);
    assert_eq!(
        refs(&b["offers_withdrawn"], "ref"),
        ["INSO/offers/0", "MIMT/offers/1"]
    );
}

async fn the_diff_refuses_bad_input(db: TestDb) {
    let w = world(db).await;
    let (first, second) = (&w.first, &w.second);
    let resolution =
        json!({"workflow": "resolution-approval", "title": "مصوبه", "params": {"text": "متن"}});
    let vote = w
        .app
        .expect(
            Method::POST,
            "/v1/cases",
            &w.secretariat,
            Some(resolution),
            201,
        )
        .await;
    let vote = vote["id"].as_str().unwrap();
    let missing = "00000000-0000-7000-8000-000000000000";
    let base = "/v1/exchange-matrix/diff";
    let refusals = [
        (base.to_string(), 400),
        (format!("{base}?from={first}"), 400),
        (format!("{base}?to={second}"), 400),
        (format!("{base}?from=nope&to={second}"), 400),
        (format!("{base}?from={first}&to={second}&case={first}"), 400),
        (format!("{base}?from={first}&to={missing}"), 404),
        (format!("{base}?from={vote}&to={second}"), 422),
        (format!("{base}?from={first}&to={first}"), 422),
    ];
    for (path, expected) in refusals {
        let response = w
            .app
            .call(Method::GET, &path, Some(&w.secretariat), None)
            .await;
        let status = response.status().as_u16();
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(
            (status, kind.as_str()),
            (expected, "application/problem+json"),
            "{path}: {problem}"
        );
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
    }
    // CPPO takes part in neither round: for its member they do not exist.
    let path = format!("{base}?from={first}&to={second}");
    let response = w.app.call(Method::GET, &path, Some(&w.cppo), None).await;
    assert_eq!(response.status().as_u16(), 404);
    let response = w.app.call(Method::GET, &path, None, None).await;
    assert_eq!(response.status().as_u16(), 401);
}

on_both_backends!(
    the_diff_follows_needs_by_agency_and_title,
    the_diff_refuses_bad_input,
);
