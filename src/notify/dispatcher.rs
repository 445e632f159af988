//! The dispatcher: delivers queued e-mail after commit. Each attempt's outcome is recorded:
//! success or final failure as an event (`NotificationSent` / `NotificationFailed`, for
//! auditors) together with the row's status, in one transaction; a transient failure as a
//! later retry with exponential backoff. Sending happens before recording, so a crash in
//! between sends again (at least once) under the same Message-ID. It runs the workers' loop
//! ([`crate::worker`]) over rows claimed with a lease ([`crate::lease`]).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use super::mailer::{MailSettings, Mailer, SendError};
use crate::clock::Clock;
use crate::domain::derive_id;
use crate::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use crate::outbox::{Claimed, Outbox, Outcome};
use crate::side_writes::SideWrite;
use crate::worker::{Worker, WorkerCounts, WorkerLoop};

/// Added to the longest an attempt can take to make a claim's lease: long enough that a live
/// node never loses its claim mid-send, short enough that a crashed node's claims are taken
/// over soon after a restart.
const LEASE_MARGIN: Duration = Duration::from_secs(10);
const BATCH: usize = 64;
const MAX_BACKOFF: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub struct Dispatcher {
    pub outbox: Outbox,
    store: EventStore,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    settings: MailSettings,
    node: String,
    wake: Arc<Notify>,
    counts: Arc<WorkerCounts>,
}

/// `a@b.org` → `a***@b.org`, for logs.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

impl Dispatcher {
    pub fn new(
        outbox: Outbox,
        store: EventStore,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        settings: MailSettings,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            outbox,
            store,
            mailer,
            clock,
            settings,
            node: Uuid::now_v7().to_string(),
            wake,
            counts: Arc::default(),
        }
    }

    /// What its loop has done so far (for `/metrics`).
    pub fn counts(&self) -> Arc<WorkerCounts> {
        self.counts.clone()
    }

    /// One attempt is bounded by twice the SMTP timeout (see `deliver`); the lease covers it.
    fn lease(&self) -> Duration {
        self.settings.timeout * 2 + LEASE_MARGIN
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        self.settings
            .backoff
            .saturating_mul(factor)
            .min(MAX_BACKOFF)
    }

    /// Sends everything due now; returns how many attempts were made.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let now = self.clock.now().timestamp_micros();
        let claimed = self
            .outbox
            .claim_due(
                &self.node,
                now,
                self.lease().as_micros() as i64,
                BATCH as i64,
            )
            .await?;
        let count = claimed.len();
        let deliveries = claimed.into_iter().map(|c| self.deliver(c));
        for result in futures_util::future::join_all(deliveries).await {
            if let Err(error) = result {
                tracing::warn!(%error, "recording a delivery failed; the lease will run out and it is retried");
            }
        }
        Ok(count)
    }

    async fn deliver(&self, claimed: Claimed) -> Result<(), StoreError> {
        let attempts = claimed.attempts + 1;
        // lettre's own timeout covers connecting; a server that accepts and then says
        // nothing must not hold the delivery forever, so the whole send is bounded too.
        let limit = self.settings.timeout * 2;
        let result = match tokio::time::timeout(limit, self.mailer.send(&claimed.row)).await {
            Ok(result) => result,
            Err(_) => Err(SendError {
                permanent: false,
                message: format!(
                    "the mail server did not answer within {} s",
                    limit.as_secs()
                ),
            }),
        };
        let give_up = |e: &SendError| e.permanent || attempts as u32 >= self.settings.max_attempts;
        match result {
            Ok(()) => self.record_sent(&claimed, attempts).await,
            Err(error) if give_up(&error) => {
                tracing::warn!(to = %mask_email(&claimed.row.to_address), error = %error.message, attempts, "notification failed for good");
                self.record(&claimed, "failed", attempts, Some(error.message))
                    .await
            }
            Err(error) => {
                let next = self.clock.now()
                    + chrono::Duration::from_std(self.backoff(attempts as u32)).unwrap_or_default();
                tracing::info!(to = %mask_email(&claimed.row.to_address), error = %error.message, attempts, "notification will be retried");
                Ok(self
                    .outbox
                    .retry(
                        &claimed.row.id,
                        attempts,
                        next.timestamp_micros(),
                        &error.message,
                    )
                    .await?)
            }
        }
    }

    /// The e-mail is out: try hard to record it, since an unrecorded send is sent again
    /// when the lease runs out (a duplicate, recognisable by its Message-ID, but a duplicate).
    async fn record_sent(&self, claimed: &Claimed, attempts: i32) -> Result<(), StoreError> {
        let mut wait = Duration::from_millis(100);
        for _ in 0..5 {
            match self.record(claimed, "sent", attempts, None).await {
                Ok(()) => return Ok(()),
                Err(error) => {
                    tracing::warn!(%error, "recording a sent e-mail failed; trying again")
                }
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
        self.record(claimed, "sent", attempts, None).await
    }

    async fn record(
        &self,
        claimed: &Claimed,
        status: &'static str,
        attempts: i32,
        error: Option<String>,
    ) -> Result<(), StoreError> {
        let row = &claimed.row;
        let kind = if status == "sent" {
            "NotificationSent"
        } else {
            "NotificationFailed"
        };
        let mut event = NewEvent::new(
            kind,
            json!({
                "notification_id": row.id, "case_id": row.case_id, "caused_by_event": row.event_id, "member_id": row.member_id,
                "to": row.to_address, "template": row.template, "subject": row.subject, "message_id": format!("<{}@daftar>", row.id),
                "attempts": attempts, "error": error,
            }),
        );
        // One outcome event per notification, even if two deliveries race to record it.
        event.event_id = derive_id(Uuid::nil(), &["notification-outcome", &row.id]);
        let at_us = self.clock.now().timestamp_micros();
        let finish = SideWrite::FinishNotification(Outcome {
            id: row.id.clone(),
            status,
            attempts,
            error,
            at_us,
        });
        let request = AppendRequest::new(
            format!("notification-{}", row.id),
            ExpectedVersion::Any,
            vec![event],
        )
        .with_side_writes(vec![finish]);
        self.store.append(request).await?;
        Ok(())
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let looping = WorkerLoop {
            clock: self.clock.clone(),
            wake: self.wake.clone(),
            counts: self.counts.clone(),
            worker: self,
        };
        looping.run(shutdown).await
    }
}

#[async_trait]
impl Worker for Dispatcher {
    type Error = StoreError;

    fn name(&self) -> &'static str {
        "dispatcher"
    }

    fn batch(&self) -> usize {
        BATCH
    }

    async fn round(&self) -> Result<usize, StoreError> {
        self.deliver_due().await
    }

    async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        self.outbox.next_due().await
    }
}
