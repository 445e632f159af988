//! A short working-group story written through the engine, remembering after each command
//! the live state and the log's head — what every replay must reproduce.

use daftar::domain::{CaseState, ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{Engine, ManualClock, OpenCase};
use serde_json::json;
use uuid::Uuid;

use crate::support::TestDb;
use crate::support::seed::*;

/// A moment of the story: the head just after a command and the case it returned.
#[derive(Debug, Clone)]
pub struct Moment {
    pub head: i64,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub state: CaseState,
}

pub struct Story {
    pub engine: Engine,
    pub resolution: Uuid,
    pub inventory: Uuid,
    pub moments: Vec<Moment>,
}

impl Story {
    async fn remember(&mut self, state: impl Into<std::sync::Arc<CaseState>>) {
        let state = std::sync::Arc::unwrap_or_clone(state.into());
        let (head, _) = self.engine.store.head().await.unwrap();
        let newest = self
            .engine
            .store
            .read_stream(&format!("case-{}", state.id), 1)
            .await
            .unwrap();
        let recorded_at = newest.last().unwrap().recorded_at;
        self.moments.push(Moment {
            head,
            recorded_at,
            state,
        });
        // Distinct commit times, so replaying "as of a time" has something to tell apart.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Agencies, members, a token issued and one revoked; a resolution approved by vote; its
/// inventory case with a submission returned, fixed and accepted, and another accepted.
pub async fn run(db: &TestDb) -> Story {
    let engine = start(db, ManualClock::at(now())).await;
    seed(&engine).await;
    let (_, _) = engine.issue_token(&admin(), "m-irica", None).await.unwrap();
    let (revoked, _) = engine.issue_token(&admin(), "m-cppo", None).await.unwrap();
    engine.revoke_token(&admin(), revoked).await.unwrap();
    let opened = engine
        .open_case(&secretariat(), OpenCase {
            workflow: "resolution-approval".into(),
            title: "مصوبه جلسه اول کارگروه".into(),
            participants: None,
            params: json!({"text": "ارسال اطلاعات تا پایان ماه", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA", "CPPO", "TPO"]}}),
            parent_case: None,
            case_id: None,
        })
        .await
        .unwrap();
    let mut story = Story {
        engine: engine.clone(),
        resolution: opened.id,
        inventory: Uuid::nil(),
        moments: Vec::new(),
    };
    story.remember(opened.clone()).await;
    let votes: Vec<_> = opened
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Vote)
        .cloned()
        .collect();
    for task in votes.iter().take(16) {
        let voter = member_of(task.agency.as_deref().unwrap());
        let state = engine
            .vote(&voter, task.id, VoteChoice::Approve, None)
            .await
            .unwrap();
        story.remember(state).await;
    }
    let parent = engine.case(opened.id).await.unwrap().unwrap();
    story.inventory = parent.children[0];
    let child = engine.case(story.inventory).await.unwrap().unwrap();
    story.remember(child.clone()).await;
    inventory_work(&mut story, &child).await;
    story
}

async fn inventory_work(story: &mut Story, child: &CaseState) {
    let engine = story.engine.clone();
    let (first, second) = (&child.tasks[0], &child.tasks[1]);
    let agency = |t: &daftar::domain::Task| member_of(t.agency.as_deref().unwrap());
    let state = engine
        .submit(&agency(first), first.id, inventory())
        .await
        .unwrap();
    story.remember(state).await;
    let comment = Some("منبع داده را مشخص کنید".to_string());
    let state = engine
        .review(&secretariat(), first.id, ReviewDecision::Return, comment)
        .await
        .unwrap();
    story.remember(state).await;
    let state = engine
        .submit(&agency(first), first.id, inventory())
        .await
        .unwrap();
    story.remember(state).await;
    let state = engine
        .review(&secretariat(), first.id, ReviewDecision::Accept, None)
        .await
        .unwrap();
    story.remember(state).await;
    let state = engine
        .submit(&agency(second), second.id, inventory())
        .await
        .unwrap();
    story.remember(state).await;
    let state = engine
        .review(&secretariat(), second.id, ReviewDecision::Accept, None)
        .await
        .unwrap();
    story.remember(state).await;
}
