//! The board table from a board report written out by hand.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::*;
use crate::reports::board::{Board, BoardRow, Totals};
use crate::web::i18n::Locale;

fn options(actions: bool) -> BoardOptions<'static> {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    BoardOptions {
        actions,
        members: &NONE,
        agency: None,
    }
}

fn row(n: u128, agency: &str, status: &str) -> BoardRow {
    BoardRow {
        agency: Some(agency.into()),
        agency_name: None,
        task: Uuid::from_u128(n),
        step: "submit".into(),
        kind: "submission".into(),
        status: status.into(),
        nothing_to_declare: status == "nothing_to_declare",
        assignee: None,
        due_at: Some("2026-12-21T20:29:59Z".into()),
        due_jalali: Some("1405-09-30".into()),
        due_display: None,
        overdue: false,
        escalation_level: 0,
        submissions: 0,
        returns: 0,
        last_submission_at: None,
        last_activity: "2026-11-26T08:00:00Z".into(),
        last_activity_jalali: Some("1405-09-05".into()),
        voted_by: None,
    }
}

/// CPPO waits for review, IRICA was returned once and resubmitted and accepted, MIMT never
/// submitted and is overdue at escalation level 2.
fn board(locale: Locale) -> Board {
    let mut cppo = row(1, "CPPO", "submitted");
    cppo.submissions = 1;
    let mut irica = row(2, "IRICA", "accepted");
    irica.submissions = 2;
    irica.returns = 1;
    let mut mimt = row(3, "MIMT", "open");
    mimt.overdue = true;
    mimt.escalation_level = 2;
    let rows = vec![cppo, irica, mimt];
    let mut by_status = BTreeMap::new();
    for status in ["open", "submitted", "returned", "accepted"] {
        let n = rows.iter().filter(|r| r.status == status).count();
        by_status.insert(status.to_string(), n);
    }
    let mut board = Board {
        case: Uuid::from_u128(7),
        title: "احصا".into(),
        workflow: "data-exchange-inventory".into(),
        status: "open".into(),
        rows,
        totals: Totals {
            tasks: 3,
            by_status,
            overdue: 1,
            escalated: 1,
        },
        version: 9,
    };
    let names = BTreeMap::from([
        ("CPPO".to_string(), "سازمان حمایت".to_string()),
        ("MIMT".to_string(), "وزارت <صمت>".to_string()),
    ]);
    board.localise(report_locale(locale), &names);
    board
}

#[test]
fn one_row_per_agency_with_name_code_and_status() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(true)).into_string();
    assert_eq!(html.matches("<tr").count(), 1 + 3 + 1, "head, rows, totals");
    assert!(html.contains("سازمان حمایت <bdi class=\"code\">CPPO</bdi>"));
    // A name the registry lacks: the code alone. A name is escaped.
    assert!(html.contains("><bdi class=\"code\">IRICA</bdi>"));
    assert!(html.contains("وزارت &lt;صمت&gt;"));
    assert!(html.contains("<span class=\"chip warn\">در انتظار بررسی</span>"));
    assert!(html.contains("<span class=\"chip ok\">پذیرفته</span>"));
}

#[test]
fn a_submission_awaiting_review_links_to_its_review() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(true)).into_string();
    assert!(html.contains(&format!("href=\"/tasks/{}/review\"", Uuid::from_u128(1))));
    assert!(html.contains(&format!("href=\"/tasks/{}\"", Uuid::from_u128(3))));
}

#[test]
fn a_members_board_shows_every_agency_but_links_only_its_own_task() {
    let options = BoardOptions {
        agency: Some("IRICA"),
        ..options(false)
    };
    let html = board_table(&board(Locale::Fa), Locale::Fa, options).into_string();
    assert_eq!(html.matches("<tr").count(), 1 + 3 + 1, "every agency's row");
    assert!(html.contains(&format!("href=\"/tasks/{}\"", Uuid::from_u128(2))));
    assert_eq!(html.matches("href=\"/tasks/").count(), 1, "{html}");
    assert!(html.contains("سازمان حمایت <bdi class=\"code\">CPPO</bdi>"));
}

#[test]
fn without_actions_a_submission_awaiting_review_links_to_its_task() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(false)).into_string();
    assert!(
        !html.contains("/review\""),
        "no review link for those who do not review"
    );
    assert!(html.contains(&format!("href=\"/tasks/{}\"", Uuid::from_u128(1))));
}

#[test]
fn due_days_overdue_and_escalation_read_in_persian() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(true)).into_string();
    assert!(html.contains(
        "<time datetime=\"2026-12-21T20:29:59Z\" title=\"2026-12-21T20:29:59Z\">۳۰ آذر ۱۴۰۵، دوشنبه</time>"
    ));
    assert!(html.contains("<tr class=\"overdue\">"));
    assert_eq!(html.matches("badge danger").count(), 1, "one overdue");
    assert!(html.contains("<span class=\"badge warn\">۲</span>"));
    assert!(
        html.contains("۵ آذر ۱۴۰۵، پنج\u{200c}شنبه"),
        "last activity"
    );
}

#[test]
fn totals_count_statuses_overdue_submissions_and_returns() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(true)).into_string();
    let footer = &html[html.find("<tfoot>").unwrap()..];
    assert!(footer.contains("جمع: ۳"));
    assert!(footer.contains("<span class=\"chip\">باز</span> ۱"));
    assert!(
        !footer.contains("بازگشت برای اصلاح"),
        "a status no task has is left out"
    );
    assert!(
        footer.contains("data-label=\"ارسال‌ها\">۳</td>"),
        "three submissions in all"
    );
}

#[test]
fn english_readers_get_english_and_ascii_digits() {
    let html = board_table(&board(Locale::En), Locale::En, options(false)).into_string();
    assert!(html.contains("Monday 30 Azar 1405"));
    assert!(html.contains(">awaiting review<"));
    assert!(html.contains("Total: 3"));
}

#[test]
fn tasks_still_with_their_agency_can_be_reassigned_by_staff() {
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(true)).into_string();
    assert_eq!(
        html.matches("/reassign\"").count(),
        1,
        "only MIMT's open task"
    );
    assert!(html.contains(&format!("/tasks/{}/reassign", Uuid::from_u128(3))));
    let html = board_table(&board(Locale::Fa), Locale::Fa, options(false)).into_string();
    assert!(!html.contains("/reassign"));
}

#[test]
fn a_vote_row_says_so_and_names_its_voter() {
    let mut board = board(Locale::Fa);
    board.rows[2].kind = "vote".into();
    board.rows[2].assignee = Some("m-mimt".into());
    let members = BTreeMap::from([("m-mimt".to_string(), "سارا <احمدی>".to_string())]);
    let html = board_table(
        &board,
        Locale::Fa,
        BoardOptions {
            actions: true,
            members: &members,
            agency: None,
        },
    )
    .into_string();
    assert!(html.contains("<span class=\"muted\">رأی · سارا &lt;احمدی&gt;</span>"));
    assert!(!html.contains("/reassign"), "a vote is not reassigned");
}

#[test]
fn a_nil_return_reads_nothing_to_declare_in_the_row_and_the_totals() {
    let mut board = board(Locale::Fa);
    board.rows[1].status = "nothing_to_declare".into();
    board.rows[1].nothing_to_declare = true;
    board.rows[0].nothing_to_declare = true;
    board.totals.by_status.insert("accepted".into(), 0);
    board
        .totals
        .by_status
        .insert("nothing_to_declare".into(), 1);
    let html = board_table(&board, Locale::Fa, options(true)).into_string();
    assert!(html.contains("<span class=\"chip ok\">موردی برای اعلام ندارد</span>"));
    let footer = &html[html.find("<tfoot>").unwrap()..];
    assert!(footer.contains("<span class=\"chip ok\">موردی برای اعلام ندارد</span> ۱"));
    assert!(
        html.contains("<span class=\"muted\">موردی برای اعلام ندارد</span>"),
        "a nil return awaiting review says so beside its status"
    );
    let english = board_table(&board, Locale::En, options(true)).into_string();
    assert!(english.contains(">nothing to declare<"));
}
