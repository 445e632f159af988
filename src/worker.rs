//! The loop every background worker runs (the scheduler over timers, the dispatcher over the
//! e-mail outbox): take a round of what is due, then sleep until the next item falls due —
//! capped, so work queued by other nodes is seen soon — woken early when this process queues
//! work, and stopped by shutdown. A full round goes again at once; a failed one backs off,
//! doubling its wait up to a cap, so a database that is down is neither hammered nor allowed
//! to flood the log. Each worker keeps counts of its rounds for `/metrics` and the logs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::{Notify, watch};

use crate::clock::Clock;

/// The longest the loop sleeps before looking again.
pub const POLL: Duration = Duration::from_millis(500);
/// The longest a failing worker waits before its next try.
const MAX_FAILURE_WAIT: Duration = Duration::from_secs(8);

/// One kind of background work over a queue of due items.
#[async_trait]
pub trait Worker: Send + Sync + 'static {
    type Error: std::fmt::Display + Send;

    /// For logs.
    fn name(&self) -> &'static str;
    /// The most items one round takes; a round that took this many goes again at once.
    fn batch(&self) -> usize;
    /// Handles what is due now (one claim); returns how many items it took.
    async fn round(&self) -> Result<usize, Self::Error>;
    /// When the next waiting item falls due (µs since the epoch), if one waits.
    async fn next_due(&self) -> Result<Option<i64>, Self::Error>;
}

/// What a worker's loop has done so far.
#[derive(Debug, Default)]
pub struct WorkerCounts {
    rounds: AtomicU64,
    items: AtomicU64,
    failed_rounds: AtomicU64,
}

impl WorkerCounts {
    pub fn rounds(&self) -> u64 {
        self.rounds.load(Ordering::Relaxed)
    }
    /// Items taken by rounds that succeeded.
    pub fn items(&self) -> u64 {
        self.items.load(Ordering::Relaxed)
    }
    pub fn failed_rounds(&self) -> u64 {
        self.failed_rounds.load(Ordering::Relaxed)
    }
}

/// A worker with what its loop needs: the clock, the wake-up, and its counts.
pub struct WorkerLoop<W> {
    pub worker: W,
    pub clock: Arc<dyn Clock>,
    pub wake: Arc<Notify>,
    pub counts: Arc<WorkerCounts>,
}

impl<W: Worker> WorkerLoop<W> {
    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let name = self.worker.name();
        let mut failures = 0u32;
        // A dropped sender can never say stop; the loop then only sleeps and wakes.
        let mut stoppable = true;
        while !*shutdown.borrow() {
            let wait = match self.worker.round().await {
                Ok(items) => {
                    failures = 0;
                    self.counted(items, true);
                    if items >= self.worker.batch() {
                        continue;
                    }
                    self.until_next_due().await
                }
                Err(error) => {
                    failures += 1;
                    self.counted(0, false);
                    tracing::warn!(worker = name, %error, failures, "a round failed");
                    failure_wait(failures)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
                changed = shutdown.changed(), if stoppable => stoppable = changed.is_ok(),
            }
        }
        tracing::info!(worker = name, "{name} stopped");
    }

    fn counted(&self, items: usize, ok: bool) {
        self.counts.rounds.fetch_add(1, Ordering::Relaxed);
        if ok {
            self.counts.items.fetch_add(items as u64, Ordering::Relaxed);
        } else {
            self.counts.failed_rounds.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Until the next item is due, at most [`POLL`] (other nodes may queue sooner ones).
    async fn until_next_due(&self) -> Duration {
        match self.worker.next_due().await {
            Ok(Some(due)) => {
                let wait = due - self.clock.now().timestamp_micros();
                Duration::from_micros(wait.max(0) as u64).min(POLL)
            }
            _ => POLL,
        }
    }
}

/// [`POLL`] after the first failure, doubling with each one after, up to a cap.
fn failure_wait(failures: u32) -> Duration {
    POLL.saturating_mul(1 << failures.saturating_sub(1).min(8))
        .min(MAX_FAILURE_WAIT)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::clock::SystemClock;

    /// Answers its rounds from a script, then signals that it ran out.
    struct Scripted {
        rounds: Mutex<Vec<Result<usize, &'static str>>>,
        done: Arc<Notify>,
    }

    #[async_trait]
    impl Worker for Scripted {
        type Error = &'static str;

        fn name(&self) -> &'static str {
            "scripted"
        }

        fn batch(&self) -> usize {
            4
        }

        async fn round(&self) -> Result<usize, &'static str> {
            let mut rounds = self.rounds.lock().unwrap();
            if rounds.is_empty() {
                self.done.notify_one();
                return Ok(0);
            }
            rounds.remove(0)
        }

        async fn next_due(&self) -> Result<Option<i64>, &'static str> {
            Ok(None)
        }
    }

    #[tokio::test]
    async fn the_loop_counts_its_rounds_and_stops_on_shutdown() {
        let done = Arc::new(Notify::new());
        let counts = Arc::new(WorkerCounts::default());
        let worker = Scripted {
            // A failure, a full round (taken again at once), a short one.
            rounds: Mutex::new(vec![Err("database down"), Ok(4), Ok(1)]),
            done: done.clone(),
        };
        let (stop, shutdown) = watch::channel(false);
        let looping = WorkerLoop {
            worker,
            clock: Arc::new(SystemClock),
            wake: Arc::new(Notify::new()),
            counts: counts.clone(),
        };
        let running = tokio::spawn(looping.run(shutdown));
        done.notified().await;
        stop.send(true).unwrap();
        running.await.unwrap();
        assert_eq!(counts.failed_rounds(), 1);
        assert_eq!(counts.items(), 5);
        assert!(counts.rounds() >= 4, "{}", counts.rounds());
    }

    #[test]
    fn a_failing_worker_waits_longer_each_time_up_to_the_cap() {
        let waits: Vec<u64> = (1..=7)
            .map(|n| failure_wait(n).as_millis() as u64)
            .collect();
        assert_eq!(waits, [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    }
}
