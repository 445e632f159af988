//! The inbox page rendered from rows: paging, filters, languages.

use super::*;
use crate::engine::Member;

fn viewer(locale: &str) -> Viewer {
    let member = Member {
        id: "m".into(),
        name: "مریم کریمی".into(),
        email: "m@irica.example".into(),
        agency: Some("IRICA".into()),
        roles: vec![Role::Member],
        supervisor_id: None,
        locale: locale.into(),
        version: 1,
    };
    let now = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Viewer::rendering_for(member, now)
}

fn rows(n: usize) -> Vec<InboxRow> {
    (0..n)
        .map(|i| InboxRow {
            task_id: format!("task-{i:04}"),
            case_id: format!("case-{i:04}"),
            case_title: format!("پرونده {i}"),
            workflow: "data-exchange-inventory".into(),
            workflow_title: "احصای اطلاعات".into(),
            agency: Some("IRICA".into()),
            agency_name: Some("گمرک".into()),
            status: if i % 2 == 0 { "open" } else { "returned" }.into(),
            vote: false,
            due_at: Some(
                DateTime::parse_from_rfc3339("2026-12-21T20:29:59Z")
                    .unwrap()
                    .with_timezone(&Utc),
            ),
            overdue: false,
            escalation_level: (i % 3) as u32,
        })
        .collect()
}

#[test]
fn a_long_inbox_is_paged_and_each_page_has_its_url() {
    let all = rows(120);
    let filter = InboxFilter {
        status: Some("open".into()),
        page: Some(2),
        ..Default::default()
    };
    let open: Vec<InboxRow> = all.iter().filter(|r| filter.admits(r)).cloned().collect();
    assert_eq!(open.len(), 60);
    let html = render(&viewer("fa"), &all, &open, &filter).into_string();
    assert!(
        html.contains("<title>کارتابل (۶۰) — دفتر</title>"),
        "{html}"
    );
    assert!(html.contains("۵۱ تا ۶۰ از ۶۰ کار"), "{html}");
    assert_eq!(html.matches("<tr><td").count(), 10);
    assert!(
        html.contains(r#"href="/?status=open&amp;page=1""#),
        "{html}"
    );
    assert!(!html.contains("rel=\"next\""), "the last page has no next");
    assert!(html.contains("ارجاع سطح ۲"));
    assert!(html.contains("۱۵ روز مانده"));
}

#[test]
fn the_case_filter_offers_the_most_urgent_cases_and_keeps_the_chosen_one() {
    let all = rows(150);
    let filter = InboxFilter {
        case: Some("case-0149".into()),
        ..Default::default()
    };
    let chosen: Vec<InboxRow> = all.iter().filter(|r| filter.admits(r)).cloned().collect();
    let html = render(&viewer("en"), &all, &chosen, &filter).into_string();
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    let case_select = html
        .split(r#"<select id="case""#)
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap();
    assert_eq!(
        case_select.matches("<option").count(),
        CASE_CHOICES + 2,
        "all, 100 cases, the chosen one"
    );
    assert!(
        case_select.contains(r#"<option value="case-0149" selected>"#),
        "{case_select}"
    );
    assert!(html.contains("1–1 of 1 tasks"));
}

#[test]
fn an_empty_inbox_says_so_without_filters() {
    let html = render(&viewer("fa"), &[], &[], &InboxFilter::default()).into_string();
    assert!(html.contains("کاری در انتظار شما نیست."));
    assert!(!html.contains("<form class=\"filters"));
}
