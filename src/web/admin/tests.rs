//! The administrator's pages rendered from their views, and the checks behind the upload
//! and closure forms, without a server.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::calendar::{ClosureForm, calendar_page, calendar_view, closure_error};
use super::catalog::{CaseRef, KeyRows, Kind, VersionRow};
use super::catalog_page::{catalog_page, version_page};
use super::notifications::{Filter, notifications_page};
use super::upload_form::{Refusal, UploadForm, checked_schema, format_for, upload_text};
use super::*;
use crate::calendar::BusinessCalendar;
use crate::engine::Member;
use crate::forms::FormRegistry;
use crate::outbox::Notification;
use crate::web::multipart::FilePart;
use crate::workflow::{Format, WorkflowDefinition};

fn viewer(locale: &str) -> Viewer {
    let member = Member {
        id: "admin".into(),
        name: "مدیر".into(),
        email: "admin@mimt.example".into(),
        agency: None,
        roles: vec![Role::Admin],
        supervisor_id: None,
        locale: locale.into(),
        version: 1,
        disabled: false,
    };
    let now = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Viewer::rendering_for(member, now)
}

fn file(name: &str, bytes: &[u8]) -> FilePart {
    FilePart {
        field: "file".into(),
        filename: name.into(),
        content_type: "application/octet-stream".into(),
        bytes: bytes.to_vec(),
    }
}

#[test]
fn the_landing_page_links_every_administrators_page() {
    let html = landing_page(&viewer("fa")).into_string();
    for path in [
        "/admin/agencies",
        "/admin/members",
        "/admin/workflows",
        "/admin/forms",
        "/admin/notifications",
        "/admin/calendar",
    ] {
        assert!(html.contains(&format!("href=\"{path}\"")), "{path}");
    }
    assert!(
        landing_page(&viewer("en"))
            .into_string()
            .contains("Administration")
    );
}

#[test]
fn an_upload_is_named_by_its_file_and_refused_when_too_large_empty_or_not_utf8() {
    let typed = UploadForm::default();
    let big = file("big.yaml", &vec![b'a'; 5 * 1024 * 1024]);
    let refused = upload_text(Locale::En, &typed, Some(&big), 1024 * 1024).unwrap_err();
    assert_eq!(refused.source, "big.yaml");
    assert!(
        refused.problems[0].message.contains("5242880"),
        "{refused:?}"
    );
    let empty = upload_text(Locale::En, &typed, None, 1024).unwrap_err();
    assert_eq!(empty.source, "pasted text");
    let latin1 = upload_text(
        Locale::En,
        &typed,
        Some(&file("x.yaml", b"key: \xe9")),
        1024,
    );
    assert!(latin1.unwrap_err().problems[0].message.contains("UTF-8"));
    let pasted = UploadForm {
        key: String::new(),
        text: "{\"key\": \"x\"}".into(),
    };
    let (source, text) = upload_text(Locale::Fa, &pasted, None, 1024).unwrap();
    assert_eq!(
        (source.as_str(), text.as_str()),
        ("متن واردشده", "{\"key\": \"x\"}")
    );
    assert_eq!(format_for(None, &text), Format::Json);
    assert_eq!(format_for(None, "key: x"), Format::Yaml);
    assert_eq!(
        format_for(Some(&file("w.json", b"")), "key: x"),
        Format::Json
    );
}

#[test]
fn a_broken_workflow_is_refused_with_its_file_and_pointer() {
    let forms = FormRegistry::new();
    let cyclic = "key: loop\ntitle: {fa: حلقه, en: Loop}\nparticipants: none\nsteps:\n  - id: a\n    type: teleport\n";
    let error = WorkflowDefinition::parse("loop.yaml", cyclic, Format::Yaml, &forms).unwrap_err();
    let refusal = Refusal::from(error);
    assert_eq!(refusal.source, "loop.yaml");
    assert!(
        refusal
            .problems
            .iter()
            .any(|p| p.pointer.starts_with("/steps/0")),
        "{refusal:?}"
    );
    let html = super::upload_form::refusal_summary(Locale::Fa, &refusal).into_string();
    assert!(
        html.contains("loop.yaml") && html.contains("/steps/0"),
        "{html}"
    );
    let syntax = WorkflowDefinition::parse("bad.yaml", "key: [unclosed", Format::Yaml, &forms);
    assert!(
        Refusal::from(syntax.unwrap_err()).problems[0]
            .message
            .contains("syntax")
    );
}

#[test]
fn a_form_schema_must_be_a_local_object_schema() {
    let not_object = checked_schema("f.json", "svc", "[1, 2]").unwrap_err();
    assert!(not_object.problems[0].message.contains("object"));
    let remote =
        json!({"type": "object", "properties": {"a": {"$ref": "https://example.org/s.json"}}});
    let refused = checked_schema("f.json", "svc", &remote.to_string()).unwrap_err();
    assert_eq!(refused.source, "f.json");
    let wrong_type = json!({"type": "object", "properties": {"a": {"type": 5}}});
    let refused = checked_schema("f.json", "svc", &wrong_type.to_string()).unwrap_err();
    assert!(
        refused
            .problems
            .iter()
            .any(|p| p.pointer.contains("/properties/a")),
        "{refused:?}"
    );
    let not_json = checked_schema("f.json", "svc", "{").unwrap_err();
    assert!(not_json.problems[0].message.contains("not JSON"));
    assert!(checked_schema("f.json", "svc", r#"{"type": "object"}"#).is_ok());
}

fn rows() -> Vec<KeyRows> {
    vec![KeyRows {
        key: "data-exchange-inventory".into(),
        title: "سیاهه".into(),
        versions: vec![
            VersionRow {
                version: 2,
                hash: "abcdef0123456789abcdef".into(),
                used_by: vec![],
                used_count: 0,
            },
            VersionRow {
                version: 1,
                hash: "0123456789abcdef0123".into(),
                used_by: (0..7)
                    .map(|i| CaseRef {
                        id: format!("case-{i}"),
                        title: format!("پرونده {i}"),
                    })
                    .collect(),
                used_count: 7,
            },
        ],
    }]
}

#[test]
fn the_catalog_lists_versions_with_hashes_and_cases_and_keeps_a_refused_upload() {
    let typed = UploadForm {
        key: String::new(),
        text: "key: <b>x</b>".into(),
    };
    let refusal = Refusal {
        source: "w.yaml".into(),
        problems: vec![super::upload_form::Problem {
            pointer: "/steps/1/next".into(),
            message: "unknown step \"z\"".into(),
        }],
    };
    let html = catalog_page(
        &viewer("fa"),
        Kind::Workflow,
        &rows(),
        &typed,
        Some(&refusal),
    )
    .into_string();
    assert!(html.contains("abcdef012345"), "the short hash");
    assert!(html.contains("href=\"/admin/workflows/data-exchange-inventory/1\""));
    assert!(html.contains("href=\"/cases/case-4\"") && !html.contains("href=\"/cases/case-5\""));
    assert!(html.contains("href=\"/cases?workflow=data-exchange-inventory\""));
    assert!(html.contains("/steps/1/next") && html.contains("w.yaml"));
    assert!(
        html.contains("key: &lt;b&gt;x&lt;/b&gt;"),
        "typed text kept, escaped"
    );
    let form = catalog_page(
        &viewer("en"),
        Kind::Form,
        &rows(),
        &UploadForm::default(),
        None,
    )
    .into_string();
    assert!(form.contains("name=\"key\"") && !form.contains("error-summary"));
}

#[test]
fn a_version_is_shown_escaped_and_left_to_right() {
    let html = version_page(
        &viewer("fa"),
        Kind::Form,
        "f",
        3,
        "h1",
        "{\"a\": \"<script>\"}",
    )
    .into_string();
    assert!(html.contains("<pre class=\"source\" dir=\"ltr\""), "{html}");
    assert!(html.contains("&lt;script&gt;") && !html.contains("\"<script>\""));
}

fn notification(i: usize, status: &str) -> Notification {
    Notification {
        id: format!("n{i:03}"),
        case_id: Some("6f1c1c1e-0000-4000-8000-000000000001".into()),
        to: "a@b.example".into(),
        member_id: "m".into(),
        template: "task_assigned".into(),
        subject: "کار تازه".into(),
        status: status.into(),
        attempts: 3,
        last_error: (status == "failed").then(|| "550 mailbox unavailable".into()),
        caused_by_event: "1b2c3d4e-0000-4000-8000-000000000002".into(),
    }
}

#[test]
fn notifications_are_filtered_and_paged_by_the_query_string() {
    let filter = Filter {
        case: "not-a-case".into(),
        ..Filter::default()
    };
    assert!(filter.query(Locale::En).is_err());
    let filter = Filter {
        status: "sent".into(),
        case: " 6f1c1c1e-0000-4000-8000-000000000001 ".into(),
        after: String::new(),
    };
    let query = filter.query(Locale::En).unwrap();
    assert_eq!(query.status.as_deref(), Some("sent"));
    assert_eq!(query.limit, 50);
    assert_eq!(
        filter.next_page("n049"),
        "/admin/notifications?case=6f1c1c1e-0000-4000-8000-000000000001&status=sent&after=n049"
    );
    let full: Vec<Notification> = (0..50).map(|i| notification(i, "failed")).collect();
    let html = notifications_page(&viewer("fa"), &filter, &full, None).into_string();
    assert!(html.contains("550 mailbox unavailable") && html.contains("۳"));
    assert!(html.contains("rel=\"next\"") && html.contains("after=n049"));
    let short = notifications_page(&viewer("en"), &filter, &full[..3], Some("bad")).into_string();
    assert!(!short.contains("rel=\"next\"") && short.contains("aria-invalid=\"true\""));
}

#[test]
fn the_calendar_shows_this_year_and_next_and_a_refused_closure_where_it_belongs() {
    let view = calendar_view(&BusinessCalendar::builtin(), 1405);
    assert!(!view.years.is_empty() && view.years[0].year == 1405);
    let refusal = closure_error(Locale::Fa, "date_jalali: 1405-01-01 is already past");
    assert_eq!(refusal.field, "date_jalali");
    assert!(refusal.message.contains("گذشته") && refusal.detail.contains("already past"));
    let unreadable = closure_error(Locale::En, "date_jalali: not a date: 1405-13-01");
    assert!(unreadable.message.contains("1405/09/20"), "{unreadable:?}");
    assert_eq!(
        closure_error(Locale::En, "reason must be 1 to 500 characters").field,
        "reason"
    );
    let typed = ClosureForm {
        date_jalali: "۱۴۰۵/۰۱/۰۱".into(),
        reason: "برف".into(),
    };
    let html = calendar_page(&viewer("fa"), &view, &typed, Some(&refusal)).into_string();
    assert!(html.contains("value=\"۱۴۰۵/۰۱/۰۱\"") && html.contains("value=\"برف\""));
    assert!(html.contains("id=\"date-error\""));
    assert!(html.contains("ساعت اداری"));
}
