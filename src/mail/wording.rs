//! The rules every e-mail follows, as small helpers for the templates ([`super::templates`]):
//! an agency by its name (the Persian one in Persian mail), never by its code unless the
//! directory does not know it; a deadline with its weekday, day and time in Tehran («دوشنبه
//! ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹»); and a Persian HTML body wrapped right to left in a `<div>`,
//! because mail clients drop the attributes of `<html>` and `<body>`.
//!
//! Pure: the names come in the [`MailContext`], looked up when the mail is composed.

use chrono::{DateTime, Timelike, Utc, Weekday};

use super::templates::MailContext;
use crate::calendar::{JalaliDate, tehran_offset, to_persian_digits, weekday_name_fa};

/// The language a mail is written in: Persian, or English for members whose locale is `en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fa,
    En,
}

impl Lang {
    /// A member's locale: `fa` is Persian, anything else English.
    pub fn of(locale: &str) -> Lang {
        if locale == "fa" { Lang::Fa } else { Lang::En }
    }
}

/// The agency the mail is about, by name: Persian in Persian mail; in English mail the
/// English name, else the Persian one. The code only when the directory has no name; an
/// empty string when the mail is about no agency.
pub fn agency_name(ctx: &MailContext, lang: Lang) -> String {
    let name = match lang {
        Lang::Fa => ctx.agency_name_fa.as_ref(),
        Lang::En => ctx.agency_name_en.as_ref().or(ctx.agency_name_fa.as_ref()),
    };
    name.or(ctx.agency.as_ref()).cloned().unwrap_or_default()
}

/// An instant as a Persian reader expects a deadline: weekday, Jalali day and time in
/// Tehran, in Persian digits: «دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹».
pub fn deadline_fa(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tehran_offset());
    let Ok(day) = JalaliDate::from_gregorian(local.date_naive()) else {
        return at.to_rfc3339();
    };
    to_persian_digits(&format!(
        "{} {} {} {}، ساعت {:02}:{:02}",
        weekday_name_fa(day.weekday()),
        day.day(),
        day.month_name_fa(),
        day.year(),
        local.hour(),
        local.minute()
    ))
}

/// The same in English: "Monday 30 Azar 1405, 23:59 Tehran time (2026-12-21 20:29 UTC)".
pub fn deadline_en(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tehran_offset());
    let utc = at.format("%Y-%m-%d %H:%M UTC");
    let Ok(day) = JalaliDate::from_gregorian(local.date_naive()) else {
        return utc.to_string();
    };
    format!(
        "{} {} {} {}, {:02}:{:02} Tehran time ({utc})",
        weekday_name_en(day.weekday()),
        day.day(),
        day.month_name_en(),
        day.year(),
        local.hour(),
        local.minute()
    )
}

/// The deadline of the task the mail is about, in `lang`; its day alone when only the day
/// is known, «—» when none.
pub fn due(ctx: &MailContext, lang: Lang) -> String {
    let at = ctx.due_at.as_deref().and_then(|at| at.parse().ok());
    let day = ctx
        .due_jalali
        .as_deref()
        .and_then(|d| d.parse::<JalaliDate>().ok());
    match (at, day, lang) {
        (Some(at), _, Lang::Fa) => deadline_fa(at),
        (Some(at), _, Lang::En) => deadline_en(at),
        (None, Some(day), Lang::Fa) => crate::calendar::format_fa(day),
        (None, Some(day), Lang::En) => {
            format!("{} {} {}", day.day(), day.month_name_en(), day.year())
        }
        (None, None, _) => "—".into(),
    }
}

/// A Persian HTML body, right to left wherever it is read: mail clients drop `<body dir>`.
pub fn rtl_wrap(html: &str) -> String {
    format!(r#"<div dir="rtl" style="direction:rtl;text-align:right">{html}</div>"#)
}

fn weekday_name_en(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_deadline_reads_with_its_weekday_and_tehran_time() {
        // 23:59:59 in Tehran on 30 Azar 1405, a Monday.
        let end_of_day = at("2026-12-21T20:29:59Z");
        assert_eq!(deadline_fa(end_of_day), "دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹");
        assert_eq!(
            deadline_en(end_of_day),
            "Monday 30 Azar 1405, 23:59 Tehran time (2026-12-21 20:29 UTC)"
        );
        // An instant after midnight UTC+03:30 is already the next Jalali day.
        assert_eq!(
            deadline_fa(at("2026-12-21T20:30:00Z")),
            "سه\u{200c}شنبه ۱ دی ۱۴۰۵، ساعت ۰۰:۰۰"
        );
    }

    #[test]
    fn an_agency_is_named_in_the_readers_language_and_by_code_only_when_unknown() {
        let mut ctx = MailContext {
            agency: Some("IRICA".into()),
            ..MailContext::default()
        };
        assert_eq!(agency_name(&ctx, Lang::Fa), "IRICA");
        ctx.agency_name_fa = Some("گمرک جمهوری اسلامی ایران".into());
        assert_eq!(agency_name(&ctx, Lang::Fa), "گمرک جمهوری اسلامی ایران");
        assert_eq!(agency_name(&ctx, Lang::En), "گمرک جمهوری اسلامی ایران");
        ctx.agency_name_en = Some("Customs of Iran".into());
        assert_eq!(agency_name(&ctx, Lang::En), "Customs of Iran");
        assert_eq!(agency_name(&MailContext::default(), Lang::Fa), "");
    }

    #[test]
    fn the_due_of_a_mail_falls_back_to_its_day_then_to_a_dash() {
        let mut ctx = MailContext {
            due_jalali: Some("1405-09-30".into()),
            ..MailContext::default()
        };
        assert_eq!(due(&ctx, Lang::Fa), "۳۰ آذر ۱۴۰۵");
        assert_eq!(due(&ctx, Lang::En), "30 Azar 1405");
        ctx.due_at = Some("2026-12-21T20:29:59Z".into());
        assert_eq!(due(&ctx, Lang::Fa), "دوشنبه ۳۰ آذر ۱۴۰۵، ساعت ۲۳:۵۹");
        assert_eq!(due(&MailContext::default(), Lang::Fa), "—");
    }

    #[test]
    fn a_persian_body_is_wrapped_right_to_left() {
        assert_eq!(
            rtl_wrap("<p>سلام</p>"),
            r#"<div dir="rtl" style="direction:rtl;text-align:right"><p>سلام</p></div>"#
        );
    }
}
