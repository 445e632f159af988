//! The two shipped forms: every field, every fixture's errors, every fixture round trip.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::browser::{set, submitted};
use super::*;
use crate::forms::{FormRegistry, SchemaViolation};
use crate::web::form::{ArrayOp, apply_op, field_id, parse, violations_to_errors};

const FORMS: [&str; 2] = ["data-exchange-inventory", "service-identity-cards"];

/// A document with every property filled and one item in every array, and the
/// (pointer, title) of every property in it. Written from the schema directly, not with
/// the renderer's reading of it.
fn sample(root: &Value, node: &Value, pointer: &str, fields: &mut Vec<(String, String)>) -> Value {
    let mut node = node;
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        match reference {
            "#/$defs/AgencyRef" => return json!("MIMT"),
            "#/$defs/JalaliDate" => return json!("1405-09-30"),
            _ => node = root.pointer(&reference[1..]).unwrap(),
        }
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        let mut object = serde_json::Map::new();
        for (name, schema) in properties {
            let at = format!("{pointer}/{name}");
            let title = schema.get("title").or_else(|| {
                let target = schema.get("$ref")?.as_str()?;
                root.pointer(&target[1..])?.get("title")
            });
            fields.push((
                at.clone(),
                title.and_then(Value::as_str).unwrap_or(name).to_owned(),
            ));
            object.insert(name.clone(), sample(root, schema, &at, fields));
        }
        return Value::Object(object);
    }
    if node.get("type") == Some(&json!("array")) {
        return json!([sample(
            root,
            &node["items"],
            &format!("{pointer}/0"),
            fields
        )]);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(branches) = node.get(keyword).and_then(Value::as_array) {
            let main = branches.iter().find(|b| b.get("const").is_none());
            return match main {
                Some(branch) => sample(root, branch, pointer, fields),
                None => branches[0]["const"].clone(),
            };
        }
    }
    match node.get("type").and_then(Value::as_str) {
        Some("integer") => json!(7),
        Some("number") => json!(99.5),
        Some("boolean") => json!(true),
        _ => json!("متن"),
    }
}

#[test]
fn every_field_of_the_shipped_forms_is_on_the_page_with_its_label() {
    for key in FORMS {
        let schema = shipped_schema(key);
        let mut fields = Vec::new();
        let data = sample(&schema, &schema, "", &mut fields);
        assert!(fields.len() > 60, "{key}: only {} fields", fields.len());
        let page = html(&schema, &data, &[]);
        for (pointer, title) in &fields {
            assert_one_id(&page, &field_id(pointer));
            assert!(
                page.contains(&maud::html! { (title) }.into_string()),
                "{key}: no label {title}"
            );
        }
        assert_every_control_is_labelled(&page);
        let ids: Vec<&str> = page
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let unique: BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{key}: ids repeat");
    }
}

#[test]
fn enum_values_show_their_persian_titles_not_their_codes() {
    let schema = shipped_schema("data-exchange-inventory");
    let mut fields = Vec::new();
    let data = sample(&schema, &schema, "", &mut fields);
    let page = html(&schema, &data, &[]);
    for title in [
        "روزانه",
        "به کلی سری",
        "کد ملی (اشخاص حقیقی)",
        "ایران کد (شناسه کالا)",
        "شماره پروانه یا مجوز",
        "شماره ثبت سفارش",
        "شماره گذرنامه",
        "شناسه اتباع خارجی (کد فراگیر اتباع)",
        "برخط",
        "دوجانبه",
        "نامعلوم",
    ] {
        assert!(page.contains(title), "{title} missing");
    }
    // ≤ 4 values are radios (latency: 3), more a select (frequency: 6).
    assert!(page.contains("type=\"radio\" id=\"f-needs-0-latency\""));
    assert!(page.contains("<select id=\"f-needs-0-frequency\""));
    // The agency list offers the registered agencies by code and name.
    assert!(page.contains("<option value=\"IRICA\" label=\"گمرک جمهوری اسلامی ایران\">"));
}

#[test]
fn help_is_persian_on_persian_pages_and_english_on_english_ones() {
    let schema = shipped_schema("data-exchange-inventory");
    let mut fields = Vec::new();
    let data = sample(&schema, &schema, "", &mut fields);
    let persian = html(&schema, &data, &[]);
    assert!(persian.contains("این اطلاعات برای چه کاری به کار می‌رود."));
    assert!(!persian.contains("What the data is used for."));
    // Codes explained in English are not repeated: the options carry Persian labels.
    assert!(!persian.contains("nix_gsb: the national information exchange"));
    let agencies = agencies();
    let english = render(
        &schema,
        &data,
        &[],
        &FormContext {
            locale: Locale::En,
            ..context(&agencies)
        },
    )
    .into_string();
    assert!(english.contains("What the data is used for."));
    assert!(!english.contains("این اطلاعات برای چه کاری به کار می‌رود."));
}

fn registry() -> FormRegistry {
    let mut forms = FormRegistry::new();
    forms.load_dir(&root().join("schemas")).unwrap();
    forms
}

fn fixtures(key: &str, kind: &str) -> Vec<std::path::PathBuf> {
    let dir = root().join(format!("tests/fixtures/forms/{key}/{kind}"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Each error is beside the field its pointer names, and the summary links to that field.
fn assert_errors_land(key: &str, schema: &Value, data: &Value, violations: &[SchemaViolation]) {
    let errors = violations_to_errors(schema, violations, Locale::Fa);
    let page = html(schema, data, &errors);
    let summary = &page[..page.find("</ul>").expect("a summary")];
    assert_eq!(
        summary.matches("<li>").count(),
        errors.len(),
        "{key}: {errors:?}"
    );
    for error in &errors {
        let id = field_id(&error.pointer);
        assert!(
            summary.contains(&format!("href=\"#{id}\"")),
            "{key}: no link to {id}"
        );
        assert_one_id(&page, &id);
        let beside = [
            format!("id=\"{id}-error\""),
            format!("id=\"{id}-group-error\""),
        ];
        assert!(
            beside.iter().any(|b| page.contains(b.as_str())),
            "{key}: no message at {id}"
        );
        let message = maud::html! { (error.message) }.into_string();
        assert!(
            page.matches(&message).count() >= 2,
            "{key}: {message} not shown twice"
        );
    }
}

#[test]
fn every_error_of_every_invalid_fixture_lands_on_its_field() {
    let forms = registry();
    for key in FORMS {
        let schema = forms.get(key, None).unwrap().schema().clone();
        for path in fixtures(key, "invalid") {
            let case = read_json(&path);
            let data = &case["data"];
            if !data.is_object() {
                continue;
            }
            let violations = forms.validate(key, None, data).unwrap_err();
            assert_errors_land(&format!("{}", path.display()), &schema, data, &violations);
        }
    }
}

#[test]
fn an_unknown_agency_code_is_shown_at_its_field() {
    let schema = shipped_schema("data-exchange-inventory");
    let mut data = read_json(&root().join("tests/fixtures/inventories/IRICA.json"));
    data["needs"][0]["provider_agency"] = json!("NOPE");
    // As the engine reports it (src/engine/references.rs).
    let violation = SchemaViolation {
        instance_path: "/needs/0/provider_agency".into(),
        schema_path: "/$defs/AgencyRef".into(),
        message: "\"NOPE\" is not a registered agency code".into(),
    };
    assert_errors_land("IRICA", &schema, &data, &[violation]);
    let page = html(&schema, &data, &[]);
    assert!(page.contains("value=\"NOPE\""), "the code typed is kept");
}

/// The first pointer at which two documents differ, to say where a round trip broke.
fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            difference(
                &x.get(k).cloned().unwrap_or(Value::Null),
                &y.get(k).cloned().unwrap_or(Value::Null),
                &format!("{at}/{k}"),
            )
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| difference(p, q, &format!("{at}/{i}"))),
        _ => (a != b).then(|| format!("{at}: {a} != {b}")),
    }
}

fn assert_round_trip(schema: &Value, data: &Value, name: &str) {
    let back = round_trip(schema, data);
    assert_eq!(difference(&back, data, ""), None, "{name}");
}

fn round_trip(schema: &Value, data: &Value) -> Value {
    let agencies = agencies();
    let page = render(schema, data, &[], &context(&agencies)).into_string();
    let parsed = parse(schema, &submitted(&page), &context(&agencies));
    assert_eq!(parsed.errors, [], "{}", page.len());
    parsed.data
}

#[test]
fn every_valid_document_survives_render_and_post() {
    let mut checked = 0;
    for key in FORMS {
        let schema = shipped_schema(key);
        for path in fixtures(key, "valid") {
            let data = read_json(&path);
            assert_round_trip(&schema, &data, &path.display().to_string());
            checked += 1;
        }
    }
    let schema = shipped_schema("data-exchange-inventory");
    for entry in std::fs::read_dir(root().join("tests/fixtures/inventories")).unwrap() {
        let path = entry.unwrap().path();
        if path.ends_with("expected-matrix.json") {
            continue;
        }
        let data = read_json(&path);
        assert_round_trip(&schema, &data, &path.display().to_string());
        checked += 1;
    }
    assert!(checked > 40, "{checked}");
}

fn minimal_need() -> (Value, Value) {
    let schema = shipped_schema("data-exchange-inventory");
    let data = read_json(&fixtures("data-exchange-inventory", "valid")[4]);
    assert!(data["needs"][0].is_object());
    (schema, data)
}

#[test]
fn persian_digits_and_slashed_dates_are_read_as_the_api_expects_them() {
    let (schema, data) = minimal_need();
    let agencies = agencies();
    let page = render(&schema, &data, &[], &context(&agencies)).into_string();
    let mut posted = submitted(&page);
    set(
        &mut posted,
        "/needs/0/expected_volume/calls_per_day",
        "۱٬۲۰۰",
    );
    set(&mut posted, "/needs/0/needed_by", "۱۴۰۵/۹/۳۰");
    set(
        &mut posted,
        "/needs/0/provider_agency",
        "گمرک جمهوری اسلامی ایران",
    );
    set(&mut posted, "/needs/0/contact/phone", "۰۲۱-۶۱۹۳۲۰۰۰");
    let parsed = parse(&schema, &posted, &context(&agencies));
    assert_eq!(parsed.errors, []);
    let need = &parsed.data["needs"][0];
    assert_eq!(need["expected_volume"]["calls_per_day"], json!(1200));
    assert_eq!(need["needed_by"], json!("1405-09-30"));
    assert_eq!(need["provider_agency"], json!("IRICA"));
    assert_eq!(need["contact"]["phone"], json!("021-61932000"));
    assert_eq!(
        registry().validate("data-exchange-inventory", None, &parsed.data),
        Ok(())
    );
}

#[test]
fn what_cannot_be_read_is_kept_as_typed_and_reported_at_its_field() {
    let (schema, data) = minimal_need();
    let agencies = agencies();
    let page = render(&schema, &data, &[], &context(&agencies)).into_string();
    let mut posted = submitted(&page);
    set(
        &mut posted,
        "/needs/0/expected_volume/calls_per_day",
        "۱۲ تا",
    );
    set(&mut posted, "/needs/0/needed_by", "۱۴۰۵/۱۳/۰۱");
    let parsed = parse(&schema, &posted, &context(&agencies));
    let pointers: Vec<&str> = parsed.errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/needs/0/expected_volume/calls_per_day",
            "/needs/0/needed_by"
        ]
    );
    let need = &parsed.data["needs"][0];
    assert_eq!(need["expected_volume"]["calls_per_day"], json!("۱۲ تا"));
    assert_eq!(need["needed_by"], json!("۱۴۰۵/۱۳/۰۱"));
    let again = html(&schema, &parsed.data, &parsed.errors);
    assert!(again.contains("value=\"۱۲ تا\""));
    assert!(again.contains("id=\"f-needs-0-needed_by-error\""));
    assert!(
        registry()
            .validate("data-exchange-inventory", None, &parsed.data)
            .is_err()
    );
}

#[test]
fn array_buttons_add_remove_and_move_within_the_schema_limits() {
    let schema = shipped_schema("data-exchange-inventory");
    let mut data = json!({"needs": [], "offers": []});
    assert!(apply_op(&schema, &mut data, &ArrayOp::Add("/needs".into())));
    // A new need starts with the rows its required lists need.
    assert_eq!(
        data["needs"][0],
        json!({"data_items": [{}], "legal_basis": [{}]})
    );
    let page = html(&schema, &data, &[]);
    assert_one_id(&page, "f-needs-0-title");
    assert!(page.contains("value=\"remove:/needs/0\""));
    // data_items has minItems 1: its only row cannot be removed.
    assert!(!page.contains("value=\"remove:/needs/0/data_items/0\""));
    assert!(!apply_op(
        &schema,
        &mut data,
        &ArrayOp::Remove("/needs/0/data_items/0".into())
    ));
    data["needs"][0]["title"] = json!("A");
    apply_op(&schema, &mut data, &ArrayOp::Add("/needs".into()));
    data["needs"][1]["title"] = json!("B");
    assert!(apply_op(
        &schema,
        &mut data,
        &ArrayOp::Up("/needs/1".into())
    ));
    assert_eq!(data["needs"][0]["title"], json!("B"));
    assert!(apply_op(
        &schema,
        &mut data,
        &ArrayOp::Down("/needs/0".into())
    ));
    assert!(!apply_op(
        &schema,
        &mut data,
        &ArrayOp::Down("/needs/1".into())
    ));
    assert!(apply_op(
        &schema,
        &mut data,
        &ArrayOp::Remove("/needs/0".into())
    ));
    assert_eq!(data["needs"][0]["title"], json!("B"));
    // An optional list that is not there yet is made by its first add.
    assert!(apply_op(
        &schema,
        &mut data,
        &ArrayOp::Add("/needs/0/used_by_services".into())
    ));
    assert_eq!(data["needs"][0]["used_by_services"], json!([""]));
    // lookup_keys allows 10 items at most.
    data["needs"][0]["lookup_keys"] = json!(vec!["other"; 10]);
    assert!(!apply_op(
        &schema,
        &mut data,
        &ArrayOp::Add("/needs/0/lookup_keys".into())
    ));
}

#[test]
fn a_new_form_starts_with_its_required_lists_and_posts_them_even_empty() {
    let schema = shipped_schema("data-exchange-inventory");
    let empty = crate::web::form::empty_document(&schema);
    assert_eq!(empty, json!({"needs": [], "offers": []}));
    let agencies = agencies();
    // A page drawn without the lists still posts them: required lists are never "missing".
    let page = render(&schema, &json!({}), &[], &context(&agencies)).into_string();
    let parsed = parse(&schema, &submitted(&page), &context(&agencies));
    assert_eq!(parsed.data, empty);
    let cards = shipped_schema("service-identity-cards");
    // services asks for one card at least: a new form starts with it, and its own rows.
    let card = json!({"legal_basis": [{}], "channels": [{}]});
    assert_eq!(
        crate::web::form::empty_document(&cards),
        json!({"services": [card]})
    );
}

#[test]
fn the_pressed_button_is_read_from_the_post() {
    let (schema, data) = minimal_need();
    let agencies = agencies();
    let page = render(&schema, &data, &[], &context(&agencies)).into_string();
    let mut posted = submitted(&page);
    posted.push(("op".into(), "add:/needs/0/legal_basis".into()));
    let parsed = parse(&schema, &posted, &context(&agencies));
    assert_eq!(parsed.op, Some(ArrayOp::Add("/needs/0/legal_basis".into())));
    assert_eq!(parsed.data, data);
}
