//! `on_return` as the step alone or with the deadline a return gives.

use serde_json::json;

use super::{found, inventory, load, pair};
use crate::workflow::{ReturnDue, StepKind};

fn on_return_of(document: serde_json::Value) -> crate::workflow::OnReturn {
    let definition = load(document).unwrap_or_else(|e| panic!("{e}"));
    match &definition.step("review").unwrap().kind {
        StepKind::Review(review) => review.on_return.clone().unwrap(),
        other => panic!("not a review: {other:?}"),
    }
}

#[test]
fn the_long_form_is_accepted_with_each_kind_of_deadline() {
    for (due, expected) in [
        (json!("keep"), Some(ReturnDue::Keep)),
        (json!({"working_days": 3}), Some(ReturnDue::WorkingDays(3))),
        (json!(null), None),
    ] {
        let mut doc = inventory();
        doc["steps"][1]["on_return"] = if due.is_null() {
            json!({"step": "submit"})
        } else {
            json!({"step": "submit", "due": due})
        };
        assert_eq!(on_return_of(doc).due, expected);
    }
}

#[test]
fn an_unknown_step_in_the_long_form_is_reported_at_it() {
    let mut doc = inventory();
    doc["steps"][1]["on_return"] = json!({"step": "submitt", "due": "keep"});
    let issues = found(load(doc));
    assert!(
        issues.contains(&pair("/steps/1/on_return/step", "unknown_step")),
        "{issues:?}"
    );
}

#[test]
fn a_deadline_not_counted_from_the_return_is_refused_by_the_schema() {
    for due in [
        json!({"end_of": "jalali_month"}),
        json!({"on": "1405-10-15"}),
        json!({"working_days": 0}),
        json!("forever"),
    ] {
        let mut doc = inventory();
        doc["steps"][1]["on_return"] = json!({"step": "submit", "due": due});
        let issues = found(load(doc));
        assert!(
            issues
                .iter()
                .all(|(p, _)| p.starts_with("/steps/1/on_return")),
            "{issues:?}"
        );
    }
}
