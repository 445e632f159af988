//! kill -9 in the middle of a burst of submissions, then a restart on the same database:
//! every 2xx is still there, no case is half-written, the chain verifies, and the timers and
//! e-mails that were pending when the process died are carried out by the new one.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::checks;
use crate::node::{Node, NodeConfig};
use crate::on_both_backends;
use crate::support::TestDb;
use crate::workload::{self, start_burst, wait_for_cases};

async fn a_killed_server_keeps_every_acknowledged_request(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(&db.url.display(), dir.path(), "crash")
        // A mail claim lasts two SMTP timeouts and a margin: short, so the restarted
        // process takes over the dead one's claims within seconds.
        .with_env("DAFTAR_SMTP_TIMEOUT_SECS", "2");
    let mut node = Node::start(&config).await;
    let tokens = workload::set_up(&node.base).await;
    let (acked, stop, clients) = start_burst(&[node.base.clone()], &tokens, 16, 10_000);
    wait_for_cases(&acked, 25, Duration::from_secs(60)).await;
    node.kill();
    stop.store(true, Ordering::Relaxed);
    let mut unanswered = 0;
    for client in clients {
        unanswered += client.await.unwrap();
    }
    assert!(
        unanswered > 0,
        "the kill should have cut requests off mid-flight"
    );

    let node = Node::start(&config).await;
    checks::acknowledged_are_present(&node.base, &acked).await;
    let cases = checks::cases_are_whole(&node.base).await;
    assert!(cases >= acked.cases.lock().await.len());
    checks::timers_fired(&node.base, &acked).await;
    let notifications = checks::mail_delivered(&node.base).await;
    // A mail sent just before the kill but not yet recorded is sent again after the restart,
    // under the same Message-ID: at least once, never lost.
    checks::every_notification_mailed(&notifications, &[&config.mail_dir], false);
    checks::cases_are_whole(&node.base).await;
    checks::log_is_whole(&node.base).await;
}

on_both_backends!(a_killed_server_keeps_every_acknowledged_request);
