//! `/v1/catalogue`: the catalogue of data items — read by every signed-in role, curated by
//! the secretariat (and administrators). Each change is one event of the `catalogue` stream;
//! a refused one appends nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::paging::Page;
use super::{AppState, body};
use crate::catalogue::decide::Details;
use crate::catalogue::search::{MAX_SUGGESTIONS, Suggestion, search as find};
use crate::catalogue::{Catalogue, CatalogueCommand, CatalogueEvent, Change, Item};

/// `POST /v1/catalogue`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemBody {
    /// The Persian name.
    pub name: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    pub name_en: Option<String>,
    pub lookup_key: Option<String>,
    pub description: Option<String>,
}

/// `PATCH /v1/catalogue/{id}`: the English name, lookup key and description as they are to be
/// (a field left out is cleared).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailsBody {
    pub name_en: Option<String>,
    /// The lookup key this item stands for, when it is an identifier (the inventory form's
    /// `LookupKey` values).
    pub lookup_key: Option<String>,
    pub description: Option<String>,
}

impl From<DetailsBody> for Details {
    fn from(body: DetailsBody) -> Self {
        Details {
            name_en: body.name_en,
            lookup_key: body.lookup_key,
            description: body.description,
        }
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The item this one becomes a synonym of.
    pub into: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameBody {
    pub name: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SynonymBody {
    pub synonym: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedBody {
    /// A data-exchange inventory case.
    pub case: Uuid,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// What was typed so far.
    pub q: String,
    /// At most this many (default 10, at most 50).
    pub limit: Option<usize>,
}

/// One item with every change that touched it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: Item,
    /// The catalogue version.
    pub version: i64,
    pub history: Vec<Change>,
}

/// What a seed did.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Seeded {
    pub added: Vec<Item>,
    /// Item id → agencies that used it in the case.
    pub counts: std::collections::BTreeMap<String, u32>,
    pub version: i64,
}

fn view(catalogue: &Catalogue, id: &str) -> Result<ItemView, ApiError> {
    let item = catalogue
        .resolve(id)
        .ok_or_else(|| ApiError::not_found(format!("the catalogue has no item {id}")))?;
    Ok(ItemView {
        item: item.clone(),
        version: catalogue.version,
        history: catalogue
            .history_of(&item.id)
            .into_iter()
            .cloned()
            .collect(),
    })
}

pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let catalogue = state.engine.catalogue().await?;
    let items: Vec<Item> = catalogue.listed().into_iter().cloned().collect();
    Ok(HttpResponse::Ok().json(Page::whole(items)))
}

pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let catalogue = state.engine.catalogue().await?;
    Ok(HttpResponse::Ok().json(view(&catalogue, &id)?))
}

pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let catalogue = state.engine.catalogue().await?;
    let limit = query.limit.unwrap_or(10).clamp(1, MAX_SUGGESTIONS);
    let items: Vec<Suggestion> = find(&catalogue, &query.q, limit);
    Ok(HttpResponse::Ok().json(Page::whole(items)))
}

/// Runs a change from a JSON body and answers with the item `answer` names afterwards.
async fn change<B: serde::de::DeserializeOwned + schemars::JsonSchema + 'static>(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
    command: impl FnOnce(B) -> CatalogueCommand,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: B = body::json(&request, &bytes)?;
    let command = command(input);
    let path_id = request.match_info().get("id").map(str::to_string);
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let (events, catalogue) = state
            .engine
            .change_catalogue(&caller.actor, command)
            .await?;
        let (status, id) = match events.first() {
            Some(CatalogueEvent::ItemAdded { id, .. }) => (StatusCode::CREATED, id.clone()),
            Some(CatalogueEvent::ItemSplit { id, .. }) => (StatusCode::OK, id.clone()),
            Some(CatalogueEvent::ItemsMerged { into, .. }) => (StatusCode::OK, into.clone()),
            _ => (StatusCode::OK, path_id.unwrap_or_default()),
        };
        Ok((status, json!(view(&catalogue, &id)?)))
    })
    .await
}

fn id_of(request: &HttpRequest) -> String {
    request
        .match_info()
        .get("id")
        .unwrap_or_default()
        .to_string()
}

pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    change(state, caller, request, payload, |body: NewItemBody| {
        CatalogueCommand::Add {
            name: body.name,
            synonyms: body.synonyms,
            details: Details {
                name_en: body.name_en,
                lookup_key: body.lookup_key,
                description: body.description,
            },
        }
    })
    .await
}

pub async fn merge(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let from = id_of(&request);
    change(state, caller, request, payload, |body: MergeBody| {
        CatalogueCommand::Merge {
            from,
            into: body.into,
        }
    })
    .await
}

pub async fn rename(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id_of(&request);
    change(state, caller, request, payload, |body: RenameBody| {
        CatalogueCommand::Rename {
            id,
            name: body.name,
        }
    })
    .await
}

pub async fn split(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id_of(&request);
    change(state, caller, request, payload, |body: SynonymBody| {
        CatalogueCommand::Split {
            id,
            synonym: body.synonym,
        }
    })
    .await
}

pub async fn add_synonym(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id_of(&request);
    change(state, caller, request, payload, |body: SynonymBody| {
        CatalogueCommand::AddSynonym {
            id,
            synonym: body.synonym,
        }
    })
    .await
}

pub async fn remove_synonym(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id_of(&request);
    change(state, caller, request, payload, |body: SynonymBody| {
        CatalogueCommand::RemoveSynonym {
            id,
            synonym: body.synonym,
        }
    })
    .await
}

pub async fn edit(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id_of(&request);
    change(state, caller, request, payload, |body: DetailsBody| {
        CatalogueCommand::Edit {
            id,
            details: body.into(),
        }
    })
    .await
}

pub async fn seed(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: SeedBody = body::json(&request, &bytes)?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let (events, catalogue) = state
            .engine
            .seed_catalogue(&caller.actor, input.case)
            .await?;
        let Some(CatalogueEvent::CatalogueSeeded { added, counts, .. }) = events.first() else {
            return Err(ApiError::unprocessable("the seed recorded nothing"));
        };
        let seeded = Seeded {
            added: added
                .iter()
                .filter_map(|s| catalogue.items.get(&s.id).cloned())
                .collect(),
            counts: counts.clone(),
            version: catalogue.version,
        };
        Ok((StatusCode::OK, json!(seeded)))
    })
    .await
}
