//! `due_override: {latest: …}`: how far a resolution may set a step's deadline.

use serde_json::json;

use super::{found, inventory, load, pair};
use crate::workflow::{DueRule, JalaliPeriod, StepKind};

#[test]
fn the_first_submission_step_may_let_a_resolution_set_its_deadline() {
    let mut doc = inventory();
    doc["steps"][0]["due_override"] = json!({"latest": {"end_of": "jalali_year"}});
    let definition = load(doc).unwrap();
    let StepKind::Submission(spec) = &definition.first_step().kind else {
        panic!("the first step is a submission");
    };
    let limit = spec.due_override.as_ref().unwrap();
    assert_eq!(limit.latest, DueRule::EndOf(JalaliPeriod::JalaliYear));
}

#[test]
fn a_limit_without_latest_or_with_another_key_fails_the_schema() {
    for limit in [
        json!({}),
        json!({"latest": {"end_of": "jalali_year"}, "earliest": {"after": "P1D"}}),
        json!(true),
    ] {
        let mut doc = inventory();
        doc["steps"][0]["due_override"] = limit.clone();
        assert!(load(doc).is_err(), "{limit}");
    }
}

#[test]
fn only_the_first_step_and_only_a_day_that_exists() {
    let mut doc = inventory();
    let mut second = doc["steps"][0].clone();
    second["id"] = json!("again");
    second["next"] = json!("review");
    second["due_override"] = json!({"latest": {"on": "1405-12-30"}});
    doc["steps"][0]["next"] = json!("again");
    doc["steps"].as_array_mut().unwrap().insert(1, second);
    assert_eq!(
        found(load(doc)),
        [
            pair("/steps/1/due_override", "due_override_not_first"),
            pair("/steps/1/due_override/latest/on", "invalid_date"),
        ]
    );
}
