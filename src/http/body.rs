//! Request bodies: read with a size limit (413) and a time limit (408, so a client trickling
//! its body cannot hold a worker), JSON parsed strictly (400 for malformed JSON, unknown
//! fields, nesting past serde_json's depth limit, and an array where the body's type has an
//! object), and `Idempotency-Key` replay.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::AppState;
use super::auth::Caller;
use super::error::ApiError;
use crate::event_store::StoreError;
use crate::idempotency::{IdempotencyRecords, StoredAnswer};

mod shape;

/// Reads the whole body, refusing more than the body limit or a body slower than the body
/// timeout.
pub async fn read(payload: web::Payload, state: &AppState) -> Result<web::Bytes, ApiError> {
    read_up_to(payload, state, state.body_limit).await
}

/// Reads the whole body, refusing more than `limit` bytes (413, as soon as they are over,
/// without reading the rest) or a body slower than the body timeout.
pub async fn read_up_to(
    payload: web::Payload,
    state: &AppState,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    let timeout = state.protection.body_timeout();
    tokio::time::timeout(timeout, read_limited(payload, limit))
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "request-timeout",
                format!(
                    "the request body did not arrive within {} s",
                    timeout.as_secs()
                ),
            ))
        })
}

async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(format!("the request body could not be read: {e}"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the request body is over the limit of {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn is_json(request: &HttpRequest) -> bool {
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Parses a JSON command body into `T` (whose serde derives deny unknown fields).
pub fn json<T: DeserializeOwned + JsonSchema + 'static>(
    request: &HttpRequest,
    body: &[u8],
) -> Result<T, ApiError> {
    if !is_json(request) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the body as Content-Type: application/json",
        ));
    }
    // serde also reads a struct from an array of its fields in order; a command body is an
    // object (or, where a body is optional, null).
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::bad_request(
            "invalid JSON body: expected an object, found an array",
        ));
    }
    let input = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?;
    // The same for an object inside the body: once read, a body with an array in it is
    // checked against its type's schema.
    if !body.contains(&b'[') {
        return Ok(input);
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?;
    if let Some(at) = shape::misplaced_array::<T>(&value) {
        return Err(ApiError::bad_request(format!(
            "invalid JSON body: expected an object at {at}, found an array"
        )));
    }
    Ok(input)
}

type KeyLocks = Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>;

/// A key's lock while a request holds or awaits it. Dropping it forgets the key unless
/// another request is waiting on it: without this the map would keep one entry for every
/// key ever sent, and grow for as long as the process runs.
struct KeyInUse<'a> {
    locks: &'a KeyLocks,
    id: String,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl Drop for KeyInUse<'_> {
    fn drop(&mut self) {
        let mut locks = self.locks.lock().expect("idempotency lock");
        // Two references — the map's and this one — mean nobody else is waiting. Others
        // take theirs under the map's lock, which is held here.
        if Arc::strong_count(&self.lock) == 2 {
            locks.remove(&self.id);
        }
    }
}

/// `Idempotency-Key` handling: the stored answers, how long they count, and the in-process
/// locks that serialize requests sharing a key.
pub struct Idempotency {
    locks: KeyLocks,
    records: IdempotencyRecords,
    ttl: Duration,
}

impl Idempotency {
    pub fn new(records: IdempotencyRecords, ttl: Duration) -> Self {
        Self {
            locks: KeyLocks::default(),
            records,
            ttl,
        }
    }

    /// Deletes the answers older than the lifetime; how many.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.records.purge(self.cutoff(now)).await
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The oldest moment, in microseconds, whose answers still count.
    fn cutoff(&self, now: DateTime<Utc>) -> i64 {
        let ttl = i64::try_from(self.ttl.as_micros()).unwrap_or(i64::MAX);
        now.timestamp_micros().saturating_sub(ttl)
    }
}

/// Which answers a retry gets back rather than a new try: those that changed something, and
/// the refusals a caller allowed to act would get again (invalid input, a state conflict).
/// Never 401, 403 or 404 — they cost an unauthorised caller nothing to provoke, and
/// remembering them would let one fill the table — nor the passing 408 and 429.
fn worth_remembering(status: StatusCode) -> bool {
    status.is_success()
        || (status.is_client_error()
            && ![
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND,
                StatusCode::REQUEST_TIMEOUT,
                StatusCode::TOO_MANY_REQUESTS,
            ]
            .contains(&status))
}

fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Runs `handler` once per (caller, Idempotency-Key) within the key's lifetime: a repeat with
/// the same body gets the first response back and changes nothing; the same key with another
/// body is a 422. Answers not [worth remembering](worth_remembering) are not stored, so a
/// retry runs the handler again.
pub async fn idempotent<F, Fut>(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    body: &[u8],
    handler: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, Value), ApiError>>,
{
    let Some(key) = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return handler()
            .await
            .map(|(status, body)| HttpResponse::build(status).json(body));
    };
    if key.is_empty() || key.len() > 200 {
        return Err(ApiError::bad_request(
            "Idempotency-Key must be 1 to 200 characters",
        ));
    }
    let id = digest(&[caller.member.id.as_bytes(), key.as_bytes()]);
    let fingerprint = digest(&[
        request.method().as_str().as_bytes(),
        request.path().as_bytes(),
        body,
    ]);
    let lock = state
        .idempotency
        .locks
        .lock()
        .expect("idempotency lock")
        .entry(id.clone())
        .or_default()
        .clone();
    let key_in_use = KeyInUse {
        locks: &state.idempotency.locks,
        id: id.clone(),
        lock,
    };
    let _guard = key_in_use.lock.lock().await;
    let idempotency = &state.idempotency;
    let now = state.engine.clock.now();
    if let Some(stored) = idempotency
        .records
        .find(&id, idempotency.cutoff(now))
        .await?
    {
        if stored.fingerprint != fingerprint {
            return Err(ApiError::unprocessable(
                "this Idempotency-Key was already used with a different request",
            ));
        }
        let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
        return Ok(answer(status, stored.body, true));
    }
    let (status, response) = match handler().await {
        Ok(answer) => answer,
        Err(error) if worth_remembering(error.status) => (error.status, error.body()),
        Err(error) => return Err(error),
    };
    let body = response.to_string();
    if worth_remembering(status) {
        let stored = StoredAnswer {
            fingerprint,
            status: status.as_u16(),
            body: body.clone(),
        };
        idempotency
            .records
            .remember(&id, &stored, now.timestamp_micros())
            .await?;
    }
    Ok(answer(status, body, false))
}

/// JSON on success, problem+json on a refusal; a replay says so.
fn answer(status: StatusCode, body: String, replay: bool) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.content_type(if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    });
    if replay {
        response.insert_header(("idempotent-replay", "true"));
    }
    response.body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_is_forgotten_once_no_request_uses_it() {
        let locks = KeyLocks::default();
        let lock = locks.lock().unwrap().entry("k".into()).or_default().clone();
        let waiting = locks.lock().unwrap().get("k").cloned().unwrap();
        let first = KeyInUse {
            locks: &locks,
            id: "k".into(),
            lock,
        };
        drop(first);
        assert!(
            locks.lock().unwrap().contains_key("k"),
            "another request waits"
        );
        let second = KeyInUse {
            locks: &locks,
            id: "k".into(),
            lock: waiting,
        };
        drop(second);
        assert!(locks.lock().unwrap().is_empty());
    }
}
