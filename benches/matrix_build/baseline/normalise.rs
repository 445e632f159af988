//! How two agencies' wordings of the same data item are recognised as the same item.
//!
//! Agencies type data item names by hand, on keyboards that produce Arabic or Persian
//! letters, with a half-space (ZWNJ), a full space or nothing between the parts of a word.
//! [`clean`] gives the form shown to people; [`match_key`] the form compared. Identifier
//! names (کد ملی, شناسه ملی, کد پستی, …) say how a record is looked up, not what it holds,
//! so [`identifier_key`] turns them into the lookup key they stand for.

/// Arabic code points that Persian keyboards and older systems produce for Persian letters,
/// and the Persian letter each stands for.
const LETTERS: [(char, char); 6] = [
    ('\u{064A}', 'ی'),  // ي Arabic yeh
    ('\u{0649}', 'ی'),  // ى Arabic alef maksura
    ('\u{0643}', 'ک'),  // ك Arabic kaf
    ('\u{0629}', 'ه'),  // ة teh marbuta
    ('\u{06C0}', 'ه'),  // ۀ heh with yeh above: the ezafe is not part of the word
    ('\u{0640}', '\0'), // ـ tatweel (kashida), a stretching stroke: dropped
];

/// Zero-width characters used between the parts of a Persian word: ZWNJ, ZWJ, and the
/// invisible marks some editors insert.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}'
    )
}

/// Harakat and other combining marks (fathatan … sukun, superscript alef): optional in
/// Persian writing, so never a difference.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

fn unify_letter(c: char) -> Option<char> {
    if is_diacritic(c) {
        return None;
    }
    if let Some(&(_, persian)) = LETTERS.iter().find(|(arabic, _)| *arabic == c) {
        return (persian != '\0').then_some(persian);
    }
    // Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII digits.
    match c {
        '\u{06F0}'..='\u{06F9}' => char::from_u32(u32::from(c) - 0x06F0 + u32::from('0')),
        '\u{0660}'..='\u{0669}' => char::from_u32(u32::from(c) - 0x0660 + u32::from('0')),
        _ => Some(c),
    }
}

/// The name as shown in reports: Persian letters for Arabic look-alikes, diacritics dropped,
/// runs of whitespace collapsed to one space, trimmed. The ZWNJ is kept: it is correct
/// Persian spelling.
pub fn clean(name: &str) -> String {
    let unified: String = name.chars().filter_map(unify_letter).collect();
    unified.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name as compared: [`clean`], lowercased, with every space and zero-width character
/// removed — so «شناسه‌ملی», «شناسه ملی» and «شناسهملی» are one name.
pub fn match_key(name: &str) -> String {
    clean(name)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_zero_width(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Item names that are identifiers, as match keys, and the lookup key each one is.
const IDENTIFIERS: [(&str, &str); 9] = [
    ("کدملی", "national_id"),
    ("شمارهملی", "national_id"),
    ("شناسهملی", "legal_entity_national_id"),
    ("شناسهملیشخصحقوقی", "legal_entity_national_id"),
    ("کدپستی", "postal_code"),
    ("شمارهکارتبازرگانی", "commercial_card_no"),
    ("شمارهاظهارنامه", "customs_declaration_no"),
    ("شمارهاظهارنامهگمرکی", "customs_declaration_no"),
    ("کوتاژ", "customs_declaration_no"),
];

/// The lookup key a data item name stands for, when the name is an identifier.
pub fn identifier_key(name: &str) -> Option<&'static str> {
    let key = match_key(name);
    IDENTIFIERS
        .iter()
        .find(|(identifier, _)| *identifier == key)
        .map(|(_, lookup_key)| *lookup_key)
}
