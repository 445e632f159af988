//! The handlers of `/admin/members/{id}` ([`super::member`] draws the page): each calls
//! the engine command the API calls, and answers with a redirect, or the page again with
//! the refusal at its field and what was typed kept.

use actix_web::{HttpResponse, web};
use maud::Markup;
use uuid::Uuid;

use super::directory::Directory;
use super::member::{EditForm, Issued, MemberView, member_page};
use super::members::place;
use super::{FieldErrors, all, field, refusal, see_other, unprocessable};
use crate::calendar::{JalaliDate, end_of_day};
use crate::engine::{EngineError, Member, MemberChange};
use crate::http::AppState;
use crate::web::cases::practice::jalali_input;
use crate::web::error::PageError;
use crate::web::i18n::Locale;
use crate::web::{Posted, Viewer};

type Form = Posted<Vec<(String, String)>>;

async fn load(state: &AppState, id: &str) -> Result<Member, PageError> {
    state
        .engine
        .member(id)
        .await?
        .ok_or_else(PageError::not_found)
}

/// The page with the member's own values, or `edit`, `errors` and a new token.
async fn render(
    state: &AppState,
    viewer: &Viewer,
    member: &Member,
    edit: Option<EditForm>,
    expires_on: String,
    errors: FieldErrors,
    issued: Option<Issued>,
) -> Result<Markup, PageError> {
    let directory = Directory::load(state).await?;
    let tokens = state
        .engine
        .member_tokens(&viewer.actor, &member.id)
        .await?;
    let view = MemberView {
        directory: &directory,
        tokens: &tokens,
        edit: edit.unwrap_or_else(|| EditForm::of(member)),
        expires_on,
        errors,
        issued,
    };
    Ok(member_page(viewer, member, &view))
}

/// `GET /admin/members/{id}`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let member = load(&state, &id).await?;
    render(
        &state,
        &viewer,
        &member,
        None,
        String::new(),
        FieldErrors::new(),
        None,
    )
    .await
}

/// `POST /admin/members/{id}`: roles, locale, supervisor.
pub async fn change(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Form,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let member = load(&state, &id).await?;
    let version = field(&form, "version")
        .parse::<i64>()
        .map_err(|_| PageError::bad_request("version").in_locale(locale))?;
    let edit = EditForm {
        roles: all(&form, "roles"),
        locale: field(&form, "locale"),
        supervisor_id: field(&form, "supervisor_id"),
        version,
    };
    let change = MemberChange {
        roles: Some(edit.roles.clone()),
        locale: Some(edit.locale.clone()),
        supervisor_id: Some(Some(edit.supervisor_id.clone()).filter(|s| !s.is_empty())),
    };
    let result = state
        .engine
        .change_member(&viewer.actor, &id, change, Some(version))
        .await;
    let reason = match result {
        Ok(_) => {
            return Ok(see_other(format!(
                "/admin/members/{id}?notice=member-changed"
            )));
        }
        // Someone changed the member since the page was drawn: theirs stands.
        Err(error @ EngineError::Conflict(_)) => {
            return Err(PageError::from(error).in_locale(locale));
        }
        Err(error) => refusal(error, locale)?,
    };
    let errors = FieldErrors::from([own_admin_role(locale, &reason)]);
    let page = render(
        &state,
        &viewer,
        &member,
        Some(edit),
        String::new(),
        errors,
        None,
    )
    .await?;
    Ok(unprocessable(page))
}

/// Where a refused change is said: an admin's own role gets its own words.
fn own_admin_role(locale: Locale, reason: &str) -> (&'static str, String) {
    if reason.contains("its own admin role") {
        let text = locale.pick(
            "نقش مدیر سامانه را از خودتان نمی‌توانید بگیرید؛ مدیر دیگری می‌تواند.",
            "You cannot take your own administrator role away; another administrator can.",
        );
        ("roles", text.to_string())
    } else {
        place(locale, reason)
    }
}

/// `POST /admin/members/{id}/disable`
pub async fn disable(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Form,
) -> Result<HttpResponse, PageError> {
    let viewer = posted.viewer;
    state
        .engine
        .disable_member(&viewer.actor, &id)
        .await
        .map_err(|e| PageError::from(e).in_locale(viewer.locale))?;
    Ok(see_other(format!(
        "/admin/members/{id}?notice=member-disabled"
    )))
}

/// `POST /admin/members/{id}/enable`
pub async fn enable(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Form,
) -> Result<HttpResponse, PageError> {
    let viewer = posted.viewer;
    state
        .engine
        .enable_member(&viewer.actor, &id)
        .await
        .map_err(|e| PageError::from(e).in_locale(viewer.locale))?;
    Ok(see_other(format!(
        "/admin/members/{id}?notice=member-enabled"
    )))
}

/// `POST /admin/members/{id}/tokens`: the answer is the page with the token, this once.
pub async fn issue(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Form,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let member = load(&state, &id).await?;
    let typed = field(&form, "expires_on");
    let expires_at = if typed.is_empty() {
        None
    } else {
        match jalali_input(&typed).and_then(|d| d.parse::<JalaliDate>().ok()) {
            Some(day) => Some(end_of_day(day)),
            None => {
                let text = locale.pick(
                    "این روز در تقویم هجری شمسی نیست؛ آن را مانند ۱۴۰۵/۱۲/۲۹ بنویسید.",
                    "This is not a day of the Jalali calendar; write it like 1405/12/29.",
                );
                let errors = FieldErrors::from([("expires_on", text.to_string())]);
                let page = render(&state, &viewer, &member, None, typed, errors, None).await?;
                return Ok(unprocessable(page));
            }
        }
    };
    let reason = match state
        .engine
        .issue_token(&viewer.actor, &id, expires_at)
        .await
    {
        Ok((token_id, token)) => {
            let issued = Some(Issued { token_id, token });
            let page = render(
                &state,
                &viewer,
                &member,
                None,
                String::new(),
                FieldErrors::new(),
                issued,
            )
            .await?;
            return Ok(HttpResponse::Created()
                .content_type("text/html; charset=utf-8")
                .body(page.into_string()));
        }
        Err(error) => refusal(error, locale)?,
    };
    let (name, fa) = if reason.contains("not in the future") {
        ("expires_on", "این روز گذشته است؛ روزی پس از امروز بنویسید.")
    } else {
        ("", "این عضو غیرفعال است؛ پیش از صدور توکن آن را فعال کنید.")
    };
    let text = match locale {
        Locale::Fa => fa.to_string(),
        Locale::En => reason,
    };
    let errors = FieldErrors::from([(name, text)]);
    let page = render(&state, &viewer, &member, None, typed, errors, None).await?;
    Ok(unprocessable(page))
}

/// `POST /admin/members/{id}/tokens/{token_id}/revoke`
pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    posted: Form,
) -> Result<HttpResponse, PageError> {
    let viewer = posted.viewer;
    let (id, token) = path.into_inner();
    let token_id: Uuid = token.parse().map_err(|_| PageError::not_found())?;
    // Only a token of this member, so the page's URL says whose token it was.
    let tokens = state.engine.member_tokens(&viewer.actor, &id).await?;
    if !tokens.iter().any(|t| t.token_id == token_id) {
        return Err(PageError::not_found().in_locale(viewer.locale));
    }
    state.engine.revoke_token(&viewer.actor, token_id).await?;
    Ok(see_other(format!(
        "/admin/members/{id}?notice=token-revoked"
    )))
}
