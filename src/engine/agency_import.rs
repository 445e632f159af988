//! Importing agencies from a file in the shape of `fixtures/agencies.json`, for the API's
//! `POST /v1/agencies:import` and the administrator's page alike. Every entry is checked
//! before anything is registered, so a bad entry (a malformed code, a missing Persian name,
//! a code the file names twice) imports nothing. A code already registered is left as it
//! is and reported, so importing the same file again is harmless.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::directory::{AgencyInput, require_admin, valid_agency_code, valid_agency_name};
use super::{Engine, EngineError};
use crate::domain::Actor;

/// The shape of `fixtures/agencies.json`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    #[serde(default)]
    pub cluster: Option<Value>,
    /// Accepted for the fixture's shape; the secretariat is a role of members, not stored here.
    #[serde(default)]
    #[allow(dead_code)]
    pub secretariat_agency: Option<String>,
    pub agencies: Vec<ImportedAgency>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedAgency {
    pub code: String,
    pub name_fa: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub cluster: Option<String>,
    /// Accepted for the fixture's shape; not stored.
    #[serde(default)]
    #[allow(dead_code)]
    pub named_in_source: Option<bool>,
    /// False for an outside provider; absent, a member of the cluster.
    #[serde(default)]
    pub in_cluster: Option<bool>,
}

/// What an import did: the codes it registered and those that already existed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    pub created: Vec<String>,
    pub existing: Vec<String>,
}

/// Why a file imports nothing: the entry at `index` (its position in `agencies`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub index: usize,
    pub code: String,
    pub kind: ImportProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblemKind {
    /// Not 2-16 characters of A-Z, 0-9 and _ starting with a letter.
    BadCode,
    /// `name_fa` empty or over 300 characters.
    BadName,
    /// The file names the code already at this index.
    Duplicate { first: usize },
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (i, code) = (self.index, &self.code);
        match self.kind {
            ImportProblemKind::BadCode => write!(
                f,
                "/agencies/{i}: code {code:?} must be 2-16 characters of A-Z, 0-9 and _ starting with a letter"
            ),
            ImportProblemKind::BadName => {
                write!(
                    f,
                    "/agencies/{i}: name_fa of {code:?} must be 1 to 300 characters"
                )
            }
            ImportProblemKind::Duplicate { first } => write!(
                f,
                "/agencies/{i}: code {code:?} is already named at /agencies/{first}; nothing was imported"
            ),
        }
    }
}

/// The first entry that keeps the file from being imported, if any.
pub fn check_import(file: &ImportFile) -> Result<(), ImportProblem> {
    let mut seen = std::collections::HashMap::new();
    for (index, agency) in file.agencies.iter().enumerate() {
        let problem = |kind| ImportProblem {
            index,
            code: agency.code.clone(),
            kind,
        };
        if !valid_agency_code(&agency.code) {
            return Err(problem(ImportProblemKind::BadCode));
        }
        if !valid_agency_name(&agency.name_fa) {
            return Err(problem(ImportProblemKind::BadName));
        }
        if let Some(&first) = seen.get(agency.code.as_str()) {
            return Err(problem(ImportProblemKind::Duplicate { first }));
        }
        seen.insert(agency.code.as_str(), index);
    }
    Ok(())
}

impl Engine {
    /// Registers the file's agencies not registered yet (admins only), once every entry is
    /// checked.
    pub async fn import_agencies(
        &self,
        actor: &Actor,
        file: ImportFile,
    ) -> Result<ImportReport, EngineError> {
        require_admin(actor)?;
        check_import(&file).map_err(|problem| EngineError::Invalid(problem.to_string()))?;
        let default_cluster = file
            .cluster
            .as_ref()
            .and_then(|c| c["key"].as_str())
            .map(str::to_string);
        let (mut created, mut existing) = (Vec::new(), Vec::new());
        for agency in file.agencies {
            let input = AgencyInput {
                code: agency.code.clone(),
                name_fa: agency.name_fa,
                name_en: agency.name_en,
                cluster: agency.cluster.or_else(|| default_cluster.clone()),
                in_cluster: agency.in_cluster.unwrap_or(true),
            };
            match self.register_agency(actor, input).await {
                Ok(_) => created.push(agency.code),
                Err(EngineError::Conflict(_)) => existing.push(agency.code),
                Err(e) => return Err(e),
            }
        }
        Ok(ImportReport { created, existing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(codes: &[&str]) -> ImportFile {
        let agencies = codes
            .iter()
            .map(|code| serde_json::json!({"code": code, "name_fa": "دستگاه"}))
            .collect::<Vec<_>>();
        serde_json::from_value(serde_json::json!({ "agencies": agencies })).unwrap()
    }

    #[test]
    fn a_code_named_twice_or_malformed_is_found_with_its_entry() {
        assert_eq!(check_import(&file(&["MIMT", "IRICA"])), Ok(()));
        let twice = check_import(&file(&["MIMT", "IRICA", "MIMT"])).unwrap_err();
        assert_eq!(twice.index, 2);
        assert_eq!(twice.kind, ImportProblemKind::Duplicate { first: 0 });
        assert!(twice.to_string().starts_with("/agencies/2: code \"MIMT\""));
        let bad = check_import(&file(&["MIMT", "mimt"])).unwrap_err();
        assert_eq!((bad.index, bad.kind), (1, ImportProblemKind::BadCode));
    }
}
