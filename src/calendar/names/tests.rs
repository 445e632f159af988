use chrono::Weekday;

use super::*;

fn jalali(text: &str) -> JalaliDate {
    text.parse().expect("test date is valid")
}

#[test]
fn format_fa_writes_day_month_year_in_persian() {
    assert_eq!(format_fa(jalali("1405-09-30")), "۳۰ آذر ۱۴۰۵");
    assert_eq!(format_fa(jalali("1404-01-01")), "۱ فروردین ۱۴۰۴");
    assert_eq!(format_fa(jalali("1405-12-29")), "۲۹ اسفند ۱۴۰۵");
}

#[test]
fn persian_digits_replace_only_ascii_digits() {
    assert_eq!(to_persian_digits("0123456789"), "۰۱۲۳۴۵۶۷۸۹");
    assert_eq!(to_persian_digits("1405-09-30"), "۱۴۰۵-۰۹-۳۰");
    assert_eq!(to_persian_digits("مهلت: 3 روز"), "مهلت: ۳ روز");
    assert_eq!(to_persian_digits("۱۲"), "۱۲");
}

#[test]
fn month_names_run_farvardin_to_esfand() {
    assert_eq!(MONTH_NAMES_FA[0], "فروردین");
    assert_eq!(MONTH_NAMES_FA[11], "اسفند");
    assert_eq!(MONTH_NAMES_EN[0], "Farvardin");
    assert_eq!(MONTH_NAMES_EN[11], "Esfand");
    assert_eq!(jalali("1405-09-05").month_name_fa(), "آذر");
    assert_eq!(jalali("1405-09-05").month_name_en(), "Azar");
}

#[test]
fn weekday_names_are_persian() {
    assert_eq!(weekday_name_fa(Weekday::Sat), "شنبه");
    assert_eq!(weekday_name_fa(Weekday::Thu), "پنج\u{200c}شنبه");
    assert_eq!(weekday_name_fa(Weekday::Fri), "جمعه");
    // 5 Azar 1405 is a Thursday.
    assert_eq!(
        weekday_name_fa(jalali("1405-09-05").weekday()),
        "پنج\u{200c}شنبه"
    );
}
