//! Fuzzing with proptest: arbitrary and mutated input to every parser that reads what an
//! outsider sends — workflow definitions (YAML and JSON), HTTP request bodies through the
//! real server, and stored event envelopes. The promise is the same everywhere: a refusal,
//! never a panic, a 5xx, or a parse that runs away with time or memory.
//!
//! Bounded for CI: `DAFTAR_FUZZ_CASES` (default 256) cases per property; raise it for a
//! longer local run. `daftar audit import` (NDJSON) is not in this branch; the envelope
//! decoding it would use is fuzzed instead ([`envelope`]).

#[path = "../support/mod.rs"]
mod support;

mod bodies;
mod definitions;
mod envelope;

use proptest::prelude::*;
use serde_json::Value;

/// How many cases each property runs.
pub fn cases() -> u32 {
    std::env::var("DAFTAR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Any JSON value, nested a few levels, with the strings that tend to break things.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "all",
            "IRICA",
            "MIMT",
            "accept",
            "return",
            "approve",
            "admin",
            "member",
            "secretariat",
            "auditor",
            "P1D",
            "PT0S",
            "1405-09-30",
            "../../etc/passwd",
            "\u{0}",
            "یک‌دو",
            "00000000-0000-0000-0000-000000000000",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names: mostly the API's own, sometimes anything.
pub fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "id", "name", "email", "agency", "roles", "supervisor_id", "locale", "code",
            "name_fa", "name_en", "cluster", "agencies", "workflow", "title", "participants",
            "params", "data", "decision", "comment", "choice", "member_id", "reason", "key",
            "steps", "type", "due", "needs", "offers",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}
