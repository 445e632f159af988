//! The cases list's pure parts.

use serde_json::json;

use super::*;

#[test]
fn a_form_acts_only_at_the_version_it_was_rendered_at() {
    assert!(version_matches(&json!(7), "7"));
    assert!(version_matches(&json!(7), " \"7\" "));
    assert!(!version_matches(&json!(8), "7"));
    assert!(!version_matches(&json!(7), ""));
    assert!(!version_matches(&json!(null), "null"));
}

#[test]
fn list_urls_keep_the_filters_and_page_on() {
    let filter = CaseFilter {
        status: Some("open".into()),
        workflow: Some(String::new()),
        after: None,
    };
    assert_eq!(list_url(&filter, None), "/cases?status=open");
    assert_eq!(
        list_url(&filter, Some("0190-a&b")),
        "/cases?status=open&after=0190-a%26b"
    );
}
