//! Property tests of the store's contract (SQLite): random sequences of appends — to three
//! streams, with right and wrong expected versions, and re-sent event ids — keep stream
//! versions strictly increasing by one, give gapless positions, append nothing when refused,
//! store a re-sent append once, and leave a chain that verifies.

use std::collections::HashMap;

use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent};
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::{open, support};

#[derive(Debug, Clone)]
enum Expect {
    Any,
    NoStream,
    /// The stream's actual version plus this offset (0 is right, anything else is wrong).
    Off(i64),
}

#[derive(Debug, Clone)]
struct Step {
    stream: usize,
    expect: Expect,
    events: usize,
    /// Send the previous append's events again instead of new ones.
    resend: bool,
}

fn step() -> impl Strategy<Value = Step> {
    let expect = prop_oneof![
        2 => Just(Expect::Any),
        1 => Just(Expect::NoStream),
        4 => Just(Expect::Off(0)),
        1 => (-2i64..=2).prop_map(Expect::Off),
    ];
    (0..3usize, expect, 1..4usize, prop::bool::weighted(0.15)).prop_map(
        |(stream, expect, events, resend)| Step {
            stream,
            expect,
            events,
            resend,
        },
    )
}

async fn run(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let db = support::sqlite();
    let (_database, store) = open(&db).await;
    let mut versions: HashMap<String, i64> = HashMap::new();
    let mut head = 0i64;
    let mut previous: Option<(String, Vec<NewEvent>)> = None;
    for step in steps {
        let stream = format!("case-{}", step.stream);
        let actual = versions.get(&stream).copied().unwrap_or(0);
        let (stream, events) = match (&previous, step.resend) {
            (Some((s, events)), true) => (s.clone(), events.clone()),
            _ => {
                let events = (0..step.events)
                    .map(|n| NewEvent::new("Happened", json!({"n": n, "id": Uuid::now_v7()})))
                    .collect();
                (stream, events)
            }
        };
        let expected = match step.expect {
            Expect::Any => ExpectedVersion::Any,
            Expect::NoStream => ExpectedVersion::NoStream,
            Expect::Off(offset) => ExpectedVersion::Exact((actual + offset).max(0)),
        };
        let request = AppendRequest::new(stream.clone(), expected, events.clone());
        match store.append(request).await {
            Ok(outcome) if outcome.duplicate => {
                prop_assert_eq!(
                    store.head().await.unwrap().0,
                    head,
                    "a re-sent append wrote again"
                );
            }
            Ok(outcome) => {
                let before = versions.get(&stream).copied().unwrap_or(0);
                prop_assert_eq!(outcome.stream_version, before + events.len() as i64);
                let expected_positions: Vec<i64> =
                    (head + 1..=head + events.len() as i64).collect();
                prop_assert_eq!(
                    &outcome.positions,
                    &expected_positions,
                    "positions are gapless"
                );
                head += events.len() as i64;
                versions.insert(stream.clone(), outcome.stream_version);
                previous = Some((stream, events));
            }
            Err(_) => {
                prop_assert_eq!(
                    store.head().await.unwrap().0,
                    head,
                    "a refused append wrote"
                );
            }
        }
    }
    for (stream, version) in &versions {
        let stored = store.read_stream(stream, 1).await.unwrap();
        let found: Vec<i64> = stored.iter().map(|e| e.version).collect();
        prop_assert_eq!(
            found,
            (1..=*version).collect::<Vec<_>>(),
            "versions rise by one"
        );
        prop_assert!(stored.windows(2).all(|w| w[0].position < w[1].position));
    }
    let report = store.verify(1, None).await.unwrap();
    prop_assert!(report.ok, "{:?}", report);
    store.shutdown().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_appends_keep_the_stores_promises(steps in prop::collection::vec(step(), 1..30)) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(run(steps))?;
    }
}
