use serde_json::{Value, json};

use super::*;

fn contact_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "email"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "email": {"type": "string", "format": "email"},
            "site": {"type": "string", "format": "uri"},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}}
        },
        "$defs": {"Tag": {"enum": ["a", "b"]}}
    })
}

fn registry() -> FormRegistry {
    let mut forms = FormRegistry::new();
    forms.register("contact", contact_schema()).unwrap();
    forms
}

/// Wraps `inner` in `levels` objects without recursion (json! would serialize
/// the inner value recursively).
fn nest(inner: Value, levels: usize) -> Value {
    let mut doc = inner;
    for _ in 0..levels {
        let mut map = serde_json::Map::new();
        map.insert("a".to_owned(), doc);
        doc = Value::Object(map);
    }
    doc
}

fn paths(violations: &[SchemaViolation]) -> Vec<(&str, &str)> {
    let mut found: Vec<_> = violations
        .iter()
        .map(|v| (v.instance_path.as_str(), v.keyword()))
        .collect();
    found.sort();
    found
}

#[test]
fn a_fitting_document_passes() {
    let doc = json!({"name": "Sara", "email": "sara@example.ir", "site": "https://x.ir/a"});
    assert_eq!(registry().validate("contact", None, &doc), Ok(()));
}

#[test]
fn every_violation_is_reported_with_pointers() {
    let doc = json!({"email": "not-an-address", "site": "no scheme", "tags": ["a", "z"], "x": 1});
    let errors = registry().validate("contact", None, &doc).unwrap_err();
    assert_eq!(
        paths(&errors),
        vec![
            ("", "additionalProperties"),
            ("", "required"),
            ("/email", "format"),
            ("/site", "format"),
            ("/tags/1", "enum"),
        ]
    );
    // $ref hops are not in the schema path: it names where the keyword is written.
    let tag = errors
        .iter()
        .find(|v| v.instance_path == "/tags/1")
        .unwrap();
    assert_eq!(tag.schema_path, "/$defs/Tag/enum");
    let serialized = serde_json::to_value(tag).unwrap();
    assert_eq!(serialized["instance_path"], "/tags/1");
}

#[test]
fn a_document_that_is_not_an_object_is_a_violation() {
    let forms = registry();
    for doc in [json!([1, 2]), json!("text"), json!(null), json!(3)] {
        let errors = forms.validate("contact", None, &doc).unwrap_err();
        assert_eq!(paths(&errors), vec![("", "type")], "{doc}");
    }
}

#[test]
fn a_hostile_deep_document_is_refused_without_recursion() {
    let doc = nest(json!({}), 10_000);
    let errors = registry().validate("contact", None, &doc).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("deeper than 64"),
        "{}",
        errors[0]
    );
    // serde_json drops values recursively; leak this one rather than test its Drop.
    std::mem::forget(doc);
}

#[test]
fn depth_limit_is_exact() {
    let doc = nest(json!({}), MAX_DEPTH - 1);
    assert!(!violation::exceeds_depth(&doc, MAX_DEPTH));
    assert!(violation::exceeds_depth(
        &Value::Array(vec![doc]),
        MAX_DEPTH
    ));
}

#[test]
fn unchanged_schema_keeps_its_version_and_a_change_makes_a_new_one() {
    let mut forms = registry();
    let same = forms.register("contact", contact_schema()).unwrap();
    assert_eq!((same.version, same.created), (1, false));
    let mut changed = contact_schema();
    changed["required"] = json!(["name"]);
    let second = forms.register("contact", changed).unwrap();
    assert_eq!((second.version, second.created), (2, true));
    assert_ne!(same.hash, second.hash);
    // version 1 keeps its own validator: email is still required there.
    let doc = json!({"name": "Sara"});
    assert!(forms.validate("contact", Some(1), &doc).is_err());
    assert_eq!(forms.validate("contact", None, &doc), Ok(()));
    assert_eq!(forms.get("contact", Some(2)).unwrap().version(), 2);
    assert!(forms.get("contact", Some(3)).is_none());
    assert!(forms.get("contact", Some(0)).is_none());
}

#[test]
fn an_invalid_schema_is_refused_with_every_problem() {
    let bad = json!({"type": "strin", "minimum": "x", "properties": {"a": {"required": "no"}}});
    let err = FormRegistry::new().register("bad", bad).unwrap_err();
    let FormError::NotASchema { problems, .. } = &err else {
        panic!("{err}")
    };
    let mut at: Vec<_> = problems.iter().map(|p| p.instance_path.as_str()).collect();
    at.sort();
    assert_eq!(at, ["/minimum", "/properties/a/required", "/type"]);
    assert!(err.to_string().contains("not a valid JSON Schema"), "{err}");
}

#[test]
fn other_drafts_and_external_refs_are_refused() {
    let mut forms = FormRegistry::new();
    let draft7 = json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"});
    assert!(matches!(
        forms.register("old", draft7),
        Err(FormError::UnsupportedDraft { .. })
    ));
    for target in [
        "file:///etc/hostname",
        "https://example.com/s.json",
        "other.json",
    ] {
        let external = json!({"$ref": target});
        let err = forms.register("ext", external).unwrap_err();
        assert!(matches!(err, FormError::Compile { .. }), "{target}: {err}");
    }
    assert!(matches!(
        forms.register("Bad Key", json!({})),
        Err(FormError::InvalidKey { .. })
    ));
    assert!(!forms.contains("ext"));
}

#[test]
fn unknown_form_is_a_single_root_violation() {
    let errors = registry().validate("nope", None, &json!({})).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("unknown form"));
}

#[test]
fn long_messages_do_not_echo_the_document() {
    let forms = {
        let mut f = FormRegistry::new();
        f.register(
            "t",
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        )
        .unwrap();
        f
    };
    let big: Vec<u32> = (0..500).collect();
    let errors = forms.validate("t", None, &json!({"a": big})).unwrap_err();
    assert!(errors[0].message.len() < 200, "{}", errors[0].message);
}

#[test]
fn load_dir_registers_schema_files_and_skips_the_workflow_schema() {
    let dir = std::env::temp_dir().join(format!("daftar-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("contact.schema.json", &contact_schema().to_string());
    write("workflow.schema.json", "not even json");
    write("notes.txt", "ignored");
    write("broken.schema.json", "{\"type\": ");
    let mut forms = FormRegistry::new();
    let errors = forms.load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].to_string().contains("broken.schema.json"),
        "{}",
        errors[0]
    );
    assert!(forms.contains("contact"));
    assert_eq!(forms.list().len(), 1);
}

#[test]
fn messages_list_every_option_and_quote_descriptions() {
    let mut forms = FormRegistry::new();
    let schema = json!({
        "type": "object",
        "properties": {
            "mode": {"enum": ["online", "batch", "manual", "letter"]},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "three capital letters"}
        }
    });
    forms.register("t", schema).unwrap();
    let errors = forms
        .validate("t", None, &json!({"mode": "nix", "code": "ab"}))
        .unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|v| v.message.as_str()).collect();
    assert!(
        messages.contains(&"\"ab\" does not match \"^[A-Z]{3}$\" (three capital letters)"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"\"nix\" is not one of \"online\", \"batch\", \"manual\", \"letter\""),
        "{messages:?}"
    );
}

/// `A` is `allOf: [A, A]`: an administrator's schema that refers to itself through a
/// combinator. Registering it is refused, or validating against it and walking it for agency
/// codes stay bounded.
#[test]
fn a_self_referencing_all_of_is_refused_or_bounded() {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            "A": {"allOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/A"}]},
            "AgencyRef": {"type": "string"}
        },
        "$ref": "#/$defs/A"
    });
    let mut forms = FormRegistry::new();
    match forms.register("loop", schema.clone()) {
        // Refusing it at registration is one of the two acceptable answers.
        Err(error) => assert!(!error.to_string().is_empty()),
        Ok(_) => {
            let data = json!({"a": "MIMT"});
            let _ = forms.validate("loop", None, &data);
            let walked = walk_agency_refs(&schema, &data);
            assert!(walked.visits <= 2, "{} visits", walked.visits);
        }
    }
}

/// A pattern with a backreference runs on fancy-regex's backtracking engine; nested
/// quantifiers make it exponential in the input. Past [`REGEX_BACKTRACK_LIMIT`] steps the value
/// is refused as a violation instead of being worked on.
#[test]
fn a_backtracking_pattern_is_cut_off_at_the_limit() {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": "^(a|a)*\\1b$"}}
    });
    let mut forms = FormRegistry::new();
    forms.register("codes", schema).unwrap();
    let data = json!({"code": "a".repeat(12)});
    let violations = forms.validate("codes", None, &data).unwrap_err();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].message.contains("backtracking"),
        "{violations:?}"
    );
}

#[test]
fn an_enum_written_as_labelled_consts_lists_every_option_with_its_label() {
    let mut forms = FormRegistry::new();
    let schema = json!({
        "type": "object",
        "properties": {
            "mode": {"type": "string", "description": "how", "oneOf": [
                {"const": "online", "title": "برخط"},
                {"const": "batch", "title": "دسته‌ای"},
                {"const": "manual"}
            ]}
        }
    });
    forms.register("t", schema).unwrap();
    let long = "x".repeat(300);
    for (sent, shown) in [("nix", "\"nix\""), (long.as_str(), "the value")] {
        let errors = forms
            .validate("t", None, &json!({"mode": sent}))
            .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].keyword(), "oneOf");
        assert_eq!(
            errors[0].message,
            format!("{shown} is not one of \"online\" (برخط), \"batch\" (دسته‌ای), \"manual\"")
        );
    }
}

#[test]
fn every_shipped_inventory_fixture_still_fits_the_inventory_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut forms = FormRegistry::new();
    forms.load_dir(&root.join("schemas")).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("tests/fixtures/inventories")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n == "expected-matrix.json")
        {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let result = forms.validate("data-exchange-inventory", None, &doc);
        assert_eq!(result, Ok(()), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 31, "{checked} inventories");
}

/// The shipped schema as it was written before enum labels moved into it: every
/// `oneOf` of titled constants back to a plain `enum`, no `x-order`, no branch titles.
fn with_plain_enums(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let consts = value.as_array().and_then(|branches| {
                    branches
                        .iter()
                        .map(|b| b.get("const").filter(|_| b.get("title").is_some()).cloned())
                        .collect::<Option<Vec<Value>>>()
                });
                match (key.as_str(), consts) {
                    ("oneOf", Some(values)) => {
                        out.insert("enum".into(), Value::Array(values));
                    }
                    ("x-order", _) => {}
                    ("title", _) if map.contains_key("const") => {}
                    _ => {
                        out.insert(key.clone(), with_plain_enums(value));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_plain_enums).collect()),
        other => other.clone(),
    }
}

fn failing_paths(forms: &FormRegistry, key: &str, version: u32, doc: &Value) -> Vec<String> {
    let mut paths: Vec<String> = match forms.validate(key, Some(version), doc) {
        Ok(()) => Vec::new(),
        Err(violations) => violations.into_iter().map(|v| v.instance_path).collect(),
    };
    paths.sort();
    paths.dedup();
    paths
}

#[test]
fn labelled_enums_accept_and_refuse_exactly_what_plain_enums_did() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    for key in ["data-exchange-inventory", "service-identity-cards"] {
        let labelled = read(&root.join(format!("schemas/{key}.schema.json")));
        let plain = with_plain_enums(&labelled);
        assert!(!plain.to_string().contains("oneOf\":[{\"const\""), "{key}");
        let mut forms = FormRegistry::new();
        assert_eq!(forms.register(key, plain).unwrap().version, 1);
        // Registering the labelled schema over it is a new version; the old one stays.
        assert_eq!(forms.register(key, labelled).unwrap().version, 2);
        assert!(forms.get(key, Some(1)).is_some());
        let mut documents = Vec::new();
        for kind in ["valid", "invalid"] {
            let dir = root.join(format!("tests/fixtures/forms/{key}/{kind}"));
            for entry in std::fs::read_dir(dir).unwrap() {
                let doc = read(&entry.unwrap().path());
                documents.push(if kind == "invalid" {
                    doc["data"].clone()
                } else {
                    doc
                });
            }
        }
        if key == "data-exchange-inventory" {
            for entry in std::fs::read_dir(root.join("tests/fixtures/inventories")).unwrap() {
                documents.push(read(&entry.unwrap().path()));
            }
        }
        assert!(documents.len() > 20);
        for doc in &documents {
            assert_eq!(
                failing_paths(&forms, key, 1, doc),
                failing_paths(&forms, key, 2, doc),
                "{key}: {doc}"
            );
        }
    }
}
