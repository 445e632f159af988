//! Property tests: random sequences of commands by random actors against an inventory of
//! three agencies and a resolution before five voters. Whatever happens, the live state is
//! the replay of the events, a refusal changes nothing, a task is accepted at most once and
//! takes nothing after, the version counts the events, and a finished case accepts nothing.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use super::history::{History, check_ballot, settled_by_brute_force};
use super::vocabulary::*;
use super::{Actor, CaseEvent, CaseState, Command, Context, INVENTORY, RESOLUTION};
use super::{calendar, definition, directory, member, now, secretariat};
use crate::domain::{CaseStatus, DomainError, Tally, VoteChoice, decide};

#[derive(Debug, Clone, Copy)]
enum Remark {
    Missing,
    Blank,
    Written,
}

#[derive(Debug, Clone)]
enum Op {
    Submit { task: usize, valid: bool },
    Accept { task: usize },
    Return { task: usize, remark: Remark },
    Vote { task: usize, choice: VoteChoice },
    Reassign { task: usize, to: usize },
    Cancel,
    CloseVote { late: bool },
}

/// Who sends the command: the one the rules expect, or anybody in the directory (or daftar).
#[derive(Debug, Clone, Copy)]
enum Who {
    Fitting,
    Anyone(usize),
}

fn choice() -> impl Strategy<Value = VoteChoice> {
    prop_oneof![
        Just(VoteChoice::Approve),
        Just(VoteChoice::Reject),
        Just(VoteChoice::Abstain)
    ]
}

fn remark() -> impl Strategy<Value = Remark> {
    prop_oneof![
        Just(Remark::Missing),
        Just(Remark::Blank),
        Just(Remark::Written)
    ]
}

/// Weights: mostly the case's own kind of work, a little of everything else.
fn op(submissions: u32, votes: u32) -> impl Strategy<Value = Op> {
    let task = 0..8usize;
    prop_oneof![
        1 + 27 * submissions => (task.clone(), prop::bool::weighted(0.8))
            .prop_map(|(task, valid)| Op::Submit { task, valid }),
        1 + 23 * submissions => task.clone().prop_map(|task| Op::Accept { task }),
        1 + 9 * submissions => (task.clone(), remark())
            .prop_map(|(task, remark)| Op::Return { task, remark }),
        1 + 20 * votes => (task.clone(), choice())
            .prop_map(|(task, choice)| Op::Vote { task, choice }),
        2 => (task, 0..8usize).prop_map(|(task, to)| Op::Reassign { task, to }),
        1 + 2 * votes => prop::bool::weighted(0.3).prop_map(|late| Op::CloseVote { late }),
        1 => Just(Op::Cancel),
    ]
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![4 => Just(Who::Fitting), 1 => (0..16usize).prop_map(Who::Anyone)]
}

fn steps(submissions: u32, votes: u32) -> impl Strategy<Value = Vec<(Op, Who)>> {
    prop::collection::vec((op(submissions, votes), who()), 0..=40)
}

/// The task an op points at (tasks are chosen by position, wrapping around).
fn pick(state: &CaseState, index: usize) -> Option<&crate::domain::Task> {
    (!state.tasks.is_empty()).then(|| &state.tasks[index % state.tasks.len()])
}

fn command(state: &CaseState, op: &Op, data: &Value) -> Command {
    let id = |index: &usize| pick(state, *index).map_or(Uuid::nil(), |t| t.id);
    match op {
        Op::Submit { task, valid } => submit(
            id(task),
            if *valid {
                data.clone()
            } else {
                json!(["not", "an", "object"])
            },
        ),
        Op::Accept { task } => accept(id(task)),
        Op::Return { task, remark } => return_for(
            id(task),
            match remark {
                Remark::Missing => None,
                Remark::Blank => Some("  "),
                Remark::Written => Some("Name the provider agency"),
            },
        ),
        Op::Vote { task, choice } => vote(id(task), *choice),
        Op::Reassign { task, to } => reassign(id(task), &directory()[to % directory().len()].id),
        Op::Cancel => cancel("Withdrawn"),
        Op::CloseVote { .. } => close_vote(),
    }
}

fn actor(state: &CaseState, op: &Op, who: Who) -> Actor {
    if let Who::Anyone(i) = who {
        return directory()
            .get(i % (directory().len() + 1))
            .map_or_else(Actor::system, |m| super::person(&m.id));
    }
    let owner = |index: &usize| match pick(state, *index) {
        Some(t) => match (&t.assignee, &t.agency) {
            (Some(assignee), _) => super::person(assignee),
            (None, Some(agency)) => member(agency),
            (None, None) => secretariat(),
        },
        None => member("IRICA"),
    };
    match op {
        Op::Submit { task, .. } | Op::Vote { task, .. } => owner(task),
        Op::CloseVote { .. } => Actor::system(),
        Op::Accept { .. } | Op::Return { .. } | Op::Reassign { .. } | Op::Cancel => secretariat(),
    }
}

/// The case as the run goes: its state, its log and the referee watching it.
struct Run {
    definition: &'static crate::workflow::WorkflowDefinition,
    clock: DateTime<Utc>,
    state: CaseState,
    log: Vec<(CaseEvent, DateTime<Utc>)>,
    history: History,
}

impl Run {
    fn decide(&self, command: &Command, actor: &Actor) -> Result<Vec<CaseEvent>, DomainError> {
        let ctx = Context {
            now: self.clock,
            actor,
            definition: self.definition,
            calendar: calendar(),
            members: directory(),
        };
        decide(&self.state, command.clone(), &ctx)
    }

    fn record(&mut self, events: Vec<CaseEvent>) -> Result<(), TestCaseError> {
        for event in events {
            self.history.record(&event)?;
            self.state = std::mem::take(&mut self.state).apply(&event, self.clock);
            self.log.push((event, self.clock));
        }
        let replayed = CaseState::replay(self.log.iter().map(|(e, at)| (e, *at)));
        prop_assert_eq!(&replayed, &self.state, "the replay is the live state");
        prop_assert_eq!(self.state.version, self.log.len() as i64);
        Ok(())
    }

    /// One step: decide, check the answer, apply what was accepted.
    fn step(&mut self, op: &Op, who: Who, data: &Value) -> Result<(), TestCaseError> {
        self.clock += Duration::hours(1);
        if let Op::CloseVote { late: true } = op {
            self.clock = self.clock.max(now() + Duration::days(8));
        }
        let command = command(&self.state, op, data);
        let actor = actor(&self.state, op, who);
        let before = self.state.clone();
        let result = self.decide(&command, &actor);
        prop_assert_eq!(
            &result,
            &self.decide(&command, &actor),
            "decide is a function"
        );
        let Ok(events) = result else {
            prop_assert_eq!(&self.state, &before, "a refusal changes nothing");
            return Ok(());
        };
        let finished = before.status != CaseStatus::Open;
        prop_assert!(
            !finished,
            "a {:?} case accepted {:?}",
            before.status,
            command
        );
        prop_assert!(
            !events.is_empty(),
            "{:?} was accepted but recorded nothing",
            command
        );
        self.record(events)?;
        if let Op::Vote { .. } = op {
            check_ballot(&before, &self.state)?;
        }
        Ok(())
    }
}

fn run(workflow: &str, open: Command, steps: &[(Op, Who)]) -> Result<(), TestCaseError> {
    let mut run = Run {
        definition: definition(workflow),
        clock: now(),
        state: CaseState::default(),
        log: Vec::new(),
        history: History::default(),
    };
    let opened = run.decide(&open, &secretariat());
    run.record(opened.expect("the case opens"))?;
    let data = inventory_data();
    for (op, who) in steps {
        run.step(op, *who, &data)?;
    }
    run.history.check_final(&run.state)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn an_inventory_of_three_agencies_keeps_its_invariants(steps in steps(1, 0)) {
        run(INVENTORY, open_case(TITLE, &["IRICA", "MIMT", "CBI"]), &steps)?;
    }

    #[test]
    fn a_resolution_before_five_voters_keeps_its_invariants(steps in steps(0, 1)) {
        run(RESOLUTION, open_resolution(), &steps)?;
    }

    #[test]
    fn a_vote_closes_early_exactly_when_its_outcome_is_settled(
        voters in 1..=9usize,
        cast in prop::collection::vec(choice(), 0..=9),
        quorum in prop::sample::select(vec![0.0, 0.25, 0.5, 2.0 / 3.0, 0.75, 1.0]),
        pass in prop::sample::select(vec![0.0, 0.5, 2.0 / 3.0, 0.75, 1.0]),
    ) {
        let count = |c| cast.iter().take(voters).filter(|&&x| x == c).count();
        let tally = Tally {
            voters,
            approve: count(VoteChoice::Approve),
            reject: count(VoteChoice::Reject),
            abstain: count(VoteChoice::Abstain),
        };
        prop_assert_eq!(tally.settled(quorum, pass), settled_by_brute_force(tally, quorum, pass));
    }
}
