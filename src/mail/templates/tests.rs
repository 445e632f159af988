//! The texts of the e-mails: Persian wording, agencies by name, deadlines with weekday and
//! time, the right-to-left wrapper, and English for members whose locale is `en`.

use super::*;

const RTL_DIV: &str = r#"<div dir="rtl" style="direction:rtl;text-align:right">"#;

fn context() -> MailContext {
    MailContext {
        recipient: "کارشناس گمرک".into(),
        case_title: "احصای اطلاعات <مورد نیاز>".into(),
        case_id: "c-1".into(),
        agency: Some("IRICA".into()),
        agency_name_fa: Some("گمرک جمهوری اسلامی ایران".into()),
        agency_name_en: Some("Islamic Republic of Iran Customs".into()),
        due_jalali: Some("1405-09-30".into()),
        due_at: Some("2026-12-21T20:29:59Z".into()),
        comment: Some("منبع را مشخص کنید".into()),
        level: Some(2),
        ..MailContext::default()
    }
}

#[test]
fn a_new_task_is_announced_in_the_inbox_with_the_agencys_name_and_the_full_deadline() {
    let mail = render(Template::TaskAssigned, "fa", &context());
    assert_eq!(
        mail.subject,
        "کار جدید در کارتابل: احصای اطلاعات <مورد نیاز>"
    );
    assert!(
        mail.text.contains("گمرک جمهوری اسلامی ایران"),
        "{}",
        mail.text
    );
    assert!(
        !mail.text.contains("IRICA"),
        "the name, not the code: {}",
        mail.text
    );
    assert!(
        mail.text.contains("مهلت: دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹"),
        "{}",
        mail.text
    );
    assert!(
        mail.html.contains(&format!("{RTL_DIV}<p>")),
        "{}",
        mail.html
    );
    assert!(mail.html.contains("</p></div></body>"));
    assert!(
        mail.html.contains("&lt;مورد نیاز&gt;"),
        "titles are escaped in HTML"
    );
}

#[test]
fn a_return_reads_as_information_returned_for_correction() {
    let mail = render(Template::Returned, "fa", &context());
    assert_eq!(
        mail.subject,
        "اطلاعات ارسالی «احصای اطلاعات <مورد نیاز>» جهت اصلاح عودت داده شد"
    );
    assert!(mail.text.contains(
        "اطلاعات ارسالی گمرک جمهوری اسلامی ایران در پرونده «احصای اطلاعات <مورد نیاز>» جهت اصلاح عودت داده شد."
    ));
    assert!(mail.text.contains("منبع را مشخص کنید"));
    let english = render(Template::Returned, "en", &context());
    assert!(english.text.contains("منبع را مشخص کنید"));
    assert!(english.text.contains("Islamic Republic of Iran Customs"));
}

#[test]
fn a_rejected_draft_resolution_was_not_adopted() {
    let mail = render(Template::ResolutionRejected, "fa", &context());
    assert_eq!(
        mail.subject,
        "پیش‌نویس مصوبه تصویب نشد: احصای اطلاعات <مورد نیاز>"
    );
    assert!(!mail.text.contains("رد شد"));
    assert_eq!(
        render(Template::ResolutionRejected, "en", &context()).subject,
        "Draft resolution not adopted: احصای اطلاعات <مورد نیاز>"
    );
}

#[test]
fn every_persian_mail_is_wrapped_right_to_left_and_names_no_code() {
    for template in [
        Template::TaskAssigned,
        Template::VoteRequested,
        Template::Reminder,
        Template::Overdue,
        Template::Escalation,
        Template::Returned,
        Template::Accepted,
        Template::ResolutionApproved,
        Template::ResolutionRejected,
        Template::ResolutionExpired,
        Template::CaseCompleted,
    ] {
        let mail = render(template, "fa", &context());
        assert!(mail.html.contains(RTL_DIV), "{template:?}");
        assert!(!mail.text.contains("IRICA"), "{template:?}: {}", mail.text);
        if mail.text.contains("۳۰ آذر") {
            let deadline = "دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹";
            assert!(
                mail.text.contains(deadline),
                "{template:?}: weekday and time"
            );
        }
        let english = render(template, "en", &context());
        assert!(!english.html.contains(RTL_DIV), "{template:?}");
        assert!(english.html.contains("dir=\"ltr\""));
    }
}

#[test]
fn an_agency_the_directory_does_not_know_is_named_by_its_code() {
    let unknown = MailContext {
        agency_name_fa: None,
        agency_name_en: None,
        ..context()
    };
    assert!(
        render(Template::Reminder, "fa", &unknown)
            .text
            .contains("مهلت کار IRICA")
    );
}

#[test]
fn english_mail_names_the_deadline_with_its_weekday_and_the_instant() {
    let mail = render(Template::Escalation, "en", &context());
    assert_eq!(
        mail.subject,
        "Escalated to level 2: احصای اطلاعات <مورد نیاز>"
    );
    assert!(
        mail.text
            .contains("Due: Monday 30 Azar 1405, 23:59 Tehran time (2026-12-21 20:29 UTC)"),
        "{}",
        mail.text
    );
    assert!(mail.html.contains("dir=\"ltr\""));
}

#[test]
fn a_message_links_to_where_the_recipient_acts() {
    let linked = MailContext {
        link: Some("https://daftar.example.org/tasks/t-1".into()),
        ..context()
    };
    let mail = render(Template::TaskAssigned, "fa", &linked);
    assert!(
        mail.text
            .contains("باز کردن در دفتر: https://daftar.example.org/tasks/t-1"),
        "{}",
        mail.text
    );
    assert!(
        mail.html
            .contains(r#"<a href="https://daftar.example.org/tasks/t-1">"#)
    );
    let without = render(Template::TaskAssigned, "en", &context());
    assert!(!without.text.contains("Open in daftar"));
}
