use chrono::{TimeZone, Utc};

use super::*;

fn jalali(text: &str) -> JalaliDate {
    text.parse().expect("test date is valid")
}

#[test]
fn end_of_day_is_23_59_59_tehran_as_utc() {
    let end = end_of_day(jalali("1405-09-30"));
    assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 21, 20, 29, 59).unwrap());
    assert_eq!(end.to_rfc3339(), "2026-12-21T20:29:59+00:00");
    assert_eq!(
        end.with_timezone(&tehran_offset()).to_rfc3339(),
        "2026-12-21T23:59:59+03:30"
    );
}

#[test]
fn tehran_date_turns_over_at_local_midnight_not_utc_midnight() {
    // 20:29:59 UTC is 23:59:59 in Tehran: still 30 Azar.
    let last_second = Utc.with_ymd_and_hms(2026, 12, 21, 20, 29, 59).unwrap();
    assert_eq!(tehran_date(last_second).unwrap(), jalali("1405-09-30"));
    // One second later it is midnight in Tehran: 1 Dey, though UTC is still on the 21st.
    let midnight = Utc.with_ymd_and_hms(2026, 12, 21, 20, 30, 0).unwrap();
    assert_eq!(tehran_date(midnight).unwrap(), jalali("1405-10-01"));
}

#[test]
fn end_of_day_is_the_last_instant_of_its_tehran_date() {
    let date = jalali("1404-01-01");
    let end = end_of_day(date);
    assert_eq!(tehran_date(end).unwrap(), date);
    assert_eq!(
        tehran_date(end + chrono::TimeDelta::seconds(1)).unwrap(),
        date.next_day().unwrap()
    );
}

#[test]
fn the_offset_is_fixed_all_year() {
    // No daylight saving since 2022: summer and winter both end at 20:29:59 UTC.
    assert_eq!(
        end_of_day(jalali("1405-04-01")),
        Utc.with_ymd_and_hms(2026, 6, 22, 20, 29, 59).unwrap()
    );
    assert_eq!(tehran_offset().local_minus_utc(), TEHRAN_UTC_OFFSET_SECONDS);
}

#[test]
fn instants_far_outside_the_supported_years_are_errors() {
    let ancient = Utc.with_ymd_and_hms(1500, 1, 1, 0, 0, 0).unwrap();
    assert!(matches!(
        tehran_date(ancient),
        Err(CalendarError::GregorianOutOfRange { .. })
    ));
}
