use std::fs;
use std::path::PathBuf;

use chrono::{NaiveDate, Weekday};

use super::*;

fn jalali(text: &str) -> JalaliDate {
    text.parse().expect("test date is valid")
}

fn gregorian(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("test date is valid")
}

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("daftar-calendar-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn write(&self, file: &str, contents: &str) {
        fs::write(self.0.join(file), contents).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn table(year: i32, version: &str, dates: &[&str]) -> String {
    let holidays: Vec<String> = dates
        .iter()
        .map(|date| {
            format!(
                r#"{{"date": "{date}", "kind": "solar", "name_fa": "تعطیل", "name_en": "Holiday"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"year": {year}, "version": "{version}", "holidays": [{}]}}"#,
        holidays.join(",")
    )
}

#[test]
fn the_last_working_day_of_1405_is_26_esfand() {
    let calendar = BusinessCalendar::builtin();
    let end = jalali("1405-06-01").end_of_year();
    assert_eq!(end.to_gregorian(), gregorian(2027, 3, 20));
    assert!(
        !calendar.is_working_day(end).unwrap(),
        "29 Esfand is Oil Nationalisation Day"
    );
    let last = calendar.last_working_day_on_or_before(end).unwrap();
    assert_eq!(last, jalali("1405-12-26"));
    assert_eq!(last.to_gregorian(), gregorian(2027, 3, 17));
}

#[test]
fn thursday_and_friday_are_off() {
    let calendar = BusinessCalendar::builtin();
    let thursday = jalali("1405-09-05");
    assert_eq!(thursday.weekday(), Weekday::Thu);
    assert!(!calendar.is_working_day(thursday).unwrap());
    assert!(!calendar.is_working_day(jalali("1405-09-06")).unwrap());
    assert!(calendar.is_working_day(jalali("1405-09-07")).unwrap());
    assert_eq!(
        calendar.add_working_days(thursday, 1).unwrap(),
        jalali("1405-09-07")
    );
    // Sat 7 … Wed 11 Azar are five working days; then the weekend.
    assert_eq!(
        calendar.add_working_days(thursday, 5).unwrap(),
        jalali("1405-09-11")
    );
    assert_eq!(
        calendar.add_working_days(thursday, 6).unwrap(),
        jalali("1405-09-14")
    );
    assert_eq!(
        calendar
            .last_working_day_on_or_before(jalali("1405-09-06"))
            .unwrap(),
        jalali("1405-09-04")
    );
}

#[test]
fn holidays_are_skipped() {
    let calendar = BusinessCalendar::builtin();
    // Tue 25 Farvardin 1405 is the martyrdom of Imam Sadegh.
    assert_eq!(
        calendar.add_working_days(jalali("1405-01-24"), 1).unwrap(),
        jalali("1405-01-26")
    );
    // Eid al-Fitr on Wed 19 and Thu 20 Esfand, then Friday: Tue 18 + 1 is Sat 22.
    assert_eq!(
        calendar.add_working_days(jalali("1405-12-18"), 1).unwrap(),
        jalali("1405-12-22")
    );
    // Across Nowruz into 1406: Sat 29 Esfand and 1–4 Farvardin are holidays.
    assert_eq!(
        calendar.add_working_days(jalali("1405-12-26"), 1).unwrap(),
        jalali("1406-01-07")
    );
}

#[test]
fn zero_working_days_is_an_error() {
    let calendar = BusinessCalendar::builtin();
    assert!(matches!(
        calendar.add_working_days(jalali("1405-09-05"), 0),
        Err(CalendarError::ZeroWorkingDays)
    ));
}

#[test]
fn a_year_without_a_table_is_an_error_not_a_guess() {
    let calendar = BusinessCalendar::builtin();
    let missing = |result: Result<_, CalendarError>| {
        matches!(result, Err(CalendarError::NoHolidayTable { .. }))
    };
    assert!(missing(
        calendar.is_working_day(jalali("1408-01-10")).map(|_| ())
    ));
    // 1 Farvardin 1404 is a holiday, so the search walks back into 1403.
    assert!(missing(
        calendar
            .last_working_day_on_or_before(jalali("1404-01-01"))
            .map(|_| ())
    ));
    // Counting runs off the end of 1407.
    assert!(missing(
        calendar
            .add_working_days(jalali("1407-12-20"), 30)
            .map(|_| ())
    ));
    let error = calendar.is_working_day(jalali("1408-01-10")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no holiday table is loaded for Jalali year 1408, so its working days are unknown"
    );
}

#[test]
fn load_dir_replaces_and_extends_years() {
    let dir = TempDir::new("extend");
    dir.write("1405.json", &table(1405, "1405.2", &["1405-09-07"]));
    dir.write("1407.json", &table(1407, "1407.1", &["1407-01-01"]));
    dir.write("README.txt", "not a table");
    let mut calendar = BusinessCalendar::builtin();
    calendar.load_dir(&dir.0).unwrap();
    assert_eq!(calendar.version(), "1404.1+1405.2+1406.1+1407.1");
    // The replacement table is the whole truth for 1405: 7 Azar is now a holiday ...
    assert!(!calendar.is_working_day(jalali("1405-09-07")).unwrap());
    // ... and the shipped 29 Esfand is not in it.
    assert!(calendar.is_working_day(jalali("1405-12-29")).unwrap());
    assert!(calendar.is_working_day(jalali("1407-01-10")).unwrap());
}

#[test]
fn load_dir_refuses_a_bad_file_and_keeps_the_calendar() {
    let dir = TempDir::new("bad");
    dir.write("1405.json", &table(1405, "1405.2", &["1405-07-31"]));
    dir.write("1407.json", &table(1407, "1407.1", &[]));
    let mut calendar = BusinessCalendar::builtin();
    let error = calendar.load_dir(&dir.0).unwrap_err().to_string();
    assert!(error.contains("1405.json"), "{error}");
    assert!(error.contains("entry 1 (\"1405-07-31\")"), "{error}");
    assert!(error.contains("Mehr 1405 has 30 days"), "{error}");
    assert_eq!(calendar, BusinessCalendar::builtin());
}

#[test]
fn load_dir_refuses_two_files_for_one_year() {
    let dir = TempDir::new("duplicate");
    dir.write("1405.json", &table(1405, "1405.2", &[]));
    dir.write("1405-fix.json", &table(1405, "1405.3", &[]));
    let error = BusinessCalendar::default().load_dir(&dir.0).unwrap_err();
    assert!(
        matches!(error, CalendarError::DuplicateYear { year: 1405, .. }),
        "{error}"
    );
}

#[test]
fn load_dir_refuses_an_empty_or_missing_directory() {
    let dir = TempDir::new("empty");
    let mut calendar = BusinessCalendar::default();
    assert!(matches!(
        calendar.load_dir(&dir.0),
        Err(CalendarError::NoHolidayFiles { .. })
    ));
    let error = calendar.load_dir(dir.0.join("missing")).unwrap_err();
    assert!(matches!(error, CalendarError::Io { .. }));
    assert!(error.to_string().contains("missing"), "{error}");
}
