//! The HTTP API against the real server, on SQLite and PostgreSQL.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod agency_codes;
mod attachments;
mod bad_input;
mod calendar;
mod case_list;
mod catalogue;
mod confirmation;
mod contract;
mod files;
mod helpers;
mod limits;
mod matrix_diff;
mod member_change;
mod member_view;
mod nil_return;
mod practice;
mod remind_withdraw;
mod reports;
mod resolutions;
mod services_report;
mod story;
mod task_page;
mod tokens;
