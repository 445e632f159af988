//! Provider confirmation rounds in the exchange matrix (pure: no I/O).
//!
//! A round (a `needs-confirmation` case opened from an inventory case) asks each provider
//! about the needs addressed to it: [`addressed_needs`] lists them from the inventory's
//! matrix, for the round's params (`needs_by_provider`). A provider answers each need; an
//! accepted answer becomes a [`Confirmation`] that [`apply_confirmations`] sets on the
//! need's matched entries (or on the need itself when unmatched). Only the provider a need
//! names can confirm it. Rounds are applied oldest first, so for each need the answer of the
//! latest round that has an accepted answer for it wins.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::matrix::{Cell, ExchangeMatrix};
use super::text::Text;
use crate::domain::{CaseState, TaskStatus};
use crate::forms::SchemaViolation;

/// The form a provider answers with.
pub const CONFIRMATION_FORM: &str = "needs-confirmation";

/// One need as a round shows it to its provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AddressedNeed {
    /// `AGENCY/needs/N`, as the matrix names it.
    pub need: String,
    pub consumer: String,
    pub title: String,
    pub data_items: Vec<String>,
    /// The provider's offer that met it, if any (the first, when several did).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
}

/// What a provider said of a need, as accepted by the secretariat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationState {
    Confirmed,
    Conditional,
    Declined,
}

/// A provider's accepted answer to one need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Confirmation {
    pub state: ConfirmationState,
    /// The round (case) the answer was given in.
    pub round: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_reason: Option<Value>,
}

/// One accepted answer: by which provider, of which need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub provider: String,
    pub need: String,
    pub confirmation: Confirmation,
}

/// How many of a cell's needs are confirmed, conditional, declined (the rest unanswered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CellConfirmations {
    pub consumer: Text,
    pub provider: Text,
    pub confirmed: usize,
    pub conditional: usize,
    pub declined: usize,
}

/// Provider code → the needs addressed to it, in matrix order: every need of every cell
/// (matched or not), so every provider named by a need, except `unknown` (never a cell).
pub fn addressed_needs(matrix: &ExchangeMatrix) -> BTreeMap<String, Vec<AddressedNeed>> {
    let mut by_provider: BTreeMap<String, Vec<AddressedNeed>> = BTreeMap::new();
    for cell in &matrix.cells {
        for need in &cell.needs {
            let offer = cell
                .matched
                .iter()
                .find(|m| m.need == need.reference)
                .map(|m| m.offer.to_string());
            by_provider
                .entry(cell.provider.to_string())
                .or_default()
                .push(AddressedNeed {
                    need: need.reference.to_string(),
                    consumer: need.agency.to_string(),
                    title: need.title.to_string(),
                    data_items: need.data_items.iter().map(|i| i.to_string()).collect(),
                    offer,
                });
        }
    }
    by_provider
}

/// The need references a round addressed to `provider` (from the round case's params).
pub fn addressed_to(params: &Value, provider: &str) -> Vec<AddressedNeed> {
    serde_json::from_value(params["needs_by_provider"][provider].clone()).unwrap_or_default()
}

/// The rule beyond the schema: each answer names a need addressed to this provider, once,
/// and every addressed need is answered. Violations carry the pointer of the answer.
pub fn check_answers(addressed: &[AddressedNeed], data: &Value) -> Vec<SchemaViolation> {
    let mut violations = Vec::new();
    let mut answered: Vec<&str> = Vec::new();
    let answers = data["answers"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    for (i, answer) in answers.iter().enumerate() {
        let need = answer["need"].as_str().unwrap_or_default();
        let problem = if !addressed.iter().any(|a| a.need == need) {
            Some(format!(
                "need {need:?} was not addressed to this agency in this round"
            ))
        } else if answered.contains(&need) {
            Some(format!("need {need:?} is answered twice"))
        } else {
            None
        };
        if let Some(message) = problem {
            violations.push(SchemaViolation {
                instance_path: format!("/answers/{i}/need"),
                schema_path: "/$defs/NeedRef".into(),
                message,
            });
        }
        answered.push(need);
    }
    let missing: Vec<&str> = addressed
        .iter()
        .map(|a| a.need.as_str())
        .filter(|n| !answered.contains(n))
        .collect();
    if !missing.is_empty() {
        violations.push(SchemaViolation {
            instance_path: "/answers".into(),
            schema_path: "/properties/answers".into(),
            message: format!(
                "every need addressed to this agency needs an answer; missing: {}",
                missing.join(", ")
            ),
        });
    }
    violations
}

/// The accepted answers of one round, by provider, in task order.
pub fn round_answers(round: &CaseState) -> Vec<Answer> {
    let mut found = Vec::new();
    for task in round.tasks.iter().filter(|t| {
        t.status == TaskStatus::Accepted && t.form.as_deref() == Some(CONFIRMATION_FORM)
    }) {
        let (Some(provider), Some(submission)) = (&task.agency, task.submissions.last()) else {
            continue;
        };
        let answers = submission.data["answers"].as_array();
        for answer in answers.into_iter().flatten() {
            let state = match answer["decision"].as_str() {
                Some("agree") => ConfirmationState::Confirmed,
                Some("agree_with_conditions") => ConfirmationState::Conditional,
                Some("decline") => ConfirmationState::Declined,
                _ => continue,
            };
            let text = |key: &str| answer[key].as_str().map(str::to_string);
            let object = |key: &str| answer.get(key).filter(|v| !v.is_null()).cloned();
            found.push(Answer {
                provider: provider.clone(),
                need: answer["need"].as_str().unwrap_or_default().to_string(),
                confirmation: Confirmation {
                    state,
                    round: round.id,
                    interface: object("interface"),
                    available_from: text("available_from"),
                    conditions: text("conditions"),
                    legal_reason: object("legal_reason"),
                },
            });
        }
    }
    found
}

/// Sets each need's confirmation (the last answer in `answers` for it, from the provider the
/// need names) on its matched entries, or on the need when it is unmatched.
pub fn apply_confirmations(matrix: &mut ExchangeMatrix, answers: &[Answer]) {
    let mut latest: BTreeMap<(&str, &str), &Confirmation> = BTreeMap::new();
    for answer in answers {
        latest.insert((&answer.provider, &answer.need), &answer.confirmation);
    }
    for cell in &mut matrix.cells {
        for entry in &mut cell.matched {
            entry.confirmation = latest
                .get(&(cell.provider.as_str(), entry.need.as_str()))
                .map(|c| Box::new((*c).clone()));
        }
    }
    for unmatched in &mut matrix.unmatched_needs {
        let key = (
            unmatched.need.provider_agency.as_str(),
            unmatched.need.reference.as_str(),
        );
        unmatched.confirmation = latest.get(&key).map(|c| Box::new((*c).clone()));
    }
}

/// Per cell, how many of its needs are confirmed, conditional and declined; cells with no
/// answer are left out. `matrix` has been through [`apply_confirmations`].
pub fn cell_confirmations(matrix: &ExchangeMatrix) -> Vec<CellConfirmations> {
    let unmatched: BTreeMap<&str, ConfirmationState> = matrix
        .unmatched_needs
        .iter()
        .filter_map(|u| Some((u.need.reference.as_str(), u.confirmation.as_ref()?.state)))
        .collect();
    matrix
        .cells
        .iter()
        .map(|cell| count_cell(cell, &unmatched))
        .filter(|c| c.confirmed + c.conditional + c.declined > 0)
        .collect()
}

fn count_cell(cell: &Cell, unmatched: &BTreeMap<&str, ConfirmationState>) -> CellConfirmations {
    let mut counts = CellConfirmations {
        consumer: cell.consumer.clone(),
        provider: cell.provider.clone(),
        confirmed: 0,
        conditional: 0,
        declined: 0,
    };
    for need in &cell.needs {
        let state = cell
            .matched
            .iter()
            .find(|m| m.need == need.reference)
            .and_then(|m| m.confirmation.as_ref().map(|c| c.state))
            .or_else(|| unmatched.get(need.reference.as_str()).copied());
        match state {
            Some(ConfirmationState::Confirmed) => counts.confirmed += 1,
            Some(ConfirmationState::Conditional) => counts.conditional += 1,
            Some(ConfirmationState::Declined) => counts.declined += 1,
            None => {}
        }
    }
    counts
}

/// A round's progress for the inventory case's page: how many providers answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoundProgress {
    pub round: Uuid,
    pub status: crate::domain::CaseStatus,
    pub providers: usize,
    /// Answers sent and awaiting review.
    pub submitted: usize,
    pub accepted: usize,
}

pub fn round_progress(round: &CaseState) -> RoundProgress {
    let count = |status: TaskStatus| round.tasks.iter().filter(|t| t.status == status).count();
    RoundProgress {
        round: round.id,
        status: round.status,
        providers: round.tasks.len(),
        submitted: count(TaskStatus::Submitted),
        accepted: count(TaskStatus::Accepted),
    }
}

#[cfg(test)]
mod tests;
