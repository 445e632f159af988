//! Request bodies: read with a size limit (413) and a time limit (408, so a client trickling
//! its body cannot hold a worker), JSON parsed strictly (400 for malformed JSON, unknown
//! fields and nesting past serde_json's depth limit), and `Idempotency-Key` replay.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::AppState;
use super::auth::Caller;
use super::error::ApiError;
use crate::documents::Document;

/// Reads the whole body, refusing more than the body limit or a body slower than the body
/// timeout.
pub async fn read(payload: web::Payload, state: &AppState) -> Result<web::Bytes, ApiError> {
    let limit = state.body_limit;
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
pub fn json<T: DeserializeOwned>(request: &HttpRequest, body: &[u8]) -> Result<T, ApiError> {
    if !is_json(request) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the body as Content-Type: application/json",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
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

/// Serializes requests that share an idempotency key within this process.
#[derive(Default)]
pub struct Idempotency {
    locks: KeyLocks,
}

fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Runs `handler` once per (caller, Idempotency-Key): a repeat with the same body gets the
/// first response back and changes nothing; the same key with another body is a 422.
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
    if let Some(stored) = state.engine.documents.get("idempotency", &id).await? {
        let stored: Value =
            serde_json::from_str(&stored).map_err(|e| ApiError::bad_request(e.to_string()))?;
        if stored["fingerprint"] != json!(fingerprint) {
            return Err(ApiError::unprocessable(
                "this Idempotency-Key was already used with a different request",
            ));
        }
        let status = StatusCode::from_u16(stored["status"].as_u64().unwrap_or(200) as u16)
            .unwrap_or(StatusCode::OK);
        return Ok(HttpResponse::build(status)
            .insert_header(("idempotent-replay", "true"))
            .json(&stored["body"]));
    }
    let (status, response) = match handler().await {
        Ok(answer) => answer,
        Err(error) if error.status.is_client_error() => (error.status, error.body()),
        Err(error) => return Err(error),
    };
    let record = json!({"fingerprint": fingerprint, "status": status.as_u16(), "body": response});
    state
        .engine
        .documents
        .put(&Document::new("idempotency", id, 1, &record))
        .await?;
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    Ok(HttpResponse::build(status)
        .content_type(content_type)
        .body(response.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_is_forgotten_once_no_request_uses_it() {
        let idempotency = Idempotency::default();
        let lock = idempotency
            .locks
            .lock()
            .unwrap()
            .entry("k".into())
            .or_default()
            .clone();
        let waiting = idempotency.locks.lock().unwrap().get("k").cloned().unwrap();
        let first = KeyInUse {
            locks: &idempotency.locks,
            id: "k".into(),
            lock,
        };
        drop(first);
        assert!(
            idempotency.locks.lock().unwrap().contains_key("k"),
            "another request waits"
        );
        let second = KeyInUse {
            locks: &idempotency.locks,
            id: "k".into(),
            lock: waiting,
        };
        drop(second);
        assert!(idempotency.locks.lock().unwrap().is_empty());
    }
}
