//! The group-commit writer: one task per process that owns all appends.
//!
//! Callers queue their append and wait on a oneshot. The writer takes everything waiting (up
//! to a bound), writes it in one transaction — one fsync for the lot — and answers each caller
//! with its own outcome. It flushes when the batch is full or when nothing else is waiting,
//! so a lone append is not delayed to wait for company.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use tokio::sync::{mpsc, oneshot};

use super::{AppendOutcome, AppendRequest, Backend, StoreError};

type Reply = oneshot::Sender<Result<AppendOutcome, StoreError>>;

enum Job {
    Append(Box<AppendRequest>, Reply),
    Shutdown(oneshot::Sender<()>),
}

/// Counters for metrics and benchmarks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GroupCommitStats {
    pub batches: u64,
    pub appends: u64,
    pub largest_batch: u64,
    /// Time spent writing batches (the writer's busy time), in microseconds.
    pub busy_us: u64,
}

struct Counters {
    batches: AtomicU64,
    appends: AtomicU64,
    largest_batch: AtomicU64,
    busy_us: AtomicU64,
    /// Appends per batch: 1, 2, 4 … up to the largest batch a writer takes.
    batch_sizes: Histogram,
}

impl Counters {
    fn new(max_batch: usize) -> Self {
        let doublings = (max_batch.max(1).ilog2() + 1) as u16;
        Self {
            batches: AtomicU64::default(),
            appends: AtomicU64::default(),
            largest_batch: AtomicU64::default(),
            busy_us: AtomicU64::default(),
            batch_sizes: Histogram::new(exponential_buckets(1.0, 2.0, doublings)),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Job>,
    counters: Arc<Counters>,
}

/// How many appends may wait for the writer before callers feel back-pressure.
const QUEUE_DEPTH: usize = 8192;

impl Writer {
    pub(crate) fn spawn(backend: Arc<dyn Backend>, max_batch: usize) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE_DEPTH);
        let counters = Arc::new(Counters::new(max_batch));
        tokio::spawn(run(backend, jobs, max_batch, counters.clone()));
        Self { queue, counters }
    }

    pub(crate) async fn submit(&self, request: AppendRequest) -> Result<AppendOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job::Append(Box::new(request), reply))
            .await
            .map_err(|_| StoreError::ShuttingDown)?;
        answer.await.map_err(|_| StoreError::ShuttingDown)?
    }

    pub(crate) async fn shutdown(&self) {
        let (done, finished) = oneshot::channel();
        if self.queue.send(Job::Shutdown(done)).await.is_ok() {
            let _ = finished.await;
        }
    }

    /// Shares the histogram: what the writer records, a registry that holds it encodes.
    pub(crate) fn batch_sizes(&self) -> Histogram {
        self.counters.batch_sizes.clone()
    }

    pub(crate) fn stats(&self) -> GroupCommitStats {
        GroupCommitStats {
            batches: self.counters.batches.load(Ordering::Relaxed),
            appends: self.counters.appends.load(Ordering::Relaxed),
            largest_batch: self.counters.largest_batch.load(Ordering::Relaxed),
            busy_us: self.counters.busy_us.load(Ordering::Relaxed),
        }
    }
}

async fn run(
    backend: Arc<dyn Backend>,
    mut jobs: mpsc::Receiver<Job>,
    max_batch: usize,
    counters: Arc<Counters>,
) {
    let mut requests: Vec<AppendRequest> = Vec::with_capacity(max_batch);
    let mut replies: Vec<Reply> = Vec::with_capacity(max_batch);
    while let Some(job) = jobs.recv().await {
        let mut stop = None;
        let mut next = Some(job);
        while let Some(job) = next.take() {
            match job {
                Job::Append(request, reply) => {
                    requests.push(*request);
                    replies.push(reply);
                }
                Job::Shutdown(done) => stop = Some(done),
            }
            if stop.is_none() && requests.len() < max_batch {
                next = jobs.try_recv().ok();
            }
        }
        if !requests.is_empty() {
            let size = requests.len() as u64;
            counters.batches.fetch_add(1, Ordering::Relaxed);
            counters.appends.fetch_add(size, Ordering::Relaxed);
            counters.largest_batch.fetch_max(size, Ordering::Relaxed);
            counters.batch_sizes.observe(size as f64);
            let started = std::time::Instant::now();
            commit(backend.as_ref(), &requests, &mut replies).await;
            let busy = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            counters.busy_us.fetch_add(busy, Ordering::Relaxed);
            requests.clear();
        }
        if let Some(done) = stop {
            jobs.close();
            let _ = done.send(());
            tracing::info!("group-commit writer stopped");
            return;
        }
    }
}

async fn commit(backend: &dyn Backend, requests: &[AppendRequest], replies: &mut Vec<Reply>) {
    match backend.write_batch(requests).await {
        Ok(outcomes) => {
            for (reply, outcome) in replies.drain(..).zip(outcomes) {
                let _ = reply.send(outcome);
            }
        }
        Err(error) if requests.len() > 1 && !error.is_unavailable() => {
            // A statement failed for the whole batch; retry one by one so only the request
            // that causes it fails.
            tracing::warn!(%error, size = requests.len(), "batch failed; retrying appends singly");
            for (request, reply) in requests.iter().zip(replies.drain(..)) {
                let outcome = match backend.write_batch(std::slice::from_ref(request)).await {
                    Ok(mut outcomes) => outcomes.remove(0),
                    Err(error) => Err(error),
                };
                let _ = reply.send(outcome);
            }
        }
        Err(error) => {
            tracing::error!(%error, size = requests.len(), "append batch failed");
            for reply in replies.drain(..) {
                let _ = reply.send(Err(error.clone()));
            }
        }
    }
}
