//! Checks of the shipped holiday data against the official calendars it was taken from.

use chrono::NaiveDate;

use super::super::HolidayKind;
use super::*;

fn holidays_on(calendar: &BusinessCalendar, date: &str) -> Vec<String> {
    let date: JalaliDate = date.parse().expect("test date is valid");
    let holidays = calendar.holidays_on(date).unwrap();
    holidays.iter().map(|h| h.name_en.clone()).collect()
}

fn gregorian(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("test date is valid")
}

#[test]
fn the_builtin_calendar_covers_1404_to_1407() {
    let calendar = BusinessCalendar::builtin();
    assert_eq!(calendar.version(), "1404.1+1405.1+1406.1+1407.1");
    assert!(calendar.table(1403).is_none());
    assert!(calendar.table(1408).is_none());
    assert_eq!(BusinessCalendar::default().version(), "none");
}

#[test]
fn every_shipped_year_has_the_fixed_solar_holidays() {
    let calendar = BusinessCalendar::builtin();
    for year in 1404..=1407 {
        for (month, day) in [
            (1, 1),
            (1, 2),
            (1, 3),
            (1, 4),
            (1, 12),
            (1, 13),
            (3, 14),
            (3, 15),
            (11, 22),
            (12, 29),
        ] {
            let date = JalaliDate::new(year, month, day).unwrap();
            let kinds: Vec<HolidayKind> = calendar
                .holidays_on(date)
                .unwrap()
                .iter()
                .map(|h| h.kind)
                .collect();
            assert!(
                kinds.contains(&HolidayKind::Solar),
                "no solar holiday on {date}"
            );
        }
    }
}

#[test]
fn every_shipped_year_has_each_lunar_holiday() {
    let occasions = [
        "Tasua",
        "Ashura",
        "Arbaeen",
        "Demise of the Prophet",
        "Martyrdom of Imam Reza",
        "Martyrdom of Imam Hasan Askari",
        "Birth of the Prophet",
        "Martyrdom of Fatemeh",
        "Birth of Imam Ali",
        "Mab'ath",
        "Birth of Imam Mahdi",
        "Martyrdom of Imam Ali",
        "Eid al-Fitr (",
        "Eid al-Fitr holiday",
        "Martyrdom of Imam Sadegh",
        "Eid al-Adha",
        "Eid al-Ghadir",
    ];
    let calendar = BusinessCalendar::builtin();
    for year in 1404..=1407 {
        let lunar: Vec<&Holiday> = calendar
            .table(year)
            .unwrap()
            .holidays()
            .iter()
            .filter(|h| h.kind == HolidayKind::Lunar)
            .collect();
        for occasion in occasions {
            assert!(
                lunar.iter().any(|h| h.name_en.starts_with(occasion)),
                "{year} lacks {occasion}"
            );
        }
    }
}

#[test]
fn lunar_holidays_of_1404_match_the_official_calendar() {
    let calendar = BusinessCalendar::builtin();
    // Eid al-Fitr 1446 was 11 and 12 Farvardin 1404 (Monday 31 March, Tuesday 1 April 2025);
    // Ashura 1447 was 15 Tir 1404 (Sunday 6 July 2025).
    let expected = [
        (
            "1404-01-11",
            gregorian(2025, 3, 31),
            "Eid al-Fitr (1 Shawwal 1446)",
        ),
        (
            "1404-01-12",
            gregorian(2025, 4, 1),
            "Eid al-Fitr holiday (2 Shawwal 1446)",
        ),
        (
            "1404-04-15",
            gregorian(2025, 7, 6),
            "Ashura (10 Muharram 1447)",
        ),
        (
            "1404-01-02",
            gregorian(2025, 3, 22),
            "Martyrdom of Imam Ali (21 Ramadan 1446)",
        ),
        (
            "1404-06-02",
            gregorian(2025, 8, 24),
            "Martyrdom of Imam Reza (30 Safar 1447)",
        ),
    ];
    for (date, day, name) in expected {
        assert_eq!(date.parse::<JalaliDate>().unwrap().to_gregorian(), day);
        let names = holidays_on(&calendar, date);
        assert!(names.iter().any(|n| n == name), "{date}: {names:?}");
    }
    // 26 holidays in all, on distinct days, as the official calendar counts them.
    let table = calendar.table(1404).unwrap();
    let mut days: Vec<JalaliDate> = table.holidays().iter().map(|h| h.date).collect();
    days.dedup();
    assert_eq!(days.len(), 26);
}

#[test]
fn lunar_holidays_of_1405_match_the_published_official_calendar() {
    let calendar = BusinessCalendar::builtin();
    let expected = [
        ("1405-01-01", "Eid al-Fitr (1 Shawwal 1447)"),
        ("1405-01-02", "Eid al-Fitr holiday (2 Shawwal 1447)"),
        ("1405-03-06", "Eid al-Adha (10 Dhu al-Hijjah 1447)"),
        ("1405-03-14", "Eid al-Ghadir (18 Dhu al-Hijjah 1447)"),
        ("1405-04-03", "Tasua (9 Muharram 1448)"),
        ("1405-04-04", "Ashura (10 Muharram 1448)"),
    ];
    for (date, name) in expected {
        let names = holidays_on(&calendar, date);
        assert!(names.iter().any(|n| n == name), "{date}: {names:?}");
    }
}

#[test]
fn forecast_holidays_are_marked_and_official_ones_are_not() {
    let calendar = BusinessCalendar::builtin();
    for year in 1404..=1407 {
        for holiday in calendar.table(year).unwrap().holidays() {
            // 1404 and 1405 are official; the lunar dates of 1406 and 1407 are forecasts.
            let forecast = year >= 1406 && holiday.kind == HolidayKind::Lunar;
            assert_eq!(holiday.forecast, forecast, "{year}: {}", holiday.name_en);
        }
    }
}

#[test]
fn lunar_holidays_of_1407_follow_the_forecast() {
    let calendar = BusinessCalendar::builtin();
    let expected = [
        ("1407-01-03", "Martyrdom of Imam Sadegh (25 Shawwal 1449)"),
        ("1407-02-16", "Eid al-Adha (10 Dhu al-Hijjah 1449)"),
        ("1407-03-15", "Ashura (10 Muharram 1450)"),
        ("1407-11-27", "Eid al-Fitr (1 Shawwal 1450)"),
        ("1407-12-21", "Martyrdom of Imam Sadegh (25 Shawwal 1450)"),
    ];
    for (date, name) in expected {
        let names = holidays_on(&calendar, date);
        assert!(names.iter().any(|n| n == name), "{date}: {names:?}");
    }
    // The shipped tables keep today's rules: Thursday and Friday off, 08:00-14:00, and no
    // escalation from 1 to 13 Farvardin.
    let rules = calendar.table(1407).unwrap().rules();
    assert_eq!(rules, &crate::calendar::WorkRules::default_for(1407));
}
