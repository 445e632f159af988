//! The HTTP API against the real server, on SQLite and PostgreSQL.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod bad_input;
mod helpers;
mod story;
