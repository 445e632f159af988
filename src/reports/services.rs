//! Services at risk: e-services whose identity cards (شناسنامه خدمت) inquire for data that
//! nobody offers yet. Pure: the accepted cards of a service-card case and the exchange
//! matrix of an inventory case in, a [`ServicesReport`] out.
//!
//! The two are separate cases, so the reader names both (`?cards=CASE&inventory=CASE`):
//! a round of cards may be read against the inventory round of its choice.
//!
//! # How an inquiry finds its need
//! A card's `inquiries[].data_need_ref` refers to a need of the card's own agency, in the
//! inventory case's accepted inventory of that agency. It is read as
//! 1. a ref as daftar shows it, `AGENCY/needs/N`, `needs/N` or `/needs/N` (N counted from 0),
//!    where AGENCY must be the card's agency; otherwise
//! 2. a title, compared folded ([`match_key`]) with the titles of the agency's needs.
//!
//! A resolved need is at risk when no offer meets it in the matrix. A ref that resolves to
//! nothing is reported as `ref_not_found`, not refused: the inventory may change after the
//! card was written. An inquiry without a ref is at risk when a data item it asks for (an
//! identifier such as کد ملی aside: it says how a record is looked up) is in no offer open
//! to the card's agency. A service is listed when at least one of its inquiries is at risk
//! or its ref is not found; each listed service shows all its inquiries.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::MatrixDocument;
use super::entries::NeedEntry;
use super::matrix::Reason;
use super::matrix::UnmatchedNeed;
use super::normalise::{identifier_key, match_key};
use crate::domain::{CaseState, TaskStatus};

/// The form whose accepted submissions carry the service identity cards.
pub const CARDS_FORM: &str = "service-identity-cards";

/// One agency's accepted submission of service cards.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedCards {
    pub agency: String,
    pub task: Uuid,
    pub data: Value,
}

/// A case's accepted cards, or the workflow that makes it a case without any.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCards {
    pub workflow: String,
    /// `None` when the case collects no service cards.
    pub cards: Option<Vec<AcceptedCards>>,
}

/// The accepted service cards of a case, by agency (`cards: None` for other cases).
pub fn case_cards(state: &CaseState) -> CaseCards {
    let of_form = |t: &&crate::domain::Task| t.form.as_deref() == Some(CARDS_FORM);
    let collects = state.tasks.iter().any(|t| of_form(&t));
    let cards = collects.then(|| {
        state
            .tasks
            .iter()
            .filter(of_form)
            .filter(|t| t.status == TaskStatus::Accepted)
            .filter_map(|t| {
                Some(AcceptedCards {
                    agency: t.agency.clone()?,
                    task: t.id,
                    data: t.submissions.last()?.data.as_ref().clone(),
                })
            })
            .collect()
    });
    CaseCards {
        workflow: state.workflow.clone(),
        cards,
    }
}

/// Where an inquiry stands against the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InquiryStanding {
    /// Its ref names a need that an offer meets.
    NeedMet,
    /// Its ref names a need that no offer meets: at risk.
    NeedUnmet,
    /// Its ref names no need of the agency's accepted inventory.
    RefNotFound,
    /// No ref; every data item it asks for is offered to the agency.
    ItemsOffered,
    /// No ref; some data item it asks for is in no offer open to the agency: at risk.
    ItemsOfferedByNobody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InquiryReport {
    /// Its position in the card's `inquiries`.
    pub index: usize,
    pub provider_agency: String,
    pub data_need_ref: Option<String>,
    pub standing: InquiryStanding,
    /// The need the ref resolved to, as `AGENCY/needs/N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    /// Why the matrix finds no offer for that need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The data items asked for that no offer open to the agency carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered_by_nobody: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceReport {
    pub agency: String,
    /// The task whose accepted submission carries the card.
    pub task: Uuid,
    pub service_code: String,
    pub title_fa: String,
    pub inquiries: Vec<InquiryReport>,
}

/// `GET /v1/reports/services-at-risk`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServicesReport {
    pub cards_case: Uuid,
    pub inventory_case: Uuid,
    /// Services checked (every card of every accepted submission read).
    pub services_checked: usize,
    pub services: Vec<ServiceReport>,
    /// Services checked by agency, for a member's count of its own.
    #[serde(skip)]
    checked_by_agency: BTreeMap<String, usize>,
}

/// What the inventory round offers the resolver: every need with its standing, and the
/// offers' data items by agency.
struct Inventory<'a> {
    needs: Vec<(&'a NeedEntry, Option<Reason>, bool)>,
    offers: Vec<(&'a super::entries::OfferEntry, BTreeSet<String>)>,
}

impl<'a> Inventory<'a> {
    fn of(doc: &'a MatrixDocument) -> Self {
        let m = &doc.matrix;
        let mut needs: BTreeMap<&str, (&NeedEntry, Option<Reason>, bool)> = BTreeMap::new();
        for UnmatchedNeed { need, reason, .. } in &m.unmatched_needs {
            needs.insert(&need.reference, (need, Some(*reason), false));
        }
        for cell in &m.cells {
            for need in &cell.needs {
                let met = cell.matched.iter().any(|x| x.need == need.reference);
                needs.entry(&need.reference).or_insert((need, None, met));
            }
        }
        let mut offers = BTreeMap::new();
        for offer in m
            .cells
            .iter()
            .flat_map(|c| &c.offers)
            .chain(&m.unused_offers)
        {
            let items = offer.data_items.iter().map(|n| match_key(n)).collect();
            offers.insert(offer.reference.as_str(), (&**offer, items));
        }
        Inventory {
            needs: needs.into_values().collect(),
            offers: offers.into_values().collect(),
        }
    }

    /// The need `reference` names among `agency`'s (see the module documentation).
    fn resolve(
        &self,
        agency: &str,
        reference: &str,
    ) -> Option<(&'a NeedEntry, Option<Reason>, bool)> {
        let text = reference.trim();
        let path = text
            .strip_prefix(agency)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(text)
            .trim_start_matches('/');
        let own = self.needs.iter().filter(|(n, _, _)| n.agency == agency);
        let by_position = path
            .strip_prefix("needs/")
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("{agency}/needs/{n}"));
        let found = match by_position {
            Some(wanted) => own.clone().find(|(n, _, _)| n.reference == wanted),
            None => None,
        };
        let key = match_key(text);
        found
            .or_else(|| own.clone().find(|(n, _, _)| match_key(&n.title) == key))
            .copied()
    }

    /// The items of `names` that no offer open to `agency` (or its own) carries.
    fn offered_by_nobody(&self, agency: &str, names: &[String]) -> Vec<String> {
        let open: Vec<&BTreeSet<String>> = self
            .offers
            .iter()
            .filter(|(o, _)| o.agency == agency || o.consumer_agencies.admits(agency))
            .map(|(_, items)| items)
            .collect();
        names
            .iter()
            .filter(|name| identifier_key(name).is_none())
            .filter(|name| !open.iter().any(|items| items.contains(&match_key(name))))
            .cloned()
            .collect()
    }
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map(super::normalise::shown)
        .unwrap_or_default()
}

fn inquiry(inventory: &Inventory<'_>, agency: &str, index: usize, q: &Value) -> InquiryReport {
    let items: Vec<String> = q["data_items"]
        .as_array()
        .map(|list| list.iter().map(text).collect())
        .unwrap_or_default();
    let data_need_ref = q["data_need_ref"].as_str().map(str::to_string);
    let mut report = InquiryReport {
        index,
        provider_agency: text(&q["provider_agency"]),
        data_need_ref: data_need_ref.clone(),
        standing: InquiryStanding::ItemsOffered,
        need: None,
        reason: None,
        offered_by_nobody: inventory.offered_by_nobody(agency, &items),
    };
    report.standing = match data_need_ref.filter(|r| !r.trim().is_empty()) {
        Some(reference) => match inventory.resolve(agency, &reference) {
            Some((need, reason, met)) => {
                report.need = Some(need.reference.to_string());
                report.reason = reason;
                if met {
                    InquiryStanding::NeedMet
                } else {
                    InquiryStanding::NeedUnmet
                }
            }
            None => InquiryStanding::RefNotFound,
        },
        None if report.offered_by_nobody.is_empty() => InquiryStanding::ItemsOffered,
        None => InquiryStanding::ItemsOfferedByNobody,
    };
    report
}

fn at_risk(standing: InquiryStanding) -> bool {
    !matches!(
        standing,
        InquiryStanding::NeedMet | InquiryStanding::ItemsOffered
    )
}

/// The services of `cards` that depend on data nobody offers yet, against `inventory`.
pub fn services_at_risk(
    cards_case: Uuid,
    cards: &[AcceptedCards],
    inventory: &MatrixDocument,
) -> ServicesReport {
    let index = Inventory::of(inventory);
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut services = Vec::new();
    for accepted in cards {
        let list = accepted.data["services"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for card in list {
            *checked.entry(accepted.agency.clone()).or_default() += 1;
            let inquiries: Vec<InquiryReport> = card["inquiries"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .map(|(i, q)| inquiry(&index, &accepted.agency, i, q))
                .collect();
            if inquiries.iter().any(|q| at_risk(q.standing)) {
                services.push(ServiceReport {
                    agency: accepted.agency.clone(),
                    task: accepted.task,
                    service_code: text(&card["service_code"]),
                    title_fa: text(&card["title_fa"]),
                    inquiries,
                });
            }
        }
    }
    services.sort_by(|a, b| (&a.agency, &a.service_code).cmp(&(&b.agency, &b.service_code)));
    ServicesReport {
        cards_case,
        inventory_case: inventory.case,
        services_checked: checked.values().sum(),
        services,
        checked_by_agency: checked,
    }
}

impl ServicesReport {
    /// A member reads its own agency's services only.
    pub fn seen_by(&self, agency: &str) -> ServicesReport {
        ServicesReport {
            services: self
                .services
                .iter()
                .filter(|s| s.agency == agency)
                .cloned()
                .collect(),
            services_checked: self.checked_by_agency.get(agency).copied().unwrap_or(0),
            cards_case: self.cards_case,
            inventory_case: self.inventory_case,
            checked_by_agency: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests;
