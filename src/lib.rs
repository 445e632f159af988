//! daftar (Persian دفتر: the office, and its ledger) — an event-sourced workflow engine for
//! e-government working groups.
//!
//! Map of the crate, following one request:
//! - [`http`]: actix-web handlers, thin: parse, call, render.
//! - [`event_store`]: the append-only, hash-chained, group-committed log on SQLite or
//!   PostgreSQL; everything else is derived from it.
//! - [`audit`]: replay, timelines, verification against a checkpoint, export and import.
//! - [`db`]: which backend, connection settings, embedded migrations.
//! - [`config`], [`cli`], [`startup`], [`telemetry`]: process plumbing.
#![forbid(unsafe_code)]

pub mod audit;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod db;
pub mod documents;
pub mod domain;
pub mod engine;
pub mod event_store;
pub mod forms;
pub mod http;
pub mod scheduler;
pub mod startup;
pub mod telemetry;
pub mod timers;
pub mod workflow;
