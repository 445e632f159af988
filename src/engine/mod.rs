//! The engine: turns commands into events. For each command it loads the case (from its
//! stream, through a per-case cache), asks the pure domain to `decide`, and appends the
//! events together with the read models they imply, in one transaction. A stream conflict
//! (another node wrote first) is retried here and never reaches the caller.

mod agency_import;
mod attachments;
mod calendar;
mod case_document;
mod cases;
mod catalog;
mod codec;
mod confirmation;
mod derived;
mod directory;
mod error;
mod mail;
mod member_change;
mod membership;
mod open;
mod practice;
pub mod projection;
pub mod rebuild;
mod references;
mod report_views;
mod resolutions;
mod sessions;
mod sign_in;
mod tasks;
mod tokens;
mod vocabulary;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::domain::Member;
pub use agency_import::{
    ImportFile, ImportProblem, ImportProblemKind, ImportReport, ImportedAgency, check_import,
};
pub use attachments::CASE_ATTACHMENT_LISTS;
pub use calendar::{CALENDAR_STREAM, ClosureView, LiveCalendar};
pub use case_document::{case_document, case_documents};
pub use catalog::Catalog;
pub use codec::{apply_raw, case_stream, decode, decode_raw, encode};
pub use directory::{AgencyInput, MemberInput, valid_agency_code, valid_agency_name, valid_email};
pub use error::EngineError;
pub use member_change::MemberChange;
pub use open::{OpenCase, ParticipantsInput};
pub use report_views::{
    CaseMatrix, ReportKind, Reports, agency_names, case_board, case_matrix, case_reports, export,
    not_an_inventory, replay_case,
};
pub use sessions::SESSION_TTL;
pub use tokens::{TokenInfo, token_hash};
pub use vocabulary::{LiveCatalogue, catalogue_from_log};

use crate::calendar::BusinessCalendar;
use crate::credentials::Credentials;
use crate::documents::Documents;
use crate::domain::{Actor, CaseState};
use crate::event_store::{EventStore, Metadata};

/// Where the engine finds its shipped files.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub schemas_dir: PathBuf,
    pub workflows_dir: PathBuf,
    /// An administrator's holiday tables (`<year>.json`), replacing the shipped ones per year.
    pub calendar_dir: Option<PathBuf>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            schemas_dir: PathBuf::from("schemas"),
            workflows_dir: PathBuf::from("workflows"),
            calendar_dir: None,
        }
    }
}

/// The member directory as read at an instant.
type DirectorySnapshot = (std::time::Instant, Arc<Vec<Member>>);

/// A case's cached state. Shared with the caller of the last command, which reads it after
/// the lock is gone; the next command folds it forward in place when nobody holds it still.
type CaseSlot = Arc<tokio::sync::Mutex<Option<Arc<CaseState>>>>;

/// The most cases kept warm in memory; beyond it the cache starts again (a cold case costs
/// one stream read).
const CACHE_LIMIT: usize = 20_000;

#[derive(Clone)]
pub struct Engine {
    pub store: EventStore,
    pub documents: Documents,
    pub catalog: Arc<Catalog>,
    /// The tables and the closures announced; read it with [`Engine::calendar`].
    calendar: Arc<LiveCalendar>,
    pub clock: Arc<dyn Clock>,
    /// Notified when a command schedules timers, so this node's scheduler looks again.
    pub timer_wake: Arc<tokio::sync::Notify>,
    /// Notified when a command queues e-mail, so this node's dispatcher sends it at once.
    pub mail_wake: Arc<tokio::sync::Notify>,
    cases: Arc<Mutex<HashMap<Uuid, CaseSlot>>>,
    /// Reports of cases, per case version (see [`Engine::derive`]).
    derived: Arc<derived::DerivedCache>,
    directory: Arc<Mutex<Option<DirectorySnapshot>>>,
    /// Agencies by code, as e-mails name them (see [`mail`]).
    agency_names: Arc<Mutex<Option<mail::AgencyNamesSnapshot>>>,
    task_facts: Arc<Mutex<HashMap<Uuid, tasks::TaskFacts>>>,
    /// Agency codes seen registered. Agencies are never removed, so a code found here is
    /// known; a code not found sends the check to the database.
    known_agencies: Arc<Mutex<std::collections::HashSet<String>>>,
    /// Token hashes, where they are checked (beside the log, not in it).
    pub credentials: Credentials,
    /// Authenticated tokens (by hash), briefly, so a request costs no token look-up.
    sessions: Arc<Mutex<HashMap<String, sessions::Session>>>,
    /// When this node last recorded each token's use (by hash, µs): one request records it,
    /// not every request that arrived while the first was recording it.
    token_uses: Arc<Mutex<HashMap<String, i64>>>,
    /// The base of links in e-mails (`DAFTAR_PUBLIC_URL`); without it, e-mails carry none.
    public_base: Option<Arc<str>>,
    /// The catalogue of data items; read it with [`Engine::catalogue`].
    vocabulary: Arc<LiveCatalogue>,
}

impl Engine {
    /// Builds the engine, rebuilds the catalog from the log and registers the shipped files.
    pub async fn start(
        store: EventStore,
        documents: Documents,
        config: &EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, EngineError> {
        let engine = Self {
            credentials: Credentials::new(documents.database().clone()),
            store,
            documents,
            catalog: Arc::new(Catalog::default()),
            calendar: Arc::new(LiveCalendar::new(load_calendar(config)?)),
            clock,
            timer_wake: Arc::new(tokio::sync::Notify::new()),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            cases: Arc::new(Mutex::new(HashMap::new())),
            derived: Arc::new(derived::DerivedCache::default()),
            directory: Arc::new(Mutex::new(None)),
            agency_names: Arc::new(Mutex::new(None)),
            task_facts: Arc::new(Mutex::new(HashMap::new())),
            known_agencies: Arc::new(Mutex::new(std::collections::HashSet::new())),
            sessions: Arc::new(Mutex::new(HashMap::new())),
            token_uses: Arc::new(Mutex::new(HashMap::new())),
            public_base: None,
            vocabulary: Arc::new(LiveCatalogue::default()),
        };
        engine.catalog.load(&engine.store).await?;
        engine
            .catalog
            .load_files(&engine.store, &config.schemas_dir, &config.workflows_dir)
            .await?;
        engine.resume_child_cases().await?;
        Ok(engine)
    }

    /// Links in e-mails start with `base` (e.g. `https://daftar.example.org`).
    pub fn with_public_base(mut self, base: &str) -> Self {
        self.public_base = Some(Arc::from(base.trim_end_matches('/')));
        self
    }

    fn metadata(&self, actor: &Actor) -> Metadata {
        Metadata {
            actor: Some(actor.member_id.clone()),
            agency: actor.agency.clone(),
            role: actor.roles.first().map(|r| r.as_str().to_string()),
            ..Metadata::default()
        }
    }

    fn slot(&self, case_id: Uuid) -> CaseSlot {
        let mut cases = self.cases.lock().expect("case cache lock");
        if cases.len() >= CACHE_LIMIT && !cases.contains_key(&case_id) {
            cases.retain(|_, slot| Arc::strong_count(slot) > 1);
        }
        cases.entry(case_id).or_default().clone()
    }
}

fn load_calendar(config: &EngineConfig) -> Result<BusinessCalendar, EngineError> {
    let mut calendar = BusinessCalendar::builtin();
    if let Some(dir) = &config.calendar_dir {
        calendar
            .load_dir(dir)
            .map_err(|e| EngineError::Invalid(format!("business calendar: {e}")))?;
    }
    tracing::info!(version = %calendar.version(), "business calendar loaded");
    Ok(calendar)
}
