//! daftar (Persian دفتر: the office, and its ledger) — an event-sourced workflow engine for
//! e-government working groups.
//!
//! Map of the crate, following one request: [`http`] (actix-web handlers, thin: parse,
//! call, render) → [`engine`] (load the case, decide, append) → [`domain`] (pure
//! `decide`/`apply` for cases and tasks) → [`event_store`] (the append-only, hash-chained,
//! group-committed log on SQLite or PostgreSQL), which writes in the same transaction the
//! side effects the events imply ([`side_writes`], in one order): read models
//! ([`documents`]), token hashes ([`credentials`]), [`timers`] and the e-mail [`outbox`]. After commit, in the background: the [`scheduler`] fires due timers as
//! commands, and [`notify`] delivers e-mail through lettre.
//!
//! Also: [`workflow`] (the definition language), [`forms`] (JSON Schema registry),
//! [`calendar`] (Solar Hijri business calendar), [`reports`] (exchange matrix, status
//! board), [`audit`] (replay, timelines, checkpoints, export and import), [`backup`] (an online
//! copy of a SQLite database), [`db`] (backend choice and migrations), [`config`], [`cli`], [`startup`],
//! [`telemetry`], [`idempotency`] (answers remembered for `Idempotency-Key` retries),
//! [`files`] (attachments, stored by the SHA-256 of their bytes).
#![forbid(unsafe_code)]

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod db;
pub mod documents;
pub mod domain;
pub mod engine;
pub mod event_store;
pub mod files;
pub mod forms;
pub mod http;
pub mod idempotency;
pub mod notify;
pub mod outbox;
pub mod reports;
pub mod scheduler;
pub mod side_writes;
pub mod startup;
pub mod telemetry;
pub mod timers;
pub mod web;
pub mod workflow;
