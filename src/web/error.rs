//! Errors as pages. A page handler returns `Result<_, PageError>`; engine refusals convert
//! with `?` exactly as the API's do (same statuses), and are rendered as a readable page in
//! the viewer's language (the language is filled in afterwards by [`localise`], from what
//! the `Viewer` extractor left on the request). Policy as in the API: 4xx pages say what
//! was wrong; 5xx causes are logged, never shown.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpResponse, ResponseError};

use super::i18n::Locale;
use super::layout;
use crate::engine::EngineError;
use crate::event_store::StoreError;
use crate::http::error::ApiError;

#[derive(Debug)]
pub enum PageError {
    /// Not signed in (or the session ended): to the sign-in page, then back to `next`.
    SignIn {
        next: String,
        notice: Option<&'static str>,
        /// An htmx request: redirect the whole page, not the fragment.
        htmx: bool,
    },
    /// A page saying what went wrong.
    Status {
        status: StatusCode,
        /// Shown for 400, 409, 413, 422; other statuses keep their reasons to themselves
        /// (a 404 must not tell whether the thing exists).
        detail: String,
        locale: Option<Locale>,
        retry_after: Option<u64>,
    },
}

impl PageError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        PageError::Status {
            status,
            detail: detail.into(),
            locale: None,
            retry_after: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "")
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn too_many_requests(retry_after: u64) -> Self {
        PageError::Status {
            status: StatusCode::TOO_MANY_REQUESTS,
            detail: String::new(),
            locale: None,
            retry_after: Some(retry_after),
        }
    }

    pub fn in_locale(self, locale: Locale) -> Self {
        match self {
            PageError::Status {
                status,
                detail,
                retry_after,
                ..
            } => PageError::Status {
                status,
                detail,
                locale: Some(locale),
                retry_after,
            },
            other => other,
        }
    }

    fn render(&self, locale: Locale) -> HttpResponse {
        match self {
            PageError::SignIn { next, notice, htmx } => {
                super::session::to_sign_in(next, *notice, *htmx)
            }
            PageError::Status {
                status,
                detail,
                retry_after,
                ..
            } => {
                let mut response = HttpResponse::build(*status);
                if let Some(seconds) = retry_after {
                    response.insert_header(("retry-after", seconds.to_string()));
                }
                response
                    .content_type("text/html; charset=utf-8")
                    .body(layout::error_page(locale, *status, detail).into_string())
            }
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::SignIn { next, .. } => write!(f, "not signed in (for {next})"),
            PageError::Status { status, detail, .. } => write!(f, "{status} {detail}"),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn { .. } => StatusCode::SEE_OTHER,
            PageError::Status { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let locale = match self {
            PageError::Status { locale, .. } => locale.unwrap_or_default(),
            PageError::SignIn { .. } => Locale::Fa,
        };
        self.render(locale)
    }
}

/// The API's error, as a page: the same status; details only where they help.
impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        let mut page = PageError::new(error.status, error.detail);
        if let PageError::Status { retry_after, .. } = &mut page {
            *retry_after = error.retry_after;
        }
        page
    }
}

impl From<EngineError> for PageError {
    fn from(error: EngineError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        ApiError::from(error).into()
    }
}

/// Re-renders an error page in the viewer's language, when a handler's error left it
/// unset and the request knows the viewer's locale.
pub fn localise(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(locale) = response.request().extensions().get::<Locale>().copied() else {
        return response;
    };
    let page = response
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
        .filter(|e| matches!(e, PageError::Status { locale: None, .. }))
        .map(|e| e.render(locale));
    match page {
        Some(page) => response.into_response(page),
        None => response,
    }
}
