//! One error type for every handler, rendered as RFC 9457 `application/problem+json`.
//! Policy: 4xx say exactly what was wrong; 5xx are logged with their cause chain and the
//! client gets a generic sentence, never SQL or internals.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::domain::DomainError;
use crate::engine::EngineError;
use crate::event_store::StoreError;
use crate::forms::SchemaViolation;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub slug: &'static str,
    pub detail: String,
    pub errors: Option<Vec<SchemaViolation>>,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, slug: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            slug,
            detail: detail.into(),
            errors: None,
            retry_after: None,
        }
    }

    pub fn too_many_requests(detail: impl Into<String>, retry_after: u64) -> Self {
        let mut error = Self::new(StatusCode::TOO_MANY_REQUESTS, "too-many-requests", detail);
        error.retry_after = Some(retry_after);
        error
    }

    /// The database cannot be reached: a 503 the client may retry.
    pub fn unavailable() -> Self {
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the service is temporarily unavailable; retry shortly",
        );
        error.retry_after = Some(5);
        error
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", detail)
    }

    fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; it has been logged",
        )
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "type": format!("urn:daftar:problem:{}", self.slug),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let Some(errors) = &self.errors {
            body["errors"] = json!(errors);
        }
        body
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/problem+json");
        if let Some(seconds) = self.retry_after {
            response.insert_header(("retry-after", seconds.to_string()));
        }
        response.body(self.body().to_string())
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::NotFound(d) => ApiError::not_found(d),
            DomainError::Forbidden(d) => ApiError::forbidden(d),
            DomainError::Conflict(d) => ApiError::conflict(d),
            DomainError::Invalid(d) => ApiError::unprocessable(d),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::Domain(e) => e.into(),
            EngineError::Schema { form, violations } => {
                let mut api = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "schema-violation",
                    format!(
                        "the data does not match form {form}: {} problem(s)",
                        violations.len()
                    ),
                );
                api.errors = Some(violations);
                api
            }
            EngineError::NotFound(d) => ApiError::not_found(d),
            EngineError::Invalid(d) => ApiError::unprocessable(d),
            EngineError::Conflict(d) => ApiError::conflict(d),
            EngineError::Unavailable(d) => {
                tracing::warn!(detail = %d, "unavailable");
                ApiError::unavailable()
            }
            EngineError::Internal(e) => ApiError::internal(&format!("{e:#}")),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        EngineError::from(error).into()
    }
}
