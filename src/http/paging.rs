//! `?limit=&after=` for every list: default 50, at most 500; the answer is
//! `{items, next}` where `next` is the cursor for the following page or null.

use serde::Deserialize;
use serde_json::{Value, json};

use super::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}, not {n}"
        ))),
    }
}

/// The list envelope; `next` is set when the page is full.
pub fn page(items: Vec<Value>, limit: i64, cursor: impl Fn(&Value) -> Option<String>) -> Value {
    let next = if items.len() as i64 >= limit {
        items.last().and_then(&cursor)
    } else {
        None
    };
    json!({"items": items, "next": next})
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub after: Option<String>,
}
