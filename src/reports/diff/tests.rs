//! The diff of two hand-made rounds, with the answers worked out by hand.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{MatrixDiff, Standing, diff};
use crate::reports::{MatrixDocument, build_matrix};

fn need(title: &str, provider: &str, items: &[&str]) -> Value {
    let items: Vec<Value> = items.iter().map(|n| json!({"name": n})).collect();
    json!({"title": title, "provider_agency": provider, "data_items": items})
}

fn offer(title: &str, to: &[&str], items: &[&str]) -> Value {
    let items: Vec<Value> = items.iter().map(|n| json!({"name": n})).collect();
    json!({"title": title, "consumer_agencies": to, "data_items": items})
}

fn round(case: u128, inventories: Vec<(&str, Value)>) -> MatrixDocument {
    let inventories: Vec<(String, Value)> = inventories
        .into_iter()
        .map(|(a, d)| (a.to_string(), d))
        .collect();
    let participants: Vec<String> = ["X", "Y", "Z"].map(String::from).to_vec();
    MatrixDocument {
        case: Uuid::from_u128(case),
        sources: Vec::new(),
        matrix: build_matrix(&participants, &inventories, &Default::default()),
    }
}

/// Round 1: X needs three things of Z, none met; Y's need of Z is met; Y offers X a count.
fn first() -> MatrixDocument {
    round(
        1,
        vec![
            (
                "X",
                json!({"needs": [need("پروانه ساخت", "Z", &["وضعیت پروانه"]), need("کالا", "Z", &["نام کالا"]), need("گمرک", "Z", &["ارزش گمرکی"])], "offers": []}),
            ),
            (
                "Y",
                json!({"needs": [need("ثبت شرکت", "Z", &["وضعیت ثبت"])], "offers": [offer("آمار", &["X"], &["تعداد"])]}),
            ),
            (
                "Z",
                json!({"needs": [], "offers": [offer("ثبت", &["Y"], &["وضعیت ثبت"])]}),
            ),
        ],
    )
}

/// Round 2: X reorders, rewrites «پروانه ساخت» with a half-space and «کالا» with an Arabic
/// kaf, adds «واردات», drops «گمرک»; Z now offers the licence to X and no longer the
/// registration to Y; Y offers nothing.
fn second() -> MatrixDocument {
    round(
        2,
        vec![
            (
                "X",
                json!({"needs": [need("واردات", "Z", &["ارزش"]), need("كالا", "Z", &["نام کالا"]), need("پروانه‌ساخت", "Z", &["وضعیت پروانه"])], "offers": []}),
            ),
            (
                "Y",
                json!({"needs": [need("ثبت شرکت", "Z", &["وضعیت ثبت"])], "offers": []}),
            ),
            (
                "Z",
                json!({"needs": [], "offers": [offer("پروانه", &["X"], &["وضعیت پروانه"])]}),
            ),
        ],
    )
}

/// A need change as (title, from ref, to ref, was, now).
type Row<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Standing,
    Standing,
);

fn needs(list: &[super::NeedChange]) -> Vec<Row<'_>> {
    list.iter()
        .map(|n| {
            (
                n.title.as_str(),
                n.from_ref.as_deref(),
                n.to_ref.as_deref(),
                n.was,
                n.now,
            )
        })
        .collect()
}

fn offers(list: &[super::OfferChange]) -> Vec<(&str, &str)> {
    list.iter()
        .map(|o| (o.reference.as_str(), o.title.as_str()))
        .collect()
}

#[test]
fn needs_are_followed_by_agency_and_folded_title_across_rounds() {
    let d = diff(&first(), &second());
    assert_eq!((d.from, d.to), (Uuid::from_u128(1), Uuid::from_u128(2)));
    use Standing::{Absent, Met, Unmet};
    assert_eq!(
        needs(&d.needs_met),
        [(
            "پروانه‌ساخت",
            Some("X/needs/0"),
            Some("X/needs/2"),
            Unmet,
            Met
        )]
    );
    assert_eq!(
        needs(&d.needs_unmet),
        [
            ("واردات", None, Some("X/needs/0"), Absent, Unmet),
            ("ثبت شرکت", Some("Y/needs/0"), Some("Y/needs/0"), Met, Unmet),
        ]
    );
    assert_eq!(
        needs(&d.needs_withdrawn),
        [("گمرک", Some("X/needs/2"), None, Unmet, Absent)]
    );
    assert_eq!(offers(&d.offers_added), [("Z/offers/0", "پروانه")]);
    assert_eq!(
        offers(&d.offers_withdrawn),
        [("Y/offers/0", "آمار"), ("Z/offers/0", "ثبت")]
    );
}

#[test]
fn a_round_compared_with_itself_has_no_changes() {
    let d = diff(&first(), &first());
    let empty = MatrixDiff {
        from: Uuid::from_u128(1),
        to: Uuid::from_u128(1),
        needs_met: vec![],
        needs_unmet: vec![],
        needs_withdrawn: vec![],
        offers_added: vec![],
        offers_withdrawn: vec![],
    };
    assert_eq!(d, empty);
}

#[test]
fn needs_of_one_title_pair_up_in_order() {
    let from = round(
        1,
        vec![
            (
                "X",
                json!({"needs": [need("کالا", "Z", &["نام"]), need("کالا", "Z", &["وزن"])], "offers": []}),
            ),
            ("Z", json!({"needs": [], "offers": []})),
        ],
    );
    let to = round(
        2,
        vec![
            (
                "X",
                json!({"needs": [need("کالا", "Z", &["نام"]), need("کالا", "Z", &["وزن"])], "offers": []}),
            ),
            (
                "Z",
                json!({"needs": [], "offers": [offer("وزن", &["X"], &["وزن"])]}),
            ),
        ],
    );
    let d = diff(&from, &to);
    assert_eq!(
        needs(&d.needs_met),
        [(
            "کالا",
            Some("X/needs/1"),
            Some("X/needs/1"),
            Standing::Unmet,
            Standing::Met
        )]
    );
    assert!(d.needs_unmet.is_empty() && d.needs_withdrawn.is_empty());
}

#[test]
fn a_member_reads_the_changes_its_agency_is_part_of() {
    let d = diff(&first(), &second()).seen_by("X");
    use Standing::{Absent, Met, Unmet};
    assert_eq!(
        needs(&d.needs_met),
        [(
            "پروانه‌ساخت",
            Some("X/needs/0"),
            Some("X/needs/2"),
            Unmet,
            Met
        )]
    );
    // Y's need of Z is between two others.
    assert_eq!(
        needs(&d.needs_unmet),
        [("واردات", None, Some("X/needs/0"), Absent, Unmet)]
    );
    assert_eq!(needs(&d.needs_withdrawn).len(), 1);
    assert_eq!(offers(&d.offers_added), [("Z/offers/0", "پروانه")]);
    // Z's offer to Y alone is not X's to know of.
    assert_eq!(offers(&d.offers_withdrawn), [("Y/offers/0", "آمار")]);
    let z = diff(&first(), &second()).seen_by("Z");
    assert_eq!(z.needs_unmet.len(), 2, "both name Z as provider");
    assert!(
        z.offers_withdrawn
            .iter()
            .all(|o| o.agency == "Z" || o.consumer_agencies.admits("Z"))
    );
}
