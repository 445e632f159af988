//! Opening cases: resolving participants, and the child cases an approved resolution
//! orders (derived ids, so opening them twice opens each once).

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::{Actor, CaseEvent, CaseState, Command, Context, DomainError, decide};
use crate::event_store::ReadAll;

use super::codec::decode;
use super::{Engine, EngineError};

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ParticipantsInput {
    All(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenCase {
    pub workflow: String,
    pub title: String,
    pub participants: Option<ParticipantsInput>,
    pub params: Value,
    pub parent_case: Option<Uuid>,
    pub case_id: Option<Uuid>,
}

impl Engine {
    pub async fn open_case(
        &self,
        actor: &Actor,
        request: OpenCase,
    ) -> Result<Arc<CaseState>, EngineError> {
        // Refused by role before anything is looked up: the answer must not depend on the body.
        crate::domain::may_open_cases(actor)?;
        let version = self
            .catalog
            .current_workflow(&self.store, &request.workflow)
            .await?
            .ok_or_else(|| {
                EngineError::Invalid(format!("unknown workflow {:?}", request.workflow))
            })?;
        let participants = self.resolve_participants(request.participants).await?;
        self.check_orders(&request.params).await?;
        let mut params = request.params;
        self.record_case_attachments(actor, &mut params).await?;
        let case_id = request.case_id.unwrap_or_else(Uuid::now_v7);
        let command = Command::OpenCase {
            case_id,
            workflow_version: version.version,
            title: request.title,
            participants,
            params,
            parent_case: request.parent_case,
        };
        let slot = self.slot(case_id);
        let mut cached = slot.lock().await;
        let state = self.catch_up(case_id, cached.take()).await?;
        let members = self.member_refs().await?;
        let calendar = self.calendar().await?;
        let now = self.clock.now();
        let ctx = Context {
            now,
            actor,
            definition: &version.definition,
            calendar: &calendar,
            members: &members,
        };
        let events = decide(&state, command, &ctx)?;
        let next = self
            .commit(
                state,
                &events,
                actor,
                now,
                &version.definition,
                &calendar,
                &[],
            )
            .await?
            .ok_or_else(|| EngineError::Conflict(format!("case {case_id} already exists")))?;
        *cached = Some(next.clone());
        drop(cached);
        self.open_ordered_children(&next, &events).await;
        Ok(next)
    }

    /// The agencies that take part: `"all"` is the cluster's member agencies; a list may
    /// name only registered member agencies (an outside provider receives no tasks).
    pub(super) async fn resolve_participants(
        &self,
        input: Option<ParticipantsInput>,
    ) -> Result<Vec<String>, EngineError> {
        let agencies = self.agencies().await?;
        match input {
            None => Ok(Vec::new()),
            Some(ParticipantsInput::All(all)) if all == "all" => Ok(agencies
                .into_iter()
                .filter(|a| a.in_cluster)
                .map(|a| a.code)
                .collect()),
            Some(ParticipantsInput::All(other)) => Err(EngineError::Invalid(format!(
                "participants must be \"all\" or a list of agency codes, not {other:?}"
            ))),
            Some(ParticipantsInput::List(codes)) => {
                let mut seen = Vec::new();
                for code in codes {
                    match agencies.iter().find(|a| a.code == code) {
                        None => {
                            return Err(EngineError::Invalid(format!(
                                "agency {code:?} is not registered"
                            )));
                        }
                        Some(agency) if !agency.in_cluster => {
                            return Err(EngineError::Invalid(format!(
                                "agency {code:?} is outside the cluster; it provides data but receives no tasks"
                            )));
                        }
                        Some(_) => {}
                    }
                    if seen.contains(&code) {
                        return Err(EngineError::Invalid(format!(
                            "agency {code:?} is listed twice"
                        )));
                    }
                    seen.push(code);
                }
                Ok(seen)
            }
        }
    }

    /// Opens the cases an approved resolution ordered. Child ids are derived, so doing this
    /// twice (a retry, a restart) opens each child once.
    pub(super) async fn open_ordered_children(&self, parent: &CaseState, events: &[CaseEvent]) {
        for event in events {
            if let CaseEvent::ChildCaseOrdered {
                child_case_id,
                workflow,
                participants,
                params,
                title,
                ..
            } = event
            {
                let participants = serde_json::from_value(participants.clone()).ok();
                let request = OpenCase {
                    workflow: workflow.clone(),
                    title: title.clone().unwrap_or_else(|| parent.title.clone()),
                    participants,
                    params: params.clone(),
                    parent_case: Some(parent.id),
                    case_id: Some(*child_case_id),
                };
                match Box::pin(self.open_case(&Actor::system(), request)).await {
                    Ok(_)
                    | Err(EngineError::Domain(DomainError::Conflict(_)))
                    | Err(EngineError::Conflict(_)) => {}
                    Err(error) => {
                        tracing::error!(%error, child = %child_case_id, "could not open an ordered case")
                    }
                }
            }
        }
    }

    /// At start: open any ordered child case that a crash left unopened.
    pub(crate) async fn resume_child_cases(&self) -> Result<(), EngineError> {
        let mut query = ReadAll::after(0, 1000);
        query.event_types = vec!["ChildCaseOrdered".into()];
        loop {
            let page = self.store.read_all(&query).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            query.after = last.position;
            // The case document is written with the case's first event, so finding it is
            // proof enough (one look-up per page); only without it is the stream read.
            let ordered: Vec<(&_, Uuid, Uuid)> = page
                .iter()
                .filter_map(|stored| {
                    let child = stored.data["child_case_id"].as_str()?.parse().ok()?;
                    let parent = stored.stream_id.strip_prefix("case-")?.parse().ok()?;
                    Some((stored, child, parent))
                })
                .collect();
            let ids: Vec<String> = ordered.iter().map(|(_, c, _)| c.to_string()).collect();
            let opened = self.documents.existing("case", &ids).await?;
            for (stored, child, parent) in ordered {
                if opened.contains(&child.to_string()) || self.case(child).await?.is_some() {
                    continue;
                }
                if let Some(parent) = self.case(parent).await? {
                    let (event, _) =
                        decode(stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
                    self.open_ordered_children(&parent, &[event]).await;
                }
            }
        }
    }
}
