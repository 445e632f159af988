//! Provider confirmation rounds: opening one from an inventory case (the providers to ask
//! and what to ask each come from the case's matrix), the check a provider's answers pass
//! beyond the form's schema, and the accepted answers and progress of a case's rounds.

use std::collections::BTreeSet;

use serde_json::json;
use uuid::Uuid;

use crate::domain::{
    Actor, CaseState, CaseStatus, Command, DomainError, ROUND_STEP, RoundOrder, derive_id,
    may_open_cases, rounds_of,
};
use crate::reports::confirmations::{
    Answer, CONFIRMATION_FORM, RoundProgress, addressed_needs, addressed_to, check_answers,
    round_answers, round_progress,
};

use super::{Engine, EngineError};

/// The rounds ordered from a case, kept per case version (a type of its own for `derive`).
struct Rounds(Vec<Uuid>);
/// A round's accepted answers, kept per round version.
struct RoundAnswers(Vec<Answer>);

impl Engine {
    /// Opens a confirmation round from inventory case `inventory` and returns the round's
    /// case. Refused (422) for a case that is not an inventory case or has no accepted
    /// inventory; 409 while the case's latest round is still open.
    pub async fn open_confirmation_round(
        &self,
        actor: &Actor,
        inventory: Uuid,
    ) -> Result<CaseState, EngineError> {
        may_open_cases(actor)?;
        let (title, rounds) = self
            .with_case(inventory, |s| (s.title.clone(), rounds_of(s).to_vec()))
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no case {inventory}")))?;
        if let Some(last) = rounds.last() {
            let open = self
                .with_case(*last, |s| s.status == CaseStatus::Open)
                .await?
                .unwrap_or(false);
            if open {
                return Err(DomainError::Conflict(format!(
                    "confirmation round {last} of this case is still open; its answers are \
                     reviewed (or the round cancelled) before another is opened"
                ))
                .into());
            }
        }
        let matrix = crate::engine::case_matrix(self, inventory).await?;
        let in_cluster: BTreeSet<String> = self
            .agencies()
            .await?
            .into_iter()
            .filter(|a| a.in_cluster)
            .map(|a| a.code)
            .collect();
        let mut by_provider = matrix
            .matrix
            .as_ref()
            .map(|m| addressed_needs(&m.matrix))
            .unwrap_or_default();
        // Outside agencies may be named as providers but never receive the cluster's tasks.
        by_provider.retain(|code, _| in_cluster.contains(code));
        let number = rounds.len() + 1;
        let order = RoundOrder {
            title: format!("تأیید نیازها ({number}): {title}"),
            providers: by_provider.keys().cloned().collect(),
            params: json!({
                "inventory_case": inventory,
                "round": number,
                "needs_by_provider": by_provider,
            }),
            rounds_seen: rounds.len(),
        };
        self.execute(inventory, actor, Command::OrderConfirmationRound(order))
            .await?;
        let round = derive_id(inventory, &[ROUND_STEP, &number.to_string()]);
        self.case(round).await?.ok_or_else(|| {
            EngineError::Internal(anyhow::anyhow!("confirmation round {round} did not open"))
        })
    }

    /// A provider's answers against what its round asked it (`data` passed the schema).
    pub(super) async fn check_confirmation(
        &self,
        case_id: Uuid,
        agency: Option<&str>,
        data: &serde_json::Value,
    ) -> Result<(), EngineError> {
        let agency = agency.unwrap_or_default();
        let addressed = self
            .with_case(case_id, |s| addressed_to(&s.params, agency))
            .await?
            .unwrap_or_default();
        let violations = check_answers(&addressed, data);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Schema {
                form: CONFIRMATION_FORM.into(),
                violations,
            })
        }
    }

    /// The rounds ordered from a case, oldest first (none for most cases).
    pub async fn confirmation_rounds(&self, case_id: Uuid) -> Result<Vec<Uuid>, EngineError> {
        Ok(self
            .derive(case_id, |s| Rounds(rounds_of(s).to_vec()))
            .await?
            .map(|r| r.0.clone())
            .unwrap_or_default())
    }

    /// The accepted answers of these rounds, oldest round first (so the latest wins).
    pub async fn confirmation_answers(&self, rounds: &[Uuid]) -> Result<Vec<Answer>, EngineError> {
        let mut answers = Vec::new();
        for round in rounds {
            if let Some(found) = self
                .derive(*round, |s| RoundAnswers(round_answers(s)))
                .await?
            {
                answers.extend(found.0.iter().cloned());
            }
        }
        Ok(answers)
    }

    /// The progress of the latest round ordered from a case, if any.
    pub async fn latest_round(&self, case_id: Uuid) -> Result<Option<RoundProgress>, EngineError> {
        let Some(last) = self.confirmation_rounds(case_id).await?.last().copied() else {
            return Ok(None);
        };
        self.with_case(last, round_progress).await
    }
}
