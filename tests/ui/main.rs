//! The people's pages in a real browser (headless Chromium through the Debian
//! `chromedriver`) and over plain HTTP, against one real `daftar serve` on SQLite.
//!
//! This binary runs its own tests (`harness = false`): it starts the server and the driver
//! once, runs the tests listed in [`TESTS`] one after another (each with its own browser
//! session), reports, and stops what it started. `cargo test --test ui -- sign_in` runs the
//! tests whose name contains `sign_in`. Without Chromium the browser tests are skipped and
//! say so — except under `CI=true`, where a missing browser is a failure
//! (`scripts/test` installs it).

mod a11y;
mod admin_config;
mod admin_people;
mod admin_refusals;
mod attachments;
mod audit;
mod audit_reach;
mod catalogue;
mod confirmation;
mod harness;
mod inbox;
mod matrix;
mod meeting;
mod nil_return;
mod practice;
mod rounds;
mod secretariat;
mod sessions;
mod signin;
mod story;
mod task;

use std::future::Future;
use std::pin::Pin;

use harness::{Ui, browser_installed};

type Run = fn(&'static Ui) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// One test: its name, whether it drives the browser, and its body.
pub struct UiTest {
    name: &'static str,
    browser: bool,
    run: Run,
}

/// A test that drives the browser.
macro_rules! browser {
    ($test:path) => {
        UiTest {
            name: stringify!($test),
            browser: true,
            run: |ui| Box::pin($test(ui)),
        }
    };
}

/// A test over plain HTTP.
macro_rules! http {
    ($test:path) => {
        UiTest {
            name: stringify!($test),
            browser: false,
            run: |ui| Box::pin($test(ui)),
        }
    };
}

/// Every test of the binary, in the order they run.
const TESTS: &[UiTest] = &[
    // First: its resolution's vote goes to every agency with a member registered so far.
    browser!(story::the_seed_story_through_the_browser),
    http!(signin::a_link_signs_in_once),
    http!(signin::an_expired_or_forged_link_is_refused_clearly),
    http!(signin::asking_for_a_link_answers_the_same_for_unknown_addresses),
    http!(sessions::forms_need_the_sessions_csrf_token_and_this_origin),
    http!(sessions::a_revoked_token_ends_its_session),
    http!(sessions::disabling_a_member_ends_its_link_session),
    http!(signin::failed_sign_ins_are_throttled),
    http!(sessions::pages_carry_a_content_security_policy_and_hashed_assets),
    http!(sessions::pages_are_gzipped_for_browsers_that_ask),
    http!(sessions::sessions_end_when_idle_and_at_their_lifetime),
    http!(sessions::an_english_member_gets_english_left_to_right_pages),
    http!(inbox::another_agencys_task_stays_out_of_the_inbox),
    http!(inbox::the_secretariat_sees_what_awaits_review),
    browser!(signin::the_accessibility_check_catches_violations),
    browser!(signin::a_member_signs_in_by_token_and_out_again),
    browser!(signin::a_member_signs_in_by_an_emailed_link),
    browser!(signin::sign_in_works_with_the_keyboard_alone),
    browser!(inbox::the_inbox_lists_tasks_by_due_date_with_filters),
    browser!(inbox::the_inbox_fits_a_360_pixel_phone),
    browser!(task::a_member_fills_the_form_sees_an_error_at_its_field_and_submits),
    browser!(task::a_draft_is_kept_and_the_form_is_submitted_with_the_keyboard_alone),
    browser!(task::a_member_votes_in_the_browser),
    browser!(task::the_task_form_fits_a_360_pixel_phone),
    browser!(nil_return::a_member_answers_nothing_to_declare_with_its_reason),
    http!(secretariat::a_member_opening_the_review_page_gets_403),
    http!(secretariat::a_review_from_a_stale_page_is_a_409_and_changes_nothing),
    http!(secretariat::the_board_fragment_is_204_until_the_case_changes),
    http!(secretariat::a_member_reads_the_board_of_its_cases_and_no_other),
    browser!(secretariat::a_member_goes_from_its_task_to_the_case_board),
    browser!(secretariat::the_secretariat_opens_a_resolution),
    browser!(secretariat::the_secretariat_reviews_with_the_changes_marked),
    browser!(secretariat::the_board_updates_itself_and_fits_a_phone),
    browser!(secretariat::the_secretariat_reassigns_and_cancels),
    browser!(practice::the_secretariat_extends_and_reminds_and_a_member_withdraws),
    browser!(attachments::a_member_attaches_a_signed_letter_and_submits),
    browser!(meeting::the_secretariat_records_a_meeting_resolution),
    browser!(meeting::one_focal_point_casts_the_agencys_vote),
    http!(admin_config::a_member_opening_an_admin_page_gets_403),
    browser!(admin_config::the_admin_uploads_workflows_and_forms_and_sees_every_problem),
    browser!(admin_config::the_admin_reads_the_mail_queue_and_announces_a_closure),
    http!(audit_reach::members_and_the_secretariat_get_403_on_the_audit_pages),
    http!(audit_reach::an_auditor_sees_no_button_that_writes),
    http!(audit_reach::the_log_downloads_as_ndjson_for_its_filter),
    browser!(audit::the_auditor_reads_the_log_steps_back_and_verifies),
    browser!(audit_reach::the_audit_pages_fit_a_360_pixel_phone),
    http!(admin_refusals::a_member_gets_403_on_the_admin_pages_and_changes_nothing),
    http!(admin_refusals::refused_admin_forms_keep_what_was_typed),
    browser!(admin_people::the_admin_manages_agencies_members_and_tokens),
    http!(matrix::a_member_reads_its_part_of_the_matrix_and_no_other_case),
    browser!(matrix::the_matrix_shows_the_accepted_need_and_offer),
    browser!(rounds::the_secretariat_compares_two_rounds),
    browser!(catalogue::the_secretariat_merges_two_items_and_an_error_is_kept),
    browser!(confirmation::a_provider_answers_and_the_matrix_shows_its_confirmation),
    // Last: the accessibility sweep visits every page, over what the tests above left.
    browser!(a11y::every_page_passes_axe_and_fits_a_360_pixel_phone),
];

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let selected: Vec<&UiTest> = TESTS
        .iter()
        .filter(|t| filters.is_empty() || filters.iter().any(|f| t.name.contains(f)))
        .collect();
    if args.iter().any(|a| a == "--list") {
        for test in &selected {
            println!("{}: test", test.name);
        }
        return std::process::ExitCode::SUCCESS;
    }
    let browser = browser_installed();
    if !browser {
        assert!(
            !in_ci(),
            "CI=true but Chromium is missing: apt-get install -y chromium chromium-driver"
        );
        eprintln!(
            "skipping the browser tests: /usr/bin/chromium and /usr/bin/chromedriver are not installed (scripts/test installs them)"
        );
    }
    let runnable: Vec<&UiTest> = selected
        .into_iter()
        .filter(|t| browser || !t.browser)
        .collect();
    if runnable.is_empty() {
        return std::process::ExitCode::SUCCESS;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(runnable, browser))
}

async fn run(tests: Vec<&UiTest>, browser: bool) -> std::process::ExitCode {
    let needs_browser = browser && tests.iter().any(|t| t.browser);
    let (ui, processes) = Ui::start(needs_browser).await;
    // Tests run as tasks, so a panic fails that test alone; they borrow the harness for
    // the whole run.
    let ui: &'static Ui = Box::leak(Box::new(ui));
    println!("\nrunning {} ui tests", tests.len());
    let mut failed = Vec::new();
    for test in &tests {
        let outcome = tokio::spawn((test.run)(ui)).await;
        match outcome {
            Ok(()) => println!("test {} ... ok", test.name),
            Err(_) => {
                println!("test {} ... FAILED", test.name);
                failed.push(test.name);
            }
        }
    }
    drop(processes);
    if failed.is_empty() {
        // cargo's own closing line, so whatever reads test output counts these too.
        println!(
            "\ntest result: ok. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
            tests.len()
        );
        std::process::ExitCode::SUCCESS
    } else {
        println!("\nfailures:\n    {}", failed.join("\n    "));
        println!(
            "\ntest result: FAILED. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out",
            tests.len() - failed.len(),
            failed.len()
        );
        std::process::ExitCode::FAILURE
    }
}
