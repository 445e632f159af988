//! The mails of the process as practised: a deadline the secretariat extended, and a
//! reminder it sent now: what they say, Persian first, in the words of [`super::wording`] (the
//! agency's name, the deadline's weekday and time).

use super::templates::{MailContext, Template};
use super::wording::{Lang, agency_name, due};

/// The Persian subject and lines.
pub fn persian(template: Template, ctx: &MailContext) -> (String, Vec<String>) {
    let title = &ctx.case_title;
    let agency = agency_name(ctx, Lang::Fa);
    let due = due(ctx, Lang::Fa);
    let note = ctx.comment.clone().filter(|c| !c.is_empty());
    match template {
        Template::DeadlineExtended => {
            let mut lines = vec![
                format!("مهلت دستگاه {agency} در پرونده «{title}» تمدید شد."),
                format!("مهلت جدید: {due}"),
            ];
            lines.extend(note.map(|n| format!("دلیل تمدید: {n}")));
            (format!("مهلت «{title}» تمدید شد"), lines)
        }
        Template::DeadlineMovedByClosure => {
            let mut lines = vec![
                format!(
                    "به سبب تعطیلی اداری، مهلت دستگاه {agency} در پرونده «{title}» به روز کاری بعد منتقل شد."
                ),
                format!("مهلت جدید: {due}"),
            ];
            lines.extend(note.map(|n| format!("علت تعطیلی: {n}")));
            (format!("مهلت «{title}» به سبب تعطیلی منتقل شد"), lines)
        }
        _ => {
            let mut lines = vec![
                format!(
                    "دبیرخانه یادآوری می‌کند که پاسخ دستگاه {agency} در پرونده «{title}» هنوز ارسال نشده است."
                ),
                format!("مهلت: {due}"),
            ];
            lines.extend(note.map(|n| format!("پیام دبیرخانه: {n}")));
            (format!("یادآوری دبیرخانه: {title}"), lines)
        }
    }
}

/// The English subject and lines.
pub fn english(template: Template, ctx: &MailContext) -> (String, Vec<String>) {
    let title = &ctx.case_title;
    let agency = agency_name(ctx, Lang::En);
    let due = due(ctx, Lang::En);
    let note = ctx.comment.clone().filter(|c| !c.is_empty());
    match template {
        Template::DeadlineExtended => {
            let mut lines = vec![
                format!("The deadline of {agency} in “{title}” was extended."),
                format!("New deadline: {due}"),
            ];
            lines.extend(note.map(|n| format!("Why: {n}")));
            (format!("Deadline extended: {title}"), lines)
        }
        Template::DeadlineMovedByClosure => {
            let mut lines = vec![
                format!(
                    "Offices are closed on the day {agency} was due in “{title}”; the deadline moved to the next working day."
                ),
                format!("New deadline: {due}"),
            ];
            lines.extend(note.map(|n| format!("The closure: {n}")));
            (format!("Deadline moved by a closure: {title}"), lines)
        }
        _ => {
            let mut lines = vec![
                format!(
                    "The secretariat reminds you that the answer of {agency} in “{title}” has not been sent yet."
                ),
                format!("Due: {due}"),
            ];
            lines.extend(note.map(|n| format!("The secretariat's message: {n}")));
            (format!("Reminder from the secretariat: {title}"), lines)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::render;

    fn context() -> MailContext {
        MailContext {
            recipient: "کارشناس گمرک".into(),
            case_title: "احصای اطلاعات".into(),
            case_id: "c-1".into(),
            agency: Some("گمرک جمهوری اسلامی ایران".into()),
            due_jalali: Some("1405-10-15".into()),
            due_at: Some("2027-01-05T20:29:59Z".into()),
            comment: Some("درخواست دستگاه".into()),
            ..MailContext::default()
        }
    }

    #[test]
    fn an_extension_names_the_new_deadline_with_weekday_and_time_and_the_reason() {
        let mail = render(Template::DeadlineExtended, "fa", &context());
        assert_eq!(mail.subject, "مهلت «احصای اطلاعات» تمدید شد");
        assert!(
            mail.text
                .contains("مهلت جدید: سه\u{200c}شنبه ۱۵ دی ۱۴۰۵، ساعت ۲۳:۵۹"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("دلیل تمدید: درخواست دستگاه"));
        let english = render(Template::DeadlineExtended, "en", &context());
        assert!(
            english
                .text
                .contains("New deadline: Tuesday 15 Dey 1405, 23:59 Tehran time"),
            "{}",
            english.text
        );
    }

    #[test]
    fn a_closure_moving_a_deadline_says_so_with_the_closure_and_the_new_deadline() {
        let mail = render(Template::DeadlineMovedByClosure, "fa", &context());
        assert_eq!(mail.subject, "مهلت «احصای اطلاعات» به سبب تعطیلی منتقل شد");
        assert!(
            mail.text.contains("مهلت جدید: سه\u{200c}شنبه ۱۵ دی ۱۴۰۵"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("علت تعطیلی: درخواست دستگاه"));
        let english = render(Template::DeadlineMovedByClosure, "en", &context());
        assert!(english.subject.starts_with("Deadline moved by a closure"));
    }

    #[test]
    fn a_reminder_carries_the_message_only_when_there_is_one() {
        let with = render(Template::RemindedNow, "fa", &context());
        assert!(with.text.contains("پیام دبیرخانه: درخواست دستگاه"));
        assert!(with.text.contains("هنوز ارسال نشده"));
        let without = MailContext {
            comment: None,
            ..context()
        };
        assert!(
            !render(Template::RemindedNow, "fa", &without)
                .text
                .contains("پیام دبیرخانه")
        );
    }
}
