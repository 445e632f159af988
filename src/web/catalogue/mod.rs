//! `/catalogue`: the catalogue of data items (فهرست اقلام اطلاعاتی) for people — every item
//! with its names, identifier flag and how many agencies use it; an item's page with its
//! history; and the secretariat's forms (add, seed from a case, merge, rename, split,
//! synonyms, edit), each through the same engine call as the API. A refusal is shown at its
//! field with what was typed, and records nothing. `/catalogue/suggest` gives the inventory
//! form its suggestions while a data item's name is typed.

mod page;
#[cfg(test)]
mod tests;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::Markup;
use serde::Deserialize;

use crate::catalogue::decide::Details;
use crate::catalogue::search::search;
use crate::catalogue::{CatalogueCommand, CatalogueEvent};
use crate::domain::Role;
use crate::engine::EngineError;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::i18n::Locale;
use crate::web::session::Viewer;

pub use page::{ItemPage, Refusal};

/// Who curates the catalogue.
pub const CURATORS: &[Role] = &[Role::Secretariat, Role::Admin];

/// Every field of the catalogue's forms, as typed (each form sends the ones it has).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    pub action: String,
    pub name: String,
    /// One per line.
    pub synonyms: String,
    pub synonym: String,
    pub into: String,
    pub name_en: String,
    pub lookup_key: String,
    pub description: String,
    pub case: String,
}

impl Typed {
    fn details(&self) -> Details {
        let some = |text: &str| Some(text.to_string());
        Details {
            name_en: some(&self.name_en),
            lookup_key: some(&self.lookup_key),
            description: some(&self.description),
        }
    }
}

/// The engine's refusal, at the field it names, in the reader's words.
fn refusal(locale: Locale, action: &str, error: EngineError) -> Result<Refusal, PageError> {
    let (field, detail) = match error {
        EngineError::Invalid(text) => match text.split_once(": ") {
            Some((field, why)) if !field.contains(' ') => (field.to_string(), why.to_string()),
            _ => (default_field(action).to_string(), text),
        },
        EngineError::Conflict(text) => (default_field(action).to_string(), text),
        EngineError::NotFound(text) if action == "merge" || action == "seed" => {
            (default_field(action).to_string(), text)
        }
        other => return Err(PageError::from(other).in_locale(locale)),
    };
    let field = if field == "from" {
        "into".to_string()
    } else {
        field
    };
    let says = |word: &str| detail.contains(word);
    let message = if says("cycle") || says("into itself") {
        locale.pick("این ادغام دور می‌سازد: قلمی را نمی‌توان در خودش یا در مترادف خودش ادغام کرد.", "This merge makes a cycle: an item cannot be merged into itself or into its own synonym.")
    } else if says("already reads as") {
        locale.pick(
            "این نام را قلم دیگری دارد.",
            "Another item already has this name.",
        )
    } else if says("empty") {
        locale.pick("نام را خالی نگذارید.", "The name cannot be empty.")
    } else if says("not a synonym") {
        locale.pick(
            "فقط یکی از مترادف‌های همین قلم را می‌توان جدا کرد.",
            "Only one of this item's synonyms can be split off.",
        )
    } else if says("lookup key") {
        locale.pick(
            "این کلید استعلام در فرم احصا نیست.",
            "The inventory form has no such lookup key.",
        )
    } else if says("no item") || says("was merged") {
        locale.pick(
            "چنین قلمی در فهرست نیست (یا در قلم دیگری ادغام شده است).",
            "No such item in the catalogue (or it was merged into another).",
        )
    } else if says("no case") || says("inventory") {
        locale.pick(
            "پرونده باید پروندهٔ احصای اطلاعات باشد.",
            "The case must be a data-exchange inventory case.",
        )
    } else {
        locale.pick("این تغییر پذیرفته نشد.", "This change was refused.")
    };
    Ok(Refusal {
        action: action.to_string(),
        field,
        message: message.to_string(),
        detail,
    })
}

fn default_field(action: &str) -> &'static str {
    match action {
        "merge" => "into",
        "split" | "add-synonym" | "remove-synonym" => "synonym",
        "seed" => "case",
        _ => "name",
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", location))
        .finish()
}

fn refused(page: Markup) -> HttpResponse {
    HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

/// `GET /catalogue`
pub async fn list(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let catalogue = state.engine.catalogue().await?;
    let keys = state.engine.lookup_keys();
    Ok(page::list_page(
        &viewer,
        &catalogue,
        &keys,
        &Typed::default(),
        None,
    ))
}

/// `POST /catalogue`: add an item, or (`action=seed`) seed from a case.
pub async fn add(
    state: web::Data<AppState>,
    posted: Posted<Typed>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let result = if form.action == "seed" {
        match form.case.trim().parse::<uuid::Uuid>() {
            Ok(case) => state
                .engine
                .seed_catalogue(&viewer.actor, case)
                .await
                .map(|_| ()),
            Err(_) => Err(EngineError::Invalid(format!(
                "case: no case {:?}",
                form.case
            ))),
        }
    } else {
        let command = CatalogueCommand::Add {
            name: form.name.clone(),
            synonyms: form
                .synonyms
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
            details: form.details(),
        };
        state
            .engine
            .change_catalogue(&viewer.actor, command)
            .await
            .map(|_| ())
    };
    let action = if form.action == "seed" { "seed" } else { "add" };
    match result {
        Ok(()) => Ok(see_other("/catalogue?notice=catalogue-changed")),
        Err(error) => {
            let refusal = refusal(viewer.locale, action, error)?;
            let catalogue = state.engine.catalogue().await?;
            let keys = state.engine.lookup_keys();
            Ok(refused(page::list_page(
                &viewer,
                &catalogue,
                &keys,
                &form,
                Some(&refusal),
            )))
        }
    }
}

/// `GET /catalogue/{id}`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    item_page(&state, &viewer, &id, &Typed::default(), None).await
}

async fn item_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    typed: &Typed,
    refusal: Option<&Refusal>,
) -> Result<Markup, PageError> {
    let catalogue = state.engine.catalogue().await?;
    let item = catalogue
        .resolve(id)
        .ok_or_else(|| PageError::not_found().in_locale(viewer.locale))?;
    let view = ItemPage {
        item,
        others: catalogue
            .listed()
            .into_iter()
            .filter(|i| i.id != item.id)
            .collect(),
        history: catalogue.history_of(&item.id),
        keys: state.engine.lookup_keys(),
    };
    Ok(page::item_page(viewer, &view, typed, refusal))
}

/// `POST /catalogue/{id}`: the change `action` names.
pub async fn change(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Typed>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let id = id.into_inner();
    let command = match form.action.as_str() {
        "merge" => CatalogueCommand::Merge {
            from: id.clone(),
            into: form.into.clone(),
        },
        "rename" => CatalogueCommand::Rename {
            id: id.clone(),
            name: form.name.clone(),
        },
        "split" => CatalogueCommand::Split {
            id: id.clone(),
            synonym: form.synonym.clone(),
        },
        "add-synonym" => CatalogueCommand::AddSynonym {
            id: id.clone(),
            synonym: form.synonym.clone(),
        },
        "remove-synonym" => CatalogueCommand::RemoveSynonym {
            id: id.clone(),
            synonym: form.synonym.clone(),
        },
        "edit" => CatalogueCommand::Edit {
            id: id.clone(),
            details: form.details(),
        },
        _ => return Err(PageError::bad_request("unknown action").in_locale(viewer.locale)),
    };
    match state.engine.change_catalogue(&viewer.actor, command).await {
        Ok((events, _)) => {
            let shown = match events.first() {
                Some(CatalogueEvent::ItemsMerged { into, .. }) => into.clone(),
                Some(CatalogueEvent::ItemSplit { id, .. }) => id.clone(),
                _ => id,
            };
            Ok(see_other(&format!(
                "/catalogue/{shown}?notice=catalogue-changed"
            )))
        }
        Err(error) => {
            let refusal = refusal(viewer.locale, &form.action, error)?;
            let page = item_page(&state, &viewer, &id, &form, Some(&refusal)).await?;
            Ok(refused(page))
        }
    }
}

/// `GET /catalogue/suggest?list=ID&…`: a `<datalist id=ID>` of the items matching what was
/// typed, for htmx to swap in under a name field. What was typed is `q`, or else the value
/// of the one other parameter: htmx sends the field under its own name (a JSON Pointer).
pub async fn suggest(
    state: web::Data<AppState>,
    query: web::Query<std::collections::BTreeMap<String, String>>,
) -> Result<Markup, PageError> {
    let list = query.get("list").cloned().unwrap_or_default();
    let typed = query
        .get("q")
        .or_else(|| query.iter().find(|(k, _)| *k != "list").map(|(_, v)| v))
        .cloned()
        .unwrap_or_default();
    let catalogue = state.engine.catalogue().await?;
    let found = search(&catalogue, &typed, 10);
    Ok(page::datalist(&list, &found))
}
