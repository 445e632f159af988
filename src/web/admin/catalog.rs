//! `/admin/workflows` and `/admin/forms`: every key with its versions, each version's hash
//! and what runs on it, and a version's definition or schema as registered. The views are
//! plain structs filled here from the catalog and the case list; the markup, a function of
//! them, is in [`super::catalog_page`], the upload in [`super::upload`].

use std::collections::BTreeMap;

use actix_web::web;
use maud::Markup;
use serde_json::Value;

use super::catalog_page::{catalog_page, pretty, version_page};
use super::upload_form::UploadForm;
use crate::documents::CaseList;
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::i18n::Locale;
use crate::web::session::Viewer;

/// Which catalog a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Workflow,
    Form,
}

impl Kind {
    pub fn path(self) -> &'static str {
        match self {
            Kind::Workflow => "/admin/workflows",
            Kind::Form => "/admin/forms",
        }
    }

    pub(super) fn title(self, locale: Locale) -> &'static str {
        match self {
            Kind::Workflow => locale.pick("گردش‌کارها", "Workflows"),
            Kind::Form => locale.pick("فرم‌ها", "Forms"),
        }
    }
}

/// A case on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef {
    pub id: String,
    pub title: String,
}

/// One version of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: u32,
    pub hash: String,
    /// The cases opened on it (workflows), or the workflow versions naming it (forms).
    pub used_by: Vec<CaseRef>,
    pub used_count: usize,
}

/// A key and its versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRows {
    pub key: String,
    pub title: String,
    pub versions: Vec<VersionRow>,
}

/// Every case of workflow `key`, by the version it runs on: one indexed list query a page
/// of 500 cases at a time.
async fn cases_by_version(
    state: &AppState,
    key: &str,
) -> Result<BTreeMap<u32, Vec<CaseRef>>, PageError> {
    let mut list = CaseList {
        workflow: Some(key.to_string()),
        limit: 500,
        ..CaseList::default()
    };
    let mut by_version: BTreeMap<u32, Vec<CaseRef>> = BTreeMap::new();
    loop {
        let page = state.engine.documents.list_cases(&list).await?;
        let full = page.len() as i64 == list.limit;
        list.after = page.last().map(|(id, _)| id.clone());
        for (id, doc) in page {
            let case: Value = serde_json::from_str(&doc).unwrap_or_default();
            let version = case["workflow_version"].as_u64().unwrap_or_default() as u32;
            let title = case["title"].as_str().unwrap_or_default().to_string();
            by_version
                .entry(version)
                .or_default()
                .push(CaseRef { id, title });
        }
        if !full {
            return Ok(by_version);
        }
    }
}

/// Every workflow key with all its versions and their cases.
pub async fn workflow_rows(state: &AppState, locale: Locale) -> Result<Vec<KeyRows>, PageError> {
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let keys: Vec<(String, String, u32)> = catalog
        .workflows
        .read()
        .expect("catalog lock")
        .list()
        .iter()
        .map(|latest| {
            let title = latest.definition.title();
            (
                latest.definition.key().to_string(),
                locale.pick(&title.fa, &title.en).to_string(),
                latest.version,
            )
        })
        .collect();
    let mut rows = Vec::with_capacity(keys.len());
    for (key, title, latest) in keys {
        let mut cases = cases_by_version(state, &key).await?;
        let registry = catalog.workflows.read().expect("catalog lock");
        let versions = (1..=latest)
            .rev()
            .filter_map(|n| registry.get(&key, n))
            .map(|v| {
                let used_by = cases.remove(&v.version).unwrap_or_default();
                VersionRow {
                    version: v.version,
                    hash: v.definition.content_hash().to_string(),
                    used_count: used_by.len(),
                    used_by,
                }
            })
            .collect();
        rows.push(KeyRows {
            key,
            title,
            versions,
        });
    }
    Ok(rows)
}

/// The workflow versions whose steps name form `key`, as `key vN`.
fn workflows_naming(state: &AppState, form: &str) -> Vec<CaseRef> {
    let registry = state.engine.catalog.workflows.read().expect("catalog lock");
    let mut naming = Vec::new();
    for latest in registry.list() {
        let key = latest.definition.key();
        for version in (1..=latest.version).filter_map(|n| registry.get(key, n)) {
            let names = version.definition.steps().iter().any(|step| {
                matches!(&step.kind, crate::workflow::StepKind::Submission(s) if s.form.as_deref() == Some(form))
            });
            if names {
                naming.push(CaseRef {
                    id: format!("{key}/{}", version.version),
                    title: format!("{key} v{}", version.version),
                });
            }
        }
    }
    naming
}

/// Every form key with all its versions; the latest names the workflow versions using it
/// (a submission records the form version it was checked against).
pub async fn form_rows(state: &AppState) -> Result<Vec<KeyRows>, PageError> {
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let forms = catalog.forms.read().expect("catalog lock").clone();
    Ok(forms
        .list()
        .iter()
        .map(|latest| {
            let key = latest.key().to_string();
            let naming = workflows_naming(state, &key);
            let versions = (1..=latest.version())
                .rev()
                .filter_map(|n| forms.get(&key, Some(n)))
                .map(|v| {
                    let used_by = if v.version() == latest.version() {
                        naming.clone()
                    } else {
                        Vec::new()
                    };
                    VersionRow {
                        version: v.version(),
                        hash: v.hash().to_string(),
                        used_count: used_by.len(),
                        used_by,
                    }
                })
                .collect();
            let title = latest.schema()["title"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            KeyRows {
                key,
                title,
                versions,
            }
        })
        .collect())
}

/// `GET /admin/workflows`
pub async fn workflows(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let rows = workflow_rows(&state, viewer.locale).await?;
    Ok(catalog_page(
        &viewer,
        Kind::Workflow,
        &rows,
        &UploadForm::default(),
        None,
    ))
}

/// `GET /admin/forms`
pub async fn forms(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let rows = form_rows(&state).await?;
    Ok(catalog_page(
        &viewer,
        Kind::Form,
        &rows,
        &UploadForm::default(),
        None,
    ))
}

/// `GET /admin/workflows/{key}/{version}`: the definition as registered, in YAML.
pub async fn workflow_version(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<Markup, PageError> {
    let (key, n) = path.into_inner();
    let n: u32 = n.parse().map_err(|_| PageError::not_found())?;
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let version = catalog
        .workflows
        .read()
        .expect("catalog lock")
        .get(&key, n)
        .ok_or_else(PageError::not_found)?;
    let text = yaml_serde::to_string(version.definition.source())
        .unwrap_or_else(|_| pretty(version.definition.source()));
    Ok(version_page(
        &viewer,
        Kind::Workflow,
        &key,
        n,
        version.definition.content_hash(),
        &text,
    ))
}

/// `GET /admin/forms/{key}/{version}`: the JSON Schema as registered.
pub async fn form_version(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<Markup, PageError> {
    let (key, n) = path.into_inner();
    let n: u32 = n.parse().map_err(|_| PageError::not_found())?;
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let form = catalog
        .forms
        .read()
        .expect("catalog lock")
        .get(&key, Some(n))
        .ok_or_else(PageError::not_found)?;
    Ok(version_page(
        &viewer,
        Kind::Form,
        &key,
        n,
        form.hash(),
        &pretty(form.schema()),
    ))
}
