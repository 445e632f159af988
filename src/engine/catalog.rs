//! The workflow and form catalog: every version ever registered is an event
//! (`FormVersionRegistered` in `form-KEY`, `WorkflowVersionRegistered` in `workflow-KEY`),
//! so a case can always find the exact definition it opened with — after a restart, on
//! another node, years later. Files in `schemas/` and `workflows/` are registered at start;
//! an unchanged file is not a new version.
//!
//! With several nodes, each keeps its own copy and catches up from the log: before opening
//! a case or validating a submission when its copy is over a second old, and at once when a
//! case names a version it does not know. A version number is the `workflow-KEY` (`form-KEY`)
//! stream's version, appended with optimistic concurrency, so two nodes can never both
//! register "version 2": the loser reloads and is told to retry.

use std::path::Path;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::domain::derive_id;
use crate::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, ReadAll};
use crate::forms::{FormRegistry, RegisteredForm};
use crate::workflow::{
    DefinitionError, Registered, WorkflowDefinition, WorkflowRegistry, WorkflowVersion,
};

use super::EngineError;

/// How stale a node's copy may be before a command that reads "the latest version" reloads.
const MAX_AGE: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct Catalog {
    pub(crate) workflows: RwLock<WorkflowRegistry>,
    pub(crate) forms: RwLock<FormRegistry>,
    /// The log position read up to, and when; one refresh at a time.
    seen: tokio::sync::Mutex<(i64, Option<Instant>)>,
}

/// Event ids derive from the content hash, so two nodes registering the same file at start
/// append it once.
fn registration_id(kind: &str, key: &str, hash: &str) -> uuid::Uuid {
    derive_id(uuid::Uuid::nil(), &[kind, key, hash])
}

impl Catalog {
    /// Rebuilds both registries from the log, in the order versions were registered.
    pub async fn load(&self, store: &EventStore) -> Result<(), EngineError> {
        self.refresh(store).await
    }

    /// Reads the versions registered (by any node) since the last look.
    pub async fn refresh(&self, store: &EventStore) -> Result<(), EngineError> {
        let mut seen = self.seen.lock().await;
        // Positions up to the head are committed (the log is gapless in commit order), so
        // the next look can start there even when none of them was a registration.
        let (head, _) = store.head().await?;
        let mut query = ReadAll::after(seen.0, 1000);
        query.event_types = vec![
            "FormVersionRegistered".into(),
            "WorkflowVersionRegistered".into(),
        ];
        loop {
            let page = store.read_all(&query).await?;
            let Some(last) = page.last() else {
                break;
            };
            query.after = last.position;
            for event in &page {
                self.replay_one(&event.event_type, &event.data)?;
            }
        }
        *seen = (query.after.max(head), Some(Instant::now()));
        Ok(())
    }

    /// [`Catalog::refresh`] when the copy is older than a second.
    pub async fn refresh_if_stale(&self, store: &EventStore) -> Result<(), EngineError> {
        let fresh = self
            .seen
            .lock()
            .await
            .1
            .is_some_and(|at| at.elapsed() < MAX_AGE);
        if fresh {
            return Ok(());
        }
        self.refresh(store).await
    }

    /// Forgets everything and reads the catalog again (after losing a registration race,
    /// whose version this copy had already counted).
    async fn reload(&self, store: &EventStore) -> Result<(), EngineError> {
        *self.seen.lock().await = (0, None);
        *self.workflows.write().expect("catalog lock") = WorkflowRegistry::default();
        *self.forms.write().expect("catalog lock") = FormRegistry::new();
        self.refresh(store).await
    }

    /// Appends a registration as the stream's next version; a race lost to another node
    /// reloads the catalog and asks the caller to retry.
    async fn append_version(
        &self,
        store: &EventStore,
        stream: String,
        version: u32,
        event: NewEvent,
    ) -> Result<(), EngineError> {
        let expected = ExpectedVersion::Exact(i64::from(version) - 1);
        match store
            .append(AppendRequest::new(stream.clone(), expected, vec![event]))
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.is_conflict() => {
                self.reload(store).await?;
                Err(EngineError::Conflict(format!(
                    "another version of {stream} was registered at the same moment; send it again"
                )))
            }
            Err(error) => Err(error.into()),
        }
    }

    fn replay_one(&self, event_type: &str, data: &Value) -> Result<(), EngineError> {
        let key = data["key"].as_str().unwrap_or_default();
        if event_type == "FormVersionRegistered" {
            let mut forms = self.forms.write().expect("catalog lock");
            if forms
                .get(key, None)
                .map(|f| f.hash().to_string())
                .as_deref()
                != data["hash"].as_str()
            {
                forms.register(key, data["schema"].clone()).map_err(|e| {
                    EngineError::Internal(anyhow::anyhow!("stored form {key}: {e}"))
                })?;
            }
        } else {
            let forms = self.forms.read().expect("catalog lock");
            let definition = WorkflowDefinition::from_value(
                &format!("stored workflow {key}"),
                data["definition"].clone(),
                &forms,
            )
            .map_err(|e| EngineError::Internal(anyhow::anyhow!("{e}")))?;
            drop(forms);
            self.workflows
                .write()
                .expect("catalog lock")
                .register(definition);
        }
        Ok(())
    }

    /// Registers a form schema; appends a new version only if its content changed.
    pub async fn put_form(
        &self,
        store: &EventStore,
        key: &str,
        schema: Value,
    ) -> Result<RegisteredForm, EngineError> {
        self.refresh(store).await?;
        let registered = {
            let mut forms = self.forms.write().expect("catalog lock");
            forms
                .register(key, schema.clone())
                .map_err(|e| EngineError::Invalid(e.to_string()))?
        };
        if registered.created {
            let mut event = NewEvent::new(
                "FormVersionRegistered",
                json!({"key": key, "version": registered.version, "hash": registered.hash, "schema": schema}),
            );
            event.event_id = registration_id("form", key, &registered.hash);
            self.append_version(store, format!("form-{key}"), registered.version, event)
                .await?;
        }
        Ok(registered)
    }

    /// Registers a workflow definition; appends a new version only if its content changed.
    pub async fn put_workflow(
        &self,
        store: &EventStore,
        definition: WorkflowDefinition,
    ) -> Result<Registered, EngineError> {
        self.refresh(store).await?;
        let source = definition.source().clone();
        let key = definition.key().to_string();
        let registered = self
            .workflows
            .write()
            .expect("catalog lock")
            .register(definition);
        if registered.created {
            let mut event = NewEvent::new(
                "WorkflowVersionRegistered",
                json!({"key": key, "version": registered.version, "hash": registered.hash, "definition": source}),
            );
            event.event_id = registration_id("workflow", &key, &registered.hash);
            self.append_version(store, format!("workflow-{key}"), registered.version, event)
                .await?;
        }
        Ok(registered)
    }

    /// Parses text (YAML or JSON) and checks it against the registered forms.
    pub fn parse_workflow_text(
        &self,
        source: &str,
        text: &str,
        format: crate::workflow::Format,
    ) -> Result<WorkflowDefinition, DefinitionError> {
        let forms = self.forms.read().expect("catalog lock");
        WorkflowDefinition::parse(source, text, format, &forms)
    }

    /// Parses and checks a definition against the registered forms.
    pub fn parse_workflow(
        &self,
        source: &str,
        value: Value,
    ) -> Result<WorkflowDefinition, DefinitionError> {
        let forms = self.forms.read().expect("catalog lock");
        WorkflowDefinition::from_value(source, value, &forms)
    }

    /// Registers every form in `schemas` and every workflow in `workflows`.
    pub async fn load_files(
        &self,
        store: &EventStore,
        schemas: &Path,
        workflows: &Path,
    ) -> Result<(), EngineError> {
        let mut staging = FormRegistry::new();
        if schemas.is_dir() {
            staging
                .load_dir(schemas)
                .map_err(|errors| EngineError::Invalid(join(errors)))?;
        }
        // A file whose content is already a known version (an older one included) is not
        // registered again: restarting with the same files must not create versions.
        for form in staging.list() {
            let known = self
                .forms
                .read()
                .expect("catalog lock")
                .list()
                .iter()
                .any(|f| f.key() == form.key() && f.hash() == form.hash());
            if !known {
                self.put_form(store, form.key(), form.schema().clone())
                    .await?;
            }
        }
        if workflows.is_dir() {
            let definitions = {
                let forms = self.forms.read().expect("catalog lock");
                crate::workflow::load_dir(workflows, &forms)
                    .map_err(|errors| EngineError::Invalid(join(errors)))?
            };
            for (_, definition) in definitions {
                if self.workflow_by_hash(definition.content_hash()).is_none() {
                    self.put_workflow(store, definition).await?;
                }
            }
        }
        Ok(())
    }

    pub fn latest_workflow(&self, key: &str) -> Option<WorkflowVersion> {
        self.workflows.read().expect("catalog lock").latest(key)
    }

    pub fn workflow_by_hash(&self, hash: &str) -> Option<WorkflowVersion> {
        self.workflows.read().expect("catalog lock").by_hash(hash)
    }

    /// The latest version of `key` as the log has it (this copy is refreshed if stale, and
    /// again if it does not know the key).
    pub async fn current_workflow(
        &self,
        store: &EventStore,
        key: &str,
    ) -> Result<Option<WorkflowVersion>, EngineError> {
        self.refresh_if_stale(store).await?;
        if let Some(version) = self.latest_workflow(key) {
            return Ok(Some(version));
        }
        self.refresh(store).await?;
        Ok(self.latest_workflow(key))
    }

    /// The version with this content hash, reading the log if this copy lacks it (a case
    /// opened on another node with a version registered there).
    pub async fn find_workflow(
        &self,
        store: &EventStore,
        hash: &str,
    ) -> Result<Option<WorkflowVersion>, EngineError> {
        if let Some(version) = self.workflow_by_hash(hash) {
            return Ok(Some(version));
        }
        self.refresh(store).await?;
        Ok(self.workflow_by_hash(hash))
    }
}

fn join<E: std::fmt::Display>(errors: Vec<E>) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
