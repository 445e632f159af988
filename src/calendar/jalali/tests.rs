use chrono::{Datelike, NaiveDate, Weekday};

use super::*;

fn jalali(text: &str) -> JalaliDate {
    text.parse().expect("test date is valid")
}

fn gregorian(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("test date is valid")
}

#[test]
fn five_azar_1405_is_thursday_26_november_2026() {
    let date = JalaliDate::new(1405, 9, 5).unwrap();
    assert_eq!(date.to_gregorian(), gregorian(2026, 11, 26));
    assert_eq!(date.weekday(), Weekday::Thu);
    assert_eq!(
        JalaliDate::from_gregorian(gregorian(2026, 11, 26)).unwrap(),
        date
    );
}

#[test]
fn end_of_azar_1405_is_30_azar_21_december_2026() {
    let end = jalali("1405-09-05").end_of_month();
    assert_eq!(end, jalali("1405-09-30"));
    assert_eq!(end.to_gregorian(), gregorian(2026, 12, 21));
}

#[test]
fn end_of_1405_is_29_esfand_20_march_2027() {
    let end = jalali("1405-09-05").end_of_year();
    assert_eq!(end, jalali("1405-12-29"));
    assert_eq!(end.to_gregorian(), gregorian(2027, 3, 20));
    assert_eq!(jalali("1405-12-01").end_of_month(), end);
}

#[test]
fn leap_1403_ends_on_30_esfand_20_march_2025() {
    assert!(is_leap_year(1403).unwrap());
    assert!(!is_leap_year(1404).unwrap());
    assert!(!is_leap_year(1405).unwrap());
    let end = jalali("1403-06-15").end_of_year();
    assert_eq!(end, jalali("1403-12-30"));
    assert_eq!(end.to_gregorian(), gregorian(2025, 3, 20));
    assert_eq!(days_in_month(1403, 12).unwrap(), 30);
}

#[test]
fn first_farvardin_1404_is_21_march_2025() {
    assert_eq!(jalali("1404-01-01").to_gregorian(), gregorian(2025, 3, 21));
    assert_eq!(
        jalali("1403-12-30").next_day().unwrap(),
        jalali("1404-01-01")
    );
    assert_eq!(
        jalali("1404-01-01").previous_day().unwrap(),
        jalali("1403-12-30")
    );
}

#[test]
fn thirtieth_esfand_1405_is_refused_because_1405_is_not_leap() {
    let error = "1405-12-30".parse::<JalaliDate>().unwrap_err();
    assert!(matches!(error, CalendarError::InvalidDate { .. }));
    assert_eq!(
        error.to_string(),
        "1405-12-30 is not a valid Jalali date: Esfand 1405 has 29 days (1405 is not a leap year)"
    );
}

#[test]
fn month_lengths_follow_the_calendar() {
    let lengths: Vec<u8> = (1..=12).map(|m| days_in_month(1405, m).unwrap()).collect();
    assert_eq!(lengths, [31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 29]);
    let error = JalaliDate::new(1405, 7, 31).unwrap_err();
    assert!(
        error.to_string().contains("Mehr 1405 has 30 days"),
        "{error}"
    );
    assert!(JalaliDate::new(1405, 13, 1).is_err());
    assert!(JalaliDate::new(1405, 0, 1).is_err());
    assert!(JalaliDate::new(1405, 1, 0).is_err());
    assert!(days_in_month(1405, 13).is_err());
}

#[test]
fn years_outside_the_supported_range_are_refused() {
    assert!(matches!(
        JalaliDate::new(999, 1, 1),
        Err(CalendarError::YearOutOfRange { year: 999 })
    ));
    assert!(JalaliDate::new(10_000, 1, 1).is_err());
    assert!(is_leap_year(10_000).is_err());
    let before = gregorian(1600, 1, 1);
    assert!(matches!(
        JalaliDate::from_gregorian(before),
        Err(CalendarError::GregorianOutOfRange { date }) if date == before
    ));
}

#[test]
fn gregorian_and_jalali_round_trip_every_day_2024_to_2028() {
    let mut day = gregorian(2024, 1, 1);
    let mut previous = JalaliDate::from_gregorian(day.pred_opt().unwrap()).unwrap();
    while day <= gregorian(2028, 12, 31) {
        let date = JalaliDate::from_gregorian(day).unwrap();
        assert_eq!(date.to_gregorian(), day, "round trip of {day} via {date}");
        assert_eq!(date.weekday(), day.weekday());
        // Consecutive Gregorian days are consecutive Jalali days.
        assert_eq!(previous.next_day().unwrap(), date, "day after {previous}");
        previous = date;
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn text_form_is_exactly_yyyy_mm_dd() {
    let date = jalali("1405-09-30");
    assert_eq!((date.year(), date.month(), date.day()), (1405, 9, 30));
    assert_eq!(date.to_string(), "1405-09-30");
    assert_eq!(
        JalaliDate::new(1405, 1, 2).unwrap().to_string(),
        "1405-01-02"
    );
    for bad in [
        "1405-9-30",
        "1405-09-3",
        "14050930",
        " 1405-09-30",
        "1405-09-30 ",
        "1405/09/30",
        "۱۴۰۵-۰۹-۳۰",
        "+405-09-30",
        "",
    ] {
        let error = bad.parse::<JalaliDate>().unwrap_err();
        assert!(matches!(error, CalendarError::Unparsable { .. }), "{bad:?}");
        assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
    }
}

#[test]
fn serde_uses_the_text_form() {
    let date = jalali("1405-09-30");
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"1405-09-30\"");
    let back: JalaliDate = serde_json::from_str("\"1405-09-30\"").unwrap();
    assert_eq!(back, date);
    let error = serde_json::from_str::<JalaliDate>("\"1405-07-31\"").unwrap_err();
    assert!(
        error.to_string().contains("Mehr 1405 has 30 days"),
        "{error}"
    );
    assert!(serde_json::from_str::<JalaliDate>("14050930").is_err());
}

#[test]
fn dates_order_chronologically() {
    assert!(jalali("1404-12-29") < jalali("1405-01-01"));
    assert!(jalali("1405-01-31") < jalali("1405-02-01"));
    assert!(jalali("1405-09-05") < jalali("1405-09-30"));
}
