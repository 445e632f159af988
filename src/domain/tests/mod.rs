//! The case aggregate, given/when/then: `given(history).when(command).by(actor).then(events)`.
//!
//! The harness runs the shipped definitions (`workflows/*.yaml`, with the forms in `schemas/`)
//! on the built-in business calendar, a fixed clock (5 Azar 1405, 11:30 Tehran) and a small
//! member directory. Givens and expected events are written out by hand in [`facts`] (commands
//! and ids in [`vocabulary`]), so a test states the facts it expects rather than re-deriving
//! them with the code under test.

mod agency_votes;
mod attachments;
mod cancel_reassign;
mod confirmation_round;
mod deadline_moved;
mod determinism;
mod extension;
mod facts;
mod history;
mod meeting;
mod open_case;
mod practice;
mod properties;
mod return_deadline;
mod review;
mod submission;
mod vocabulary;
mod vote;
mod working_days;

use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::{Actor, CaseEvent, CaseState, Command, Context, DomainError, MemberRef, Role, decide};
use crate::calendar::BusinessCalendar;
use crate::forms::FormRegistry;
use crate::workflow::WorkflowDefinition;

pub const INVENTORY: &str = "data-exchange-inventory";
pub const CARDS: &str = "service-identity-cards";
pub const RESOLUTION: &str = "resolution-approval";

struct Fixture {
    forms: FormRegistry,
    definitions: Vec<WorkflowDefinition>,
    calendar: BusinessCalendar,
    directory: Vec<MemberRef>,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let mut forms = FormRegistry::new();
    forms
        .load_dir(&root().join("schemas"))
        .unwrap_or_else(|e| panic!("shipped forms: {e:?}"));
    let definitions = [INVENTORY, CARDS, RESOLUTION]
        .iter()
        .map(|key| {
            let path = root().join(format!("workflows/{key}.yaml"));
            crate::workflow::load_file(&path, &forms).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let person = |id: &str, agency: &str, role: Role| MemberRef {
        id: id.into(),
        agency: agency.into(),
        roles: vec![role],
    };
    Fixture {
        forms,
        definitions,
        calendar: BusinessCalendar::builtin(),
        directory: vec![
            person("cbi.focal", "CBI", Role::Member),
            person("cppo.focal", "CPPO", Role::Member),
            person("irica.deputy", "IRICA", Role::Member),
            person("irica.focal", "IRICA", Role::Member),
            person("mimt.focal", "MIMT", Role::Member),
            person("mimt.secretariat", "MIMT", Role::Secretariat),
            person("mimt.admin", "MIMT", Role::Admin),
            person("nao.auditor", "NAO", Role::Auditor),
        ],
    }
});

pub fn definition(key: &str) -> &'static WorkflowDefinition {
    FIXTURE
        .definitions
        .iter()
        .find(|d| d.key() == key)
        .unwrap_or_else(|| panic!("workflow {key} is not shipped"))
}

pub fn calendar() -> &'static BusinessCalendar {
    &FIXTURE.calendar
}

/// Everyone the directory knows; the five holding `member` are the voters.
pub fn directory() -> &'static [MemberRef] {
    &FIXTURE.directory
}

pub fn forms() -> &'static FormRegistry {
    &FIXTURE.forms
}

/// A document read from the shared form fixtures (`tests/fixtures/forms/…`).
pub fn form_fixture(relative: &str) -> Value {
    let path = root().join("tests/fixtures/forms").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

// ---- the clock ----

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid RFC 3339 instant")
        .with_timezone(&Utc)
}

/// The fixed "now": 2026-11-26T08:00:00Z is Thursday 5 Azar 1405, 11:30 in Tehran.
pub fn now() -> DateTime<Utc> {
    at("2026-11-26T08:00:00Z")
}

pub fn days_later(days: i64) -> DateTime<Utc> {
    now() + Duration::days(days)
}

// ---- actors ----

pub fn person(member_id: &str) -> Actor {
    let member = directory()
        .iter()
        .find(|m| m.id == member_id)
        .unwrap_or_else(|| panic!("{member_id} is not in the directory"));
    Actor {
        member_id: member.id.clone(),
        agency: Some(member.agency.clone()),
        roles: member.roles.clone(),
    }
}

/// The focal point (a `member`) of an agency: `member("IRICA")` is `irica.focal`.
pub fn member(agency: &str) -> Actor {
    person(&format!("{}.focal", agency.to_lowercase()))
}

pub fn secretariat() -> Actor {
    person("mimt.secretariat")
}

pub fn admin() -> Actor {
    person("mimt.admin")
}

pub fn auditor() -> Actor {
    person("nao.auditor")
}

// ---- the scenario ----

/// A case as a history of events, ready to be asked something.
#[derive(Clone)]
pub struct Scenario {
    definition: &'static WorkflowDefinition,
    state: CaseState,
}

/// A case of `workflow` that has not been opened yet.
pub fn no_case_of(workflow: &str) -> Scenario {
    Scenario {
        definition: definition(workflow),
        state: CaseState::default(),
    }
}

/// A case with this history (recorded at [`now`]); its workflow is the one it was opened on.
pub fn given(history: &[Vec<CaseEvent>]) -> Scenario {
    let events: Vec<&CaseEvent> = history.iter().flatten().collect();
    let workflow = events
        .iter()
        .find_map(|e| match e {
            CaseEvent::CaseOpened { workflow, .. } => Some(workflow.clone()),
            _ => None,
        })
        .expect("a given history starts with CaseOpened; use no_case_of() otherwise");
    Scenario {
        definition: definition(&workflow),
        state: CaseState::replay(events.into_iter().map(|e| (e, now()))),
    }
}

impl Scenario {
    pub fn when(self, command: Command) -> When {
        When {
            scenario: self,
            command,
            now: now(),
        }
    }

    pub fn state(&self) -> &CaseState {
        &self.state
    }
}

pub struct When {
    scenario: Scenario,
    command: Command,
    now: DateTime<Utc>,
}

impl When {
    /// Moves the clock for this command.
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    pub fn by(self, actor: Actor) -> Outcome {
        let ctx = Context {
            now: self.now,
            actor: &actor,
            definition: self.scenario.definition,
            calendar: calendar(),
            members: directory(),
        };
        let result = decide(&self.scenario.state, self.command.clone(), &ctx);
        Outcome {
            scenario: self.scenario,
            command: self.command,
            now: self.now,
            result,
        }
    }
}

pub struct Outcome {
    scenario: Scenario,
    command: Command,
    now: DateTime<Utc>,
    result: Result<Vec<CaseEvent>, DomainError>,
}

impl Outcome {
    /// Asserts exactly these events, and returns the case after them.
    #[track_caller]
    pub fn then(self, expected: &[CaseEvent]) -> Scenario {
        assert_eq!(self.events(), expected, "events of {:?}", self.command);
        self.accepted()
    }

    /// Asserts the command was refused for this reason, e.g. `then_refused(Forbidden)`.
    #[track_caller]
    pub fn then_refused(self, reason: fn(String) -> DomainError) {
        let expected = reason(String::new());
        match self.result {
            Err(error) => assert_eq!(
                std::mem::discriminant(&error),
                std::mem::discriminant(&expected),
                "{:?} was refused with {error:?}, expected {expected:?}",
                self.command
            ),
            Ok(events) => panic!(
                "{:?} was accepted with {events:?}, expected {expected:?}",
                self.command
            ),
        }
    }

    /// Why the command was refused (panics if it was not).
    #[track_caller]
    pub fn refusal(&self) -> &DomainError {
        match &self.result {
            Err(error) => error,
            Ok(events) => panic!("{:?} was accepted with {events:?}", self.command),
        }
    }

    /// The events the command caused (panics if it was refused).
    #[track_caller]
    pub fn events(&self) -> &[CaseEvent] {
        match &self.result {
            Ok(events) => events,
            Err(error) => panic!("{:?} was refused: {error:?}", self.command),
        }
    }

    /// The case after the command's events, without asserting what they were.
    #[track_caller]
    pub fn accepted(self) -> Scenario {
        let mut scenario = self.scenario.clone();
        for event in self.events() {
            scenario.state = scenario.state.apply(event, self.now);
        }
        scenario
    }
}
