//! The catalogue of data items on the log: each change the secretariat makes is decided by
//! [`crate::catalogue::decide`] against the catalogue as the `catalogue` stream leaves it and
//! appended there with its actor. (Not to be confused with [`super::Catalog`], the registry of
//! workflow and form versions.)
//!
//! Like the calendar, every node keeps a snapshot — the folded catalogue and the
//! [`CatalogueIndex`] the matrix reads — and reads only the stream's tail, at most every
//! [`REFRESH`]; a node that records a change sees it at once. Appends name the stream
//! version they were decided against, so two nodes never hand out one id or undo each other.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use uuid::Uuid;

use super::{Engine, EngineError};
use crate::catalogue::{
    CATALOGUE_STREAM, Catalogue, CatalogueCommand, CatalogueError, CatalogueEvent, decide, seed,
};
use crate::domain::{Actor, DomainError, Role, SubmittedData, TaskStatus};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent, StoreError};
use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::{INVENTORY_FORM, is_inventory_case};

/// How old a snapshot may be before a reader looks at the stream's tail again.
const REFRESH: Duration = Duration::from_secs(2);

#[derive(Clone, Default)]
struct Snapshot {
    state: Arc<Catalogue>,
    index: Arc<CatalogueIndex>,
    read_at: Option<Instant>,
}

/// This node's copy of the catalogue.
#[derive(Default)]
pub struct LiveCatalogue {
    snapshot: RwLock<Snapshot>,
}

impl LiveCatalogue {
    fn get(&self) -> Snapshot {
        self.snapshot.read().expect("catalogue lock").clone()
    }

    /// Keeps the newer of the snapshot in place and `next`.
    fn offer(&self, next: Snapshot) {
        let mut snapshot = self.snapshot.write().expect("catalogue lock");
        if next.state.version >= snapshot.state.version {
            *snapshot = next;
        }
    }
}

impl From<CatalogueError> for EngineError {
    fn from(error: CatalogueError) -> Self {
        match error {
            CatalogueError::NotFound(text) => EngineError::NotFound(text),
            CatalogueError::Invalid(pointer, why) => {
                EngineError::Invalid(format!("{}: {why}", pointer.trim_start_matches('/')))
            }
            CatalogueError::NameTaken(_, why) => EngineError::Conflict(why),
        }
    }
}

impl Engine {
    /// The catalogue, with every change recorded up to a few seconds ago (and every change
    /// this node recorded).
    pub async fn catalogue(&self) -> Result<Arc<Catalogue>, EngineError> {
        Ok(self.fresh_catalogue().await?.state)
    }

    /// The index the matrix resolves data items through (see [`Engine::catalogue`]).
    pub async fn catalogue_index(&self) -> Result<Arc<CatalogueIndex>, EngineError> {
        Ok(self.fresh_catalogue().await?.index)
    }

    async fn fresh_catalogue(&self) -> Result<Snapshot, EngineError> {
        let snapshot = self.vocabulary.get();
        if snapshot.read_at.is_some_and(|at| at.elapsed() < REFRESH) {
            return Ok(snapshot);
        }
        self.refresh_catalogue(snapshot).await
    }

    /// Folds the changes appended since `snapshot` into it.
    async fn refresh_catalogue(&self, snapshot: Snapshot) -> Result<Snapshot, EngineError> {
        let newer = self
            .store
            .read_stream(CATALOGUE_STREAM, snapshot.state.version + 1)
            .await?;
        let mut next = Snapshot {
            read_at: Some(Instant::now()),
            ..snapshot
        };
        if !newer.is_empty() {
            let mut state = Catalogue::clone(&next.state);
            for stored in &newer {
                let event = CatalogueEvent::decode(&stored.event_type, &stored.data)
                    .map_err(|e| EngineError::Internal(e.into()))?;
                state.apply(stored.version, stored.recorded_at, event);
            }
            next.index = Arc::new(state.index());
            next.state = Arc::new(state);
        }
        self.vocabulary.offer(next.clone());
        Ok(next)
    }

    /// Decides `command` against the catalogue and records what it yields; returns the
    /// events and the catalogue after them.
    pub async fn change_catalogue(
        &self,
        actor: &Actor,
        command: CatalogueCommand,
    ) -> Result<(Vec<CatalogueEvent>, Arc<Catalogue>), EngineError> {
        curator(actor)?;
        let keys = self.lookup_keys();
        let is_key = |key: &str| keys.iter().any(|(k, _)| k == key);
        self.record_catalogue(actor, |state| {
            decide(state, command.clone(), &actor.member_id, &is_key)
        })
        .await
    }

    /// Adds every data item name of `case_id`'s accepted inventories that the catalogue
    /// does not read yet, and records how many agencies used each item.
    pub async fn seed_catalogue(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<(Vec<CatalogueEvent>, Arc<Catalogue>), EngineError> {
        curator(actor)?;
        let inventories = self
            .with_case(case_id, |state| {
                let accepted: Vec<(String, SubmittedData)> = state
                    .tasks
                    .iter()
                    .filter(|t| t.status == TaskStatus::Accepted)
                    .filter(|t| t.form.as_deref() == Some(INVENTORY_FORM))
                    .filter_map(|t| Some((t.agency.clone()?, t.submissions.last()?.data.clone())))
                    .collect();
                (is_inventory_case(state), state.workflow.clone(), accepted)
            })
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no case {case_id}")))?;
        let (inventory, workflow, accepted) = inventories;
        if !inventory {
            return Err(crate::engine::not_an_inventory(case_id, &workflow));
        }
        let borrowed: Vec<(String, &Value)> = accepted
            .iter()
            .map(|(a, d)| (a.clone(), d.as_ref()))
            .collect();
        self.record_catalogue(actor, |state| {
            Ok(vec![seed::seed(
                state,
                case_id,
                &borrowed,
                &actor.member_id,
            )])
        })
        .await
    }

    /// Appends what `decide` yields after the stream version it was decided against;
    /// another node's change in between sends it round again.
    async fn record_catalogue(
        &self,
        actor: &Actor,
        decide: impl Fn(&Catalogue) -> Result<Vec<CatalogueEvent>, CatalogueError>,
    ) -> Result<(Vec<CatalogueEvent>, Arc<Catalogue>), EngineError> {
        for _ in 0..10 {
            let snapshot = self.refresh_catalogue(self.vocabulary.get()).await?;
            let events = decide(&snapshot.state)?;
            if events.is_empty() {
                return Ok((events, snapshot.state));
            }
            let new_events = events
                .iter()
                .map(|event| {
                    let (kind, data) = event.encode();
                    NewEvent::new(kind, data)
                })
                .collect();
            let request = AppendRequest::new(
                CATALOGUE_STREAM,
                ExpectedVersion::Exact(snapshot.state.version),
                new_events,
            )
            .with_metadata(self.metadata(actor));
            match self.store.append(request).await {
                Ok(_) => return Ok((events, self.refresh_catalogue(snapshot).await?.state)),
                Err(StoreError::VersionConflict { .. }) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(EngineError::Unavailable(
            "the catalogue is too busy; try again".into(),
        ))
    }

    /// The lookup keys the inventory form knows, with their Persian labels.
    pub fn lookup_keys(&self) -> Vec<(String, String)> {
        let form = self
            .catalog
            .forms
            .read()
            .expect("catalog lock")
            .get(INVENTORY_FORM, None);
        let Some(form) = form else {
            return Vec::new();
        };
        form.schema()["$defs"]["LookupKey"]["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|choice| {
                let key = choice["const"].as_str()?;
                Some((
                    key.to_string(),
                    choice["title"].as_str().unwrap_or(key).to_string(),
                ))
            })
            .collect()
    }
}

/// The secretariat curates the catalogue; administrators may too.
fn curator(actor: &Actor) -> Result<(), EngineError> {
    if actor.has(Role::Secretariat) || actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(
            DomainError::Forbidden("the secretariat curates the catalogue of data items".into())
                .into(),
        )
    }
}

impl Engine {
    /// Every `catalogue_id` an inventory names must be an item's id, or one merged away
    /// (it reads as the survivor); all unknown ones are refused together, each at its
    /// JSON Pointer, like schema violations.
    pub(crate) async fn check_catalogue_ids(&self, data: &Value) -> Result<(), EngineError> {
        let named = crate::catalogue::seed::catalogue_ids(data);
        if named.is_empty() {
            return Ok(());
        }
        let mut index = self.catalogue_index().await?;
        if named.iter().any(|(_, id)| !index.knows_id(id)) {
            // An item added on another node a moment ago is no reason to refuse.
            index = self.refresh_catalogue(self.vocabulary.get()).await?.index;
        }
        let violations: Vec<crate::forms::SchemaViolation> = named
            .into_iter()
            .filter(|(_, id)| !index.knows_id(id))
            .map(|(pointer, id)| crate::forms::SchemaViolation {
                instance_path: pointer,
                schema_path: "/$defs/DataItem/properties/catalogue_id".into(),
                message: format!(
                    "{id:?} is not an item of the catalogue of data items \
                     (GET /v1/catalogue lists them; leave it out to match by name)"
                ),
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Schema {
                form: INVENTORY_FORM.into(),
                violations,
            })
        }
    }
}

/// The catalogue as the log has it, read straight from the stream (for the CLI, which
/// runs no engine).
pub async fn catalogue_from_log(
    store: &crate::event_store::EventStore,
) -> Result<Catalogue, EngineError> {
    let mut state = Catalogue::default();
    for stored in store.read_stream(CATALOGUE_STREAM, 1).await? {
        let event = CatalogueEvent::decode(&stored.event_type, &stored.data)
            .map_err(|e| EngineError::Internal(e.into()))?;
        state.apply(stored.version, stored.recorded_at, event);
    }
    Ok(state)
}
