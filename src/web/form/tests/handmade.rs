//! Hand-made schemas: nested arrays, enums in both spellings, `$ref` chains, labels.

use serde_json::{Value, json};

use super::browser::{set, submitted};
use super::*;
use crate::forms::FormRegistry;
use crate::web::form::{field_id, parse, violations_to_errors};

/// A project with phases, each with tasks, each with tags; a `$ref` chain for the owner.
fn projects() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": "پروژه",
        "required": ["name", "phases", "owner"],
        "x-order": ["name", "size", "owner", "phases", "public"],
        "properties": {
            "public": {"type": "boolean", "title": "عمومی"},
            "name": {"type": "string", "title": "نام پروژه", "minLength": 1, "description": "نامی کوتاه"},
            "size": {"title": "اندازه", "oneOf": [
                {"const": "s", "title": "کوچک"}, {"const": "m", "title": "متوسط"},
                {"const": "l", "title": "بزرگ"}, {"const": "xl", "title": "خیلی بزرگ"},
                {"const": "xxl", "title": "غول‌آسا"}
            ]},
            "owner": {"$ref": "#/$defs/Owner", "title": "مالک"},
            "phases": {"type": "array", "title": "مراحل", "minItems": 1, "maxItems": 3, "items": {
                "type": "object", "title": "مرحله", "required": ["label"],
                "properties": {
                    "label": {"type": "string", "title": "عنوان مرحله", "minLength": 1},
                    "tasks": {"type": "array", "title": "کارها", "items": {"$ref": "#/$defs/Task"}}
                }
            }}
        },
        "$defs": {
            "Owner": {"$ref": "#/$defs/Person"},
            "Person": {"type": "object", "title": "شخص", "required": ["who"], "properties": {
                "who": {"type": "string", "title": "نام شخص", "minLength": 1},
                "age": {"type": "integer", "title": "سن", "minimum": 18}
            }},
            "Task": {"type": "object", "title": "کار", "required": ["state"], "properties": {
                "state": {"title": "وضعیت", "type": "string", "enum": ["todo", "done"]},
                "tags": {"type": "array", "title": "برچسب‌ها", "items": {"type": "string", "title": "برچسب", "minLength": 2}},
                "hours": {"type": "number", "title": "ساعت"}
            }}
        }
    })
}

fn full() -> Value {
    json!({
        "name": "P", "size": "xl", "public": true,
        "owner": {"who": "Sara", "age": 30},
        "phases": [
            {"label": "one", "tasks": [{"state": "todo", "tags": ["aa", "bb"], "hours": 1.5}]},
            {"label": "two", "tasks": []}
        ]
    })
}

#[test]
fn nested_arrays_refs_and_enums_are_all_on_the_page_with_labels() {
    let page = html(&projects(), &full(), &[]);
    for pointer in [
        "/name",
        "/size",
        "/public",
        "/owner",
        "/owner/who",
        "/owner/age",
        "/phases",
        "/phases/0",
        "/phases/0/label",
        "/phases/0/tasks",
        "/phases/0/tasks/0",
        "/phases/0/tasks/0/state",
        "/phases/0/tasks/0/tags",
        "/phases/0/tasks/0/tags/1",
        "/phases/0/tasks/0/hours",
        "/phases/1/tasks",
    ] {
        assert_one_id(&page, &field_id(pointer));
    }
    for label in [
        "نام پروژه",
        "اندازه",
        "مالک",
        "نام شخص",
        "مراحل",
        "مرحله ۲",
        "کارها",
        "کار ۱",
        "برچسب ۲",
        "ساعت",
        "عمومی",
    ] {
        assert!(page.contains(label), "{label}");
    }
    // The ref site's title wins over the definition's.
    assert!(!page.contains("شخص<"));
    // Five sizes: a select labelled with the titles; two states: radios with the raw values.
    assert!(page.contains("<option value=\"xl\" selected>خیلی بزرگ</option>"));
    assert!(page.contains("type=\"radio\" id=\"f-phases-0-tasks-0-state\" name=\"/phases/0/tasks/0/state\" value=\"todo\" checked"));
    // The order is x-order's, not the alphabet's.
    let at = |id: &str| page.find(&format!("id=\"{id}\"")).unwrap();
    assert!(
        at("f-name") < at("f-size")
            && at("f-size") < at("f-owner")
            && at("f-phases") < at("f-public")
    );
    // Help text and required marks.
    assert!(page.contains("aria-describedby=\"f-name-help\""));
    assert!(page.contains("aria-required=\"true\""));
    assert_every_control_is_labelled(&page);
}

#[test]
fn nested_arrays_round_trip_and_empty_optional_fields_are_left_out() {
    let schema = projects();
    assert_eq!(round(&schema, &full()), full());
    let sparse = json!({"name": "P", "owner": {"who": "S"}, "phases": [{"label": "x"}]});
    assert_eq!(round(&schema, &sparse), sparse);
}

fn round(schema: &Value, data: &Value) -> Value {
    let agencies = agencies();
    let page = render(schema, data, &[], &context(&agencies)).into_string();
    let parsed = parse(schema, &submitted(&page), &context(&agencies));
    assert_eq!(parsed.errors, []);
    parsed.data
}

#[test]
fn an_emptied_required_field_is_reported_at_that_field_not_its_parent() {
    let schema = projects();
    let agencies = agencies();
    let page = render(&schema, &full(), &[], &context(&agencies)).into_string();
    let mut posted = submitted(&page);
    set(&mut posted, "/owner/who", "");
    set(&mut posted, "/phases/0/tasks/0/tags/0", "a");
    set(&mut posted, "/owner/age", "۱۷");
    let parsed = parse(&schema, &posted, &context(&agencies));
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.data["owner"], json!({"age": 17}));
    let mut forms = FormRegistry::new();
    forms.register("projects", schema.clone()).unwrap();
    let violations = forms.validate("projects", None, &parsed.data).unwrap_err();
    let errors = violations_to_errors(&schema, &violations, Locale::Fa);
    let mut pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        ["/owner/age", "/owner/who", "/phases/0/tasks/0/tags/0"]
    );
    let page = html(&schema, &parsed.data, &errors);
    assert!(page.contains("id=\"f-owner-who-error\""));
    assert!(page.contains("کمتر از ۱۸ نباشد"));
    assert!(page.contains("دست‌کم ۲ نویسه"));
    assert!(page.contains("href=\"#f-phases-0-tasks-0-tags-0\""));
}

#[test]
fn an_error_at_a_path_with_no_field_is_still_listed_and_linked_to_the_nearest_field() {
    let schema = projects();
    let errors = [FieldError {
        pointer: "/phases/0/ghost/3".into(),
        message: "lost".into(),
    }];
    let page = html(&schema, &full(), &errors);
    assert!(page.contains("href=\"#f-phases-0\""), "{page}");
    assert!(page.contains("lost"));
}

#[test]
fn english_forms_say_it_in_english_with_ascii_digits() {
    let agencies = agencies();
    let ctx = FormContext {
        locale: Locale::En,
        ..context(&agencies)
    };
    let data = json!({"phases": [{}, {}]});
    let page = render(&projects(), &data, &[], &ctx).into_string();
    assert!(page.contains("مرحله 2"));
    assert!(page.contains("(required)"));
}
