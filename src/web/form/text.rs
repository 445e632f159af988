//! The form's own words, in Persian and English.

pub use crate::web::i18n::Locale;

/// One phrase of the form's chrome in both languages.
#[derive(Debug, Clone, Copy)]
pub(super) struct Phrase(&'static str, &'static str);

impl Phrase {
    pub fn get(self, lang: Locale) -> &'static str {
        match lang {
            Locale::Fa => self.0,
            Locale::En => self.1,
        }
    }
}

pub(super) const REQUIRED: Phrase = Phrase("(الزامی)", "(required)");
pub(super) const ADD: Phrase = Phrase("افزودن", "Add");
pub(super) const REMOVE: Phrase = Phrase("حذف", "Remove");
pub(super) const UP: Phrase = Phrase("بالا", "Up");
pub(super) const DOWN: Phrase = Phrase("پایین", "Down");
pub(super) const NOT_CHOSEN: Phrase = Phrase("— انتخاب نشده —", "— not chosen —");
pub(super) const NO_ITEMS: Phrase = Phrase("هنوز موردی افزوده نشده است.", "Nothing added yet.");
pub(super) const UNLISTED: Phrase = Phrase("(در فهرست نیست)", "(not in the list)");
pub(super) const ERRORS_TITLE: Phrase = Phrase("این موارد را درست کنید:", "Please fix:");
pub(super) const DATE_HINT: Phrase = Phrase(
    "روز/ماه/سال شمسی، مانند ۱۴۰۵/۰۹/۳۰",
    "Solar Hijri year/month/day, e.g. 1405/09/30",
);
pub(super) const AGENCY_HINT: Phrase = Phrase(
    "کد یا نام دستگاه را بنویسید و از فهرست انتخاب کنید.",
    "Type the agency's code or name and pick it from the list.",
);
pub(super) const ANSWER: Phrase = Phrase("پاسخ دستگاه", "The agency's answer");
pub(super) const ANSWER_LISTS: Phrase = Phrase(
    "موارد را در فهرست‌های زیر اعلام می‌کنم",
    "I declare items in the lists below",
);
pub(super) const ANSWER_NOTHING: Phrase = Phrase(
    "موردی برای اعلام ندارد (با ذکر دلیل)",
    "Nothing to declare (with the reason)",
);
pub(super) const OTHER: Phrase = Phrase("فهرست", "A list");
pub(super) const AT_MOST: Phrase = Phrase("حداکثر", "at most");

// Messages for values the form could not read.
pub(super) const BAD_INTEGER: Phrase = Phrase(
    "یک عدد صحیح بنویسید (رقم فارسی یا لاتین).",
    "Enter a whole number.",
);
pub(super) const BAD_VALUE: Phrase =
    Phrase("این مقدار خوانده نشد.", "This value could not be read.");
pub(super) const BAD_NUMBER: Phrase = Phrase("یک عدد بنویسید.", "Enter a number.");
pub(super) const BAD_DATE: Phrase = Phrase(
    "تاریخ درست نیست؛ مانند ۱۴۰۵/۰۹/۳۰ بنویسید.",
    "Not a valid date; write it like 1405/09/30.",
);

/// ASCII digits as Persian ones (for `Locale::Fa`).
pub(super) fn digits(text: &str, lang: Locale) -> String {
    match lang {
        Locale::Fa => crate::calendar::to_persian_digits(text),
        Locale::En => text.to_owned(),
    }
}

/// Persian and Arabic-Indic digits as ASCII, nothing else changed (phones, codes).
pub(super) fn plain_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => ascii(c, 0x06F0),
            '\u{0660}'..='\u{0669}' => ascii(c, 0x0660),
            _ => c,
        })
        .collect()
}

/// Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII; the Persian and Arabic decimal
/// and thousands separators as `.` and nothing.
pub(super) fn ascii_digits(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{066C}' | ','))
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => ascii(c, 0x06F0),
            '\u{0660}'..='\u{0669}' => ascii(c, 0x0660),
            '\u{066B}' => '.',
            _ => c,
        })
        .collect()
}

fn ascii(c: char, zero: u32) -> char {
    char::from_u32(u32::from(c) - zero + u32::from('0')).unwrap_or(c)
}
