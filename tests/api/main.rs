//! The HTTP API against the real server, on SQLite and PostgreSQL.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod agency_codes;
mod bad_input;
mod case_list;
mod contract;
mod helpers;
mod limits;
mod reports;
mod resolutions;
mod story;
mod task_page;
mod tokens;
