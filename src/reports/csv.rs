//! CSV exports of the matrix and the board, for spreadsheet tools: UTF-8 with a byte-order
//! mark (without it Excel reads the bytes as the local code page and Persian turns into
//! mojibake), CRLF line ends and RFC 4180 quoting. A cell that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`: the text comes from
//! agencies' submissions and must stay text.

use super::board::Board;
use super::confirmations::{Confirmation, ConfirmationState};
use super::duplicates::DuplicateKind;
use super::entries::Consumers;
use super::matrix::{Basis, ExchangeMatrix, Quality, QualityCounts};
use super::services::ServicesReport;

pub const BOM: &str = "\u{FEFF}";

fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn push_row(out: &mut String, cells: &[&str]) {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

const MATRIX_HEADER: [&str; 19] = [
    "section",
    "group",
    "consumer",
    "provider",
    "need_ref",
    "need_title",
    "offer_ref",
    "offer_title",
    "basis",
    "data_items",
    "detail",
    "quality",
    "missing_items",
    "full",
    "partial",
    "lookup_key_only",
    "none",
    "confirmation",
    "confirmation_detail",
];

/// One line of the matrix table; empty columns stay empty.
#[derive(Default)]
struct MatrixRow<'a> {
    section: &'a str,
    group: String,
    consumer: String,
    provider: &'a str,
    need_ref: &'a str,
    need_title: &'a str,
    offer_ref: String,
    offer_title: &'a str,
    basis: &'a str,
    data_items: String,
    detail: &'a str,
    quality: &'a str,
    missing_items: String,
    counts: Option<QualityCounts>,
    confirmation: Option<&'a Confirmation>,
}

impl MatrixRow<'_> {
    fn push(self, out: &mut String) {
        let counts = self.counts.map_or(
            [String::new(), String::new(), String::new(), String::new()],
            |c| [c.full, c.partial, c.lookup_key_only, c.none].map(|n| n.to_string()),
        );
        let (state, detail) = self.confirmation.map_or(("", String::new()), confirmation);
        push_row(
            out,
            &[
                self.section,
                &self.group,
                &self.consumer,
                self.provider,
                self.need_ref,
                self.need_title,
                &self.offer_ref,
                self.offer_title,
                self.basis,
                &self.data_items,
                self.detail,
                self.quality,
                &self.missing_items,
                &counts[0],
                &counts[1],
                &counts[2],
                &counts[3],
                state,
                &detail,
            ],
        );
    }
}

/// A provider's accepted answer: its state, and what goes with it — from when the data is
/// served (confirmed), the conditions (conditional), the law it cites (declined).
fn confirmation(c: &Confirmation) -> (&'static str, String) {
    match c.state {
        ConfirmationState::Confirmed => ("confirmed", c.available_from.clone().unwrap_or_default()),
        ConfirmationState::Conditional => ("conditional", c.conditions.clone().unwrap_or_default()),
        ConfirmationState::Declined => {
            let law = c.legal_reason.as_ref();
            let part = |name: &str| law.and_then(|l| l[name].as_str()).unwrap_or_default();
            let detail = [part("law_title"), part("article")]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("، ");
            ("declined", detail)
        }
    }
}

/// Lists inside a cell are joined with « | ».
fn joined<'a, T: AsRef<str> + 'a>(items: impl IntoIterator<Item = &'a T>) -> String {
    let mut out = String::new();
    for (at, item) in items.into_iter().enumerate() {
        if at > 0 {
            out.push_str(" | ");
        }
        out.push_str(item.as_ref());
    }
    out
}

/// The matrix as one long table, one row per fact, so a spreadsheet filter on `section`
/// gives each list: `total` and `cell` (how many needs are met how), `match`,
/// `unmatched_need`, `unused_offer`, `duplicate_need`, `duplicate_offer`, `conflict`.
/// `match` and `unmatched_need` rows carry the provider's accepted answer from a
/// confirmation round, once there is one: `confirmation` (confirmed, conditional, declined)
/// and `confirmation_detail` (from when the data is served, the conditions, the law cited).
pub fn matrix_csv(matrix: &ExchangeMatrix) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, &MATRIX_HEADER);
    count_rows(matrix, &mut out);
    match_rows(matrix, &mut out);
    unmatched_rows(matrix, &mut out);
    unused_rows(matrix, &mut out);
    duplicate_rows(matrix, &mut out);
    conflict_rows(matrix, &mut out);
    out
}

/// The totals, then each cell's counts.
fn count_rows(matrix: &ExchangeMatrix, out: &mut String) {
    MatrixRow {
        section: "total",
        counts: Some(matrix.totals),
        ..Default::default()
    }
    .push(out);
    for cell in &matrix.cells {
        MatrixRow {
            section: "cell",
            consumer: cell.consumer.to_string(),
            provider: &cell.provider,
            counts: Some(cell.counts),
            ..Default::default()
        }
        .push(out);
    }
}

/// One row per conflict: the providers in `provider`, their offers in `offer_ref`.
fn conflict_rows(matrix: &ExchangeMatrix, out: &mut String) {
    for c in &matrix.conflicts {
        let providers = joined(&c.providers);
        MatrixRow {
            section: "conflict",
            provider: &providers,
            offer_ref: joined(&c.offers),
            data_items: c.item.to_string(),
            ..Default::default()
        }
        .push(out);
    }
}

fn match_rows(matrix: &ExchangeMatrix, out: &mut String) {
    for cell in &matrix.cells {
        for m in &cell.matched {
            let need = cell.needs.iter().find(|n| n.reference == m.need);
            let offer = cell.offers.iter().find(|o| o.reference == m.offer);
            let basis = match m.on {
                Basis::DataItems => "data_items",
                Basis::CatalogueItems => "catalogue_items",
            };
            let quality = match m.quality {
                Quality::Full => "full",
                Quality::Partial => "partial",
            };
            MatrixRow {
                section: "match",
                consumer: cell.consumer.to_string(),
                provider: &cell.provider,
                need_ref: &m.need,
                need_title: need.map_or("", |n| n.title.as_str()),
                offer_ref: m.offer.to_string(),
                offer_title: offer.map_or("", |o| o.title.as_str()),
                basis,
                data_items: joined(&m.data_items),
                quality,
                missing_items: joined(&m.missing_items),
                confirmation: m.confirmation.as_deref(),
                ..Default::default()
            }
            .push(out);
        }
    }
}

/// The named provider, the need, its candidates (in `offer_ref`) and the reason; for
/// `lookup_key_only`, the provider's offers sharing only a lookup key in `offer_title`.
fn unmatched_rows(matrix: &ExchangeMatrix, out: &mut String) {
    for u in &matrix.unmatched_needs {
        let reason = serde_json::to_value(u.reason).unwrap_or_default();
        let key_offers = joined(&u.offers);
        MatrixRow {
            section: "unmatched_need",
            consumer: u.need.agency.to_string(),
            provider: &u.need.provider_agency,
            need_ref: &u.need.reference,
            need_title: &u.need.title,
            offer_ref: joined(&u.candidates),
            offer_title: &key_offers,
            data_items: joined(u.need.data_items.iter()),
            detail: reason.as_str().unwrap_or(""),
            confirmation: u.confirmation.as_deref(),
            ..Default::default()
        }
        .push(out);
    }
}

/// The offer, with the agencies it is open to as `consumer`.
fn unused_rows(matrix: &ExchangeMatrix, out: &mut String) {
    for o in &matrix.unused_offers {
        let consumer = match &o.consumer_agencies {
            Consumers::Listed(codes) => joined(codes),
            Consumers::Any(any) => any.to_string(),
        };
        MatrixRow {
            section: "unused_offer",
            consumer,
            provider: &o.agency,
            offer_ref: o.reference.to_string(),
            offer_title: &o.title,
            data_items: joined(&o.data_items),
            ..Default::default()
        }
        .push(out);
    }
}

/// One row per entry of each group; `group` numbers the groups from 1.
fn duplicate_rows(matrix: &ExchangeMatrix, out: &mut String) {
    for (number, d) in matrix.duplicates.iter().enumerate() {
        for entry in &d.entries {
            let agency = entry.split('/').next().unwrap_or_default().to_string();
            let mut row = MatrixRow {
                group: (number + 1).to_string(),
                data_items: joined(&d.data_items),
                ..Default::default()
            };
            match d.kind {
                DuplicateKind::Need => {
                    row.section = "duplicate_need";
                    row.consumer = agency;
                    row.provider = d.provider.as_deref().unwrap_or("");
                    row.need_ref = entry;
                }
                DuplicateKind::Offer => {
                    row.section = "duplicate_offer";
                    row.provider = entry.split('/').next().unwrap_or_default();
                    row.offer_ref = entry.to_string();
                }
            }
            row.push(out);
        }
    }
}

const SERVICES_HEADER: [&str; 11] = [
    "agency",
    "service_code",
    "title_fa",
    "task",
    "inquiry",
    "provider_agency",
    "data_need_ref",
    "standing",
    "need",
    "reason",
    "offered_by_nobody",
];

/// The services-at-risk report as a table: one row per inquiry of each service listed.
pub fn services_csv(report: &ServicesReport) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, &SERVICES_HEADER);
    let name = |value: serde_json::Value| value.as_str().unwrap_or_default().to_string();
    for service in &report.services {
        let task = service.task.to_string();
        for inquiry in &service.inquiries {
            let index = inquiry.index.to_string();
            let standing = name(serde_json::to_value(inquiry.standing).unwrap_or_default());
            let reason = name(serde_json::to_value(inquiry.reason).unwrap_or_default());
            push_row(
                &mut out,
                &[
                    &service.agency,
                    &service.service_code,
                    &service.title_fa,
                    &task,
                    &index,
                    &inquiry.provider_agency,
                    inquiry.data_need_ref.as_deref().unwrap_or(""),
                    &standing,
                    inquiry.need.as_deref().unwrap_or(""),
                    &reason,
                    &joined(&inquiry.offered_by_nobody),
                ],
            );
        }
    }
    out
}

const BOARD_HEADER: [&str; 16] = [
    "agency",
    "agency_name",
    "step",
    "type",
    "status",
    "assignee",
    "due",
    "due_jalali",
    "due_at",
    "overdue",
    "escalation_level",
    "submissions",
    "returns",
    "last_submission_at",
    "last_activity",
    "last_activity_jalali",
];

/// The board, one row per task, in the board's order.
pub fn board_csv(board: &Board) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, &BOARD_HEADER);
    for r in &board.rows {
        let (level, submissions, returns) = (
            r.escalation_level.to_string(),
            r.submissions.to_string(),
            r.returns.to_string(),
        );
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        push_row(
            &mut out,
            &[
                &text(&r.agency),
                &text(&r.agency_name),
                &r.step,
                &r.kind,
                &r.status,
                &text(&r.assignee),
                &text(&r.due_display),
                &text(&r.due_jalali),
                &text(&r.due_at),
                if r.overdue { "yes" } else { "no" },
                &level,
                &submissions,
                &returns,
                &text(&r.last_submission_at),
                &r.last_activity,
                &text(&r.last_activity_jalali),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("ساده"), "ساده");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }

    #[test]
    fn the_matrix_table_has_a_row_per_fact() {
        let need = |provider: &str, item: &str| serde_json::json!({"title": "نیاز", "provider_agency": provider, "data_items": [{"name": item}], "lookup_keys": ["other"]});
        let offer = |item: &str| serde_json::json!({"title": "عرضه", "consumer_agencies": "any_with_legal_basis", "data_items": [{"name": item}], "lookup_keys": ["other"]});
        let inventories = vec![
            (
                "A".to_string(),
                serde_json::json!({"needs": [need("B", "x"), need("unknown", "y")], "offers": []}),
            ),
            (
                "B".to_string(),
                serde_json::json!({"needs": [], "offers": [offer("x"), offer("z")]}),
            ),
            (
                "C".to_string(),
                serde_json::json!({"needs": [need("unknown", "y")], "offers": []}),
            ),
        ];
        let matrix = super::super::build_matrix(&[], &inventories, &Default::default());
        let text = matrix_csv(&matrix);
        let lines: Vec<&str> = text.trim_start_matches(BOM).lines().collect();
        assert_eq!(lines[0], MATRIX_HEADER.join(","));
        assert_eq!(
            &lines[1..],
            [
                "total,,,,,,,,,,,,,1,0,0,2,,",
                "cell,,A,B,,,,,,,,,,1,0,0,0,,",
                "match,,A,B,A/needs/0,نیاز,B/offers/0,عرضه,data_items,x,,full,,,,,,,",
                "unmatched_need,,A,unknown,A/needs/1,نیاز,,,,y,provider_unknown,,,,,,,,",
                "unmatched_need,,C,unknown,C/needs/0,نیاز,,,,y,provider_unknown,,,,,,,,",
                "unused_offer,,any_with_legal_basis,B,,,B/offers/1,عرضه,,z,,,,,,,,,",
                "duplicate_need,1,A,unknown,A/needs/1,,,,,y,,,,,,,,,",
                "duplicate_need,1,C,unknown,C/needs/0,,,,,y,,,,,,,,,",
            ]
        );
    }

    #[test]
    fn a_providers_answer_is_in_the_rows_of_its_need() {
        use crate::reports::confirmations::{Answer, apply_confirmations};
        let need = |item: &str| serde_json::json!({"title": "نیاز", "provider_agency": "B", "data_items": [{"name": item}], "lookup_keys": ["other"]});
        let offer = serde_json::json!({"title": "عرضه", "consumer_agencies": ["A"], "data_items": [{"name": "x"}], "lookup_keys": ["other"]});
        let inventories = vec![
            (
                "A".to_string(),
                serde_json::json!({"needs": [need("x"), need("q")], "offers": []}),
            ),
            (
                "B".to_string(),
                serde_json::json!({"needs": [], "offers": [offer]}),
            ),
        ];
        let mut matrix = super::super::build_matrix(&[], &inventories, &Default::default());
        let answer =
            |need: &str, state, conditions: Option<&str>, law: Option<serde_json::Value>| Answer {
                provider: "B".into(),
                need: need.into(),
                confirmation: Confirmation {
                    state,
                    round: uuid::Uuid::nil(),
                    interface: None,
                    available_from: None,
                    conditions: conditions.map(str::to_string),
                    legal_reason: law,
                },
            };
        let law = serde_json::json!({"law_title": "قانون مدیریت داده‌ها", "article": "ماده ۷"});
        apply_confirmations(
            &mut matrix,
            &[
                answer(
                    "A/needs/0",
                    ConfirmationState::Conditional,
                    Some("فقط استعلام"),
                    None,
                ),
                answer("A/needs/1", ConfirmationState::Declined, None, Some(law)),
            ],
        );
        let text = matrix_csv(&matrix);
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("match,") || l.starts_with("unmatched_need,"))
            .collect();
        assert_eq!(
            rows,
            [
                "match,,A,B,A/needs/0,نیاز,B/offers/0,عرضه,data_items,x,,full,,,,,,conditional,فقط استعلام",
                "unmatched_need,,A,B,A/needs/1,نیاز,,,,q,no_matching_offer,,,,,,,declined,قانون مدیریت داده‌ها، ماده ۷",
            ]
        );
    }

    #[test]
    fn the_services_table_has_a_row_per_inquiry() {
        let report: ServicesReport = serde_json::from_value(serde_json::json!({
            "cards_case": "0190f000-0000-7000-8000-000000000001",
            "inventory_case": "0190f000-0000-7000-8000-000000000002",
            "services_checked": 3,
            "services": [{
                "agency": "IRICA",
                "task": "0190f000-0000-7000-8000-000000000003",
                "service_code": "IRICA-A",
                "title_fa": "ترخیص کالا, وارداتی",
                "inquiries": [
                    {"index": 0, "provider_agency": "INSO", "data_need_ref": "IRICA/needs/0", "standing": "need_unmet", "need": "IRICA/needs/0", "reason": "no_matching_offer"},
                    {"index": 2, "provider_agency": "SSAA", "data_need_ref": null, "standing": "items_offered_by_nobody", "offered_by_nobody": ["سوابق بازرسی", "نشانی"]}
                ]
            }]
        }))
        .unwrap();
        let text = services_csv(&report);
        let lines: Vec<&str> = text.trim_start_matches(BOM).lines().collect();
        assert_eq!(
            lines,
            [
                "agency,service_code,title_fa,task,inquiry,provider_agency,data_need_ref,standing,need,reason,offered_by_nobody",
                "IRICA,IRICA-A,\"ترخیص کالا, وارداتی\",0190f000-0000-7000-8000-000000000003,0,INSO,IRICA/needs/0,need_unmet,IRICA/needs/0,no_matching_offer,",
                "IRICA,IRICA-A,\"ترخیص کالا, وارداتی\",0190f000-0000-7000-8000-000000000003,2,SSAA,,items_offered_by_nobody,,,سوابق بازرسی | نشانی",
            ]
        );
    }

    #[test]
    fn rows_end_with_crlf() {
        let mut out = String::new();
        push_row(&mut out, &["a", "ب"]);
        assert_eq!(out, "a,ب\r\n");
    }
}
