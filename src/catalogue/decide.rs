//! The rules every change of the catalogue keeps: one name reads as one item (a name or
//! synonym never belongs to two items), a merge never makes a cycle, and a name is never
//! empty. A refused command yields no event.

use super::{Catalogue, CatalogueEvent, Item, tidy};
use crate::reports::normalise::match_key;

/// The longest name or synonym, and the longest description (characters).
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 2000;

/// What the secretariat asks of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueCommand {
    Add {
        name: String,
        synonyms: Vec<String>,
        details: Details,
    },
    Merge {
        from: String,
        into: String,
    },
    Rename {
        id: String,
        name: String,
    },
    Split {
        id: String,
        synonym: String,
    },
    AddSynonym {
        id: String,
        synonym: String,
    },
    RemoveSynonym {
        id: String,
        synonym: String,
    },
    Edit {
        id: String,
        details: Details,
    },
}

/// The fields of an item besides its names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub name_en: Option<String>,
    pub lookup_key: Option<String>,
    pub description: Option<String>,
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("{0}")]
    NotFound(String),
    /// The field at fault (a JSON Pointer into the request) and why.
    #[error("{1}")]
    Invalid(String, String),
    /// A name already read as another item: that item's id, and why.
    #[error("{1}")]
    NameTaken(String, String),
}

type Decided = Result<Vec<CatalogueEvent>, CatalogueError>;

/// The events `command` leads to, or why it is refused. `is_lookup_key` says which lookup
/// keys the inventory form knows.
pub fn decide(
    state: &Catalogue,
    command: CatalogueCommand,
    by: &str,
    is_lookup_key: &dyn Fn(&str) -> bool,
) -> Decided {
    let by = by.to_string();
    match command {
        CatalogueCommand::Add {
            name,
            synonyms,
            details,
        } => {
            let name = checked_name(state, "/name", &name, None)?;
            let mut kept: Vec<String> = Vec::new();
            for (i, synonym) in synonyms.iter().enumerate() {
                let synonym = checked_name(state, &format!("/synonyms/{i}"), synonym, None)?;
                let clash = std::iter::once(&name).chain(&kept);
                if clash
                    .into_iter()
                    .any(|n| match_key(n) == match_key(&synonym))
                {
                    return Err(invalid(
                        format!("/synonyms/{i}"),
                        format!("«{synonym}» is listed twice"),
                    ));
                }
                kept.push(synonym);
            }
            let details = checked_details(details, is_lookup_key)?;
            Ok(vec![CatalogueEvent::ItemAdded {
                id: state.next_id(0),
                name,
                synonyms: kept,
                name_en: details.name_en,
                lookup_key: details.lookup_key,
                description: details.description,
                by,
            }])
        }
        CatalogueCommand::Merge { from, into } => merge(state, &from, &into, by),
        CatalogueCommand::Rename { id, name } => {
            let item = item(state, &id)?;
            let name = checked_name(state, "/name", &name, Some(&id))?;
            if name == item.name {
                return Ok(Vec::new());
            }
            Ok(vec![CatalogueEvent::ItemRenamed {
                id,
                name,
                previous: item.name.clone(),
                by,
            }])
        }
        CatalogueCommand::Split { id, synonym } => {
            let item = item(state, &id)?;
            let Some(synonym) = item
                .synonyms
                .iter()
                .find(|s| match_key(s) == match_key(&synonym))
            else {
                return Err(invalid(
                    "/synonym",
                    format!(
                        "«{synonym}» is not a synonym of {id} («{}»); only a synonym can be split off",
                        item.name
                    ),
                ));
            };
            Ok(vec![CatalogueEvent::ItemSplit {
                from: id,
                synonym: synonym.clone(),
                id: state.next_id(0),
                by,
            }])
        }
        CatalogueCommand::AddSynonym { id, synonym } => {
            item(state, &id)?;
            let synonym = checked_name(state, "/synonym", &synonym, None)?;
            Ok(vec![CatalogueEvent::SynonymAdded { id, synonym, by }])
        }
        CatalogueCommand::RemoveSynonym { id, synonym } => {
            let item = item(state, &id)?;
            let Some(synonym) = item.synonyms.iter().find(|s| **s == tidy(&synonym)) else {
                return Err(invalid(
                    "/synonym",
                    format!("«{synonym}» is not a synonym of {id}"),
                ));
            };
            Ok(vec![CatalogueEvent::SynonymRemoved {
                id,
                synonym: synonym.clone(),
                by,
            }])
        }
        CatalogueCommand::Edit { id, details } => {
            item(state, &id)?;
            let details = checked_details(details, is_lookup_key)?;
            Ok(vec![CatalogueEvent::ItemEdited {
                id,
                name_en: details.name_en,
                lookup_key: details.lookup_key,
                description: details.description,
                by,
            }])
        }
    }
}

/// `from` into `into`: both live items, not the same one. An id merged away is refused on
/// either side, naming the item it became — following it silently could merge an item into
/// itself (A merged into B; then «B into A» is B into B).
fn merge(state: &Catalogue, from: &str, into: &str, by: String) -> Decided {
    for (pointer, id) in [("/from", from), ("/into", into)] {
        if let Some(survivor) = state.merged.get(id) {
            let what = if survivor == from || survivor == into {
                "merging it would make a cycle"
            } else {
                "merge into that item instead"
            };
            return Err(invalid(
                pointer,
                format!("{id} was merged into {survivor}; {what}"),
            ));
        }
        item(state, id)?;
    }
    if from == into {
        return Err(invalid(
            "/into",
            format!("an item cannot be merged into itself ({from})"),
        ));
    }
    Ok(vec![CatalogueEvent::ItemsMerged {
        from: from.to_string(),
        into: into.to_string(),
        by,
    }])
}

fn item<'a>(state: &'a Catalogue, id: &str) -> Result<&'a Item, CatalogueError> {
    if let Some(survivor) = state.merged.get(id) {
        return Err(invalid(
            "/id",
            format!("{id} was merged into {survivor}; change {survivor} instead"),
        ));
    }
    state
        .items
        .get(id)
        .ok_or_else(|| CatalogueError::NotFound(format!("the catalogue has no item {id}")))
}

fn invalid(pointer: impl Into<String>, why: impl Into<String>) -> CatalogueError {
    CatalogueError::Invalid(pointer.into(), why.into())
}

/// `name` tidied, when it is not empty, not too long, and no item but `owner` reads it.
fn checked_name(
    state: &Catalogue,
    pointer: &str,
    name: &str,
    owner: Option<&str>,
) -> Result<String, CatalogueError> {
    let name = tidy(name);
    if match_key(&name).is_empty() {
        return Err(invalid(pointer, "a name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            pointer,
            format!("a name is at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if let Some(other) = state.owner_of(&name, owner) {
        return Err(CatalogueError::NameTaken(
            other.id.clone(),
            format!("«{name}» already reads as {} («{}»)", other.id, other.name),
        ));
    }
    Ok(name)
}

fn checked_details(
    details: Details,
    is_lookup_key: &dyn Fn(&str) -> bool,
) -> Result<Details, CatalogueError> {
    let blank = |text: Option<String>| text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let details = Details {
        name_en: blank(details.name_en).map(|n| tidy(&n)),
        lookup_key: blank(details.lookup_key),
        description: blank(details.description),
    };
    if let Some(key) = details.lookup_key.as_deref().filter(|k| !is_lookup_key(k)) {
        return Err(invalid(
            "/lookup_key",
            format!("{key:?} is not a lookup key of the inventory form"),
        ));
    }
    if details
        .name_en
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NAME_CHARS)
    {
        return Err(invalid(
            "/name_en",
            format!("a name is at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if details
        .description
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(invalid(
            "/description",
            format!("a description is at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(details)
}
