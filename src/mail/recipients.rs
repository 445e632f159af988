//! Who is told what: from a decision's events, the case after them and the member directory,
//! the list of (template, recipient, context). Pure; the engine turns the result into outbox
//! rows inside the append's transaction.

use crate::domain::{
    CaseEvent, CaseState, DeadlineCause, Member, Role, Task, TaskKind, VoteOutcome,
};
use crate::workflow::Notify;

use super::templates::{MailContext, Template};

/// One e-mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMail {
    pub template: Template,
    pub member: Member,
    pub context: MailContext,
}

fn has_role(member: &Member, role: &str) -> bool {
    member.roles.iter().any(|r| r.as_str() == role)
}

/// The people a task waits on: its assignee, or its agency's holders of its role.
fn assignees<'d>(task: &Task, directory: &'d [Member]) -> Vec<&'d Member> {
    match &task.assignee {
        Some(id) => directory.iter().filter(|m| &m.id == id).collect(),
        None => directory
            .iter()
            .filter(|m| m.agency == task.agency && has_role(m, &task.role))
            .collect(),
    }
}

fn with_role(directory: &[Member], role: Role) -> Vec<&Member> {
    directory
        .iter()
        .filter(|m| m.roles.contains(&role))
        .collect()
}

/// An escalation level's recipients: supervisors of the people the task waits on, and the
/// holders of the named roles.
fn escalation_targets<'d>(
    task: &Task,
    notify: &[Notify],
    directory: &'d [Member],
) -> Vec<&'d Member> {
    let mut targets = Vec::new();
    for target in notify {
        match target {
            Notify::Supervisor => {
                for member in assignees(task, directory) {
                    if let Some(supervisor) = member
                        .supervisor_id
                        .as_ref()
                        .and_then(|s| directory.iter().find(|m| &m.id == s))
                    {
                        targets.push(supervisor);
                    }
                }
            }
            Notify::Role(role) => targets.extend(directory.iter().filter(|m| has_role(m, role))),
        }
    }
    targets
}

fn context(state: &CaseState, task: Option<&Task>, member: &Member) -> MailContext {
    MailContext {
        recipient: member.name.clone(),
        case_title: state.title.clone(),
        case_id: state.id.to_string(),
        task_id: task.map(|t| t.id.to_string()),
        step: task.map(|t| t.step.clone()),
        agency: task.and_then(|t| t.agency.clone()),
        agency_name_fa: None,
        agency_name_en: None,
        due_jalali: task
            .and_then(|t| t.due.as_ref())
            .map(|d| d.due_jalali.clone()),
        due_at: task
            .and_then(|t| t.due.as_ref())
            .map(|d| d.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        comment: None,
        level: None,
        link: None,
    }
}

/// The page where `member` acts on a message about `context`: the task's page; without a
/// task, the case's page for the secretariat and administrators, the inbox for others.
pub fn action_path(context: &MailContext, member: &Member) -> String {
    if let Some(task) = &context.task_id {
        return format!("/tasks/{task}");
    }
    if has_role(member, "secretariat") || has_role(member, "admin") {
        format!("/cases/{}", context.case_id)
    } else {
        "/".to_string()
    }
}

/// The mails `event` causes, given the case after the decision.
pub fn mails_for(event: &CaseEvent, state: &CaseState, directory: &[Member]) -> Vec<PlannedMail> {
    let task_of = |id: &uuid::Uuid| state.task(*id);
    let (template, task, people, comment, level): (
        Template,
        Option<&Task>,
        Vec<&Member>,
        Option<String>,
        Option<u32>,
    ) = match event {
        CaseEvent::TaskAssigned { task_id, kind, .. } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            let template = if *kind == TaskKind::Vote {
                Template::VoteRequested
            } else {
                Template::TaskAssigned
            };
            (template, Some(task), assignees(task, directory), None, None)
        }
        CaseEvent::TaskReminded { task_id, .. } | CaseEvent::TaskOverdue { task_id, .. } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            let template = if matches!(event, CaseEvent::TaskReminded { .. }) {
                Template::Reminder
            } else {
                Template::Overdue
            };
            (template, Some(task), assignees(task, directory), None, None)
        }
        CaseEvent::DeadlineEscalated {
            task_id,
            level,
            notify,
        } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            (
                Template::Escalation,
                Some(task),
                escalation_targets(task, notify, directory),
                None,
                Some(*level),
            )
        }
        CaseEvent::SubmissionReturned {
            task_id, comment, ..
        } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            (
                Template::Returned,
                Some(task),
                assignees(task, directory),
                Some(comment.clone()),
                None,
            )
        }
        CaseEvent::SubmissionAccepted {
            task_id,
            reviewed_by,
            ..
        } if reviewed_by != "system" => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            (
                Template::Accepted,
                Some(task),
                assignees(task, directory),
                None,
                None,
            )
        }
        CaseEvent::VoteClosed { outcome, .. } => {
            let template = match outcome {
                VoteOutcome::Approved => Template::ResolutionApproved,
                VoteOutcome::Rejected => Template::ResolutionRejected,
                VoteOutcome::Expired => Template::ResolutionExpired,
            };
            // Each vote task's voter: its member (an old, per-member task), or the holders
            // of the voters' role in its agency.
            let mut people: Vec<&Member> = state
                .tasks
                .iter()
                .filter(|t| t.kind == TaskKind::Vote)
                .flat_map(|t| assignees(t, directory))
                .collect();
            people.extend(with_role(directory, Role::Secretariat));
            (template, None, people, None, None)
        }
        // Adopted in a meeting: approved without a vote, so no voter to tell.
        CaseEvent::ResolutionAdopted { .. } => (
            Template::ResolutionApproved,
            None,
            with_role(directory, Role::Secretariat),
            None,
            None,
        ),
        CaseEvent::CaseCompleted { .. } if state.vote.is_none() && state.meeting.is_none() => (
            Template::CaseCompleted,
            None,
            with_role(directory, Role::Secretariat),
            None,
            None,
        ),
        CaseEvent::DeadlineMoved {
            task_id,
            cause: cause @ (DeadlineCause::Extension | DeadlineCause::Closure),
            reason,
            ..
        } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            let people = assignees(task, directory);
            let template = match cause {
                DeadlineCause::Closure => Template::DeadlineMovedByClosure,
                _ => Template::DeadlineExtended,
            };
            (template, Some(task), people, reason.clone(), None)
        }
        CaseEvent::TaskRemindedNow {
            task_id, message, ..
        } => {
            let Some(task) = task_of(task_id) else {
                return Vec::new();
            };
            let people = assignees(task, directory);
            (
                Template::RemindedNow,
                Some(task),
                people,
                message.clone(),
                None,
            )
        }
        _ => return Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    people
        .into_iter()
        .filter(|m| seen.insert(m.id.clone()))
        .map(|member| {
            let mut context = context(state, task, member);
            context.comment.clone_from(&comment);
            context.level = level;
            PlannedMail {
                template,
                member: member.clone(),
                context,
            }
        })
        .collect()
}

#[cfg(test)]
mod vote_mail;

#[cfg(test)]
mod tests {
    use super::*;

    fn member(roles: Vec<Role>) -> Member {
        Member {
            id: "m".into(),
            name: "مریم".into(),
            email: "m@example.org".into(),
            agency: Some("IRICA".into()),
            roles,
            supervisor_id: None,
            locale: "fa".into(),
            version: 1,
            disabled: false,
        }
    }

    #[test]
    fn a_mail_links_to_the_task_else_to_the_case_for_staff_else_to_the_inbox() {
        let about_task = MailContext {
            case_id: "c-1".into(),
            task_id: Some("t-1".into()),
            ..MailContext::default()
        };
        let about_case = MailContext {
            case_id: "c-1".into(),
            ..MailContext::default()
        };
        let focal = member(vec![Role::Member]);
        let secretariat = member(vec![Role::Secretariat]);
        assert_eq!(action_path(&about_task, &focal), "/tasks/t-1");
        assert_eq!(action_path(&about_case, &secretariat), "/cases/c-1");
        assert_eq!(action_path(&about_case, &focal), "/");
    }
}
