//! Reading definitions from disk: the only I/O in the workflow module. Backs
//! loading `workflows/` at start and `daftar workflows check [DIR]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::definition::WorkflowDefinition;
use super::error::{DefinitionError, Issue, IssueKind};
use super::load::Format;
use crate::forms::FormRegistry;

/// The syntax a file name implies, if it is a definition file at all.
pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Reads and validates one definition file (YAML unless it ends in `.json`).
/// Errors name the file as given.
pub fn load_file(path: &Path, forms: &FormRegistry) -> Result<WorkflowDefinition, DefinitionError> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| DefinitionError::single(&source, "", IssueKind::Unreadable(e.to_string())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        DefinitionError::single(&source, "", IssueKind::NotUtf8 { offset })
    })?;
    let format = format_of(path).unwrap_or(Format::Yaml);
    WorkflowDefinition::parse(&source, &text, format, forms)
}

/// Loads every `*.yaml`, `*.yml` and `*.json` in `dir` (not recursing), in
/// file-name order. Reports every bad file, and two files defining one key.
pub fn load_dir(
    dir: &Path,
    forms: &FormRegistry,
) -> Result<Vec<(PathBuf, WorkflowDefinition)>, Vec<DefinitionError>> {
    let unreadable = |e: std::io::Error| {
        let kind = IssueKind::Unreadable(e.to_string());
        vec![DefinitionError::single(
            &dir.display().to_string(),
            "",
            kind,
        )]
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.is_file() && format_of(&path).is_some() {
            paths.push(path);
        }
    }
    paths.sort();

    let mut loaded: Vec<(PathBuf, WorkflowDefinition)> = Vec::new();
    let mut errors = Vec::new();
    let mut owner: HashMap<String, PathBuf> = HashMap::new();
    for path in paths {
        match load_file(&path, forms) {
            Err(e) => errors.push(e),
            Ok(definition) => match owner.get(definition.key()) {
                Some(other) => errors.push(DefinitionError::new(
                    path.display().to_string(),
                    vec![Issue::new(
                        "/key",
                        IssueKind::DuplicateKey {
                            key: definition.key().to_owned(),
                            other: other.display().to_string(),
                        },
                    )],
                )),
                None => {
                    owner.insert(definition.key().to_owned(), path.clone());
                    loaded.push((path, definition));
                }
            },
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(errors)
    }
}
