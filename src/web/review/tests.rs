//! The review document on the shipped inventory schema and the agencies' fixture inventories,
//! and the diff on hand-made changes to them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::diff::{Change, changes, diff};
use super::*;
use crate::web::i18n::Locale;

const SCHEMA: &str = include_str!("../../../schemas/data-exchange-inventory.schema.json");
const AGENCIES: &str = include_str!("../../../tests/fixtures/agencies.json");
const CBI: &str = include_str!("../../../tests/fixtures/inventories/CBI.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).unwrap()
}

fn cbi() -> Value {
    serde_json::from_str(CBI).unwrap()
}

fn agencies() -> BTreeMap<String, String> {
    let registry: Value = serde_json::from_str(AGENCIES).unwrap();
    registry["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let code = a["code"].as_str().unwrap().to_string();
            (code, a["name_fa"].as_str().unwrap().to_string())
        })
        .collect()
}

fn render_fa(schema: &Value, current: &Value, previous: Option<&Value>) -> String {
    let agencies = agencies();
    render(&Document {
        schema,
        current,
        previous,
        agencies: &agencies,
        locale: Locale::Fa,
    })
    .into_string()
}

fn changes_between(schema: &Value, before: &Value, after: &Value) -> Vec<(String, Change)> {
    changes(&diff(&Schema::new(schema), before, after))
}

#[test]
fn a_first_submission_reads_with_the_schema_titles_and_no_marks() {
    let html = render_fa(&schema(), &cbi(), None);
    for label in [
        "اطلاعات مورد نیاز",
        "اطلاعات قابل عرضه",
        "اقلام اطلاعاتی",
        "کلیدهای استعلام",
        "دستگاه مبدا (دارنده اطلاعات)",
        "مبنای قانونی دریافت اطلاعات",
        "نام و نام خانوادگی",
        "مرجع اصلی (مادر) داده است",
    ] {
        assert!(html.contains(label), "no label {label}");
    }
    for key in [
        "data_items",
        "law_title",
        "provider_agency",
        "personal_data",
    ] {
        assert!(!html.contains(key), "the JSON key {key} is shown");
    }
    assert!(!html.contains("diff-added") && !html.contains("diff-summary"));
    // The first need's title is its heading, numbered in Persian digits, and not repeated.
    assert!(html.contains("۱. اظهارنامه‌های صادراتی برای رفع تعهد ارزی"));
    assert_eq!(
        html.matches("اظهارنامه‌های صادراتی برای رفع تعهد ارزی<")
            .count(),
        1
    );
}

#[test]
fn agencies_read_by_name_with_the_code_isolated() {
    let html = render_fa(&schema(), &cbi(), None);
    assert!(html.contains("گمرک جمهوری اسلامی ایران (<bdi>IRICA</bdi>)"));
    // consumer_agencies: an array of AgencyRef inside an anyOf.
    assert!(html.contains("وزارت صنعت، معدن و تجارت (<bdi>MIMT</bdi>)"));
    let mut unknown = cbi();
    unknown["needs"][0]["provider_agency"] = json!("NOPE");
    let html = render_fa(&schema(), &unknown, None);
    assert!(html.contains("<bdi>NOPE</bdi>"));
}

#[test]
fn values_read_in_persian() {
    let html = render_fa(&schema(), &cbi(), None);
    assert!(html.contains("<dd>بله</dd>") && html.contains("<dd>خیر</dd>"));
    assert!(html.contains("<bdi>021-88023307</bdi>"));
    assert!(html.contains("<bdi>focal@cbi.example</bdi>"));
}

#[test]
fn enum_values_read_by_their_one_of_titles() {
    let mut data = cbi();
    data["needs"][0]["provider_agency"] = json!("unknown");
    let html = render_fa(&schema(), &data, None);
    for label in ["به ازای هر تراکنش", "عدد اعشاری", "نامعلوم"] {
        assert!(html.contains(label), "no label {label}");
    }
    assert!(!html.contains(">per_transaction<") && !html.contains(">decimal<"));
}

#[test]
fn an_enum_without_labels_shows_its_value_isolated() {
    let schema = json!({
        "type": "object",
        "properties": {"level": {"title": "سطح", "type": "string", "enum": ["high", "low"]}}
    });
    let html = render_fa(&schema, &json!({"level": "high"}), None);
    assert!(html.contains("<h3>سطح</h3><bdi>high</bdi>"), "{html}");
}

#[test]
fn flat_items_are_a_table_and_nested_items_sections() {
    let html = render_fa(&schema(), &cbi(), None);
    assert!(html.contains("<table class=\"doc-table\">"));
    assert!(html.contains("<th scope=\"col\">نام قلم اطلاعاتی</th>"));
    assert!(html.contains("<ol class=\"doc-items\">"));
}

#[test]
fn the_same_document_has_no_changes() {
    assert_eq!(changes_between(&schema(), &cbi(), &cbi()), vec![]);
    let html = render_fa(&schema(), &cbi(), Some(&cbi()));
    assert!(html.contains("بدون تغییر نسبت به ارسال قبلی"));
}

#[test]
fn needs_pair_by_title_so_an_insertion_at_the_top_is_one_addition() {
    let before = cbi();
    let mut after = cbi();
    let mut fresh = before["needs"][0].clone();
    fresh["title"] = json!("نیاز تازه");
    after["needs"].as_array_mut().unwrap().insert(0, fresh);
    after["needs"][1]["contact"]["phone"] = json!("021-1111111");
    after["offers"].as_array_mut().unwrap().pop();
    assert_eq!(
        changes_between(&schema(), &before, &after),
        vec![
            ("/needs/0".into(), Change::Added),
            ("/needs/1/contact/phone".into(), Change::Changed),
            ("/offers/1".into(), Change::Removed),
        ]
    );
}

#[test]
fn reordering_needs_or_lookup_keys_is_no_change() {
    let before = cbi();
    let mut after = cbi();
    after["needs"].as_array_mut().unwrap().reverse();
    after["offers"][0]["lookup_keys"]
        .as_array_mut()
        .unwrap()
        .reverse();
    assert_eq!(changes_between(&schema(), &before, &after), vec![]);
}

#[test]
fn data_items_pair_by_index() {
    let before = cbi();
    let mut after = cbi();
    after["needs"][0]["data_items"][0]["name"] = json!("ارزش ریالی");
    after["needs"][0]["data_items"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "وزن"}));
    assert_eq!(
        changes_between(&schema(), &before, &after),
        vec![
            ("/needs/0/data_items/0/name".into(), Change::Changed),
            ("/needs/0/data_items/2".into(), Change::Added),
        ]
    );
}

#[test]
fn scalar_lists_compare_as_sets() {
    let before = cbi();
    let mut after = cbi();
    after["offers"][0]["consumer_agencies"] = json!(["EGFI", "ISIPO", "CBI"]);
    assert_eq!(
        changes_between(&schema(), &before, &after),
        vec![
            ("/offers/0/consumer_agencies/2".into(), Change::Added),
            ("/offers/0/consumer_agencies/0".into(), Change::Removed),
        ]
    );
}

#[test]
fn a_value_that_changes_shape_is_compared_whole() {
    let before = cbi();
    let mut after = cbi();
    after["offers"][0]["consumer_agencies"] = json!("any_with_legal_basis");
    assert_eq!(
        changes_between(&schema(), &before, &after),
        vec![("/offers/0/consumer_agencies".into(), Change::Changed)]
    );
}

#[test]
fn changes_are_marked_in_the_document_with_words_beside_the_colour() {
    let before = cbi();
    let mut after = cbi();
    after["needs"][0]["contact"]["phone"] = json!("021-1111111");
    after["offers"].as_array_mut().unwrap().pop();
    let html = render_fa(&schema(), &after, Some(&before));
    assert!(html.contains("<del><bdi>021-88023307</bdi></del> <ins><bdi>021-1111111</bdi></ins>"));
    assert!(html.contains("۰ افزوده"), "{html}");
    assert!(html.contains("۱ تغییر کرده") && html.contains("۱ حذف‌شده"));
    // The removed offer is still shown, marked.
    let removed = before["offers"][1]["title"].as_str().unwrap();
    assert!(html.contains(removed));
    assert!(html.contains("<span class=\"diff-badge\">حذف‌شده</span>"));
}

#[test]
fn jalali_dates_and_text_are_read_safely() {
    let mut after = cbi();
    after["needs"][0]["needed_by"] = json!("1405-09-30");
    after["needs"][0]["purpose"] = json!("<script>alert(1)</script>");
    let html = render_fa(&schema(), &after, None);
    assert!(
        html.contains(
            "<time datetime=\"2026-12-21\" title=\"2026-12-21\">۳۰ آذر ۱۴۰۵، دوشنبه</time>"
        )
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn english_readers_get_english_words_and_ascii_digits() {
    let agencies = agencies();
    let html = render(&Document {
        schema: &schema(),
        current: &cbi(),
        previous: Some(&Value::Object(Default::default())),
        agencies: &agencies,
        locale: Locale::En,
    })
    .into_string();
    assert!(html.contains("1. اظهارنامه‌های صادراتی"));
    assert!(
        html.contains("<dd>Yes</dd>"),
        "inside what is new, values are plain"
    );
    assert!(html.contains("2 added"), "{html}");
}

#[test]
fn every_fixture_inventory_renders_each_agency_it_names() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/inventories");
    let schema = schema();
    let names = agencies();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "expected-matrix.json" {
            continue;
        }
        let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let html = render_fa(&schema, &data, None);
        for (_, code) in crate::forms::agency_refs(&schema, &data) {
            let name = &names[&code];
            assert!(
                html.contains(&format!("{name} (<bdi>{code}</bdi>)")),
                "{path:?}: {code}"
            );
        }
    }
}

#[test]
fn an_added_need_is_marked_once_not_at_every_value_inside_it() {
    let before = cbi();
    let mut after = cbi();
    let mut fresh = before["needs"][1].clone();
    fresh["title"] = json!("نیاز تازه");
    after["needs"].as_array_mut().unwrap().push(fresh);
    let html = render_fa(&schema(), &after, Some(&before));
    assert_eq!(
        html.matches("<span class=\"diff-badge\">افزوده</span>")
            .count(),
        1
    );
    assert!(
        !html.contains("<ins>"),
        "the values inside are shown plainly"
    );
    assert!(html.contains("<li class=\"diff-added\">"));
}

#[test]
fn a_nil_return_reads_plainly_with_its_reason() {
    let nil = json!({"nothing_to_declare": {"reason": "سامانه‌ای <برای> تبادل نداریم"}});
    let html = render_fa(&schema(), &nil, None);
    assert!(html.contains("این دستگاه موردی برای اعلام ندارد."), "{html}");
    assert!(html.contains("<q dir=\"auto\">سامانه‌ای &lt;برای&gt; تبادل نداریم</q>"));
    assert!(
        !html.contains("nothing_to_declare"),
        "the JSON key is shown"
    );
    let after_lists = render_fa(&schema(), &nil, Some(&cbi()));
    assert!(
        after_lists.contains("diff-summary"),
        "what changed since the lists"
    );
    assert!(!render_fa(&schema(), &cbi(), None).contains("nil-return"));
}
