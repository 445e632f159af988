//! Resolutions adopted in a meeting of the working group, on the pages: the new-resolution
//! form's "adopted in meeting" fieldset and the deadline it may set for the cases it opens,
//! and the meeting's record on the case page (its number and Jalali date, the resolution's
//! number, the minutes, and that no vote was held). Pure: what was typed, or the case
//! document, in; markup out.

use maud::{Markup, html};
use serde_json::Value;

use super::new::{FieldErrors, MeetingFields, NewCaseForm, field};
use super::open::{described, error_at};
use crate::calendar::JalaliDate;
use crate::web::format::{digits, jalali_text};
use crate::web::i18n::Locale;

/// One text input of the fieldset, with its label, help and error.
fn text_input(
    errors: &FieldErrors,
    name: &str,
    label: &str,
    help: Option<&str>,
    value: &str,
) -> Markup {
    let invalid = errors.contains_key(name).then_some("true");
    let help_id = format!("{name}-help");
    let described_by: Vec<String> = help
        .map(|_| help_id.clone())
        .into_iter()
        .chain(described(errors, name))
        .collect();
    html! {
        div.field {
            label for=(name) { (label) }
            @if let Some(help) = help { p.help id=(help_id) { (help) } }
            (error_at(errors, name))
            input id=(name) type="text" name=(name) value=(value) dir="auto"
                aria-invalid=[invalid]
                aria-describedby=[(!described_by.is_empty()).then(|| described_by.join(" "))];
        }
    }
}

/// «مصوبه جلسه»: filled in, the resolution is recorded as adopted and opens its cases at
/// once, without a vote.
pub fn meeting_fieldset(locale: Locale, meeting: &MeetingFields, errors: &FieldErrors) -> Markup {
    let date_help = locale.pick("مانند ۱۴۰۵/۰۳/۰۲", "e.g. 1405/03/02");
    let minutes_invalid = errors.contains_key(field::MINUTES).then_some("true");
    html! {
        fieldset #meeting {
            legend { (locale.pick("مصوبه جلسه (اختیاری)", "Adopted in a meeting (optional)")) }
            p.help { (locale.pick("اگر این مصوبه در جلسه کارگروه تصویب شده است، مشخصات جلسه را بنویسید: پرونده‌ها بی‌درنگ و بدون رأی‌گیری گشوده می‌شوند.", "If the working group adopted this resolution in a meeting, fill in the meeting: its cases open at once, without a vote.")) }
            (text_input(errors, field::MEETING_NO, locale.pick("شماره جلسه", "Meeting number"), None, &meeting.number))
            (text_input(errors, field::MEETING_DATE, locale.pick("تاریخ جلسه", "Meeting date"), Some(date_help), &meeting.date))
            (text_input(errors, field::RESOLUTION_NO, locale.pick("شماره مصوبه", "Resolution number"), Some(locale.pick("مانند ۱۴۰۵/۳/۲", "e.g. 1405/3/2")), &meeting.resolution_no))
            div.field {
                label for=(field::MINUTES) { (locale.pick("متن صورت‌جلسه", "Minutes")) }
                (error_at(errors, field::MINUTES))
                textarea id=(field::MINUTES) name=(field::MINUTES) rows="5" dir="auto"
                    aria-invalid=[minutes_invalid] aria-describedby=[described(errors, field::MINUTES)] { (meeting.minutes) }
            }
        }
    }
}

/// The deadline of the cases that open: the workflow's own, the end of the month or year
/// (of the meeting, or of the approval), or a day.
pub fn due_fieldset(locale: Locale, form: &NewCaseForm, errors: &FieldErrors) -> Markup {
    let choices = [
        (
            "",
            locale.pick("مهلت خود گردش کار", "The workflow's own deadline"),
        ),
        (
            "end_of_month",
            locale.pick(
                "پایان ماه جلسه (یا ماه تصویب)",
                "End of the meeting's (or approval's) month",
            ),
        ),
        ("end_of_year", locale.pick("پایان سال", "End of the year")),
        ("on", locale.pick("تا روز:", "By the day:")),
    ];
    html! {
        fieldset #due aria-describedby=[described(errors, field::DUE)] {
            legend { (locale.pick("مهلت پرونده‌هایی که گشوده می‌شوند", "Deadline of the cases that open")) }
            (error_at(errors, field::DUE))
            @for (value, label) in choices {
                label.inline {
                    input type="radio" name=(field::DUE) value=(value) checked[form.due == value];
                    " " (label)
                }
            }
            (text_input(errors, field::DUE_ON, locale.pick("روز مهلت", "Deadline day"), Some(locale.pick("مانند ۱۴۰۵/۱۰/۱۵؛ تنها اگر «تا روز» برگزیده شود", "e.g. 1405/10/15; only with «by the day»")), &form.due_on))
        }
    }
}

/// The engine's refusal of a meeting field or of the deadline, said in Persian on a Persian
/// page (the engine words it in English, for programs); any other refusal as it is.
pub fn refusal_text(locale: Locale, field: &str, reason: String) -> String {
    let persian = match field {
        field::MEETING_DATE if reason.contains("in the future") => {
            "تاریخ جلسه نمی‌تواند پس از امروز باشد."
        }
        field::MEETING_DATE => {
            "این روز در تقویم هجری شمسی نیست؛ تاریخ جلسه را مانند ۱۴۰۵/۰۳/۰۲ بنویسید."
        }
        field::MEETING_NO => "شماره جلسه باید عددی مثبت یا متنی کوتاه باشد.",
        field::RESOLUTION_NO => "شماره مصوبه را (حداکثر ۵۰ نویسه) بنویسید.",
        field::MINUTES => "متن صورت‌جلسه را بنویسید (حداکثر ۲۰٬۰۰۰ نویسه).",
        field::DUE if reason.contains("already past") => "این مهلت گذشته است.",
        field::DUE if reason.contains("later than") => {
            "این مهلت دیرتر از آن است که گردش کار پرونده‌ها اجازه می‌دهد."
        }
        field::DUE if reason.contains("does not let") => {
            "گردش کار برگزیده اجازه نمی‌دهد مصوبه مهلت آن را تعیین کند."
        }
        field::DUE => "این مهلت روز معتبری نیست؛ آن را مانند ۱۴۰۵/۱۰/۱۵ بنویسید.",
        _ => return reason,
    };
    match locale {
        Locale::Fa => persian.to_string(),
        Locale::En => reason,
    }
}

/// The section, or nothing for a case without a meeting record.
pub fn meeting_section(locale: Locale, meeting: &Value) -> Markup {
    let Some(record) = meeting.as_object() else {
        return html! {};
    };
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    let day = text("meeting_date_jalali");
    let day = day
        .parse::<JalaliDate>()
        .map_or_else(|_| digits(locale, day), |d| jalali_text(locale, d));
    html! {
        section.panel.meeting aria-labelledby="meeting-title" {
            h2 #meeting-title { (locale.pick("مصوبه جلسه", "Adopted in a meeting")) }
            p.muted { (locale.pick("این مصوبه در جلسه کارگروه تصویب شده و به رأی گذاشته نشد.", "This resolution was adopted in a meeting of the working group; it was not put to a vote.")) }
            dl.doc-fields {
                dt { (locale.pick("شماره جلسه", "Meeting number")) }
                dd { bdi { (digits(locale, text("meeting_no"))) } }
                dt { (locale.pick("تاریخ جلسه", "Meeting date")) }
                dd { (day) }
                dt { (locale.pick("شماره مصوبه", "Resolution number")) }
                dd { bdi { (text("resolution_no")) } }
            }
            h3 { (locale.pick("صورت‌جلسه", "Minutes")) }
            p.minutes { (text("minutes")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_record_reads_in_persian_with_a_jalali_date() {
        let record = json!({"meeting_no": "12", "meeting_date_jalali": "1405-03-02", "resolution_no": "۱۴۰۵/۳/۲", "minutes": "متن صورت‌جلسه"});
        let html = meeting_section(Locale::Fa, &record).into_string();
        assert!(html.contains("مصوبه جلسه"), "{html}");
        assert!(html.contains("۱۲"), "{html}");
        assert!(html.contains("خرداد ۱۴۰۵"), "{html}");
        assert!(html.contains("۱۴۰۵/۳/۲"), "{html}");
        assert!(html.contains("متن صورت‌جلسه"), "{html}");
    }

    fn form(pairs: &[(&str, &str)]) -> NewCaseForm {
        let fields: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        NewCaseForm::from_fields(&fields)
    }

    #[test]
    fn a_filled_meeting_fieldset_records_the_resolution_as_adopted_with_its_deadline() {
        let form = form(&[
            ("title", "مصوبه جلسه دوازدهم"),
            ("text", "فهرست تا پایان ماه"),
            ("participants", "all"),
            ("workflow", "data-exchange-inventory"),
            ("meeting_no", "۱۲"),
            ("meeting_date", "۱۴۰۵/۳/۲"),
            ("resolution_no", "۱۴۰۵/۳/۲"),
            ("minutes", " متن صورت‌جلسه "),
            ("due", "on"),
            ("due_on", "۱۴۰۵/۴/۱۵"),
        ]);
        let english = |_: &'static str, en: &'static str| en.to_string();
        assert!(super::super::new::incomplete(&form, english).is_empty());
        let params = form.open_case().params;
        assert_eq!(
            params["adopted_in_meeting"],
            json!({"meeting_no": "۱۲", "meeting_date_jalali": "۱۴۰۵/۳/۲", "resolution_no": "۱۴۰۵/۳/۲", "minutes": "متن صورت‌جلسه"})
        );
        assert_eq!(
            params["on_approval"]["params"],
            json!({"due": {"on": "1405-04-15"}})
        );
    }

    #[test]
    fn an_empty_fieldset_puts_the_resolution_to_the_vote() {
        let form = form(&[
            ("title", "t"),
            ("text", "x"),
            ("workflow", "data-exchange-inventory"),
            ("due", "end_of_month"),
        ]);
        let params = form.open_case().params;
        assert!(params.get("adopted_in_meeting").is_none());
        assert_eq!(
            params["on_approval"]["params"]["due"],
            json!({"end_of": "jalali_month"})
        );
    }

    #[test]
    fn a_meeting_typed_in_part_is_incomplete_and_what_was_typed_is_shown_again() {
        let form = form(&[
            ("title", "t"),
            ("text", "x"),
            ("workflow", "w"),
            ("participants", "all"),
            ("meeting_no", "7"),
            ("due", "on"),
        ]);
        let english = |_: &'static str, en: &'static str| en.to_string();
        let errors = super::super::new::incomplete(&form, english);
        let missing: Vec<_> = errors.keys().copied().collect();
        assert_eq!(
            missing,
            ["due_on", "meeting_date", "minutes", "resolution_no"]
        );
        let html = meeting_fieldset(Locale::Fa, &form.meeting, &errors).into_string();
        assert!(html.contains(r#"value="7""#), "{html}");
        assert!(html.contains(r#"id="meeting_date-error""#), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    }

    #[test]
    fn refusals_of_the_meeting_and_the_deadline_are_said_in_persian() {
        let leap =
            "params.adopted_in_meeting.meeting_date_jalali \"1405-12-30\" is not a Jalali date"
                .to_string();
        let fa = refusal_text(Locale::Fa, field::MEETING_DATE, leap.clone());
        assert!(fa.contains("تقویم هجری شمسی"), "{fa}");
        assert_eq!(
            refusal_text(Locale::En, field::MEETING_DATE, leap.clone()),
            leap
        );
        let future =
            "params.adopted_in_meeting.meeting_date_jalali 1405-09-20 is in the future".to_string();
        assert!(refusal_text(Locale::Fa, field::MEETING_DATE, future).contains("پس از امروز"));
        let late =
            "params.due 1406-01-15 is later than workflow w allows (1405-12-29 at the latest)"
                .to_string();
        assert!(refusal_text(Locale::Fa, field::DUE, late).contains("دیرتر"));
        let other = "title must be 1 to 500 characters".to_string();
        assert_eq!(refusal_text(Locale::Fa, field::TITLE, other.clone()), other);
    }

    #[test]
    fn a_case_without_a_meeting_shows_nothing() {
        assert!(
            meeting_section(Locale::Fa, &Value::Null)
                .into_string()
                .is_empty()
        );
    }
}
