//! Persian and English names of months and weekdays, and Persian digits, for display.
//!
//! Display only: nothing here is parsed back, so stored and exchanged dates stay in the
//! ASCII `YYYY-MM-DD` form of [`JalaliDate`](super::JalaliDate).

use chrono::Weekday;

use super::JalaliDate;

/// Month names in Persian, Farvardin first.
pub const MONTH_NAMES_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// Month names in the usual English transliteration, Farvardin first.
pub const MONTH_NAMES_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

impl JalaliDate {
    /// This date's month in Persian, e.g. `آذر`.
    pub fn month_name_fa(self) -> &'static str {
        MONTH_NAMES_FA[usize::from(self.month() - 1)]
    }

    /// This date's month in English transliteration, e.g. `Azar`.
    pub fn month_name_en(self) -> &'static str {
        MONTH_NAMES_EN[usize::from(self.month() - 1)]
    }
}

/// The Persian name of a weekday. The Iranian week starts on Saturday (شنبه).
pub fn weekday_name_fa(weekday: Weekday) -> &'static str {
    // The zero-width non-joiner (U+200C) in سه‌شنبه and پنج‌شنبه is the standard spelling.
    match weekday {
        Weekday::Sat => "شنبه",
        Weekday::Sun => "یکشنبه",
        Weekday::Mon => "دوشنبه",
        Weekday::Tue => "سه\u{200c}شنبه",
        Weekday::Wed => "چهارشنبه",
        Weekday::Thu => "پنج\u{200c}شنبه",
        Weekday::Fri => "جمعه",
    }
}

/// `text` with ASCII digits 0–9 replaced by Persian digits ۰–۹; everything else unchanged.
pub fn to_persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(digit) if c.is_ascii_digit() => {
                char::from_u32(0x06F0 + digit).expect("U+06F0..=U+06F9 are Persian digits")
            }
            _ => c,
        })
        .collect()
}

/// A date as Iranians write it: day, month name, year, in Persian digits, e.g. `۳۰ آذر ۱۴۰۵`.
pub fn format_fa(date: JalaliDate) -> String {
    to_persian_digits(&format!(
        "{} {} {}",
        date.day(),
        date.month_name_fa(),
        date.year()
    ))
}

#[cfg(test)]
mod tests;
