//! daftar (Persian دفتر: the office, and its ledger) — an event-sourced workflow engine for
//! e-government working groups.
//!
//! Map of the crate, following one request: [`http`] (actix-web handlers, thin: parse,
//! call, render) → [`engine`] (load the case, decide, append) → [`domain`] (pure
//! `decide`/`apply` for cases and tasks) → [`event_store`] (the append-only, hash-chained,
//! group-committed log on SQLite or PostgreSQL), which writes in the same transaction the
//! side effects the events imply ([`side_writes`], in one order): read models
//! ([`documents`]), token hashes ([`credentials`]), [`timers`] and the e-mail [`outbox`]
//! (composed by [`mail`]). After commit, in the background, each on the loop of [`worker`]
//! over rows claimed with a [`lease`]: the [`scheduler`] fires due timers as commands, and
//! [`notify`] delivers e-mail through lettre.
//!
//! Also: [`workflow`] (the definition language), [`forms`] (JSON Schema registry),
//! [`calendar`] (Solar Hijri business calendar), [`clock`] (the injected time), [`reports`]
//! (exchange matrix, status board), [`audit`] (replay, timelines, checkpoints, export and
//! import), [`backup`] (an online copy of a SQLite database), [`db`] (backend choice and
//! migrations), [`config`], [`cli`], [`startup`], [`telemetry`], [`idempotency`] (answers
//! remembered for `Idempotency-Key` retries), [`files`] (attachments, stored by the SHA-256
//! of their bytes).
//!
//! # Layers
//!
//! Lowest first. A module uses only modules of the layers before its own in this list —
//! never one after it, nor one of its own layer — so the graph reads one way;
//! `scripts/check-layers` checks every `crate::` path in `src/` against it.
//!
//! 1. [`clock`], [`calendar`], [`forms`], [`telemetry`] — nothing of ours below
//! 2. [`workflow`], [`worker`] — the definition language; the background workers' loop
//! 3. [`db`] — pools, migrations, the SQLite write turn
//! 4. [`event_store`] — the log
//! 5. [`lease`], [`files`], [`backup`] — storage beside the log
//! 6. [`domain`] — pure decisions
//! 7. [`mail`], [`reports`], [`credentials`] — what the events say to people; the matrix and
//!    the board, built from a case's state; token hashes
//! 8. [`documents`], [`outbox`], [`timers`], [`idempotency`], [`catalogue`] — tables written
//!    with the events; the catalogue of data items, pure
//! 9. [`side_writes`] — a batch's writes beside its events, in order
//! 10. [`engine`] — commands in, events out
//! 11. [`notify`], [`scheduler`], [`audit`] — consumers of the log and the engine
//! 12. [`config`] — settings
//! 13. [`http`] — the API
//! 14. [`web`] — the people's pages
//! 15. [`startup`] — the server, assembled
//! 16. [`cli`] — the binary's commands
#![forbid(unsafe_code)]

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod clock;
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
pub mod lease;
pub mod mail;
pub mod notify;
pub mod outbox;
pub mod reports;
pub mod scheduler;
pub mod side_writes;
pub mod startup;
pub mod telemetry;
pub mod timers;
pub mod web;
pub mod worker;
pub mod workflow;
