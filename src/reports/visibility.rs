//! What a member of an agency may read of a case's exchange matrix (api.md, "Reports"):
//! the cells where its agency is consumer or provider, the unused offers open to it (its own
//! included), and the unmatched needs, duplicates and conflicts its agency is part of; the
//! totals are those of what it reads. Staff read the
//! whole matrix. One function for the API and the pages, so the two cannot drift.

use super::MatrixDocument;
use super::matrix::{ExchangeMatrix, totals};

impl MatrixDocument {
    /// The part of the matrix a member of `agency` reads. The axes stay (who takes part is
    /// no secret), and so do the sources of the agency's own submissions only.
    pub fn seen_by(&self, agency: &str) -> MatrixDocument {
        let m = &self.matrix;
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
            .cloned()
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
                .filter(|d| d.agencies.iter().any(|a| a == agency))
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
                .all(|d| d.agencies.contains(&"PMO".to_string()))
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
}
