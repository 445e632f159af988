//! The pages as pure functions: a token appears only on the answer that issued it, and a
//! bad import names its entry in the reader's language.

use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::directory::Directory;
use super::member::{EditForm, Issued, MemberView, member_page};
use super::{FieldErrors, agencies};
use crate::domain::Role;
use crate::engine::{Member, TokenInfo};
use crate::web::Viewer;

fn member(id: &str, roles: Vec<Role>) -> Member {
    Member {
        id: id.into(),
        name: format!("کارشناس {id}"),
        email: format!("{id}@irica.example"),
        agency: Some("IRICA".into()),
        roles,
        supervisor_id: None,
        locale: "fa".into(),
        disabled: false,
        version: 1,
    }
}

#[test]
fn a_token_is_shown_only_on_the_answer_that_issued_it() {
    let now = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
    let viewer = Viewer::rendering_for(member("boss", vec![Role::Admin]), now);
    let shown = member("m-irica", vec![Role::Member]);
    let token_id = Uuid::now_v7();
    let tokens = [TokenInfo {
        token_id,
        member_id: shown.id.clone(),
        issued_at: now,
        issued_by: Some("boss".into()),
        expires_at: None,
        revoked_at: None,
        revoked_by: None,
        last_used_at: None,
    }];
    let directory = Directory {
        members: vec![shown.clone()],
        agencies: Vec::new(),
    };
    let view = |issued| MemberView {
        directory: &directory,
        tokens: &tokens,
        edit: EditForm::of(&shown),
        expires_on: String::new(),
        errors: FieldErrors::new(),
        issued,
    };
    let secret = "dft_0123456789abcdef";
    let plain = member_page(&viewer, &shown, &view(None)).into_string();
    assert!(!plain.contains("dft_"), "{plain}");
    assert!(
        plain.contains(&format!("/tokens/{token_id}/revoke")),
        "{plain}"
    );
    let issued = Some(Issued {
        token_id,
        token: secret.into(),
    });
    let once = member_page(&viewer, &shown, &view(issued)).into_string();
    assert!(once.contains(secret));
    assert!(once.contains(r#"data-copy="new-token" hidden"#), "{once}");
    assert_eq!(
        once.matches("<script").count(),
        once.matches("<script src=\"/assets/").count(),
        "the copy button works without inline script"
    );
}

#[test]
fn a_bad_import_names_its_entry() {
    let file: crate::engine::ImportFile = serde_json::from_value(serde_json::json!({
        "agencies": [{"code": "MIMT", "name_fa": "الف"}, {"code": "MIMT", "name_fa": "ب"}]
    }))
    .unwrap();
    let problem = crate::engine::check_import(&file).unwrap_err();
    let text = agencies::problem_text(crate::web::i18n::Locale::Fa, &problem);
    assert!(text.contains("«MIMT»") && text.contains("ردیف ۲"), "{text}");
    assert!(text.contains("ردیف ۱"), "{text}");
}
