//! Sending a sign-in link: an event (`SignInLinkSent`, on a `sign-in-ID` stream) that says
//! to whom a link went and until when — never the link — with the e-mail queued in the
//! outbox in the same transaction, so it is delivered, retried and recorded like every
//! other e-mail.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{Engine, EngineError, Member};
use crate::domain::derive_id;
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent};
use crate::mail::sign_in::render_sign_in;
use crate::outbox::OutboxRow;
use crate::side_writes::SideWrite;

impl Engine {
    /// Queues the e-mail carrying `url` (a one-time link valid until `expires_at`) to
    /// `member`.
    pub async fn send_sign_in_link(
        &self,
        member: &Member,
        link_id: Uuid,
        url: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        let now = self.clock.now();
        // Rounded up: a link made just now for 15 minutes says 15, not 14.
        let minutes = ((expires_at - now).num_seconds().max(60) as u64).div_ceil(60);
        let rendered = render_sign_in(&member.locale, &member.name, url, minutes);
        let event = NewEvent::new(
            "SignInLinkSent",
            json!({"link_id": link_id, "member_id": member.id, "expires_at": expires_at}),
        );
        let row = OutboxRow {
            id: derive_id(event.event_id, &["mail", &member.id]).to_string(),
            case_id: None,
            event_id: event.event_id.to_string(),
            member_id: member.id.clone(),
            to_address: member.email.clone(),
            to_name: Some(member.name.clone()),
            locale: member.locale.clone(),
            template: "sign_in_link".into(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: rendered.html,
            created_at_us: now.timestamp_micros(),
        };
        let actor = member.actor();
        let request = AppendRequest::new(
            format!("sign-in-{link_id}"),
            ExpectedVersion::NoStream,
            vec![event],
        )
        .with_metadata(self.metadata(&actor))
        .with_side_writes(vec![SideWrite::Enqueue(Box::new(row))]);
        self.store.append(request).await?;
        self.mail_wake.notify_one();
        Ok(())
    }
}
