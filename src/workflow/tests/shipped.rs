//! The definitions shipped in `workflows/` load, against stand-in forms and
//! against the form schemas shipped in `schemas/`.

use std::path::PathBuf;

use super::forms;
use crate::forms::FormRegistry;
use crate::workflow::{DueRule, JalaliPeriod, Participants, StepKind, WorkflowRegistry, load_dir};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped(forms: &FormRegistry) -> WorkflowRegistry {
    let loaded = load_dir(&root().join("workflows"), forms).unwrap_or_else(|errors| {
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", listed.join("\n"))
    });
    let mut registry = WorkflowRegistry::new();
    for (_, definition) in loaded {
        registry.register(definition);
    }
    registry
}

#[test]
fn the_three_shipped_workflows_load() {
    let registry = shipped(&forms());
    for key in [
        "data-exchange-inventory",
        "resolution-approval",
        "service-identity-cards",
    ] {
        assert!(registry.latest(key).is_some(), "{key} is not shipped");
    }

    let cards = registry
        .latest("service-identity-cards")
        .unwrap()
        .definition;
    assert_eq!(cards.participants(), Participants::Agencies);
    assert_eq!(cards.first_step().form(), Some("service-identity-cards"));
    assert_eq!(
        cards.first_step().due(),
        Some(&DueRule::EndOf(JalaliPeriod::JalaliYear))
    );

    let inventory = registry
        .latest("data-exchange-inventory")
        .unwrap()
        .definition;
    assert_eq!(
        inventory.first_step().due(),
        Some(&DueRule::EndOf(JalaliPeriod::JalaliMonth))
    );
    assert_eq!(inventory.first_step().escalations().len(), 2);

    let resolution = registry.latest("resolution-approval").unwrap().definition;
    assert_eq!(resolution.participants(), Participants::None);
    assert!(matches!(resolution.first_step().kind, StepKind::Vote(_)));
}

#[test]
fn the_shipped_workflows_load_against_the_shipped_form_schemas() {
    let schemas = root().join("schemas");
    let mut forms = FormRegistry::new();
    if let Err(errors) = forms.load_dir(&schemas) {
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", listed.join("\n"));
    }
    assert!(shipped(&forms).list().len() >= 3);
}
