use serde_json::json;

use super::{found, inventory, load, pair, semantic_only};

#[test]
fn the_base_definition_is_valid() {
    let definition = load(inventory()).unwrap();
    assert_eq!(definition.first_step().id, "submit");
}

#[test]
fn unknown_step_is_reported_at_the_reference() {
    let mut doc = inventory();
    doc["steps"][0]["next"] = json!("reviw");
    let error = load(doc).unwrap_err();
    // review is then unreachable from submit, and reported too.
    assert_eq!(
        error.to_string(),
        "test.yaml: /steps/0/next: unknown step \"reviw\"\n\
         test.yaml: /steps/1: step \"review\" cannot be reached from the first step"
    );
}

#[test]
fn duplicate_step_id_is_reported_at_the_second_id() {
    let mut doc = inventory();
    let copy = doc["steps"][1].clone();
    doc["steps"].as_array_mut().unwrap().push(copy);
    assert_eq!(found(load(doc)), [pair("/steps/2/id", "duplicate_step")]);
}

#[test]
fn unknown_form_is_reported_at_the_form() {
    let mut doc = inventory();
    doc["steps"][0]["form"] = json!("no-such-form");
    let error = load(doc).unwrap_err();
    assert_eq!(error.issues[0].pointer, "/steps/0/form");
    assert_eq!(error.issues[0].message(), "unknown form \"no-such-form\"");
}

#[test]
fn unreachable_step_is_reported() {
    let mut doc = inventory();
    doc["steps"][1]["on_return"] = json!("end");
    doc["steps"][0]["next"] = json!("done");
    assert_eq!(found(load(doc)), [pair("/steps/1", "unreachable_step")]);
}

#[test]
fn a_loop_with_no_way_out_is_reported_once_for_the_set() {
    let mut doc = inventory();
    doc["steps"][1]["on_accept"] = json!("submit");
    let error = load(doc).unwrap_err();
    assert_eq!(error.issues.len(), 1);
    assert_eq!(error.issues[0].pointer, "/steps/0");
    assert_eq!(
        error.issues[0].message(),
        "steps \"submit\", \"review\" loop with no way out: neither done nor end can be reached"
    );
}

#[test]
fn a_trap_after_a_way_out_is_still_found() {
    let mut doc = inventory();
    // review returns to end, accepts into publish, which only leads to itself
    doc["steps"][1]["on_accept"] = json!("publish");
    doc["steps"][1]["on_return"] = json!("end");
    doc["steps"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "publish", "type": "start_cases", "next": "publish"}));
    assert_eq!(found(load(doc)), [pair("/steps/2", "no_way_out")]);
}

#[test]
fn vote_shares_outside_zero_to_one_are_refused_by_schema_and_semantics() {
    let vote = json!({
        "key": "vote", "title": {"fa": "ر", "en": "Vote"}, "participants": "none",
        "steps": [{
            "id": "vote", "type": "vote", "voters": {"role": "member"},
            "quorum": 1.5, "pass": -0.1, "due": {"working_days": 10},
            "on_approved": "done", "on_rejected": "end"
        }]
    });
    let mut by_schema = found(load(vote.clone()));
    by_schema.sort();
    assert_eq!(
        by_schema,
        [
            pair("/steps/0/pass", "schema"),
            pair("/steps/0/quorum", "schema")
        ]
    );
    assert_eq!(
        semantic_only(vote),
        [
            pair("/steps/0/quorum", "share_out_of_range"),
            pair("/steps/0/pass", "share_out_of_range")
        ]
    );
}

#[test]
fn review_without_on_return_is_refused_by_schema_and_semantics() {
    let mut doc = inventory();
    doc["steps"][1].as_object_mut().unwrap().remove("on_return");
    assert_eq!(found(load(doc.clone())), [pair("/steps/1", "schema")]);
    // without on_return nothing leads back to submit, which is fine: no other issue
    assert_eq!(
        semantic_only(doc),
        [pair("/steps/1", "review_without_return")]
    );
}

#[test]
fn escalation_with_empty_notify_is_refused_by_schema_and_semantics() {
    let mut doc = inventory();
    doc["steps"][0]["escalate"]
        .as_array_mut()
        .unwrap()
        .push(json!({"after": "P7D", "notify": []}));
    assert_eq!(
        found(load(doc.clone())),
        [pair("/steps/0/escalate/1/notify", "schema")]
    );
    assert_eq!(
        semantic_only(doc),
        [pair("/steps/0/escalate/1/notify", "empty_notify")]
    );
}

#[test]
fn submission_without_form_is_refused_by_schema_and_semantics() {
    let mut doc = inventory();
    doc["steps"][0].as_object_mut().unwrap().remove("form");
    assert_eq!(found(load(doc.clone())), [pair("/steps/0", "schema")]);
    assert_eq!(
        semantic_only(doc),
        [pair("/steps/0", "submission_without_form")]
    );
}

#[test]
fn participant_assignee_needs_agency_participants() {
    let mut doc = inventory();
    doc["participants"] = json!("none");
    assert_eq!(
        found(load(doc)),
        [pair(
            "/steps/0/assignee/of",
            "participant_without_participants"
        )]
    );
}

#[test]
fn every_semantic_problem_is_reported_together() {
    let mut doc = inventory();
    doc["participants"] = json!("none");
    doc["steps"][0]["form"] = json!("nope");
    doc["steps"][1]["on_return"] = json!("submitt");
    let copy = doc["steps"][1].clone();
    doc["steps"].as_array_mut().unwrap().push(copy);
    assert_eq!(
        found(load(doc)),
        [
            pair("/steps/2/id", "duplicate_step"),
            pair("/steps/0/assignee/of", "participant_without_participants"),
            pair("/steps/0/form", "unknown_form"),
            pair("/steps/1/on_return", "unknown_step"),
            pair("/steps/2/on_return", "unknown_step"),
        ]
    );
}

#[test]
fn a_fixed_date_must_exist_in_the_jalali_calendar() {
    let mut doc = inventory();
    doc["steps"][0]["due"] = json!({"on": "1405-12-30"});
    assert_eq!(found(load(doc)), [pair("/steps/0/due/on", "invalid_date")]);
    let mut leap = inventory();
    leap["steps"][0]["due"] = json!({"on": "1403-12-30"});
    assert!(load(leap).is_ok(), "1403 is a leap year");
}

#[test]
fn negative_durations_and_zero_working_days_are_refused() {
    for due in [json!({"after": "-P1D"}), json!({"working_days": 0})] {
        let mut doc = inventory();
        doc["steps"][0]["due"] = due.clone();
        assert!(load(doc).is_err(), "{due}");
    }
}
