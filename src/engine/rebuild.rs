//! `daftar projections rebuild`: drops read models and derives them again from the log,
//! with the same functions that write them live — [`apply_raw`] and
//! [`projection::documents`] for cases and tasks, the directory's and tokens' document
//! builders for the rest. Works on the store alone (no catalog, no engine), so it can run
//! right after an import, before anything else touches the database.

use std::collections::HashMap;

use serde::Deserialize as _;
use tokio::task::JoinSet;
use uuid::Uuid;

use super::codec::apply_raw;
use super::directory::{AgencyInput, agency_document, member_document};
use super::member_change::MemberChanged;
use super::tokens::{TokenDoc, TokenIssued};
use super::{EngineError, projection};
use crate::credentials::Credential;
use crate::documents::{Document, Documents, Rewrite};
use crate::domain::{CaseState, Member};
use crate::event_store::{EventStore, ReadAll, StoredEvent};
use crate::side_writes::SideWrite;

/// A read model that can be rebuilt: the `kind` of its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadModel {
    Case,
    Task,
    Agency,
    Member,
    Token,
}

impl ReadModel {
    pub const ALL: [ReadModel; 5] = [
        ReadModel::Case,
        ReadModel::Task,
        ReadModel::Agency,
        ReadModel::Member,
        ReadModel::Token,
    ];

    pub fn kind(self) -> &'static str {
        match self {
            ReadModel::Case => "case",
            ReadModel::Task => "task",
            ReadModel::Agency => "agency",
            ReadModel::Member => "member",
            ReadModel::Token => "token",
        }
    }

    /// `case`, `task`, … (the plural is accepted too).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.strip_suffix('s').unwrap_or(name);
        Self::ALL.into_iter().find(|m| m.kind() == name)
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RebuildReport {
    pub models: Vec<&'static str>,
    pub cases: u64,
    pub events: u64,
    pub documents: u64,
}

const PAGE: i64 = 1_000;

/// Rebuilds `models` (all of them when empty) in one transaction.
pub async fn rebuild(
    store: &EventStore,
    documents: &Documents,
    models: &[ReadModel],
) -> Result<RebuildReport, EngineError> {
    let models = if models.is_empty() {
        &ReadModel::ALL[..]
    } else {
        models
    };
    let kinds: Vec<&'static str> = models.iter().map(|m| m.kind()).collect();
    let mut report = RebuildReport {
        models: kinds.clone(),
        ..RebuildReport::default()
    };
    let mut rewrite = documents.rewrite(&kinds).await?;
    let per_case = ["case", "task"];
    if kinds.iter().any(|k| per_case.contains(k)) {
        rebuild_cases(store, &mut rewrite, &kinds, &mut report).await?;
    }
    if kinds
        .iter()
        .any(|k| ["agency", "member", "token"].contains(k))
    {
        rebuild_directory(store, &mut rewrite, &kinds, &mut report).await?;
    }
    report.documents = rewrite.commit().await?;
    Ok(report)
}

/// Every event of the given types, in log order, a page at a time.
async fn each_event<F>(store: &EventStore, types: &[&str], mut visit: F) -> Result<(), EngineError>
where
    F: AsyncFnMut(StoredEvent) -> Result<(), EngineError>,
{
    let mut query = ReadAll::after(0, PAGE);
    query.event_types = types.iter().map(|t| t.to_string()).collect();
    loop {
        let page = store.read_all(&query).await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        query.after = last.position;
        for event in page {
            visit(event).await?;
        }
    }
}

/// Cases folded at once, each on its own task: enough to keep the database and both cores
/// busy, few enough that memory holds only a handful of cases.
const CONCURRENT_CASES: usize = 4;

/// Folds every case of the log (found by its `CaseOpened`) with [`apply_raw`], handing each
/// final state and its number of events to `visit` (in no particular order).
pub async fn fold_every_case<F>(store: &EventStore, mut visit: F) -> Result<(), EngineError>
where
    F: AsyncFnMut(CaseState, u64) -> Result<(), EngineError>,
{
    let mut query = ReadAll::after(0, PAGE);
    query.event_types = vec!["CaseOpened".into()];
    let mut running = JoinSet::new();
    loop {
        let page = store.read_all_raw(&query).await?;
        let Some(last) = page.last() else { break };
        query.after = last.position;
        for opened in page {
            if running.len() >= CONCURRENT_CASES {
                let (state, events) = joined(running.join_next().await)?;
                visit(state, events).await?;
            }
            running.spawn(fold_case(store.clone(), opened.stream_id));
        }
    }
    while let Some(next) = running.join_next().await {
        let (state, events) = joined(Some(next))?;
        visit(state, events).await?;
    }
    Ok(())
}

type Folded = Result<(CaseState, u64), EngineError>;

fn joined(next: Option<Result<Folded, tokio::task::JoinError>>) -> Folded {
    match next {
        Some(Ok(folded)) => folded,
        Some(Err(e)) => Err(EngineError::Internal(anyhow::anyhow!(
            "a case fold failed: {e}"
        ))),
        None => Err(EngineError::Internal(anyhow::anyhow!(
            "no case fold was running"
        ))),
    }
}

async fn fold_case(store: EventStore, stream_id: String) -> Folded {
    let events = store.scan_stream_raw(&stream_id, 1).await?;
    let mut state = CaseState::default();
    for raw in &events {
        state = apply_raw(state, raw).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
    }
    Ok((state, events.len() as u64))
}

/// Case and task documents of every case, and the case list's index, as
/// [`projection::documents`] and [`projection::case_agencies`] write them live.
async fn rebuild_cases(
    store: &EventStore,
    rewrite: &mut Rewrite,
    kinds: &[&str],
    report: &mut RebuildReport,
) -> Result<(), EngineError> {
    fold_every_case(store, async |state, events| {
        report.cases += 1;
        report.events += events;
        let case_agencies = projection::case_agencies(&projection::Prior::NONE, &state);
        for write in projection::documents(&state, 0)
            .into_iter()
            .chain(case_agencies)
        {
            match write {
                SideWrite::Document(doc) if kinds.contains(&doc.kind) => rewrite.put(doc).await?,
                SideWrite::CaseAgency(row) if kinds.contains(&"case") => {
                    rewrite.put_case_agency(row).await?
                }
                _ => {}
            }
        }
        Ok(())
    })
    .await
}

/// Agencies, members and tokens, from the events that register, disable, enable, change,
/// issue and revoke them. A `TokenIssued` written before the credentials table carries its token's
/// hash, which goes to that table (when tokens are rebuilt); the table is never cleared.
async fn rebuild_directory(
    store: &EventStore,
    rewrite: &mut Rewrite,
    kinds: &[&str],
    report: &mut RebuildReport,
) -> Result<(), EngineError> {
    let types = [
        "AgencyRegistered",
        "MemberRegistered",
        "MemberDisabled",
        "MemberEnabled",
        "MemberChanged",
        "TokenIssued",
        "TokenRevoked",
    ];
    let mut directory = Directory::default();
    each_event(store, &types, async |event| {
        report.events += 1;
        let (doc, credential) = directory.apply(&event).map_err(|e| {
            EngineError::Internal(anyhow::anyhow!(
                "{} at position {}: {e}",
                event.event_type,
                event.position
            ))
        })?;
        match doc {
            Some(doc) if kinds.contains(&doc.kind) => rewrite.put(doc).await?,
            _ => {}
        }
        if let Some(credential) = credential.filter(|_| kinds.contains(&"token")) {
            rewrite.put_credential(&credential).await?;
        }
        Ok(())
    })
    .await
}

/// The members and tokens seen so far: a later event names only the member or token id.
#[derive(Default)]
struct Directory {
    members: HashMap<String, Member>,
    tokens: HashMap<Uuid, TokenDoc>,
}

impl Directory {
    fn apply(
        &mut self,
        event: &StoredEvent,
    ) -> Result<(Option<Document>, Option<Credential>), serde_json::Error> {
        let data = &event.data;
        let doc = match event.event_type.as_str() {
            "AgencyRegistered" => Some(agency_document(&AgencyInput::deserialize(data)?)),
            "MemberRegistered" => {
                let member = Member::deserialize(data)?;
                let doc = member_document(&member);
                self.members.insert(member.id.clone(), member);
                Some(doc)
            }
            "MemberDisabled" | "MemberEnabled" => {
                let id = String::deserialize(&data["member_id"])?;
                self.members.get_mut(&id).map(|member| {
                    member.disabled = event.event_type == "MemberDisabled";
                    member.version = event.version;
                    member_document(member)
                })
            }
            "MemberChanged" => {
                let changed = MemberChanged::deserialize(data)?;
                self.members.get_mut(&changed.member_id).map(|member| {
                    changed.apply(member, event.version);
                    member_document(member)
                })
            }
            "TokenIssued" => {
                let issued = TokenIssued::deserialize(data)?;
                let token = issued.document();
                let doc = token.document();
                self.tokens.insert(token.token_id, token);
                return Ok((Some(doc), issued.credential()));
            }
            "TokenRevoked" => {
                let token_id = Uuid::deserialize(&data["token_id"])?;
                self.tokens.get_mut(&token_id).map(|token| {
                    token.revoked = true;
                    token.document()
                })
            }
            _ => None,
        };
        Ok((doc, None))
    }
}
