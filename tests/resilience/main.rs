//! Process-level resilience: the real `daftar serve` binary, killed, stopped, cut off from
//! its database, run as several nodes and pushed by hostile clients — and what it promised
//! still holds afterwards. Each test starts its own processes over its own database.
//!
//! The PostgreSQL outage test stops the machine's PostgreSQL, so it is `#[ignore]`d here and
//! run alone by `scripts/test` after everything else (see [`outage`]).

#[path = "../support/mod.rs"]
mod support;

mod abuse;
mod backup;
mod burst;
mod checks;
mod crash;
mod load;
mod node;
mod nodes;
mod outage;
mod revocation;
mod shutdown;
mod workload;
