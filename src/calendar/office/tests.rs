use chrono::{DateTime, Utc};

use super::super::{BusinessCalendar, Closure, ClosureRefused, HolidayTable, JalaliDate};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn jalali(text: &str) -> JalaliDate {
    text.parse().unwrap()
}

#[test]
fn a_moment_in_office_hours_of_a_working_day_stays() {
    let calendar = BusinessCalendar::builtin();
    // Monday 9 Azar 1405, 10:00 Tehran.
    let moment = at("2026-11-30T10:00:00+03:30");
    assert_eq!(calendar.at_work(moment).unwrap(), moment);
}

#[test]
fn before_opening_waits_for_eight_and_after_closing_for_the_next_working_day() {
    let calendar = BusinessCalendar::builtin();
    assert_eq!(
        calendar.at_work(at("2026-11-30T06:15:00+03:30")).unwrap(),
        at("2026-11-30T08:00:00+03:30")
    );
    // Wednesday 11 Azar at 14:00: Thursday and Friday are off, so Saturday 14 Azar 08:00.
    assert_eq!(
        calendar.at_work(at("2026-12-02T14:00:00+03:30")).unwrap(),
        at("2026-12-05T08:00:00+03:30")
    );
}

#[test]
fn a_friday_moment_waits_for_saturday_eight() {
    let calendar = BusinessCalendar::builtin();
    // Friday 13 Azar 1405, 23:59 Tehran.
    assert_eq!(
        calendar.at_work(at("2026-12-04T23:59:59+03:30")).unwrap(),
        at("2026-12-05T08:00:00+03:30")
    );
}

#[test]
fn an_escalation_inside_nowruz_waits_until_after_the_13th() {
    let calendar = BusinessCalendar::builtin();
    // Sunday 8 Farvardin 1406, 10:00: a working day, but inside Nowruz. 14 Farvardin is the
    // martyrdom of Imam Sadegh (forecast), so Sunday 15 Farvardin 08:00.
    let moment = at("2027-03-28T10:00:00+03:30");
    assert_eq!(
        jalali("1406-01-08").to_gregorian().to_string(),
        "2027-03-28"
    );
    assert_eq!(calendar.at_work(moment).unwrap(), moment);
    assert_eq!(
        calendar.escalation_moment(moment).unwrap(),
        at("2027-04-04T08:00:00+03:30")
    );
    assert_eq!(
        jalali("1406-01-15").to_gregorian().to_string(),
        "2027-04-04"
    );
}

#[test]
fn a_file_may_change_the_weekend_and_hours_and_the_version_says_so() {
    let json = r#"{"year": 1405, "version": "1405.9", "weekend": ["friday"],
        "office_hours": {"opens": "07:30", "closes": "14:30"}, "no_escalation": [],
        "holidays": []}"#;
    let table = HolidayTable::from_json("1405.json", json).unwrap();
    assert_eq!(
        table.calendar_version(),
        "1405.9[weekend=fri;hours=07:30-14:30;quiet=]"
    );
    let mut calendar = BusinessCalendar::default();
    calendar.insert(table);
    // Thursday 5 Azar 1405 is a working day here, from 07:30.
    assert!(calendar.is_working_day(jalali("1405-09-05")).unwrap());
    assert_eq!(
        calendar.at_work(at("2026-11-26T05:00:00+03:30")).unwrap(),
        at("2026-11-26T07:30:00+03:30")
    );
}

#[test]
fn offices_open_round_the_clock_every_day_take_every_moment_as_it_comes() {
    let json = r#"{"year": 1405, "version": "always", "weekend": [],
        "office_hours": {"opens": "00:00", "closes": "24:00"}, "no_escalation": [],
        "holidays": []}"#;
    let table = HolidayTable::from_json("1405.json", json).unwrap();
    assert_eq!(
        table.calendar_version(),
        "always[weekend=;hours=00:00-24:00;quiet=]"
    );
    let mut calendar = BusinessCalendar::default();
    calendar.insert(table);
    // Friday 6 Azar 1405, a minute before midnight and at midnight.
    for moment in ["2026-11-27T23:59:30+03:30", "2026-11-27T00:00:00+03:30"] {
        assert_eq!(calendar.at_work(at(moment)).unwrap(), at(moment));
    }
}

#[test]
fn bad_rules_are_refused_naming_the_key() {
    for (rules, expected) in [
        (r#""weekend": ["fryday"]"#, "weekend"),
        (
            r#""office_hours": {"opens": "14:00", "closes": "08:00"}"#,
            "open before",
        ),
        (
            r#""no_escalation": [{"from": "1406-01-01", "to": "1406-01-13", "name_fa": "ن", "name_en": "N"}]"#,
            "not in this file's year",
        ),
    ] {
        let json = format!(r#"{{"year": 1405, "version": "x", {rules}, "holidays": []}}"#);
        let error = HolidayTable::from_json("1405.json", &json).unwrap_err();
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[test]
fn a_closure_is_a_day_off_and_changes_the_version() {
    let mut calendar = BusinessCalendar::builtin();
    let before = calendar.version();
    let closure = Closure {
        date_jalali: jalali("1405-09-09"),
        reason: "air pollution".into(),
    };
    calendar.check_closure(&closure).unwrap();
    calendar.add_closure(closure.clone());
    assert!(!calendar.is_working_day(jalali("1405-09-09")).unwrap());
    assert_eq!(calendar.version(), format!("{before}+closures.1"));
    assert!(matches!(
        calendar.check_closure(&closure),
        Err(ClosureRefused::AlreadyOff(_))
    ));
    let friday = Closure {
        date_jalali: jalali("1405-09-13"),
        reason: "x".into(),
    };
    assert!(matches!(
        calendar.check_closure(&friday),
        Err(ClosureRefused::AlreadyOff(_))
    ));
    let far = Closure {
        date_jalali: jalali("1410-01-20"),
        reason: "x".into(),
    };
    assert!(matches!(
        calendar.check_closure(&far),
        Err(ClosureRefused::Invalid(_))
    ));
}
