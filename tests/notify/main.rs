//! Notifications through a real SMTP server (a sink started by each test): delivery in each
//! language, every kind of event, outages, permanent refusals, a server that hangs, and two
//! nodes sending each e-mail once.

#[path = "../support/mod.rs"]
mod support;

mod smtp_sink;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use daftar::domain::{ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{Engine, ManualClock, MemberInput, OpenCase, ParticipantsInput};
use daftar::notify::{Dispatcher, LettreMailer, MailSettings};
use daftar::outbox::{NotificationQuery, Outbox};
use serde_json::json;
use smtp_sink::SmtpSink;
use support::TestDb;
use support::seed::*;

fn settings(sink: &SmtpSink) -> MailSettings {
    MailSettings {
        smtp_url: Some(sink.url()),
        timeout: Duration::from_secs(1),
        max_attempts: 3,
        backoff: Duration::from_secs(60),
        ..MailSettings::default()
    }
}

async fn dispatcher(
    db: &TestDb,
    engine: &Engine,
    clock: &ManualClock,
    settings: MailSettings,
) -> Dispatcher {
    let mailer = Arc::new(LettreMailer::new(&settings).unwrap());
    Dispatcher::new(
        Outbox::new(db.connect().await),
        engine.store.clone(),
        mailer,
        Arc::new(clock.clone()),
        settings,
        Arc::new(tokio::sync::Notify::new()),
    )
}

async fn open_inventory(engine: &Engine, agencies: &[&str]) -> daftar::domain::CaseState {
    let participants = ParticipantsInput::List(agencies.iter().map(|a| a.to_string()).collect());
    engine
        .open_case(
            &secretariat(),
            OpenCase {
                workflow: "data-exchange-inventory".into(),
                title: "احصای اطلاعات".into(),
                participants: Some(participants),
                params: json!({}),
                parent_case: None,
                case_id: None,
            },
        )
        .await
        .map(std::sync::Arc::unwrap_or_clone)
        .unwrap()
}

async fn rows(outbox: &Outbox) -> Vec<daftar::outbox::Notification> {
    outbox
        .list(&NotificationQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn add_member(
    engine: &Engine,
    id: &str,
    agency: &str,
    locale: &str,
    supervisor: Option<&str>,
) {
    let input = MemberInput {
        id: Some(id.into()),
        name: format!("عضو {id}"),
        email: format!("{id}@{}.example", agency.to_lowercase()),
        agency: agency.into(),
        roles: vec!["member".into()],
        supervisor_id: supervisor.map(str::to_string),
        locale: Some(locale.into()),
    };
    engine.register_member(&admin(), input).await.unwrap();
}

async fn mail_is_delivered_in_each_recipients_language(db: TestDb) {
    let sink = SmtpSink::start().await;
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    add_member(&engine, "english-cppo", "CPPO", "en", None).await;
    open_inventory(&engine, &["IRICA", "CPPO"]).await;
    let dispatcher = dispatcher(&db, &engine, &clock, settings(&sink)).await;
    assert_eq!(dispatcher.deliver_due().await.unwrap(), 3);
    let received = sink.received();
    assert_eq!(received.len(), 3);
    let to: HashSet<String> = received.iter().flat_map(|r| r.to.clone()).collect();
    assert_eq!(
        to,
        HashSet::from([
            "focal@irica.example".to_string(),
            "focal@cppo.example".to_string(),
            "english-cppo@cppo.example".to_string()
        ])
    );
    for mail in &received {
        let parsed = mailparse::parse_mail(mail.data.as_bytes()).unwrap();
        let subject = parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .unwrap()
            .get_value();
        let message_id = parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Message-ID")
            .unwrap()
            .get_value();
        assert!(message_id.ends_with("@daftar>"), "{message_id}");
        let text = parsed.subparts[0].get_body().unwrap();
        let html = parsed.subparts[1].get_body().unwrap();
        if mail.to[0].starts_with("english") {
            assert_eq!(subject, "New task in your inbox: احصای اطلاعات");
            assert!(text.contains("Consumers and Producers Protection Organization"));
            assert!(
                text.contains("Monday 30 Azar 1405, 23:59 Tehran time"),
                "{text}"
            );
            assert!(html.contains("dir=\"ltr\""));
        } else {
            assert_eq!(subject, "کار جدید در کارتابل: احصای اطلاعات");
            assert!(
                text.contains("مهلت: دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹"),
                "{text}"
            );
            let name = if mail.to[0].contains("irica") {
                "گمرک جمهوری اسلامی ایران"
            } else {
                "سازمان حمایت مصرف\u{200c}کنندگان و تولیدکنندگان"
            };
            assert!(
                text.contains(name),
                "the agency by its Persian name: {text}"
            );
            assert!(
                !text.contains("برای IRICA") && !text.contains("برای CPPO"),
                "{text}"
            );
            assert!(
                html.contains(r#"<div dir="rtl" style="direction:rtl;text-align:right"><p>"#),
                "{html}"
            );
        }
    }
    let outbox = Outbox::new(db.connect().await);
    assert!(
        rows(&outbox)
            .await
            .iter()
            .all(|n| n.status == "sent" && n.attempts == 1)
    );
    assert_eq!(
        dispatcher.deliver_due().await.unwrap(),
        0,
        "nothing is sent twice"
    );
    assert!(engine.store.verify(1, None).await.unwrap().ok);
}

async fn mail_names_its_recipient_and_links_to_the_task(db: TestDb) {
    let sink = SmtpSink::start().await;
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone())
        .await
        .with_public_base("https://daftar.example.org/");
    seed(&engine).await;
    let case = open_inventory(&engine, &["IRICA"]).await;
    let task = case.tasks[0].id;
    let dispatcher = dispatcher(&db, &engine, &clock, settings(&sink)).await;
    assert_eq!(dispatcher.deliver_due().await.unwrap(), 1);
    let received = sink.received();
    let parsed = mailparse::parse_mail(received[0].data.as_bytes()).unwrap();
    let to = parsed
        .headers
        .iter()
        .find(|h| h.get_key() == "To")
        .unwrap()
        .get_value();
    assert!(to.contains("کارشناس IRICA"), "the name, not the id: {to}");
    assert!(to.contains("<focal@irica.example>"), "{to}");
    assert!(!to.contains("m-irica"), "{to}");
    let link = format!("https://daftar.example.org/tasks/{task}");
    let text = parsed.subparts[0].get_body().unwrap();
    let html = parsed.subparts[1].get_body().unwrap();
    assert!(text.contains(&link), "{text}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
}

async fn every_event_kind_mails_the_right_people(db: TestDb) {
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    add_member(&engine, "boss-irica", "IRICA", "fa", None).await;
    add_member(&engine, "deputy-irica", "IRICA", "fa", Some("boss-irica")).await;
    let resolution = engine
        .open_case(&secretariat(), OpenCase { workflow: "resolution-approval".into(), title: "مصوبه".into(), participants: None, params: json!({"text": "t", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA", "CPPO"]}}), parent_case: None, case_id: None })
        .await
        .unwrap();
    let ballots: Vec<_> = resolution
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Vote)
        .cloned()
        .collect();
    // One vote per agency, cast by its seeded focal point.
    for ballot in &ballots {
        let actor = member_of(ballot.agency.as_deref().unwrap());
        if engine
            .vote(&actor, ballot.id, VoteChoice::Approve, None)
            .await
            .unwrap()
            .outcome
            .is_some()
        {
            break;
        }
    }
    let child = engine
        .case(engine.case(resolution.id).await.unwrap().unwrap().children[0])
        .await
        .unwrap()
        .unwrap();
    let irica = child
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("IRICA"))
        .unwrap()
        .id;
    let cppo = child
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("CPPO"))
        .unwrap()
        .id;
    engine
        .submit(&member_of("IRICA"), irica, inventory())
        .await
        .unwrap();
    engine
        .review(
            &secretariat(),
            irica,
            ReviewDecision::Return,
            Some("دستگاه مبدا را بنویسید".into()),
        )
        .await
        .unwrap();
    engine
        .submit(&member_of("IRICA"), irica, inventory())
        .await
        .unwrap();
    // CPPO lets the deadline pass: reminder, overdue, escalation to supervisors and roles.
    let due = child.tasks[0].due.as_ref().unwrap().due_at;
    let timers = daftar::timers::Timers::new(db.connect().await);
    let handler = Arc::new(daftar::scheduler::EngineTimers {
        engine: engine.clone(),
        timers: timers.clone(),
    });
    let scheduler = daftar::scheduler::Scheduler::new(
        timers,
        handler,
        Arc::new(clock.clone()),
        engine.timer_wake.clone(),
    );
    // The P1D reminder would go at 23:59:59 the day before, after hours: it waits for
    // 08:00 on the due day (a Monday), so by noon it has gone.
    clock.set(due - chrono::Duration::hours(12));
    scheduler.fire_due().await.unwrap();
    // Overdue at the deadline; the escalation waits for 08:00 the next working day.
    clock.set(due + chrono::Duration::hours(9));
    scheduler.fire_due().await.unwrap();
    engine
        .review(&secretariat(), irica, ReviewDecision::Accept, None)
        .await
        .unwrap();
    engine
        .submit(&member_of("CPPO"), cppo, inventory())
        .await
        .unwrap();
    engine
        .review(&secretariat(), cppo, ReviewDecision::Accept, None)
        .await
        .unwrap();

    let all = rows(&Outbox::new(db.connect().await)).await;
    let sent_to = |template: &str| -> HashSet<String> {
        all.iter()
            .filter(|n| n.template == template)
            .map(|n| n.member_id.clone())
            .collect()
    };
    assert_eq!(
        sent_to("vote_requested").len(),
        33,
        "one ballot mail per member"
    );
    assert!(sent_to("resolution_approved").contains("sec-1"));
    assert_eq!(
        sent_to("task_assigned"),
        HashSet::from(["m-irica", "boss-irica", "deputy-irica", "m-cppo"].map(String::from))
    );
    assert_eq!(
        sent_to("returned"),
        HashSet::from(["m-irica", "boss-irica", "deputy-irica"].map(String::from))
    );
    assert!(
        all.iter()
            .any(|n| n.template == "returned" && n.subject.contains("جهت اصلاح عودت داده شد"))
    );
    assert_eq!(
        sent_to("reminder"),
        HashSet::from(["m-cppo".to_string()]),
        "IRICA's resubmission awaits review; the P1D reminder is for CPPO only"
    );
    assert_eq!(sent_to("overdue"), HashSet::from(["m-cppo".to_string()]));
    assert_eq!(
        sent_to("escalation"),
        HashSet::from(["sec-1".to_string()]),
        "CPPO's focal point has no supervisor; the secretariat role is told"
    );
    assert_eq!(
        sent_to("accepted"),
        HashSet::from(["m-irica", "boss-irica", "deputy-irica", "m-cppo"].map(String::from))
    );
    assert_eq!(
        sent_to("case_completed"),
        HashSet::from(["sec-1".to_string()])
    );
}

async fn an_outage_is_retried_and_a_permanent_one_fails(db: TestDb) {
    let mut sink = SmtpSink::start().await;
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let dispatcher = dispatcher(&db, &engine, &clock, settings(&sink)).await;
    let outbox = Outbox::new(db.connect().await);
    sink.stop();
    open_inventory(&engine, &["IRICA"]).await;
    assert_eq!(dispatcher.deliver_due().await.unwrap(), 1);
    let waiting = rows(&outbox).await;
    assert_eq!(
        (waiting[0].status.as_str(), waiting[0].attempts),
        ("queued", 1)
    );
    assert!(waiting[0].last_error.is_some());
    assert_eq!(
        dispatcher.deliver_due().await.unwrap(),
        0,
        "not before the backoff"
    );
    sink.restart().await;
    clock.advance(chrono::Duration::seconds(61));
    dispatcher.deliver_due().await.unwrap();
    assert_eq!(rows(&outbox).await[0].status, "sent");
    assert_eq!(sink.received().len(), 1);

    // Down for good: three attempts, then failed, with the last error and an event.
    sink.stop();
    open_inventory(&engine, &["CPPO"]).await;
    for _ in 0..3 {
        dispatcher.deliver_due().await.unwrap();
        clock.advance(chrono::Duration::minutes(30));
    }
    let failed: Vec<_> = rows(&outbox)
        .await
        .into_iter()
        .filter(|n| n.status == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 3);
    let mut query = daftar::event_store::ReadAll::after(0, 1000);
    query.event_types = vec!["NotificationFailed".into()];
    assert_eq!(engine.store.read_all(&query).await.unwrap().len(), 1);
}

async fn a_refused_recipient_fails_at_once_and_a_hanging_server_times_out(db: TestDb) {
    let sink = SmtpSink::start().await;
    sink.reject("focal@irica.example");
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let dispatcher = dispatcher(&db, &engine, &clock, settings(&sink)).await;
    let outbox = Outbox::new(db.connect().await);
    open_inventory(&engine, &["IRICA", "CPPO"]).await;
    dispatcher.deliver_due().await.unwrap();
    let all = rows(&outbox).await;
    let irica = all.iter().find(|n| n.member_id == "m-irica").unwrap();
    assert_eq!(
        (irica.status.as_str(), irica.attempts),
        ("failed", 1),
        "550 is not retried"
    );
    assert!(
        irica.last_error.as_deref().unwrap().contains("550"),
        "{:?}",
        irica.last_error
    );
    assert_eq!(
        all.iter().find(|n| n.member_id == "m-cppo").unwrap().status,
        "sent"
    );

    sink.hang(true);
    open_inventory(&engine, &["INSO"]).await;
    let started = std::time::Instant::now();
    dispatcher.deliver_due().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the timeout bounds the wait"
    );
    let inso = rows(&outbox)
        .await
        .into_iter()
        .find(|n| n.member_id == "m-inso")
        .unwrap();
    assert_eq!(
        (inso.status.as_str(), inso.attempts),
        ("queued", 1),
        "a hang is retried later"
    );
}

async fn two_nodes_send_each_mail_once(db: TestDb) {
    let sink = SmtpSink::start().await;
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let codes = agency_codes();
    open_inventory(
        &engine,
        &codes.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    let (a, b) = (
        dispatcher(&db, &engine, &clock, settings(&sink)).await,
        dispatcher(&db, &engine, &clock, settings(&sink)).await,
    );
    let (x, y) = tokio::join!(a.deliver_due(), b.deliver_due());
    assert_eq!(x.unwrap() + y.unwrap(), 31);
    let ids: Vec<String> = sink
        .received()
        .iter()
        .map(|r| {
            r.data
                .lines()
                .find(|l| l.starts_with("Message-ID"))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 31);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 31);
}

on_both_backends!(
    mail_is_delivered_in_each_recipients_language,
    mail_names_its_recipient_and_links_to_the_task,
    every_event_kind_mails_the_right_people,
    an_outage_is_retried_and_a_permanent_one_fails,
    a_refused_recipient_fails_at_once_and_a_hanging_server_times_out,
    two_nodes_send_each_mail_once,
);
