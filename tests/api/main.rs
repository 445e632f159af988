//! The HTTP API against the real server, on SQLite and PostgreSQL.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod agency_codes;
mod attachments;
mod bad_input;
mod calendar;
mod case_list;
mod confirmation;
mod contract;
mod files;
mod helpers;
mod limits;
mod member_change;
mod nil_return;
mod practice;
mod remind_withdraw;
mod reports;
mod resolutions;
mod story;
mod task_page;
mod tokens;
