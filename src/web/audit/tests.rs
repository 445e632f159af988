//! The auditor's pages rendered without a server: paging links, the state picker's bounds,
//! the log's rows and the verify verdict.

use chrono::{DateTime, Utc};

use super::events::{LogQuery, PAGE, Paging, log_page};
use super::state::{Moment, Steps};
use crate::domain::Role;
use crate::engine::Member;
use crate::event_store::RawEvent;
use crate::web::i18n::Locale;
use crate::web::session::Viewer;

fn auditor(locale: &str) -> Viewer {
    let member = Member {
        id: "auditor-1".into(),
        name: "سارا رضایی".into(),
        email: "a@audit.example".into(),
        agency: None,
        roles: vec![Role::Auditor],
        supervisor_id: None,
        locale: locale.into(),
        version: 1,
        disabled: false,
    };
    Viewer::rendering_for(member, Utc::now())
}

fn event(position: i64) -> RawEvent {
    RawEvent {
        position,
        stream_id: "case-0193a8e4-0000-7000-8000-000000000001".into(),
        version: position,
        event_id: uuid::Uuid::nil(),
        event_type: "SubmissionAccepted".into(),
        event_version: 1,
        data: r#"{"task_id":"t-1","note":"<b>"}"#.into(),
        metadata: r#"{"actor":"sec-1","agency":"MIMT","role":"secretariat"}"#.into(),
        recorded_at_us: 1_780_000_000_000_000,
        prev_hash: "a".repeat(64),
        hash: "b".repeat(64),
    }
}

#[test]
fn the_first_page_has_no_previous_and_a_full_one_has_a_next() {
    let shown: Vec<i64> = (1..=PAGE as i64).collect();
    assert_eq!(
        Paging::of(0, &[], &shown, true),
        Paging {
            previous: None,
            next: Some(PAGE as i64)
        }
    );
    assert_eq!(Paging::of(0, &shown, &shown, false).next, None);
}

#[test]
fn the_previous_page_starts_after_the_match_before_its_first() {
    // Matches at 2, 4, 6, …: the page after 200 is preceded by 100 matches.
    let before: Vec<i64> = (1..=PAGE as i64 + 1)
        .map(|n| 200 - 2 * (PAGE as i64 + 1 - n))
        .collect();
    let paging = Paging::of(200, &before, &[202], false);
    assert_eq!(paging.previous, Some(before[0]));
    // Fewer than a page before: back to the first page.
    assert_eq!(Paging::of(10, &[3, 7], &[12], false).previous, Some(0));
}

#[test]
fn paging_links_keep_the_filters() {
    let filter = LogQuery {
        event_type: Some("SubmissionAccepted".into()),
        case: Some(" ".into()),
        stream: Some("case-x".into()),
        after: Some("10".into()),
    };
    assert_eq!(
        filter.url("/audit/events", Some(60)),
        "/audit/events?type=SubmissionAccepted&stream=case-x&after=60"
    );
    assert_eq!(
        filter.url("/audit/events", Some(0)),
        "/audit/events?type=SubmissionAccepted&stream=case-x"
    );
    let page = log_page(
        &auditor("en"),
        &filter,
        &[event(11)],
        Paging {
            previous: Some(0),
            next: Some(11),
        },
        None,
    )
    .into_string();
    assert!(
        page.contains(
            r#"rel="prev" href="/audit/events?type=SubmissionAccepted&amp;stream=case-x""#
        ),
        "{page}"
    );
    assert!(page.contains(
        r#"rel="next" href="/audit/events?type=SubmissionAccepted&amp;stream=case-x&amp;after=11""#
    ));
    assert!(page.contains("<details"), "each event opens to its data");
    assert!(page.contains(&"b".repeat(64)) && page.contains(&"a".repeat(64)));
    assert!(page.contains("&lt;b&gt;"), "stored text is escaped");
    assert!(page.contains("/audit/events.ndjson?type=SubmissionAccepted"));
}

#[test]
fn a_bad_cursor_or_case_is_said_and_kept() {
    let filter = LogQuery {
        case: Some("not-a-case".into()),
        ..Default::default()
    };
    let problem = filter.read_all(Locale::Fa, 51).unwrap_err();
    assert!(problem.contains("شناسهٔ پرونده"));
    let bad_after = LogQuery {
        after: Some("-3".into()),
        ..Default::default()
    };
    assert!(bad_after.read_all(Locale::En, 51).is_err());
    let page = log_page(
        &auditor("fa"),
        &filter,
        &[],
        Paging::of(0, &[], &[], false),
        Some(&problem),
    )
    .into_string();
    assert!(
        page.contains(r#"value="not-a-case""#),
        "what was typed is kept"
    );
    assert!(page.contains(r#"aria-describedby="log-problem""#));
}

fn moments(positions: &[i64]) -> Vec<Moment> {
    positions
        .iter()
        .map(|p| Moment {
            position: *p,
            event_type: "TaskAssigned".into(),
            at: DateTime::from_timestamp(1_780_000_000 + p, 0).unwrap(),
        })
        .collect()
}

#[test]
fn the_state_picker_stops_at_the_cases_first_and_newest_events() {
    let moments = moments(&[5, 9, 30]);
    assert_eq!(
        Steps::around(&moments, 5),
        Steps {
            previous: None,
            next: Some(9)
        }
    );
    assert_eq!(
        Steps::around(&moments, 9),
        Steps {
            previous: Some(5),
            next: Some(30)
        }
    );
    assert_eq!(
        Steps::around(&moments, 30),
        Steps {
            previous: Some(9),
            next: None
        }
    );
    // Shown as of a position between the case's events (another stream's event).
    assert_eq!(
        Steps::around(&moments, 12),
        Steps {
            previous: Some(9),
            next: Some(30)
        }
    );
}

fn verification(first_bad: Option<i64>) -> crate::audit::checkpoint::Verification {
    crate::audit::checkpoint::Verification {
        report: crate::event_store::VerifyReport {
            ok: first_bad.is_none(),
            checked: 52,
            head_position: first_bad.map_or(52, |p| p - 1),
            head_hash: "c".repeat(64),
            first_bad_position: first_bad,
            detail: first_bad.map(|_| "stored bytes do not match the stored hash".into()),
        },
        checkpoint: None,
        files: crate::audit::files::FileCheck {
            ok: true,
            checked: 0,
            first_bad_position: None,
            sha256: None,
            detail: None,
        },
    }
}

#[test]
fn verify_offers_a_checkpoint_only_for_a_sound_chain_and_keeps_what_was_pasted() {
    use super::verify::verify_page;
    let green = verify_page(&auditor("fa"), &verification(None), None, None).into_string();
    assert!(green.contains(&format!("52:{}", "c".repeat(64))), "{green}");
    assert!(green.contains("دفتر درست است"));
    let red = verify_page(
        &auditor("fa"),
        &verification(Some(49)),
        Some("12:xyz"),
        Some("bad"),
    )
    .into_string();
    assert!(
        red.contains("دفتر درست نیست") && red.contains("۴۹"),
        "{red}"
    );
    assert!(
        !red.contains("id=\"checkpoint\""),
        "no checkpoint to keep from a broken chain"
    );
    assert!(red.contains(r#"value="12:xyz""#) && red.contains(r#"aria-invalid="true""#));
}
