//! The scheduler: fires due timers as commands through the engine. It runs the workers' loop
//! ([`crate::worker`]): sleeping until the next due timer, woken early when this process
//! schedules one, stopped by shutdown. Any number of nodes may run it: claims are leased, so
//! each timer is handled by one node.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use crate::clock::Clock;
use crate::domain::{Actor, TimerKind};
use crate::engine::{Engine, EngineError};
use crate::side_writes::SideWrite;
use crate::timers::{TimerRow, Timers};
use crate::worker::{Worker, WorkerCounts, WorkerLoop};

/// How long a claim holds before another node may take the timer.
const LEASE: Duration = Duration::from_secs(30);
const BATCH: usize = 256;
const PARALLEL: usize = 32;

mod working_hours;

/// What firing a timer does.
#[async_trait]
pub trait TimerHandler: Send + Sync + 'static {
    async fn fire(&self, timer: &TimerRow) -> Result<(), EngineError>;
}

/// Production firing: the timer becomes a `FireTimer` command on its case, and is marked
/// fired in the same transaction as whatever that command appends.
pub struct EngineTimers {
    pub engine: Engine,
    pub timers: Timers,
}

#[async_trait]
impl TimerHandler for EngineTimers {
    async fn fire(&self, timer: &TimerRow) -> Result<(), EngineError> {
        let kind: TimerKind =
            serde_json::from_str(&timer.kind).map_err(|e| EngineError::Internal(e.into()))?;
        if let Some(later) = self.later_moment(&kind).await? {
            self.timers.postpone(&timer.id, later).await?;
            return Ok(());
        }
        let case_id: Uuid = timer
            .case_id
            .parse()
            .map_err(|e: uuid::Error| EngineError::Internal(e.into()))?;
        let task_id = timer.task_id.as_deref().and_then(|t| t.parse().ok());
        let done = [SideWrite::CompleteTimer {
            id: timer.id.clone(),
        }];
        let command = self.command_for(timer, task_id, kind).await?;
        match self
            .engine
            .execute_with(case_id, &Actor::system(), command, &done)
            .await
        {
            Ok(_) | Err(EngineError::Domain(_)) | Err(EngineError::NotFound(_)) => {
                // Nothing appended (or nothing to do): the timer is spent all the same.
                self.timers.complete(&timer.id).await?;
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

#[derive(Clone)]
pub struct Scheduler {
    timers: Timers,
    handler: Arc<dyn TimerHandler>,
    clock: Arc<dyn Clock>,
    node: String,
    wake: Arc<Notify>,
    counts: Arc<WorkerCounts>,
}

impl Scheduler {
    pub fn new(
        timers: Timers,
        handler: Arc<dyn TimerHandler>,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            timers,
            handler,
            clock,
            node: Uuid::now_v7().to_string(),
            wake,
            counts: Arc::default(),
        }
    }

    /// What its loop has done so far (for `/metrics`).
    pub fn counts(&self) -> Arc<WorkerCounts> {
        self.counts.clone()
    }

    /// Claims and fires everything due now; returns how many timers were handled.
    pub async fn fire_due(&self) -> Result<usize, EngineError> {
        let mut handled = 0;
        loop {
            let count = self.round().await?;
            handled += count;
            if count < BATCH {
                return Ok(handled);
            }
        }
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
impl Worker for Scheduler {
    type Error = EngineError;

    fn name(&self) -> &'static str {
        "scheduler"
    }

    fn batch(&self) -> usize {
        BATCH
    }

    /// Claims one batch of due timers and fires them, several at a time.
    async fn round(&self) -> Result<usize, EngineError> {
        let now = self.clock.now().timestamp_micros();
        let claimed = self
            .timers
            .claim_due(&self.node, now, LEASE.as_micros() as i64, BATCH as i64)
            .await?;
        let count = claimed.len();
        let firings = claimed.into_iter().map(|timer| {
            let handler = self.handler.clone();
            async move { handler.fire(&timer).await }
        });
        let results: Vec<_> = futures_util::stream::iter(firings)
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        for result in results {
            if let Err(error) = result {
                // The lease runs out and the timer is tried again, here or on another node.
                tracing::warn!(%error, "a timer could not fire");
            }
        }
        Ok(count)
    }

    async fn next_due(&self) -> Result<Option<i64>, EngineError> {
        Ok(self.timers.next_due().await?)
    }
}
