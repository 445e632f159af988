//! The story a benchmark log is stamped from: run once through the real engine, then each
//! event kept as its stored text split around the ids it mentions, so a copy with fresh ids
//! is a string concatenation — and still decodes and folds like the original.
//!
//! Shared by the audit and scale benchmarks; each uses part of it.
#![allow(dead_code)]

use std::collections::HashMap;

use daftar::domain::{ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{Engine, ManualClock, OpenCase, case_stream};
use daftar::event_store::{
    EventStore, GENESIS_HASH, Importer, RawEvent, ReadAll, hash::event_hash,
};
use serde_json::{Value, json};
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
    /// Every id the story's case events mention, numbered in order of appearance.
    ids: HashMap<String, usize>,
    /// What the scratch store held before the story: the catalog (forms, workflows) and
    /// the directory (agencies, members) its cases name.
    directory: Vec<RawEvent>,
    /// The story's inventory case (31 agencies) and its tasks, as ids of the original;
    /// [`Template::copy_id`] gives their ids in any copy.
    pub inventory_case: Uuid,
    pub inventory_tasks: Vec<Uuid>,
}

/// Numbers rows on from the genesis hash and feeds them to an import.
struct Chain {
    importer: Importer,
    prev_hash: String,
    written: usize,
}

impl Chain {
    /// Links `row` (whose `position` is already the next one) into the chain and imports it.
    async fn push(&mut self, mut row: RawEvent) {
        row.hash = event_hash(&self.prev_hash, &row);
        row.prev_hash = std::mem::replace(&mut self.prev_hash, row.hash.clone());
        self.importer
            .push(row)
            .await
            .expect("a generated row imports");
        self.written += 1;
    }

    fn next_position(&self) -> i64 {
        self.written as i64 + 1
    }

    fn next_recorded_at_us(&self) -> i64 {
        1_767_000_000_000_000 + self.written as i64
    }
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
    /// Runs the story on a scratch database and keeps its two case streams, and the
    /// catalog and directory written before them.
    pub async fn record() -> Self {
        Self::record_with(|_| seed::inventory()).await
    }

    /// [`Template::record`] with each agency's submission made by `document` from its code.
    pub async fn record_with(document: impl Fn(&str) -> Value) -> Self {
        let db = support::sqlite();
        let engine = seed::start(&db, ManualClock::at(seed::now())).await;
        seed::seed(&engine).await;
        let (resolution, inventory, tasks) = play(&engine, &document).await;
        let story = [case_stream(resolution), case_stream(inventory)];
        let everything = engine
            .store
            .read_all_raw(&ReadAll::after(0, i64::MAX))
            .await
            .unwrap();
        let (raws, directory): (Vec<_>, Vec<_>) = everything
            .into_iter()
            .partition(|r| story.contains(&r.stream_id));
        let mut template = Self::from_raws(&raws);
        template.directory = directory;
        template.inventory_case = inventory;
        template.inventory_tasks = tasks;
        template
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
            ids,
            directory: Vec::new(),
            inventory_case: Uuid::nil(),
            inventory_tasks: Vec::new(),
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
        let chain = self.start(store).await;
        self.stamp_copies(chain, total).await
    }

    /// Like [`Template::write`], after the story's catalog and directory, so that a server
    /// started on the store knows every workflow, form, agency and member its cases name.
    /// `total` counts the stamped events only; returns every event written.
    pub async fn write_with_directory(&self, store: &EventStore, total: usize) -> u64 {
        let mut chain = self.start(store).await;
        for raw in &self.directory {
            let mut row = raw.clone();
            row.position = chain.next_position();
            row.recorded_at_us = chain.next_recorded_at_us();
            chain.push(row).await;
        }
        let directory = chain.written;
        directory as u64 + self.stamp_copies(chain, directory + total).await
    }

    /// The id that `original` (an id of the recorded story) has in copy number `copy`.
    pub fn copy_id(&self, original: Uuid, copy: u128) -> Uuid {
        let index = self.ids[&original.to_string()] as u128;
        Uuid::from_u128((copy << 32) | index)
    }

    /// How many copies of the story a log of `total` stamped events holds completely.
    pub fn complete_copies(&self, total: usize) -> u128 {
        (total / (self.stamps.len() * INTERLEAVED) * INTERLEAVED) as u128
    }

    /// Where (as offsets among the stamped events) the last group of interleaved copies lies
    /// that a log of `total` stamped events holds completely: the same mix of events
    /// whatever the size of the log.
    pub fn last_complete_group(&self, total: usize) -> std::ops::Range<usize> {
        let group = self.stamps.len() * INTERLEAVED;
        let end = total / group * group;
        end.saturating_sub(group)..end
    }

    async fn start(&self, store: &EventStore) -> Chain {
        Chain {
            importer: store.importer().await.expect("an empty store"),
            prev_hash: GENESIS_HASH.to_string(),
            written: 0,
        }
    }

    /// Stamps copies (interleaved [`INTERLEAVED`] at a time) until the chain holds `until`
    /// rows; returns how many it stamped.
    async fn stamp_copies(&self, mut chain: Chain, until: usize) -> u64 {
        let first = chain.written;
        let mut copy = 0u128;
        'fill: loop {
            let ids: Vec<Vec<String>> = (0..INTERLEAVED as u128)
                .map(|b| {
                    (0..self.ids.len() as u128)
                        .map(|i| Uuid::from_u128(((copy + b) << 32) | i).to_string())
                        .collect()
                })
                .collect();
            for stamp in &self.stamps {
                for ids in &ids {
                    if chain.written == until {
                        break 'fill;
                    }
                    let row = self.stamped(
                        stamp,
                        ids,
                        chain.next_position(),
                        chain.next_recorded_at_us(),
                    );
                    chain.push(row).await;
                }
            }
            copy += INTERLEAVED as u128;
        }
        let stamped = chain.written - first;
        chain.importer.finish().await.expect("the import finishes");
        stamped as u64
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

/// A resolution voted by 16 of 31 agencies, then its inventory case: 31 submissions, one in
/// five returned and fixed, all accepted. Returns the two cases and the inventory's tasks.
async fn play(engine: &Engine, document: &impl Fn(&str) -> Value) -> (Uuid, Uuid, Vec<Uuid>) {
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
        let agency = task.agency.as_deref().unwrap();
        let member = seed::member_of(agency);
        engine
            .submit(&member, task.id, document(agency))
            .await
            .unwrap();
        if i % 5 == 0 {
            let comment = Some("منبع داده را مشخص کنید".to_string());
            engine
                .review(&secretariat, task.id, ReviewDecision::Return, comment)
                .await
                .unwrap();
            engine
                .submit(&member, task.id, document(agency))
                .await
                .unwrap();
        }
        engine
            .review(&secretariat, task.id, ReviewDecision::Accept, None)
            .await
            .unwrap();
    }
    (opened.id, child, tasks.iter().map(|t| t.id).collect())
}
