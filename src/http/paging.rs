//! `?limit=&after=` for every list: default 50, at most 500; the answer is
//! `{items, next}` where `next` is the cursor for the following page or null.

use serde::{Deserialize, Serialize};

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

/// The list envelope: a page of `T` and the cursor of the next page (null on the last).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PageOf{T}")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Everything there is, in one page.
    pub fn whole(items: Vec<T>) -> Self {
        Self { items, next: None }
    }
}

/// The list envelope; `next` is set when the page is full.
pub fn page<T>(items: Vec<T>, limit: i64, cursor: impl Fn(&T) -> Option<String>) -> Page<T> {
    let next = if items.len() as i64 >= limit {
        items.last().and_then(&cursor)
    } else {
        None
    };
    Page { items, next }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub after: Option<String>,
}
