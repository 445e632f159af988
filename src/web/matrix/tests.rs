use std::collections::BTreeMap;

use chrono::DateTime;
use serde_json::{Value, json};
use uuid::Uuid;

use super::view::{CellCounts, CellState, MatrixView};
use super::{matrix_page, not_an_inventory_page};
use crate::domain::Role;
use crate::engine::Member;
use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::{MatrixDocument, Source, build_matrix};
use crate::web::session::Viewer;

fn viewer(agency: &str, roles: Vec<Role>, locale: &str) -> Viewer {
    let member = Member {
        id: "m".into(),
        name: "مریم کریمی".into(),
        email: "m@x.example".into(),
        agency: Some(agency.into()),
        roles,
        supervisor_id: None,
        locale: locale.into(),
        version: 1,
        disabled: false,
    };
    let now = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z").unwrap();
    Viewer::rendering_for(member, now.into())
}

fn items(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| json!({"name": n})).collect())
}

fn need(title: &str, provider: &str, names: &[&str]) -> Value {
    json!({"title": title, "provider_agency": provider, "data_items": items(names)})
}

fn offer(title: &str, to: &[&str], names: &[&str]) -> Value {
    json!({"title": title, "consumer_agencies": to, "data_items": items(names)})
}

/// IRICA's need of MIMT is met in full, PMO's in part; IRICA's need of INSO not at all.
fn document() -> MatrixDocument {
    let inventories = vec![
        (
            "INSO".to_string(),
            json!({"needs": [], "offers": [offer("نشان استاندارد", &["IRICA"], &["شماره نشان"])]}),
        ),
        (
            "IRICA".to_string(),
            json!({"needs": [
                need("استعلام کارت بازرگانی", "MIMT", &["وضعیت کارت", "تاریخ اعتبار"]),
                need("پروانهٔ کاربرد", "INSO", &["شماره پروانه"]),
            ], "offers": []}),
        ),
        (
            "MIMT".to_string(),
            json!({"needs": [], "offers": [offer("کارت بازرگانی", &["IRICA", "PMO"], &["وضعیت کارت", "تاریخ اعتبار"])]}),
        ),
        (
            "PMO".to_string(),
            json!({"needs": [need("کارت برای ترخیص", "MIMT", &["وضعیت کارت", "نام دارنده"])], "offers": []}),
        ),
    ];
    let participants: Vec<String> = ["INSO", "IRICA", "MIMT", "PMO"].map(String::from).to_vec();
    let sources = ["INSO", "IRICA", "MIMT", "PMO"]
        .iter()
        .enumerate()
        .map(|(n, agency)| Source {
            agency: agency.to_string(),
            task: Uuid::from_u128(n as u128 + 1),
            submission: Uuid::from_u128(n as u128 + 100),
        })
        .collect();
    MatrixDocument {
        case: Uuid::from_u128(7),
        sources,
        matrix: build_matrix(&participants, &inventories, &CatalogueIndex::default()),
    }
}

fn names() -> BTreeMap<String, String> {
    [
        ("INSO", "سازمان ملی استاندارد"),
        ("IRICA", "گمرک ایران"),
        ("MIMT", "وزارت صمت"),
        ("PMO", "سازمان بنادر"),
    ]
    .map(|(c, n)| (c.to_string(), n.to_string()))
    .into()
}

fn view<'a>(
    document: &'a MatrixDocument,
    names: &'a BTreeMap<String, String>,
    focus: Option<&'a str>,
) -> MatrixView<'a> {
    MatrixView {
        document,
        names,
        focus,
        reviews: focus.is_none(),
    }
}

#[test]
fn each_cells_state_comes_from_how_far_its_needs_are_met() {
    let (document, names) = (document(), names());
    let view = view(&document, &names, None);
    let state = |c: &str, p: &str| CellCounts::of(view.cell(c, p).unwrap()).state();
    assert_eq!(state("IRICA", "MIMT"), CellState::Matched);
    assert_eq!(state("PMO", "MIMT"), CellState::Partial);
    assert_eq!(state("IRICA", "INSO"), CellState::Unmatched);
    assert!(view.cell("MIMT", "IRICA").is_none());
}

#[test]
fn the_grid_shows_symbols_and_counts_with_a_legend_not_colour_alone() {
    let (document, names) = (document(), names());
    let staff = viewer("MIMT", vec![Role::Secretariat], "fa");
    let page = matrix_page(&staff, &view(&document, &names, None), "احصا", None).into_string();
    for (class, symbol) in [("m-full", "✓"), ("m-part", "◐"), ("m-none", "✕")] {
        assert!(
            page.contains(&format!(
                r#"class="swatch {class}" aria-hidden="true">{symbol}</span>"#
            )),
            "the legend shows {class}: {page}"
        );
    }
    assert!(page.contains(r#"<td class="m-full">"#), "{page}");
    assert!(
        page.contains("✓ ۱/۱"),
        "IRICA's one need of MIMT met: {page}"
    );
    assert!(page.contains("◐ ۱/۱"), "PMO's need met in part: {page}");
    assert!(
        page.contains("✕ ۰/۱"),
        "IRICA's need of INSO not met: {page}"
    );
    assert!(page.contains("نیازهای گمرک ایران از وزارت صمت: ۱ از ۱ برآورده"));
    assert!(
        page.contains(r#"title="گمرک ایران (IRICA)""#),
        "code on hover: {page}"
    );
    assert!(page.contains("<bdi class=\"code\">IRICA</bdi>"));
    assert!(
        page.contains(r#"href="?consumer=IRICA&amp;provider=MIMT#cell""#),
        "a cell opens: {page}"
    );
    assert!(
        page.contains("(۱ از ۱ نیاز برآورده: ۱ کامل، ۰ بخشی؛ ۰ تنها با کلید استعلام)"),
        "what the counts mean, spoken: {page}"
    );
    // The totals, each count with its word; the conflicts list, empty here.
    for total in [
        "✓ برآورده به‌تمامی: ۱",
        "◐ بخشی برآورده: ۱",
        "✕ تنها کلید استعلام مشترک: ۰",
        "✕ برآورده‌نشده: ۱",
    ] {
        assert!(page.contains(total), "{total}: {page}");
    }
    assert!(page.contains("هیچ داده‌ای بیش از یک مرجع اصلی ندارد."));
    assert!(page.contains(r#"role="region""#) && page.contains(r#"tabindex="0""#));
    // The lists: the need not met with its reason, the unused offer, the duplicate need.
    assert!(page.contains("در عرضه‌های دارنده این داده نیست"), "{page}");
    assert!(page.contains("نشان استاندارد"));
    assert!(page.contains("نیاز یکسان از وزارت صمت"), "{page}");
    assert!(page.contains(&format!("/tasks/{}/review", Uuid::from_u128(2))));
    assert!(!page.contains(" style="), "no inline style under the CSP");
}

#[test]
fn an_opened_cell_shows_its_needs_and_offers_side_by_side_with_the_shared_items() {
    let (document, names) = (document(), names());
    let staff = viewer("MIMT", vec![Role::Auditor], "fa");
    let view = view(&document, &names, None);
    let cell = view.cell("PMO", "MIMT");
    let page = matrix_page(&staff, &view, "احصا", cell).into_string();
    let detail = page.split(r#"id="cell""#).nth(1).expect("the cell is open");
    assert!(
        detail.contains("نیازهای سازمان بنادر از وزارت صمت"),
        "{detail}"
    );
    assert!(detail.contains("کارت برای ترخیص") && detail.contains("کارت بازرگانی"));
    assert!(detail.contains("<mark>✓ وضعیت کارت</mark>"), "{detail}");
    assert!(
        detail.contains("<li>نام دارنده</li>"),
        "not shared, not marked"
    );
    assert!(detail.contains("◐ بخشی برآورده"));
    assert!(
        detail.contains("بدون: نام دارنده"),
        "what the offer lacks: {detail}"
    );
    assert!(detail.contains("side-by-side"));
}

#[test]
fn a_member_reads_only_its_agencys_part() {
    let (whole, names) = (document(), names());
    let document = whole.seen_by("PMO");
    let member = viewer("PMO", vec![Role::Member], "fa");
    let view = view(&document, &names, Some("PMO"));
    assert_eq!(view.axes(), ["MIMT", "PMO"]);
    let page = matrix_page(&member, &view, "احصا", None).into_string();
    assert!(page.contains("◐ ۱/۱"));
    assert!(
        !page.contains("✓ ۱/۱") && !page.contains("پروانهٔ کاربرد"),
        "{page}"
    );
    assert!(page.contains("شما بخش مربوط به دستگاه خود را می‌بینید"));
    assert!(
        !page.contains("/review"),
        "a member opens its own task page"
    );
    assert!(page.contains(&format!("/tasks/{}", Uuid::from_u128(4))));
    assert!(!page.contains(&format!("/tasks/{}", Uuid::from_u128(2))));
}

#[test]
fn a_case_without_inventories_says_so_in_the_readers_language() {
    let id = Uuid::from_u128(9);
    let staff = viewer("MIMT", vec![Role::Secretariat], "fa");
    let page = not_an_inventory_page(&staff, id, "مصوبه", "تصویب مصوبه").into_string();
    assert!(page.contains("گردش کار «تصویب مصوبه»"), "{page}");
    assert!(page.contains(&format!("/cases/{id}")));
    let member = viewer("PMO", vec![Role::Member], "en");
    let page =
        not_an_inventory_page(&member, id, "Resolution", "resolution-approval").into_string();
    assert!(
        page.contains("collects no data-exchange inventories"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("/cases/{id}")),
        "a member has no case page"
    );
}

/// The rules inside every `@media print { … }` of the stylesheet.
fn print_rules(css: &str) -> String {
    let mut rules = String::new();
    for block in css.split("@media print {").skip(1) {
        let mut depth = 1;
        let end = block
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(block.len(), |(i, _)| i);
        rules.push_str(&block[..end]);
    }
    rules
}

#[test]
fn printing_leaves_out_navigation_buttons_and_forms_and_repeats_headers() {
    let rules = print_rules(include_str!("../daftar.css"));
    let hidden: Vec<&str> = rules
        .lines()
        .filter(|l| l.contains("display: none !important"))
        .flat_map(|l| l.split('{').next().unwrap_or_default().split(','))
        .map(str::trim)
        .collect();
    for selector in ["nav", "form", "button", ".button", ".skip-link", ".actions"] {
        assert!(
            hidden.contains(&selector),
            "{selector} is hidden in print: {hidden:?}"
        );
    }
    assert!(rules.contains("size: landscape"));
    assert!(rules.contains("thead { display: table-header-group; }"));
    assert!(rules.contains("tr, li, .entry { break-inside: avoid; }"));
    assert!(
        rules.contains("overflow: visible"),
        "the grid is not cut at its scroll box"
    );
}
