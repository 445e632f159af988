//! Turning a decision's events into outbox rows (rendered e-mail), inside the same append.
//! The member directory is read through a short-lived cache: addresses and roles change
//! rarely, and a command should not list every member each time. The agencies' names, which
//! e-mails use instead of codes, are cached the same way.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{AgencyInput, Engine, EngineError, Member};
use crate::domain::{CaseEvent, CaseState, derive_id};
use crate::event_store::NewEvent;
use crate::mail::{MailContext, action_path, mails_for, render};
use crate::outbox::OutboxRow;
use crate::side_writes::SideWrite;

const DIRECTORY_TTL: Duration = Duration::from_secs(2);

/// Agency code → the agency as registered, as read at an instant.
pub(super) type AgencyNamesSnapshot = (Instant, Arc<BTreeMap<String, AgencyInput>>);

fn notifies(event: &CaseEvent) -> bool {
    !matches!(
        event,
        CaseEvent::CaseOpened { .. }
            | CaseEvent::VoteOpened { .. }
            | CaseEvent::VoteCast { .. }
            | CaseEvent::SubmissionReceived { .. }
            | CaseEvent::TaskReassigned { .. }
            | CaseEvent::ChildCaseOrdered { .. }
            | CaseEvent::CaseCancelled { .. }
    )
}

impl Engine {
    /// Every member, at most a couple of seconds old.
    pub async fn directory(&self) -> Result<Arc<Vec<Member>>, EngineError> {
        if let Some((at, members)) = self.directory.lock().expect("directory lock").as_ref()
            && at.elapsed() < DIRECTORY_TTL
        {
            return Ok(members.clone());
        }
        let members = Arc::new(self.members().await?);
        *self.directory.lock().expect("directory lock") = Some((Instant::now(), members.clone()));
        Ok(members)
    }

    /// Forgets the cached directory (after a member changes on this node).
    pub(crate) fn directory_changed(&self) {
        *self.directory.lock().expect("directory lock") = None;
    }

    /// Every agency by code, at most a couple of seconds old.
    async fn agency_names(&self) -> Result<Arc<BTreeMap<String, AgencyInput>>, EngineError> {
        if let Some((at, agencies)) = self.agency_names.lock().expect("agency lock").as_ref()
            && at.elapsed() < DIRECTORY_TTL
        {
            return Ok(agencies.clone());
        }
        let by_code = self
            .agencies()
            .await?
            .into_iter()
            .map(|a| (a.code.clone(), a));
        let agencies = Arc::new(by_code.collect::<BTreeMap<_, _>>());
        *self.agency_names.lock().expect("agency lock") = Some((Instant::now(), agencies.clone()));
        Ok(agencies)
    }

    /// Forgets the cached agency names (after an agency is registered on this node).
    pub(crate) fn agency_names_changed(&self) {
        *self.agency_names.lock().expect("agency lock") = None;
    }

    pub(crate) async fn mail_writes(
        &self,
        next: &CaseState,
        events: &[CaseEvent],
        stored: &[NewEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<SideWrite>, EngineError> {
        if !events.iter().any(notifies) {
            return Ok(Vec::new());
        }
        let directory = self.directory().await?;
        let agencies = self.agency_names().await?;
        let mut writes = Vec::new();
        for (event, envelope) in events.iter().zip(stored) {
            for mail in mails_for(event, next, &directory) {
                let mut context = mail.context.clone();
                name_agency(&mut context, &agencies);
                context.link = self
                    .public_base
                    .as_ref()
                    .map(|base| format!("{base}{}", action_path(&context, &mail.member)));
                let rendered = render(mail.template, &mail.member.locale, &context);
                writes.push(SideWrite::Enqueue(Box::new(OutboxRow {
                    id: derive_id(envelope.event_id, &["mail", &mail.member.id]).to_string(),
                    case_id: Some(next.id.to_string()),
                    event_id: envelope.event_id.to_string(),
                    member_id: mail.member.id.clone(),
                    to_address: mail.member.email.clone(),
                    to_name: Some(mail.member.name.clone()),
                    locale: mail.member.locale.clone(),
                    template: mail.template.name(),
                    subject: rendered.subject,
                    body_text: rendered.text,
                    body_html: rendered.html,
                    created_at_us: now.timestamp_micros(),
                })));
            }
        }
        Ok(writes)
    }
}

/// The names of the agency a mail is about, looked up when it is composed; an agency the
/// directory does not know keeps its code alone.
fn name_agency(context: &mut MailContext, agencies: &BTreeMap<String, AgencyInput>) {
    if let Some(agency) = context.agency.as_ref().and_then(|code| agencies.get(code)) {
        context.agency_name_fa = Some(agency.name_fa.clone());
        context.agency_name_en.clone_from(&agency.name_en);
    }
}
