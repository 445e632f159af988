//! The story a benchmark log is stamped from: run once through the real engine, then each
//! event kept as its stored text split around the ids it mentions, so a copy with fresh ids
//! is a string concatenation — and still decodes and folds like the original.

use std::collections::HashMap;

use daftar::domain::{ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{ManualClock, OpenCase, case_stream};
use daftar::event_store::{EventStore, GENESIS_HASH, RawEvent, hash::event_hash};
use serde_json::json;
use uuid::Uuid;

use crate::support::{self, seed};

/// Cases whose events are interleaved in the generated log, as concurrent cases are.
const INTERLEAVED: usize = 8;

enum Part {
    Text(String),
    Id(usize),
}

struct Stamp {
    /// Index (into the id table) of the case whose stream the event is in.
    case: usize,
    version: i64,
    event_type: String,
    event_version: i32,
    metadata: String,
    data: Vec<Part>,
}

pub struct Template {
    stamps: Vec<Stamp>,
    ids: usize,
}

/// Splits `text` around every hyphenated UUID, numbering new ones in `ids`.
fn split(text: &str, ids: &mut HashMap<String, usize>) -> Vec<Part> {
    let is_uuid = |s: &str| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let (mut parts, mut start, mut i) = (Vec::new(), 0, 0);
    while i + 36 <= text.len() {
        if text.is_char_boundary(i) && text.is_char_boundary(i + 36) && is_uuid(&text[i..i + 36]) {
            parts.push(Part::Text(text[start..i].to_string()));
            let next = ids.len();
            parts.push(Part::Id(
                *ids.entry(text[i..i + 36].to_string()).or_insert(next),
            ));
            i += 36;
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(Part::Text(text[start..].to_string()));
    parts
}

impl Template {
    /// Runs the story on a scratch database and keeps its two case streams.
    pub async fn record() -> Self {
        let db = support::sqlite();
        let engine = seed::start(&db, ManualClock::at(seed::now())).await;
        seed::seed(&engine).await;
        let on_approval = json!({"workflow": "data-exchange-inventory", "participants": "all"});
        let opened = engine
            .open_case(&seed::secretariat(), OpenCase {
                workflow: "resolution-approval".into(),
                title: "مصوبه جلسه اول کارگروه".into(),
                participants: None,
                params: json!({"text": "ارسال اطلاعات مورد نیاز و قابل عرضه", "on_approval": on_approval}),
                parent_case: None,
                case_id: None,
            })
            .await
            .expect("the resolution opens");
        let votes = opened.tasks.iter().filter(|t| t.kind == TaskKind::Vote);
        for task in votes.take(16) {
            let voter = seed::member_of(task.agency.as_deref().unwrap());
            engine
                .vote(&voter, task.id, VoteChoice::Approve, None)
                .await
                .unwrap();
        }
        let child = engine.case(opened.id).await.unwrap().unwrap().children[0];
        let tasks = engine.case(child).await.unwrap().unwrap().tasks;
        let secretariat = seed::secretariat();
        for (i, task) in tasks.iter().enumerate() {
            let member = seed::member_of(task.agency.as_deref().unwrap());
            engine
                .submit(&member, task.id, seed::inventory())
                .await
                .unwrap();
            if i % 5 == 0 {
                let comment = Some("منبع داده را مشخص کنید".to_string());
                engine
                    .review(&secretariat, task.id, ReviewDecision::Return, comment)
                    .await
                    .unwrap();
                engine
                    .submit(&member, task.id, seed::inventory())
                    .await
                    .unwrap();
            }
            engine
                .review(&secretariat, task.id, ReviewDecision::Accept, None)
                .await
                .unwrap();
        }
        let mut raws = Vec::new();
        for case in [opened.id, child] {
            raws.extend(
                engine
                    .store
                    .read_stream_raw(&case_stream(case), 1)
                    .await
                    .unwrap(),
            );
        }
        raws.sort_by_key(|r| r.position);
        Self::from_raws(&raws)
    }

    fn from_raws(raws: &[RawEvent]) -> Self {
        let mut ids = HashMap::new();
        let stamps = raws
            .iter()
            .map(|raw| {
                let case = raw.stream_id.strip_prefix("case-").unwrap().to_string();
                let next = ids.len();
                Stamp {
                    case: *ids.entry(case).or_insert(next),
                    version: raw.version,
                    event_type: raw.event_type.clone(),
                    event_version: raw.event_version,
                    metadata: raw.metadata.clone(),
                    data: split(&raw.data, &mut ids),
                }
            })
            .collect();
        Self {
            stamps,
            ids: ids.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    pub fn submissions(&self) -> usize {
        self.stamps
            .iter()
            .filter(|s| s.event_type == "SubmissionReceived")
            .count()
    }

    /// Writes `total` events of stamped copies through the checked import; returns the count.
    pub async fn write(&self, store: &EventStore, total: usize) -> u64 {
        let mut importer = store.importer().await.expect("an empty store");
        let mut prev_hash = GENESIS_HASH.to_string();
        let (mut written, mut copy) = (0usize, 0u128);
        let base_us = 1_767_000_000_000_000i64;
        'fill: loop {
            let ids: Vec<Vec<String>> = (0..INTERLEAVED as u128)
                .map(|b| {
                    (0..self.ids as u128)
                        .map(|i| Uuid::from_u128(((copy + b) << 32) | i).to_string())
                        .collect()
                })
                .collect();
            for stamp in &self.stamps {
                for ids in &ids {
                    if written == total {
                        break 'fill;
                    }
                    let mut row =
                        self.stamped(stamp, ids, written as i64 + 1, base_us + written as i64);
                    row.hash = event_hash(&prev_hash, &row);
                    row.prev_hash = std::mem::replace(&mut prev_hash, row.hash.clone());
                    importer.push(row).await.expect("a generated row imports");
                    written += 1;
                }
            }
            copy += INTERLEAVED as u128;
        }
        importer.finish().await.expect("the import finishes");
        written as u64
    }

    fn stamped(
        &self,
        stamp: &Stamp,
        ids: &[String],
        position: i64,
        recorded_at_us: i64,
    ) -> RawEvent {
        let mut data = String::new();
        for part in &stamp.data {
            match part {
                Part::Text(text) => data.push_str(text),
                Part::Id(i) => data.push_str(&ids[*i]),
            }
        }
        RawEvent {
            position,
            stream_id: format!("case-{}", ids[stamp.case]),
            version: stamp.version,
            event_id: Uuid::from_u128((1 << 127) | position as u128),
            event_type: stamp.event_type.clone(),
            event_version: stamp.event_version,
            data,
            metadata: stamp.metadata.clone(),
            recorded_at_us,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }
}
