//! Agency codes inside submitted documents must name registered agencies. The schema checks
//! only a code's shape, so after it passes, every AgencyRef value (found by
//! [`walk_agency_refs`]) is looked up; all unknown ones are refused together, each with its JSON
//! Pointer, like schema violations.

use serde_json::Value;

use super::{Engine, EngineError};
use crate::forms::{FormVersion, SchemaViolation, walk_agency_refs};

impl Engine {
    pub(crate) async fn check_agency_refs(
        &self,
        form: &FormVersion,
        data: &Value,
    ) -> Result<(), EngineError> {
        let walked = walk_agency_refs(form.schema(), data);
        tracing::debug!(
            visits = walked.visits,
            found = walked.refs.len(),
            form = form.key(),
            "agency references"
        );
        let refs = walked.refs;
        if refs.is_empty() {
            return Ok(());
        }
        let cached = |code: &str| {
            self.known_agencies
                .lock()
                .expect("agency codes lock")
                .contains(code)
        };
        if refs.iter().any(|(_, code)| !cached(code)) {
            let codes = self.agencies().await?.into_iter().map(|a| a.code);
            self.known_agencies
                .lock()
                .expect("agency codes lock")
                .extend(codes);
        }
        let violations: Vec<SchemaViolation> = refs
            .into_iter()
            .filter(|(_, code)| !cached(code))
            .map(|(pointer, code)| SchemaViolation {
                instance_path: pointer,
                schema_path: "/$defs/AgencyRef".into(),
                message: format!(
                    "{code:?} is not a registered agency code (GET /v1/agencies lists them; \
                     \"unknown\" and \"any_with_legal_basis\" are allowed where the form says so)"
                ),
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Schema {
                form: form.key().to_string(),
                violations,
            })
        }
    }
}
