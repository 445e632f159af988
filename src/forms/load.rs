//! Reading form schemas from a directory: the one place this module touches the disk.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{FormError, FormRegistry, RegisteredForm};

const SUFFIX: &str = ".schema.json";

/// The workflow language's own schema lives beside the forms but is not a form.
const NOT_A_FORM: &str = "workflow.schema.json";

impl FormRegistry {
    /// Registers every `<key>.schema.json` in `dir` (not recursing, skipping
    /// `workflow.schema.json`), in file-name order. Good files are registered even
    /// when others fail; every failure is returned, each naming its file.
    pub fn load_dir(&mut self, dir: &Path) -> Result<Vec<RegisteredForm>, Vec<FormError>> {
        let files = match schema_files(dir) {
            Ok(files) => files,
            Err(source) => {
                return Err(vec![FormError::Io {
                    path: dir.to_path_buf(),
                    source,
                }]);
            }
        };
        let mut registered = Vec::new();
        let mut errors = Vec::new();
        for (key, path) in files {
            match self.load_file(&key, &path) {
                Ok(form) => registered.push(form),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(registered)
        } else {
            Err(errors)
        }
    }

    /// Registers the schema in `path` under `key`; errors name the file.
    pub fn load_file(&mut self, key: &str, path: &Path) -> Result<RegisteredForm, FormError> {
        let bytes = std::fs::read(path).map_err(|source| FormError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let schema: Value = serde_json::from_slice(&bytes).map_err(|e| FormError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        self.register(key, schema).map_err(|e| FormError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    }
}

/// `(key, path)` of every form schema file in `dir`, sorted for stable versions.
fn schema_files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name == NOT_A_FORM || !path.is_file() {
            continue;
        }
        if let Some(key) = name.strip_suffix(SUFFIX) {
            files.push((key.to_owned(), path.clone()));
        }
    }
    files.sort();
    Ok(files)
}
