//! The shipped form schemas against the shared fixture documents in
//! `tests/fixtures/forms/<key>/{valid,invalid}/*.json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::FormRegistry;

#[derive(Deserialize)]
struct InvalidCase {
    description: String,
    data: Value,
    expected_errors: Vec<ExpectedError>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct ExpectedError {
    instance_path: String,
    keyword: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks every fixture of one form; returns how many were checked and one line
/// per mismatch.
fn check_form(forms: &FormRegistry, key: &str, dir: &Path) -> (usize, Vec<String>) {
    let mut mismatches = Vec::new();
    let valid = json_files(&dir.join("valid"));
    let invalid = json_files(&dir.join("invalid"));
    let checked = valid.len() + invalid.len();
    for path in valid {
        if let Err(errors) = forms.validate(key, None, &read(&path)) {
            let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
            mismatches.push(format!("{}: expected valid, got {found:?}", path.display()));
        }
    }
    for path in invalid {
        let case: InvalidCase = serde_json::from_value(read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected: BTreeSet<(String, String)> = case
            .expected_errors
            .into_iter()
            .map(|e| (e.instance_path, e.keyword))
            .collect();
        let found: BTreeSet<(String, String)> = match forms.validate(key, None, &case.data) {
            Ok(()) => BTreeSet::new(),
            Err(errors) => errors
                .iter()
                .map(|v| (v.instance_path.clone(), v.keyword().to_owned()))
                .collect(),
        };
        if found != expected {
            mismatches.push(format!(
                "{} ({}): expected {expected:?}, got {found:?}",
                path.display(),
                case.description
            ));
        }
    }
    (checked, mismatches)
}

#[test]
fn shipped_schemas_agree_with_the_fixtures() {
    let fixtures = root().join("tests/fixtures/forms");
    let entries =
        std::fs::read_dir(&fixtures).unwrap_or_else(|e| panic!("{}: {e}", fixtures.display()));
    let mut forms = FormRegistry::new();
    if let Err(errors) = forms.load_dir(&root().join("schemas")) {
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("schemas/ does not load:\n{}", listed.join("\n"));
    }
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for entry in entries {
        let dir = entry.unwrap().path();
        let key = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.is_dir() {
            continue;
        }
        assert!(forms.contains(&key), "fixtures for unknown form {key:?}");
        let (count, found) = check_form(&forms, &key, &dir);
        checked += count;
        mismatches.extend(found);
    }
    assert!(checked > 0, "no fixtures under {}", fixtures.display());
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}
