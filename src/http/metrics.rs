//! `/metrics` in the OpenMetrics text format, through `prometheus-client`: requests by
//! method, route and status, latency by route, events appended, group-commit batches and
//! their sizes, the log's head.
//!
//! Every label comes from a closed set, so no request can add a series: a method outside the
//! standard nine is `other`, and a route is the template it matched in the route table, or
//! `unmatched` — never the path the client sent. The registry belongs to one server (no
//! process-wide recorder), so servers sharing a process, as tests do, count apart.

use std::time::Duration;

use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde_json::json;

use super::AppState;
use super::error::ApiError;
use crate::event_store::EventStore;
use crate::worker::WorkerCounts;

/// A background worker's name and its loop's counts.
pub type WorkerMetrics = Vec<(&'static str, std::sync::Arc<WorkerCounts>)>;

/// What `/metrics` answers with.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const LATENCY_BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// The methods counted by name; any other is `other`.
const STANDARD_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
];

/// The route label of a request that matched no route.
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

type LatencyFamily = Family<RouteLabel, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    head: Gauge,
}

impl Metrics {
    pub fn new(store: &EventStore, workers: WorkerMetrics) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "daftar_http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        let latency: LatencyFamily =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register(
            "daftar_http_request_duration_seconds",
            "Request latency by route",
            latency.clone(),
        );
        registry.register(
            "daftar_group_commit_batch_size",
            "Appends written per group-commit batch",
            store.group_commit_batch_sizes(),
        );
        registry.register_collector(Box::new(WriterCounters(store.clone())));
        registry.register_collector(Box::new(WorkerCounters(workers)));
        let head = Gauge::default();
        registry.register(
            "daftar_log_head_position",
            "The position of the log's last event",
            head.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            head,
        }
    }

    /// Counts one answered request; `route` is the template it matched, if any.
    pub fn record(&self, method: &Method, route: Option<&str>, status: u16, elapsed: Duration) {
        let method = STANDARD_METHODS
            .into_iter()
            .find(|m| *m == method.as_str())
            .unwrap_or("other");
        let route = route.unwrap_or(UNMATCHED).to_string();
        self.latency
            .get_or_create(&RouteLabel {
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    fn render(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("encoding into a String cannot fail");
        text
    }
}

/// The group-commit writer's own counters, read at each scrape.
struct WriterCounters(EventStore);

impl std::fmt::Debug for WriterCounters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriterCounters")
    }
}

impl Collector for WriterCounters {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        let stats = self.0.group_commit_stats();
        let counts = [
            ("daftar_appends", "Events appended.", stats.appends),
            (
                "daftar_group_commit_batches",
                "Group-commit batches written.",
                stats.batches,
            ),
        ];
        for (name, help, value) in counts {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        let busy = ConstCounter::new(stats.busy_us as f64 / 1e6);
        busy.encode(encoder.encode_descriptor(
            "daftar_group_commit_busy_seconds",
            "Time the writer spent writing batches.",
            None,
            busy.metric_type(),
        )?)?;
        let largest = ConstGauge::new(i64::try_from(stats.largest_batch).unwrap_or(i64::MAX));
        largest.encode(encoder.encode_descriptor(
            "daftar_group_commit_largest_batch",
            "The largest group-commit batch so far.",
            None,
            largest.metric_type(),
        )?)
    }
}

/// The background workers' loops: `daftar_<worker>_rounds`, `_items`, `_failed_rounds`.
#[derive(Debug)]
struct WorkerCounters(WorkerMetrics);

impl Collector for WorkerCounters {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        for (worker, counts) in &self.0 {
            let series = [
                ("rounds", "Rounds taken", counts.rounds()),
                ("items", "Items handled", counts.items()),
                (
                    "failed_rounds",
                    "Rounds that failed",
                    counts.failed_rounds(),
                ),
            ];
            for (what, help, value) in series {
                let counter = ConstCounter::new(value);
                counter.encode(encoder.encode_descriptor(
                    &format!("daftar_{worker}_{what}"),
                    &format!("{help} by the {worker}."),
                    None,
                    counter.metric_type(),
                )?)?;
            }
        }
        Ok(())
    }
}

pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    match state.store.head().await {
        Ok((head, _)) => {
            state.metrics.head.set(head);
        }
        Err(error) => tracing::warn!(%error, "the log's head is unknown to /metrics"),
    }
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(state.metrics.render())
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationFilter {
    pub case: Option<String>,
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

/// What went out, or is waiting, or failed: one row per (event, recipient).
pub async fn notifications(
    state: web::Data<AppState>,
    filter: web::Query<NotificationFilter>,
) -> Result<HttpResponse, ApiError> {
    let limit = super::paging::limit(filter.limit)?;
    if let Some(status) = &filter.status
        && !["queued", "sent", "failed"].contains(&status.as_str())
    {
        return Err(ApiError::bad_request(format!(
            "status must be queued, sent or failed, not {status:?}"
        )));
    }
    let case = filter
        .case
        .as_deref()
        .map(|c| super::cases::parse_id(c, "case"))
        .transpose()?;
    let query = crate::outbox::NotificationQuery {
        case_id: case.map(|c| c.to_string()),
        status: filter.status.clone(),
        after: filter.after.clone(),
        limit,
    };
    let items: Vec<_> = state
        .outbox
        .list(&query)
        .await?
        .into_iter()
        .map(|n| json!(n))
        .collect();
    Ok(
        HttpResponse::Ok().json(super::paging::page(items, limit, |n| {
            n["id"].as_str().map(str::to_string)
        })),
    )
}
