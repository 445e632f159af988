//! CSV exports of the matrix and the board, for spreadsheet tools: UTF-8 with a byte-order
//! mark (without it Excel reads the bytes as the local code page and Persian turns into
//! mojibake), CRLF line ends and RFC 4180 quoting. A cell that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`: the text comes from
//! agencies' submissions and must stay text.

use super::board::Board;
use super::entries::Consumers;
use super::matrix::{Basis, ExchangeMatrix};

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

const MATRIX_HEADER: [&str; 11] = [
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
];

/// The matrix as one long table, one row per fact, so a spreadsheet filter on `section`
/// gives each list: `match`, `unmatched_need`, `unused_offer`, `duplicate_need`,
/// `duplicate_offer`. Lists inside a cell are joined with « | ».
pub fn matrix_csv(matrix: &ExchangeMatrix) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, &MATRIX_HEADER);
    let need_title = |r: &str| {
        let need = matrix
            .cells
            .iter()
            .flat_map(|c| &c.needs)
            .find(|n| n.reference == r);
        need.map(|n| n.title.clone()).unwrap_or_default()
    };
    for cell in &matrix.cells {
        for m in &cell.matched {
            let offer = cell.offers.iter().find(|o| o.reference == m.offer);
            let basis = match m.on {
                Basis::DataItems => "data_items",
                Basis::LookupKeys => "lookup_keys",
            };
            let shared = if m.on == Basis::DataItems {
                &m.data_items
            } else {
                &m.lookup_keys
            };
            push_row(
                &mut out,
                &[
                    "match",
                    "",
                    &cell.consumer,
                    &cell.provider,
                    &m.need,
                    &need_title(&m.need),
                    &m.offer,
                    offer.map(|o| o.title.as_str()).unwrap_or(""),
                    basis,
                    &shared.join(" | "),
                    "",
                ],
            );
        }
    }
    for u in &matrix.unmatched_needs {
        let reason = serde_json::to_value(u.reason).unwrap_or_default();
        push_row(
            &mut out,
            &[
                "unmatched_need",
                "",
                &u.need.agency,
                &u.need.provider_agency,
                &u.need.reference,
                &u.need.title,
                &u.candidates.join(" | "),
                "",
                "",
                &u.need.data_items.join(" | "),
                reason.as_str().unwrap_or(""),
            ],
        );
    }
    for o in &matrix.unused_offers {
        let consumers = match &o.consumer_agencies {
            Consumers::Listed(codes) => codes.join(" | "),
            Consumers::Any(any) => any.clone(),
        };
        push_row(
            &mut out,
            &[
                "unused_offer",
                "",
                &consumers,
                &o.agency,
                "",
                "",
                &o.reference,
                &o.title,
                "",
                &o.data_items.join(" | "),
                "",
            ],
        );
    }
    for (number, d) in matrix.duplicates.iter().enumerate() {
        let section = match d.kind {
            super::duplicates::DuplicateKind::Need => "duplicate_need",
            super::duplicates::DuplicateKind::Offer => "duplicate_offer",
        };
        let group = (number + 1).to_string();
        for entry in &d.entries {
            let agency = entry.split('/').next().unwrap_or_default();
            let (consumer, provider, need, offer) = match d.kind {
                super::duplicates::DuplicateKind::Need => (
                    agency,
                    d.provider.as_deref().unwrap_or(""),
                    entry.as_str(),
                    "",
                ),
                super::duplicates::DuplicateKind::Offer => ("", agency, "", entry.as_str()),
            };
            push_row(
                &mut out,
                &[
                    section,
                    &group,
                    consumer,
                    provider,
                    need,
                    "",
                    offer,
                    "",
                    "",
                    &d.data_items.join(" | "),
                    "",
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
    fn rows_end_with_crlf() {
        let mut out = String::new();
        push_row(&mut out, &["a", "ب"]);
        assert_eq!(out, "a,ب\r\n");
    }
}
