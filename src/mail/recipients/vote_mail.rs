//! Who hears of a resolution's outcome: every voter of each agency when its vote closes, the
//! secretariat when a meeting adopted it.

use super::*;

fn person(id: &str, roles: Vec<Role>) -> Member {
    Member {
        id: id.into(),
        name: id.into(),
        email: format!("{id}@example.org"),
        agency: Some("IRICA".into()),
        roles,
        supervisor_id: None,
        locale: "fa".into(),
        version: 1,
        disabled: false,
    }
}

fn adopted_event() -> CaseEvent {
    CaseEvent::ResolutionAdopted {
        step: "vote".into(),
        meeting: crate::domain::MeetingRecord {
            meeting_no: "1".into(),
            meeting_date_jalali: "1405-09-01".into(),
            resolution_no: "۱".into(),
            minutes: "م".into(),
            attachments: Vec::new(),
        },
        recorded_by: "sec".into(),
    }
}

/// A resolution with one vote task, IRICA's (no assignee: any of its members casts it),
/// or adopted in a meeting.
fn resolution(meeting: bool) -> CaseState {
    let at = chrono::Utc::now();
    let opened = CaseEvent::CaseOpened {
        case_id: uuid::Uuid::nil(),
        workflow: "resolution-approval".into(),
        workflow_version: 1,
        workflow_hash: "h".into(),
        title: "مصوبه".into(),
        participants: Vec::new(),
        params: serde_json::json!({}),
        parent_case: None,
        opened_at: at,
    };
    let next = if meeting {
        adopted_event()
    } else {
        CaseEvent::TaskAssigned {
            task_id: uuid::Uuid::from_u128(1),
            step: "vote".into(),
            kind: TaskKind::Vote,
            agency: Some("IRICA".into()),
            assignee: None,
            role: "member".into(),
            form: None,
            due: None,
        }
    };
    CaseState::replay([(&opened, at), (&next, at)])
}

fn recipients(mails: &[PlannedMail]) -> Vec<(String, String)> {
    mails
        .iter()
        .map(|m| (m.member.id.clone(), m.template.name()))
        .collect()
}

#[test]
fn a_closed_vote_is_told_to_every_voter_of_each_agency_and_a_meeting_adoption_to_the_secretariat() {
    let directory = [
        person("irica-1", vec![Role::Member]),
        person("irica-2", vec![Role::Member]),
        person("sec", vec![Role::Secretariat]),
    ];
    let closed = CaseEvent::VoteClosed {
        step: "vote".into(),
        outcome: VoteOutcome::Approved,
        approve: 1,
        reject: 0,
        abstain: 0,
        voters: 1,
    };
    let told = recipients(&mails_for(&closed, &resolution(false), &directory));
    let approved = |id: &str| (id.to_string(), "resolution_approved".to_string());
    assert_eq!(
        told,
        [approved("irica-1"), approved("irica-2"), approved("sec")]
    );
    let adopted = resolution(true);
    let told = recipients(&mails_for(&adopted_event(), &adopted, &directory));
    assert_eq!(told, [approved("sec")]);
    let completed = CaseEvent::CaseCompleted {
        outcome: Some("approved".into()),
    };
    assert!(mails_for(&completed, &adopted, &directory).is_empty());
}
