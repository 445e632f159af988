//! A vote task's page body and its form: approve, reject or abstain, with a comment. The
//! vote itself goes through the engine exactly as `POST /v1/tasks/{id}/vote` does.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{TaskDoc, TaskPage};
use super::{conflict_page, load, see_task};
use crate::domain::VoteChoice;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::layout::csrf_field;
use crate::web::session::{Viewer, WebState};

const CHOICES: [(&str, &str, &str); 3] = [
    ("approve", "موافق", "Approve"),
    ("reject", "مخالف", "Reject"),
    ("abstain", "ممتنع", "Abstain"),
];

/// Whether the viewer may cast this vote: an open vote task of their agency, if they hold
/// its role — or, for a vote task of one member (as before votes were per agency), theirs.
pub fn may_cast(viewer: &Viewer, task: &TaskDoc) -> bool {
    let member = &viewer.member;
    let of_agency = task.agency.is_some() && task.agency == member.agency;
    let holds_role = member.roles.iter().any(|r| r.as_str() == task.role);
    let voter = match task.assignee.as_deref() {
        Some(assignee) => assignee == member.id,
        None => of_agency && holds_role,
    };
    voter && task.status == "open"
}

/// The name of the member who cast the agency's vote (their id if no longer registered).
pub async fn voter_name(state: &AppState, task: &TaskDoc) -> Result<Option<String>, PageError> {
    let Some(id) = task.voted_by.as_deref() else {
        return Ok(None);
    };
    let member = state.engine.member(id).await?;
    Ok(Some(member.map_or_else(|| id.to_owned(), |m| m.name)))
}

pub fn vote_section(view: &TaskPage, editable: bool, voter: Option<&str>) -> Markup {
    let locale = view.viewer.locale;
    let cast = view.task.vote.as_deref();
    html! {
        section.vote aria-labelledby="vote-title" {
            h2 #vote-title { (locale.pick("رأی دستگاه", "The agency's vote")) }
            p.help { (locale.pick("هر دستگاه یک رأی دارد که هر یک از کارشناسان آن می‌تواند ثبت کند.", "Each agency has one vote, which any of its focal points may cast.")) }
            @if let Some(cast) = cast {
                @let label = CHOICES.iter().find(|c| c.0 == cast).map_or(cast, |c| locale.pick(c.1, c.2));
                p.cast {
                    (locale.pick("رأی ثبت‌شده: ", "Recorded vote: ")) strong { (label) }
                    @if let Some(voter) = voter {
                        " " (locale.pick("— ثبت‌شده توسط ", "— cast by ")) strong.voter { (voter) }
                    }
                }
            }
            @if editable {
                form method="post" action=(format!("/tasks/{}/vote", view.task.id)) {
                    (csrf_field(view.viewer))
                    input type="hidden" name="version" value=(view.task.version);
                    fieldset.radios {
                        legend { (locale.pick("نظر شما درباره این مصوبه", "Your decision on this resolution")) }
                        @for (i, (value, fa, en)) in CHOICES.iter().enumerate() {
                            @let id = format!("vote-{value}");
                            label.choice for=(id) {
                                input type="radio" id=(id) name="choice" value=(value) checked[i == 0 && cast.is_none()];
                                " " (locale.pick(fa, en))
                            }
                        }
                    }
                    div.field {
                        label for="vote-comment" { (locale.pick("توضیح (اختیاری)", "Comment (optional)")) }
                        textarea #vote-comment name="comment" rows="3" dir="auto" {}
                    }
                    div.actions {
                        button.primary type="submit" { (locale.pick("ثبت رأی", "Cast the vote")) }
                    }
                }
            } @else if cast.is_none() {
                p { (locale.pick("این رأی‌گیری اکنون باز نیست.", "This vote is not open now.")) }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct VoteForm {
    choice: String,
    #[serde(default)]
    comment: String,
    version: i64,
}

/// `POST /tasks/{id}/vote`.
pub async fn cast(
    state: web::Data<AppState>,
    web_state: web::Data<WebState>,
    posted: Posted<VoteForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let loaded = load(&state, &viewer, &id).await?;
    let choice = match form.choice.as_str() {
        "approve" => VoteChoice::Approve,
        "reject" => VoteChoice::Reject,
        "abstain" => VoteChoice::Abstain,
        _ => {
            return Err(PageError::bad_request(
                locale.pick("یک گزینه را انتخاب کنید.", "Pick one option."),
            )
            .in_locale(locale));
        }
    };
    if form.version != loaded.task.version {
        return conflict_page(&state, &web_state, &viewer, loaded, None).await;
    }
    let comment = Some(form.comment.trim().to_owned()).filter(|c| !c.is_empty());
    state
        .engine
        .vote(&viewer.actor, loaded.task_id, choice, comment)
        .await
        .map_err(|e| PageError::from(e).in_locale(locale))?;
    Ok(see_task(&loaded.task.id, "voted"))
}
