use serde_json::json;

use super::{forms, inventory, load, load_yaml, pair};
use crate::workflow::{
    DueRule, Format, IssueKind, JalaliPeriod, Notify, StepKind, Target, WorkflowDefinition,
};

const YAML: &str = r#"
key: inventory
title: {fa: "احصا", en: Inventory}
participants: agencies
steps:
  - id: submit
    type: submission
    assignee: {role: member, of: participant}
    form: data-exchange-inventory
    due: {on: "1405-09-30"}
    remind: [P3D, P1D]
    escalate:
      - {after: PT0S, notify: [supervisor, {role: secretariat}]}
    next: review
  - id: review
    type: review
    assignee: {role: secretariat}
    on_accept: done
    on_return: submit
"#;

#[test]
fn every_schema_violation_is_reported_with_pointers() {
    let mut doc = inventory();
    doc["extra"] = json!(true);
    doc["steps"][0]["due"] = json!({"after": "P1M"});
    doc["steps"][0]["next"] = json!("Review");
    doc["steps"][0]["escalate"][0]["notify"][0] = json!("boss");
    doc["steps"][1]["type"] = json!("approval");
    let error = load(doc).unwrap_err();
    let at: Vec<(&str, &str)> = error
        .issues
        .iter()
        .map(|i| match &i.kind {
            IssueKind::Schema { schema_path, .. } => (i.pointer.as_str(), schema_path.as_str()),
            other => panic!("not a schema issue: {other}"),
        })
        .collect();
    assert_eq!(
        at,
        [
            ("/steps/0/due/after", "/$defs/Duration/pattern"),
            (
                "/steps/0/escalate/0/notify/0",
                "/$defs/Escalations/items/properties/notify/items/oneOf"
            ),
            ("/steps/0/next", "/$defs/Target/pattern"),
            ("/steps/1/type", "/$defs/Step/properties/type/enum"),
            ("", "/additionalProperties"),
        ]
    );
    let text = error.to_string();
    assert!(text.contains("test.yaml: /steps/0/due/after: \"P1M\" is not a supported ISO 8601 duration: years and months have no fixed length"), "{text}");
    assert!(
        text.contains("/steps/0/next: \"Review\" is not a step id, or done"),
        "{text}"
    );
    assert!(
        text.contains("\"boss\" is not \"supervisor\" or {role: R}"),
        "{text}"
    );
    assert!(
        text.contains("test.yaml: Additional properties are not allowed ('extra' was unexpected)"),
        "{text}"
    );
}

#[test]
fn reserved_step_ids_and_due_rules_are_checked_by_the_schema() {
    let mut doc = inventory();
    doc["steps"][1]["id"] = json!("done");
    doc["steps"][0]["due"] = json!({"on": "1405-13-01", "working_days": 0});
    let error = load(doc).unwrap_err();
    let pointers: Vec<&str> = error.issues.iter().map(|i| i.pointer.as_str()).collect();
    assert!(pointers.contains(&"/steps/1/id"), "{error}");
    assert!(pointers.contains(&"/steps/0/due"), "{error}"); // two rules at once
    assert!(pointers.contains(&"/steps/0/due/on"), "{error}");
    assert!(pointers.contains(&"/steps/0/due/working_days"), "{error}");
}

#[test]
fn yaml_is_typed_as_written() {
    let definition = load_yaml(YAML).unwrap();
    let submit = definition.first_step();
    let StepKind::Submission(s) = &submit.kind else {
        panic!()
    };
    assert_eq!(s.due, DueRule::On("1405-09-30".to_owned()));
    assert_eq!(s.remind[1].as_seconds(), 86_400);
    assert_eq!(
        s.escalate[0].notify,
        [Notify::Supervisor, Notify::Role("secretariat".into())]
    );
    assert_eq!(s.next, Target::Step("review".into()));
    assert!(s.assignee.is_per_participant());
    let review = definition.step("review").unwrap();
    assert_eq!(
        review.transitions(),
        [
            ("on_accept", &Target::Done),
            ("on_return", &Target::Step("submit".into()))
        ]
    );
    assert!(review.due().is_none() && review.reminders().is_empty());
    assert!(definition.step("nope").is_none());
}

#[test]
fn defaults_fill_optional_transitions() {
    let doc = json!({
        "key": "resolution", "title": {"fa": "م", "en": "R"}, "participants": "none",
        "steps": [
            {"id": "vote", "type": "vote", "voters": {"role": "member"}, "quorum": 0.5,
             "pass": 0.5, "due": {"end_of": "jalali_year"}, "on_approved": "publish", "on_rejected": "end"},
            {"id": "publish", "type": "start_cases"}
        ]
    });
    let definition = load(doc).unwrap();
    let vote = definition.first_step();
    assert_eq!(vote.due(), Some(&DueRule::EndOf(JalaliPeriod::JalaliYear)));
    assert_eq!(vote.transitions()[2], ("on_expired", &Target::End));
    assert_eq!(
        definition.step("publish").unwrap().transitions(),
        [("next", &Target::Done)]
    );
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let error = load_yaml("key: x\nsteps: [1,\n  - : :\n").unwrap_err();
    let IssueKind::Syntax {
        line,
        column,
        message,
    } = &error.issues[0].kind
    else {
        panic!("{error}")
    };
    assert!(line.is_some() && column.is_some(), "{error}");
    assert!(
        message.contains(&format!("line {}", line.unwrap())),
        "{message}"
    );
    assert!(
        error
            .to_string()
            .starts_with("workflows/test.yaml: syntax error: "),
        "{error}"
    );
}

#[test]
fn duplicate_yaml_keys_are_refused() {
    let text = YAML.replace("    next: review\n", "    next: review\n    next: done\n");
    let error = load_yaml(&text).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("duplicate entry with key \"next\""),
        "{message}"
    );
    // yaml_serde locates the mapping holding the duplicate, and names its path.
    assert!(
        message.contains("steps[0]: duplicate entry with key \"next\" at line 6 column 5"),
        "{message}"
    );
}

#[test]
fn json_is_accepted_and_its_syntax_errors_located() {
    let text = inventory().to_string();
    let definition = WorkflowDefinition::parse("request body", &text, Format::Json, &forms());
    assert_eq!(definition.unwrap().key(), "inventory");
    let error = WorkflowDefinition::parse("request body", "{\"key\": }", Format::Json, &forms())
        .unwrap_err();
    assert!(
        matches!(
            error.issues[0].kind,
            IssueKind::Syntax {
                line: Some(1),
                column: Some(9),
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error.to_string().starts_with("request body: syntax error"),
        "{error}"
    );
}

#[test]
fn hash_ignores_layout_but_not_meaning() {
    let original = load_yaml(YAML).unwrap();
    let relaid = YAML
        .replace(
            "title: {fa: \"احصا\", en: Inventory}",
            "# a comment\ntitle:\n  en: 'Inventory'\n  fa:   احصا",
        )
        .replace(
            "    on_accept: done\n    on_return: submit",
            "    on_return: submit   # back\n    on_accept: done",
        );
    let relaid = load_yaml(&relaid).unwrap();
    assert_eq!(original.content_hash(), relaid.content_hash());
    let changed = load_yaml(&YAML.replace("[P3D, P1D]", "[P3D]")).unwrap();
    assert_ne!(original.content_hash(), changed.content_hash());
    // The stored source reloads to the same version.
    let again = load(original.source().clone()).unwrap();
    assert_eq!(again.content_hash(), original.content_hash());
}

#[test]
fn serialized_definition_reads_back_as_the_same_definition() {
    let original = load_yaml(YAML).unwrap();
    let value = serde_json::to_value(&original).unwrap();
    assert_eq!(value["steps"][0]["due"], json!({"on": "1405-09-30"}));
    let again = load(value).unwrap();
    assert_eq!(again.steps(), original.steps());
}

#[test]
fn errors_serialize_for_the_api() {
    let mut doc = inventory();
    doc["steps"][0]["next"] = json!("nowhere");
    let error = load(doc).unwrap_err();
    let value = serde_json::to_value(&error).unwrap();
    assert_eq!(value["source"], "test.yaml");
    assert_eq!(
        value["issues"][0],
        json!({"pointer": "/steps/0/next", "code": "unknown_step", "message": "unknown step \"nowhere\""})
    );
    assert_eq!(
        super::found(Err(error))[0],
        pair("/steps/0/next", "unknown_step")
    );
}

#[test]
fn the_workflow_schema_is_a_valid_draft_2020_12_schema() {
    let schema = crate::workflow::workflow_schema();
    let problems: Vec<String> = jsonschema::draft202012::meta::validator()
        .iter_errors(schema)
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}
