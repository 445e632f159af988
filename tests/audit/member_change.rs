//! A member's roles, locale and supervisor changed (`MemberChanged`), then disabled: a
//! rebuild of the read models from the log gives the member exactly as it was live.

use daftar::engine::{ManualClock, MemberChange};

use crate::rebuild::dump;
use crate::support::TestDb;
use crate::support::seed::{admin, now, seed, start};
use crate::{daftar, succeeds};

async fn a_changed_member_rebuilds_to_the_same_state(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let change = MemberChange {
        roles: Some(vec!["member".into(), "secretariat".into()]),
        locale: Some("en".into()),
        supervisor_id: None,
    };
    let changed = engine
        .change_member(&admin(), "m-irica", change, None)
        .await
        .unwrap();
    assert_eq!((changed.locale.as_str(), changed.version), ("en", 2));
    engine.disable_member(&admin(), "m-irica").await.unwrap();
    let database = db.connect().await;
    let live = dump(&database).await;
    succeeds(&daftar(&db, &["projections", "rebuild"]));
    assert_eq!(dump(&database).await, live);
}

crate::on_both_backends!(a_changed_member_rebuilds_to_the_same_state);
