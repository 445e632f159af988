//! The folding rules one at a time on hand-written pairs, names that must stay apart, and
//! two properties over arbitrary text: folding is idempotent, and every listed variant pair
//! meets inside any surrounding words.

use proptest::prelude::*;

use super::*;

/// Spellings of one name that agencies actually write, each pair hand-picked.
const VARIANTS: [(&str, &str); 14] = [
    ("وضعيت كارت بازرگاني", "وضعیت کارت بازرگانی"),
    ("شناسه\u{200c}ملی", "شناسه ملی"),
    ("هیئت مدیره", "هیأت مدیره"),
    ("هیئت", "هیات"),
    ("مؤسسه", "موسسه"),
    ("رئیس", "رییس"),
    ("تاریخ انقضاء", "تاریخ انقضا"),
    ("شماره\u{200c}ی پروانه", "شماره پروانه"),
    ("\u{200F}کد پستی\u{200E}", "کد پستی"),
    ("\u{202B}نام\u{202C} \u{2067}کالا\u{2069}", "نام کالا"),
    ("بهره\u{00AD}برداری", "بهره‌برداری"),
    ("شناسه کالا (ایران‌کد)", "شناسه کالا - ایران کد"),
    ("کد ملی:", "«کد ملی»"),
    ("ماده ۳، بند ٢", "ماده 3 بند 2"),
];

#[test]
fn each_listed_variant_pair_meets() {
    for (a, b) in VARIANTS {
        assert_eq!(match_key(a), match_key(b), "{a:?} / {b:?}");
    }
    // What the two spellings compare as, written out for three of them.
    assert_eq!(match_key("هیأت مدیره"), "هیاتمدیره");
    assert_eq!(match_key("رئیس"), "رییس");
    assert_eq!(match_key("مؤسسه"), "موسسه");
}

#[test]
fn names_are_shown_as_submitted() {
    assert_eq!(shown("  وضعيت كارت بازرگاني "), "وضعيت كارت بازرگاني");
    assert_eq!(shown("ایران\u{200c}کد"), "ایران\u{200c}کد");
    assert_eq!(shown("هیأت مدیره"), "هیأت مدیره");
}

#[test]
fn spaces_and_half_spaces_do_not_separate_names() {
    let forms = [
        "شناسه\u{200c}ملی",
        "شناسه ملی",
        "شناسهملی",
        "  شناسه   ملی ",
        "شناسه\u{200c} ملی",
    ];
    for form in forms {
        assert_eq!(match_key(form), "شناسهملی", "{form:?}");
    }
}

#[test]
fn case_digits_tatweel_and_diacritics_are_ignored() {
    assert_eq!(match_key("HS Code"), match_key("hs  code"));
    assert_eq!(match_key("ماده ۳"), match_key("ماده 3"));
    assert_eq!(match_key("ماده ٣"), match_key("ماده 3"));
    assert_eq!(match_key("تـاریخ"), match_key("تاریخ"));
    assert_eq!(match_key("مُدیر"), match_key("مدیر"));
    assert_eq!(match_key("خانۀ"), match_key("خانه"));
}

#[test]
fn different_words_stay_different() {
    let apart = [
        ("کشور مبدا", "کشور مقصد"),
        ("شماره پروانه بهره‌برداری", "شماره پروانه بهره‌برداری معدن"),
        // The ezafe rule takes a «‌ی» after ه only: «رسمی» keeps its ی.
        ("رسمی", "رسم"),
        // A hamza in the middle of a word is a letter.
        ("جزءها", "جزها"),
        ("تاریخ صدور", "تاریخ صدور مجوز"),
        ("کد 12", "کد 13"),
    ];
    for (a, b) in apart {
        assert_ne!(match_key(a), match_key(b), "{a:?} / {b:?}");
    }
    assert_ne!(
        match_key("نامه‌ای"),
        match_key("نامه"),
        "ای is not the ezafe"
    );
}

#[test]
fn identifier_names_are_lookup_keys() {
    let identifiers = [
        ("کد ملی", "national_id"),
        ("كد‌ملي", "national_id"),
        ("شناسه ملی", "legal_entity_national_id"),
        ("کد پستی", "postal_code"),
        ("شماره کارت بازرگانی", "commercial_card_no"),
        ("شماره اظهارنامه گمرکی", "customs_declaration_no"),
        ("ایران کد", "iran_code"),
        ("شناسه کالا (ایران‌کد)", "iran_code"),
        ("شماره پروانه", "licence_no"),
        ("شماره‌ی مجوز", "licence_no"),
        ("شماره ثبت سفارش", "order_registration_no"),
        ("شماره گذرنامه", "passport_no"),
        ("شناسه اتباع خارجی", "foreign_national_id"),
        ("کد فراگیر اتباع", "foreign_national_id"),
    ];
    for (name, key) in identifiers {
        assert_eq!(identifier_key(name), Some(key), "{name:?}");
    }
    assert_eq!(identifier_key("شناسه ملی صاحب کالا"), None);
    assert_eq!(identifier_key("شماره پروانه بهره‌برداری"), None);
    assert_eq!(identifier_key("نام"), None);
}

/// Text of Persian and Arabic letters, the characters the rules fold, spaces and Latin.
fn persianish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[آ-ی]{1,4}",
        Just("ئ".to_string()),
        Just("أ".to_string()),
        Just("ؤ".to_string()),
        Just("ء".to_string()),
        Just("ه\u{200c}ی".to_string()),
        Just("\u{200c}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{00ad}".to_string()),
        Just(" ".to_string()),
        Just("«».،-".to_string()),
        "[a-zA-Z0-9۰-۹]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn folding_twice_changes_nothing(name in persianish()) {
        let once = match_key(&name);
        prop_assert_eq!(match_key(&once), once.clone());
    }

    #[test]
    fn variant_pairs_meet_between_any_words(
        before in "[آ-ی ]{0,8}",
        after in "[آ-ی ]{0,8}",
        pair in 0..VARIANTS.len(),
    ) {
        let (a, b) = VARIANTS[pair];
        let (a, b) = (format!("{before} {a} {after}"), format!("{before} {b} {after}"));
        prop_assert_eq!(match_key(&a), match_key(&b));
    }
}

/// The rule written plainly, a word at a time, as it read before [`match_key`] became one
/// pass over the name: the two must agree on any text.
fn match_key_word_by_word(name: &str) -> String {
    fn fold_word(word: &str, out: &mut String) {
        let chars: Vec<char> = word.chars().collect();
        let mut folded: Vec<char> = Vec::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            if matches!(c, '\u{0626}' | '\u{0623}')
                && i > 0
                && unify_letter(chars[i - 1]) == Some('ی')
            {
                folded.push('ا');
                continue;
            }
            if let Some(u) = unify_letter(c) {
                folded.push(u);
            }
        }
        if folded.ends_with(&['ه', '\u{200C}', 'ی']) {
            folded.truncate(folded.len() - 2);
        }
        folded.retain(|c| !is_invisible(*c));
        while folded.last() == Some(&'\u{0621}') {
            folded.pop();
        }
        out.extend(folded.into_iter().flat_map(char::to_lowercase));
    }
    let mut key = String::new();
    let visible: String = name
        .chars()
        .filter(|c| *c == '\u{200C}' || !is_invisible(*c))
        .map(|c| if is_punctuation(c) { ' ' } else { c })
        .collect();
    for word in visible.split_whitespace() {
        fold_word(word, &mut key);
    }
    key
}

proptest! {
    #[test]
    fn one_pass_folds_as_the_word_by_word_rule(name in persianish()) {
        prop_assert_eq!(match_key(&name), match_key_word_by_word(&name));
    }
}

#[test]
fn one_pass_folds_every_listed_variant_as_the_word_by_word_rule() {
    for (a, b) in VARIANTS {
        assert_eq!(match_key(a), match_key_word_by_word(a));
        assert_eq!(match_key(b), match_key_word_by_word(b));
    }
}
