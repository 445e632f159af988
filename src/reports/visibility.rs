//! What a member of an agency may read of a case's exchange matrix (api.md, "Reports"):
//! the cells where its agency is consumer or provider, the unused offers open to it (its own
//! included), and the unmatched needs, duplicates and conflicts its agency is part of — as
//! consumer, as provider named by the needs of a duplicate, or as one of its agencies; the
//! totals are those of what it reads. An unmatched need's `candidates` keep only the offers
//! open to the agency: an offer listed for others alone is not the reader's to know of, even
//! by its ref. Staff read the whole matrix. One function for the API, the CSV, the pages and
//! the CLI, so they cannot drift.

use std::collections::BTreeSet;

use super::MatrixDocument;
use super::board::Board;
use super::matrix::{ExchangeMatrix, totals};
use crate::domain::CaseState;

/// Whether `agency` takes part in the case (a participant, or an agency with a task in it):
/// a member of any other agency does not see the case at all.
pub fn takes_part(state: &CaseState, agency: &str) -> bool {
    state.participants.iter().any(|p| p == agency)
        || state
            .tasks
            .iter()
            .any(|t| t.agency.as_deref() == Some(agency))
}

impl Board {
    /// The board a member of `agency` reads: every agency's row and status (peer
    /// visibility is intended), but who in another agency holds its task or cast its vote
    /// is that agency's own business.
    pub fn seen_by(&self, agency: &str) -> Board {
        let mut board = self.clone();
        for row in board
            .rows
            .iter_mut()
            .filter(|r| r.agency.as_deref() != Some(agency))
        {
            row.assignee = None;
            row.voted_by = None;
        }
        board
    }
}

/// The refs of every offer of the matrix the agency may read: its own and those open to it.
fn offers_open_to<'a>(m: &'a ExchangeMatrix, agency: &str) -> BTreeSet<&'a str> {
    let used = m.cells.iter().flat_map(|c| &c.offers);
    used.chain(&m.unused_offers)
        .filter(|o| o.agency == agency || o.consumer_agencies.admits(agency))
        .map(|o| o.reference.as_str())
        .collect()
}

impl MatrixDocument {
    /// The part of the matrix a member of `agency` reads. The axes stay (who takes part is
    /// no secret), and so do the sources of the agency's own submissions only.
    pub fn seen_by(&self, agency: &str) -> MatrixDocument {
        let m = &self.matrix;
        let open = offers_open_to(m, agency);
        let cells: Vec<_> = m
            .cells
            .iter()
            .filter(|c| c.consumer == agency || c.provider == agency)
            .cloned()
            .collect();
        let unmatched_needs: Vec<_> = m
            .unmatched_needs
            .iter()
            .filter(|u| u.need.agency == agency || u.need.provider_agency == agency)
            .map(|u| {
                let mut u = u.clone();
                u.candidates.retain(|c| open.contains(c.as_str()));
                u
            })
            .collect();
        let matrix = ExchangeMatrix {
            agencies: m.agencies.clone(),
            totals: totals(&cells, &unmatched_needs),
            cells,
            unmatched_needs,
            unused_offers: m
                .unused_offers
                .iter()
                .filter(|o| o.agency == agency || o.consumer_agencies.admits(agency))
                .cloned()
                .collect(),
            duplicates: m
                .duplicates
                .iter()
                .filter(|d| {
                    d.agencies.iter().any(|a| a == agency) || d.provider.as_deref() == Some(agency)
                })
                .cloned()
                .collect(),
            conflicts: m
                .conflicts
                .iter()
                .filter(|c| c.providers.iter().any(|p| p == agency))
                .cloned()
                .collect(),
        };
        MatrixDocument {
            case: self.case,
            sources: self
                .sources
                .iter()
                .filter(|s| s.agency == agency)
                .cloned()
                .collect(),
            matrix,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::catalogue_index::CatalogueIndex;
    use super::super::{MatrixDocument, build_matrix};

    fn document() -> MatrixDocument {
        let need = |title: &str, provider: &str, item: &str| json!({"title": title, "provider_agency": provider, "data_items": [{"name": item}]});
        let offer = |title: &str, to: serde_json::Value, item: &str| json!({"title": title, "consumer_agencies": to, "data_items": [{"name": item}]});
        let inventories = vec![
            (
                "IRICA".to_string(),
                json!({"needs": [need("کارت", "MIMT", "وضعیت کارت")], "offers": [offer("اظهارنامه", json!(["PMO"]), "ارزش گمرکی")]}),
            ),
            (
                "MIMT".to_string(),
                json!({"needs": [need("پروانه", "INSO", "شماره پروانه")], "offers": [offer("کارت", json!(["IRICA"]), "وضعیت کارت"), offer("ثبت", json!("any_with_legal_basis"), "شناسه ثبت")]}),
            ),
            (
                "PMO".to_string(),
                json!({"needs": [need("کارت", "MIMT", "وضعیت کارت")], "offers": []}),
            ),
        ];
        let participants: Vec<String> = ["IRICA", "MIMT", "PMO", "INSO"].map(String::from).to_vec();
        MatrixDocument {
            case: uuid::Uuid::nil(),
            sources: Vec::new(),
            matrix: build_matrix(&participants, &inventories, &CatalogueIndex::default()),
        }
    }

    #[test]
    fn a_member_reads_only_the_cells_and_lists_its_agency_is_part_of() {
        let whole = document();
        let pmo = whole.seen_by("PMO");
        assert_eq!(pmo.matrix.agencies, whole.matrix.agencies, "the axes stay");
        assert!(
            pmo.matrix
                .cells
                .iter()
                .all(|c| c.consumer == "PMO" || c.provider == "PMO")
        );
        assert_eq!(pmo.matrix.cells.len(), 1, "PMO → MIMT only");
        // MIMT's need of INSO is none of PMO's business; IRICA's offer open to PMO is.
        assert!(
            pmo.matrix
                .unmatched_needs
                .iter()
                .all(|u| u.need.agency == "PMO")
        );
        let offers: Vec<&str> = pmo
            .matrix
            .unused_offers
            .iter()
            .map(|o| o.reference.as_str())
            .collect();
        assert_eq!(offers, ["IRICA/offers/0", "MIMT/offers/1"]);
        assert!(
            pmo.matrix
                .duplicates
                .iter()
                .all(|d| d.agencies.iter().any(|a| a == "PMO"))
        );
        let mimt = whole.seen_by("MIMT");
        assert_eq!(
            mimt.matrix.cells.len(),
            3,
            "MIMT provides to two, needs of one"
        );
        // Its own need of INSO, and PMO's need of what it offers to IRICA alone.
        assert_eq!(mimt.matrix.unmatched_needs.len(), 2);
    }

    #[test]
    fn a_member_reads_the_conflicts_its_agency_is_part_of_and_its_totals() {
        let master = |item: &str| json!({"title": "ثبت", "consumer_agencies": "any_with_legal_basis", "data_items": [{"name": item}], "source_register": {"system_name": "سامانه", "is_authoritative_master": true}});
        let inventories = vec![
            (
                "ICCIMA".to_string(),
                json!({"needs": [], "offers": [master("وضعیت کارت بازرگانی")]}),
            ),
            (
                "MIMT".to_string(),
                json!({"needs": [], "offers": [master("وضعيت كارت بازرگاني")]}),
            ),
            (
                "PMO".to_string(),
                json!({"needs": [{"title": "کارت", "provider_agency": "MIMT", "data_items": [{"name": "وضعیت کارت بازرگانی"}]}], "offers": []}),
            ),
        ];
        let document = MatrixDocument {
            case: uuid::Uuid::nil(),
            sources: Vec::new(),
            matrix: build_matrix(&[], &inventories, &CatalogueIndex::default()),
        };
        assert_eq!(document.matrix.conflicts.len(), 1);
        assert_eq!(
            document.seen_by("MIMT").matrix.conflicts,
            document.matrix.conflicts
        );
        assert_eq!(document.seen_by("ICCIMA").matrix.conflicts.len(), 1);
        let pmo = document.seen_by("PMO").matrix;
        assert!(pmo.conflicts.is_empty(), "PMO claims nothing");
        assert_eq!((pmo.totals.full, pmo.totals.none), (1, 0), "its one need");
        let iccima = document.seen_by("ICCIMA").matrix;
        assert_eq!(iccima.totals.needs(), 0, "no cell of ICCIMA's");
    }

    /// X needs from Z what Z offers to Y alone; Y's need of Z is met; Y and W need the same
    /// of X; Y and Z offer the same pair of items.
    fn three_agencies() -> MatrixDocument {
        let need = |title: &str, provider: &str, items: &[&str]| json!({"title": title, "provider_agency": provider, "data_items": items.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
        let offer = |title: &str, to: serde_json::Value, items: &[&str]| json!({"title": title, "consumer_agencies": to, "data_items": items.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
        let inventories = vec![
            (
                "W".to_string(),
                json!({"needs": [need("ثبت", "X", &["وضعیت ثبت"])], "offers": []}),
            ),
            (
                "X".to_string(),
                json!({"needs": [need("پروانه", "Z", &["وضعیت پروانه"])], "offers": []}),
            ),
            (
                "Y".to_string(),
                json!({"needs": [need("پروانه", "Z", &["وضعیت پروانه"]), need("ثبت", "X", &["وضعیت ثبت"])],
                       "offers": [offer("کالا", json!(["W"]), &["نام کالا", "وزن کالا"])]}),
            ),
            (
                "Z".to_string(),
                json!({"needs": [], "offers": [offer("پروانه", json!(["Y"]), &["وضعیت پروانه"]), offer("کالا", json!(["W"]), &["نام کالا", "وزن کالا"])]}),
            ),
        ];
        let participants: Vec<String> = ["W", "X", "Y", "Z"].map(String::from).to_vec();
        MatrixDocument {
            case: uuid::Uuid::nil(),
            sources: Vec::new(),
            matrix: build_matrix(&participants, &inventories, &CatalogueIndex::default()),
        }
    }

    #[test]
    fn a_member_reads_nothing_between_two_other_agencies() {
        let whole = three_agencies();
        let x = whole.seen_by("X");
        let pairs: Vec<(&str, &str)> = x
            .matrix
            .cells
            .iter()
            .map(|c| (c.consumer.as_str(), c.provider.as_str()))
            .collect();
        // Not Y → Z (matched, between two others).
        assert_eq!(pairs, [("W", "X"), ("X", "Z"), ("Y", "X")]);
        // Its own need is unmatched; Z's offer to Y alone is not named as a candidate.
        assert_eq!(
            x.matrix.unmatched_needs.len(),
            3,
            "its own need and two naming it"
        );
        let own = x
            .matrix
            .unmatched_needs
            .iter()
            .find(|u| u.need.agency == "X")
            .unwrap();
        assert_eq!(own.need.reference, "X/needs/0");
        assert!(own.candidates.is_empty(), "{:?}", own.candidates);
        let in_whole = whole
            .matrix
            .unmatched_needs
            .iter()
            .find(|u| u.need.agency == "X")
            .unwrap();
        assert_eq!(
            in_whole.candidates,
            ["Z/offers/0"],
            "staff see where the data is"
        );
        // The offers to W alone are not X's to see.
        assert!(x.matrix.unused_offers.is_empty());
        // W and Y need the same of X, X and Y the same of Z: X is part of both; Y and Z
        // offer the same: X is not.
        let groups: Vec<Vec<String>> = x
            .matrix
            .duplicates
            .iter()
            .map(|d| {
                d.entries
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            groups,
            [["W/needs/0", "Y/needs/1"], ["X/needs/0", "Y/needs/0"]]
        );
        assert_eq!(whole.matrix.duplicates.len(), 3);
    }
}
