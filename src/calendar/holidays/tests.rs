use super::*;

fn jalali(text: &str) -> JalaliDate {
    text.parse().expect("test date is valid")
}

/// A 1405 table whose holidays are the given `(date, kind)` pairs.
fn table_json(version: &str, entries: &[(&str, &str)]) -> String {
    let holidays: Vec<String> = entries
        .iter()
        .map(|(date, kind)| {
            format!(r#"{{"date": "{date}", "kind": "{kind}", "name_fa": "تعطیل", "name_en": "Holiday"}}"#)
        })
        .collect();
    format!(
        r#"{{"year": 1405, "version": "{version}", "holidays": [{}]}}"#,
        holidays.join(", ")
    )
}

fn refusal(json: &str) -> String {
    match HolidayTable::from_json("1405.json", json) {
        Ok(table) => panic!("accepted an invalid table: {table:?}"),
        Err(error) => {
            assert!(matches!(error, CalendarError::InvalidHolidayFile { .. }));
            error.to_string()
        }
    }
}

#[test]
fn a_valid_table_is_read_and_sorted_by_date() {
    let json = table_json(
        "1405.1",
        &[("1405-11-22", "solar"), ("1405-01-01", "solar")],
    );
    let table = HolidayTable::from_json("1405.json", &json).unwrap();
    assert_eq!(table.year(), 1405);
    assert_eq!(table.version(), "1405.1");
    assert_eq!(table.description(), None);
    let dates: Vec<JalaliDate> = table.holidays().iter().map(|h| h.date).collect();
    assert_eq!(dates, [jalali("1405-01-01"), jalali("1405-11-22")]);
    assert_eq!(table.holidays()[0].kind, HolidayKind::Solar);
    assert_eq!(table.holidays()[0].name_en, "Holiday");
}

#[test]
fn a_date_that_does_not_exist_is_refused_naming_file_and_entry() {
    let json = table_json(
        "1405.1",
        &[("1405-01-01", "solar"), ("1405-07-31", "lunar")],
    );
    assert_eq!(
        refusal(&json),
        "holiday file 1405.json: entry 2 (\"1405-07-31\"): \
         1405-07-31 is not a valid Jalali date: Mehr 1405 has 30 days"
    );
}

#[test]
fn a_badly_written_date_is_refused() {
    let message = refusal(&table_json("1405.1", &[("1405-7-30", "lunar")]));
    assert!(message.contains("entry 1 (\"1405-7-30\")"), "{message}");
}

#[test]
fn a_date_of_another_year_is_refused() {
    let message = refusal(&table_json("1405.1", &[("1404-12-29", "solar")]));
    assert!(
        message.contains("the date is in 1404, not in this file's year 1405"),
        "{message}"
    );
}

#[test]
fn the_same_kind_twice_on_one_day_is_a_duplicate() {
    let message = refusal(&table_json(
        "1405.1",
        &[("1405-01-12", "solar"), ("1405-01-12", "solar")],
    ));
    assert!(
        message.contains("entry 2 (\"1405-01-12\"): duplicate"),
        "{message}"
    );
}

#[test]
fn a_solar_and_a_lunar_holiday_may_share_a_day() {
    // 1 Farvardin 1405 is both Nowruz and Eid al-Fitr.
    let json = table_json(
        "1405.1",
        &[("1405-01-01", "solar"), ("1405-01-01", "lunar")],
    );
    let table = HolidayTable::from_json("1405.json", &json).unwrap();
    assert_eq!(table.holidays_on(jalali("1405-01-01")).len(), 2);
    assert!(table.holidays_on(jalali("1405-01-02")).is_empty());
}

#[test]
fn the_version_must_not_be_empty() {
    let message = refusal(&table_json("  ", &[]));
    assert!(
        message.contains("\"version\" must not be empty"),
        "{message}"
    );
}

#[test]
fn names_must_be_given() {
    let json = r#"{"year": 1405, "version": "1", "holidays": [
        {"date": "1405-01-01", "kind": "solar", "name_fa": "", "name_en": "Nowruz"}]}"#;
    assert!(refusal(json).contains("name_fa and name_en must both be given"));
}

#[test]
fn malformed_json_unknown_keys_and_kinds_are_refused() {
    assert!(refusal("{").starts_with("holiday file 1405.json: not a valid holiday table"));
    let misspelt = r#"{"year": 1405, "version": "1", "holiday": []}"#;
    assert!(refusal(misspelt).contains("unknown field `holiday`"));
    let kind = table_json("1", &[("1405-01-01", "religious")]);
    assert!(refusal(&kind).contains("unknown variant `religious`"));
}

#[test]
fn a_year_outside_the_supported_range_is_refused() {
    let json = r#"{"year": 99999, "version": "1", "holidays": []}"#;
    assert!(refusal(json).contains("year 99999 is outside"));
}

#[test]
fn the_description_is_kept() {
    let json = r#"{"year": 1405, "version": "1405.1", "description": "forecast", "holidays": []}"#;
    let table = HolidayTable::from_json("1405.json", json).unwrap();
    assert_eq!(table.description(), Some("forecast"));
}
