//! How numbers, dates and codes are shown: Persian digits, Jalali dates with their weekday
//! (the Gregorian form kept in `<time datetime>` and its `title`), days left or overdue,
//! and `<bdi>` around codes and ids so they keep their order inside right-to-left text.
//! Pure: the instant "now" is always passed in.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::i18n::Locale;
use crate::calendar::{JalaliDate, tehran_date, tehran_offset, to_persian_digits, weekday_name_fa};

/// `text` with its ASCII digits in the page's script: Persian digits for `fa`.
pub fn digits(locale: Locale, text: &str) -> String {
    match locale {
        Locale::Fa => to_persian_digits(text),
        Locale::En => text.to_string(),
    }
}

/// A count in the page's digits.
pub fn number(locale: Locale, n: impl std::fmt::Display) -> String {
    digits(locale, &n.to_string())
}

/// A Jalali date with its weekday: «۳۰ آذر ۱۴۰۵، یکشنبه», or "Sunday 30 Azar 1405".
pub fn jalali_text(locale: Locale, date: JalaliDate) -> String {
    let weekday = date.weekday();
    match locale {
        Locale::Fa => to_persian_digits(&format!(
            "{} {} {}، {}",
            date.day(),
            date.month_name_fa(),
            date.year(),
            weekday_name_fa(weekday)
        )),
        Locale::En => format!(
            "{} {} {} {}",
            english_weekday(weekday),
            date.day(),
            date.month_name_en(),
            date.year()
        ),
    }
}

pub fn english_weekday(weekday: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match weekday {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// The Tehran calendar day of `instant` as a `<time>`: Jalali text, the instant in
/// `datetime`, the Gregorian date (Tehran) in `title`.
pub fn date(locale: Locale, instant: DateTime<Utc>) -> Markup {
    let local = instant.with_timezone(&tehran_offset());
    let gregorian = local.format("%Y-%m-%d").to_string();
    let shown = match tehran_date(instant) {
        Ok(jalali) => jalali_text(locale, jalali),
        Err(_) => gregorian.clone(),
    };
    html! {
        time datetime=(instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) title=(gregorian) { (shown) }
    }
}

/// A Tehran wall-clock time, «۱۰:۴۲» (for "saved at").
pub fn clock_time(locale: Locale, instant: DateTime<Utc>) -> Markup {
    let local = instant.with_timezone(&tehran_offset());
    html! {
        time datetime=(instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            title=(local.format("%Y-%m-%d %H:%M").to_string()) {
            (digits(locale, &local.format("%H:%M").to_string()))
        }
    }
}

/// Where a due date stands against now, in Tehran calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remaining {
    /// Whole days left after today.
    Left(i64),
    /// Due by the end of today.
    DueToday,
    /// Whole days since the due day.
    Overdue(i64),
}

impl Remaining {
    pub fn between(due: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if due < now {
            let days = calendar_days(now, due).max(1);
            return Remaining::Overdue(days);
        }
        match calendar_days(due, now) {
            0 => Remaining::DueToday,
            days => Remaining::Left(days),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Remaining::Overdue(_))
    }

    /// «۳ روز مانده», «امروز», «۲ روز گذشته»; "3 days left", "due today", "2 days overdue".
    pub fn text(self, locale: Locale) -> String {
        match (self, locale) {
            (Remaining::Left(n), Locale::Fa) => format!("{} روز مانده", number(locale, n)),
            (Remaining::Left(1), Locale::En) => "1 day left".into(),
            (Remaining::Left(n), Locale::En) => format!("{n} days left"),
            (Remaining::DueToday, Locale::Fa) => "مهلت امروز".into(),
            (Remaining::DueToday, Locale::En) => "due today".into(),
            (Remaining::Overdue(n), Locale::Fa) => format!("{} روز گذشته", number(locale, n)),
            (Remaining::Overdue(1), Locale::En) => "1 day overdue".into(),
            (Remaining::Overdue(n), Locale::En) => format!("{n} days overdue"),
        }
    }
}

/// Days between the Tehran calendar days of `later` and `earlier`.
fn calendar_days(later: DateTime<Utc>, earlier: DateTime<Utc>) -> i64 {
    let offset = tehran_offset();
    let later = later.with_timezone(&offset).date_naive();
    let earlier = earlier.with_timezone(&offset).date_naive();
    (later - earlier).num_days()
}

/// A code, id or address kept in its own direction inside the surrounding text.
pub fn bdi(text: &str) -> Markup {
    html! { bdi { (text) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_date_reads_in_persian_with_its_weekday_and_keeps_the_gregorian_form() {
        // 2026-12-21 is 30 Azar 1405, a Monday… in Tehran at noon.
        let markup = date(Locale::Fa, at("2026-12-21T08:30:00Z")).into_string();
        assert!(markup.contains("۳۰ آذر ۱۴۰۵، دوشنبه"), "{markup}");
        assert!(
            markup.contains(r#"datetime="2026-12-21T08:30:00Z""#),
            "{markup}"
        );
        assert!(markup.contains(r#"title="2026-12-21""#), "{markup}");
        let english = date(Locale::En, at("2026-12-21T08:30:00Z")).into_string();
        assert!(english.contains("Monday 30 Azar 1405"), "{english}");
    }

    #[test]
    fn the_day_is_tehrans_day_not_utcs() {
        // 21:00 UTC on 20 December is 00:30 on 21 December in Tehran.
        let markup = date(Locale::Fa, at("2026-12-20T21:00:00Z")).into_string();
        assert!(markup.contains("۳۰ آذر"), "{markup}");
        assert!(markup.contains(r#"title="2026-12-21""#), "{markup}");
    }

    #[test]
    fn remaining_days_count_tehran_calendar_days() {
        let now = at("2026-12-21T06:00:00Z");
        let left = Remaining::between(at("2026-12-24T20:29:59Z"), now);
        assert_eq!(left, Remaining::Left(3));
        assert_eq!(left.text(Locale::Fa), "۳ روز مانده");
        assert_eq!(left.text(Locale::En), "3 days left");
        let today = Remaining::between(at("2026-12-21T20:29:59Z"), now);
        assert_eq!(today, Remaining::DueToday);
        let late = Remaining::between(at("2026-12-19T20:29:59Z"), now);
        assert_eq!(late, Remaining::Overdue(2));
        assert!(late.is_overdue());
        assert_eq!(late.text(Locale::Fa), "۲ روز گذشته");
        assert_eq!(Remaining::Overdue(1).text(Locale::En), "1 day overdue");
    }

    #[test]
    fn digits_follow_the_page_and_bdi_escapes() {
        assert_eq!(digits(Locale::Fa, "TPO-2"), "TPO-۲");
        assert_eq!(number(Locale::En, 42), "42");
        assert_eq!(bdi("<MIMT>").into_string(), "<bdi>&lt;MIMT&gt;</bdi>");
        let clock = clock_time(Locale::Fa, at("2026-12-21T07:12:00Z")).into_string();
        assert!(clock.contains(">۱۰:۴۲<"), "{clock}");
    }
}
