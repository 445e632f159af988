//! `/metrics` in Prometheus text: requests by route and status, a latency histogram, events
//! appended and group-commit batch sizes. Counters live in memory; a scrape reads them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;
use super::error::ApiError;

const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<([u64; BUCKETS.len()], u64, f64)>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        *self
            .requests
            .lock()
            .expect("metrics lock")
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let mut latency = self.latency.lock().expect("metrics lock");
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                latency.0[i] += 1;
            }
        }
        latency.1 += 1;
        latency.2 += seconds;
    }

    fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        out.push_str("# HELP daftar_http_requests_total HTTP requests by method, route and status.\n# TYPE daftar_http_requests_total counter\n");
        for ((method, route, status), count) in self.requests.lock().expect("metrics lock").iter() {
            let _ = writeln!(
                out,
                "daftar_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP daftar_http_request_duration_seconds Request latency.\n# TYPE daftar_http_request_duration_seconds histogram\n");
        let (buckets, count, sum) = *self.latency.lock().expect("metrics lock");
        for (bound, n) in BUCKETS.iter().zip(buckets) {
            let _ = writeln!(
                out,
                "daftar_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "daftar_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\ndaftar_http_request_duration_seconds_sum {sum}\ndaftar_http_request_duration_seconds_count {count}"
        );
        let stats = state.store.group_commit_stats();
        let _ = writeln!(
            out,
            "# TYPE daftar_appends_total counter\ndaftar_appends_total {}",
            stats.appends
        );
        let _ = writeln!(
            out,
            "# TYPE daftar_group_commit_batches_total counter\ndaftar_group_commit_batches_total {}",
            stats.batches
        );
        let _ = writeln!(
            out,
            "# TYPE daftar_group_commit_largest_batch gauge\ndaftar_group_commit_largest_batch {}",
            stats.largest_batch
        );
        let _ = writeln!(
            out,
            "# HELP daftar_group_commit_busy_seconds_total Time the writer spent writing batches.\n# TYPE daftar_group_commit_busy_seconds_total counter\ndaftar_group_commit_busy_seconds_total {}",
            stats.busy_us as f64 / 1e6
        );
        out
    }
}

pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    let mut text = state.metrics.render(&state);
    if let Ok((head, _)) = state.store.head().await {
        let _ = writeln!(
            text,
            "# TYPE daftar_log_head_position gauge\ndaftar_log_head_position {head}"
        );
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text)
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
