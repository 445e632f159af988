//! Checks of meaning that a JSON Schema cannot express: references between steps,
//! forms that exist, reachability, and rules that depend on other keys.
//!
//! Owns one [`Issue`] per problem, each at the JSON Pointer of the offending node.
//! Some rules repeat the schema's (quorum range, form present, on_return present)
//! on purpose: definitions typed by other paths get the same guarantees. It must
//! not do I/O; forms are looked up in the registry passed in.

use std::collections::HashMap;

use super::definition::WorkflowDefinition;
use super::error::{Issue, IssueKind};
use super::graph;
use super::model::{DueRule, Participants, Step, StepKind, Target};
use crate::forms::FormRegistry;

/// Every semantic problem in `definition`, steps in order, graph problems last.
pub(super) fn check(definition: &WorkflowDefinition, forms: &FormRegistry) -> Vec<Issue> {
    let steps = definition.steps();
    let mut issues = Vec::new();
    let mut first_index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if first_index.contains_key(step.id.as_str()) {
            issues.push(Issue::new(
                format!("/steps/{i}/id"),
                IssueKind::DuplicateStep(step.id.clone()),
            ));
        } else {
            first_index.insert(&step.id, i);
        }
    }
    for (i, step) in steps.iter().enumerate() {
        let at = format!("/steps/{i}");
        check_references(step, &at, &first_index, &mut issues);
        check_step(step, &at, definition.participants(), forms, &mut issues);
    }
    issues.extend(due_override_issues(steps));
    issues.extend(graph::check(steps, &first_index));
    issues
}

/// `due_override` belongs to the first step (the deadline a resolution sets is when the work
/// is due), and a fixed `latest` day must exist.
fn due_override_issues(steps: &[Step]) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let StepKind::Submission(spec) = &step.kind else {
            continue;
        };
        let Some(limit) = &spec.due_override else {
            continue;
        };
        let at = format!("/steps/{i}/due_override");
        if i > 0 {
            issues.push(Issue::new(
                at.clone(),
                IssueKind::DueOverrideNotFirst(step.id.clone()),
            ));
        }
        if let DueRule::On(date) = &limit.latest
            && let Err(error) = date.parse::<crate::calendar::JalaliDate>()
        {
            issues.push(Issue::new(
                format!("{at}/latest/on"),
                IssueKind::InvalidDate(error.to_string()),
            ));
        }
    }
    issues
}

fn check_references(step: &Step, at: &str, known: &HashMap<&str, usize>, issues: &mut Vec<Issue>) {
    for (key, target) in step.transitions() {
        if let Target::Step(id) = target
            && !known.contains_key(id.as_str())
        {
            issues.push(Issue::new(
                format!("{at}/{key}"),
                IssueKind::UnknownStep(id.clone()),
            ));
        }
    }
}

fn check_step(
    step: &Step,
    at: &str,
    participants: Participants,
    forms: &FormRegistry,
    issues: &mut Vec<Issue>,
) {
    if let Some(assignee) = step.assignee()
        && assignee.is_per_participant()
        && participants == Participants::None
    {
        issues.push(Issue::new(
            format!("{at}/assignee/of"),
            IssueKind::ParticipantWithoutParticipants,
        ));
    }
    // A fixed date must exist in the Solar Hijri calendar (1405-12-30 does not: 1405 is not
    // a leap year).
    if let Some(DueRule::On(date)) = step.due()
        && let Err(error) = date.parse::<crate::calendar::JalaliDate>()
    {
        issues.push(Issue::new(
            format!("{at}/due/on"),
            IssueKind::InvalidDate(error.to_string()),
        ));
    }
    for (level, escalation) in step.escalations().iter().enumerate() {
        if escalation.notify.is_empty() {
            issues.push(Issue::new(
                format!("{at}/escalate/{level}/notify"),
                IssueKind::EmptyNotify,
            ));
        }
    }
    match &step.kind {
        StepKind::Submission(submission) => match &submission.form {
            None => issues.push(Issue::new(
                at,
                IssueKind::SubmissionWithoutForm(step.id.clone()),
            )),
            Some(form) if !forms.contains(form) => issues.push(Issue::new(
                format!("{at}/form"),
                IssueKind::UnknownForm(form.clone()),
            )),
            Some(_) => {}
        },
        StepKind::Review(review) if review.on_return.is_none() => issues.push(Issue::new(
            at,
            IssueKind::ReviewWithoutReturn(step.id.clone()),
        )),
        StepKind::Vote(vote) => {
            for (field, value) in [("quorum", vote.quorum), ("pass", vote.pass)] {
                // Written so that NaN is out of range too.
                if !(0.0..=1.0).contains(&value) {
                    issues.push(Issue::new(
                        format!("{at}/{field}"),
                        IssueKind::ShareOutOfRange { field, value },
                    ));
                }
            }
        }
        StepKind::Review(_) | StepKind::StartCases(_) => {}
    }
}
