//! How two agencies' wordings of the same data item are recognised as the same item.
//!
//! Agencies type data item names by hand, on keyboards that produce Arabic or Persian
//! letters, with a half-space (ZWNJ), a full space or nothing between the parts of a word,
//! with or without a hamza, an ezafe, punctuation, or invisible direction marks pasted from
//! another program. Reports show a name exactly as it was submitted (trimmed: see [`shown`]);
//! [`match_key`] is the form compared, never shown. Identifier names (کد ملی, شناسه ملی,
//! کد پستی, …) say how a record is looked up, not what it holds, so [`identifier_key`] turns
//! them into the lookup key they stand for.

/// Arabic code points that Persian keyboards and older systems produce for Persian letters,
/// and the letter each is compared as (`\0`: dropped).
const LETTERS: [(char, char); 10] = [
    ('\u{064A}', 'ی'),  // ي Arabic yeh
    ('\u{0649}', 'ی'),  // ى Arabic alef maksura
    ('\u{0643}', 'ک'),  // ك Arabic kaf
    ('\u{0629}', 'ه'),  // ة teh marbuta
    ('\u{06C0}', 'ه'),  // ۀ heh with yeh above: the ezafe is not part of the word
    ('\u{0640}', '\0'), // ـ tatweel (kashida), a stretching stroke: dropped
    ('\u{0623}', 'ا'),  // أ alef with hamza above: تأمین / تامین
    ('\u{0625}', 'ا'),  // إ alef with hamza below
    ('\u{0624}', 'و'),  // ؤ waw with hamza: مؤسسه / موسسه
    ('\u{0626}', 'ی'),  // ئ yeh with hamza: رئیس / رییس (but see `fold_word`)
];

/// [`LETTERS`] by code point in the Arabic block (U+0600 + index): the letter it is
/// compared as (`\0`: dropped), or itself when [`LETTERS`] does not name it.
const BY_CODE_POINT: [char; 256] = {
    let mut table = ['\0'; 256];
    let mut at = 0;
    while at < table.len() {
        if let Some(c) = char::from_u32(0x0600 + at as u32) {
            table[at] = c;
        }
        at += 1;
    }
    let mut letter = 0;
    while letter < LETTERS.len() {
        let (arabic, persian) = LETTERS[letter];
        table[(arabic as u32 - 0x0600) as usize] = persian;
        letter += 1;
    }
    table
};

/// Characters that change how text is drawn, never what it says: ZWNJ and ZWJ (between the
/// parts of a word), zero-width space and BOM, the soft hyphen, and the bidi controls
/// (LRM/RLM, the embeddings and overrides U+202A–202E, the isolates U+2066–2069).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Harakat and other combining marks (fathatan … sukun, hamza above, superscript alef):
/// optional in Persian writing, so never a difference.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// Punctuation, Persian and Latin: it separates words like a space does, so «کد ملی:»,
/// «شناسه کالا (ایران کد)» and «شناسه کالا - ایران کد» compare as their words.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{00AB}' | '\u{00BB}' // « »
                | '\u{060C}' | '\u{061B}' | '\u{061F}' // ، ؛ ؟
                | '\u{066A}'..='\u{066D}' // ٪ ٫ ٬ ٭
                | '\u{06D4}' // ۔
                | '\u{2010}'..='\u{2027}' // dashes, quotes, bullets, ellipsis
                | '\u{2039}' | '\u{203A}' | '\u{00B7}'
        )
}

/// One letter as compared: Arabic look-alikes as Persian, digits as ASCII; `None` drops it.
fn unify_letter(c: char) -> Option<char> {
    // Every letter, mark and digit below is in the Arabic block.
    if !('\u{0600}'..='\u{06FF}').contains(&c) {
        return Some(c);
    }
    if is_diacritic(c) {
        return None;
    }
    let persian = BY_CODE_POINT[(u32::from(c) - 0x0600) as usize];
    if persian != c {
        return (persian != '\0').then_some(persian);
    }
    // Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII digits.
    match c {
        '\u{06F0}'..='\u{06F9}' => char::from_u32(u32::from(c) - 0x06F0 + u32::from('0')),
        '\u{0660}'..='\u{0669}' => char::from_u32(u32::from(c) - 0x0660 + u32::from('0')),
        _ => Some(c),
    }
}

/// The name as shown in reports: as submitted, trimmed. Never folded: an agency reads its
/// own spelling back, not one it never wrote.
pub fn shown(name: &str) -> String {
    name.trim().to_string()
}

/// The word that starts at `start` of `key` (its letters as compared, ZWNJ kept), ended:
/// the rules that read a word's ending applied. `half_space`: the word holds a ZWNJ.
fn finish_word(key: &mut String, start: usize, half_space: bool) {
    // The ezafe written as «‌ی» after a final ه: شماره‌ی / شماره.
    if key[start..].ends_with("ه\u{200C}ی") {
        key.truncate(key.len() - "\u{200C}ی".len());
    }
    if half_space {
        while let Some(at) = key[start..].find('\u{200C}') {
            key.replace_range(start + at..start + at + '\u{200C}'.len_utf8(), "");
        }
    }
    // A word-final hamza is often left off: انقضاء / انقضا.
    while key[start..].ends_with('\u{0621}') {
        key.pop();
    }
}

/// The name as compared: Arabic letters as Persian, hamza and ezafe variants, diacritics,
/// tatweel, invisible marks and punctuation dropped, digits as ASCII, lowercased, and every
/// space removed — so «شناسه‌ملی», «شناسه ملی» and «شناسهملی» are one name.
pub fn match_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    push_match_key(name, &mut key);
    key
}

/// [`match_key`] appended to `key`: one pass over the name, each word's letters written
/// into `key` as they are read and its ending corrected once it ends.
pub fn push_match_key(name: &str, key: &mut String) {
    let mut start = key.len();
    let mut half_space = false;
    // The previous character of the word, as typed: the hamza rule reads it.
    let mut previous: Option<char> = None;
    for c in name.chars() {
        // Bidi marks and the soft hyphen inside a word must not hide its ending from the
        // ezafe and hamza rules, so they go first; ZWNJ stays until the word ends (the
        // ezafe rule reads it).
        if c != '\u{200C}' && is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || is_punctuation(c) {
            finish_word(key, start, half_space);
            (start, half_space, previous) = (key.len(), false, None);
            continue;
        }
        // هیئت, هیأت and هیات are one word: a hamza seat after ی reads as alef.
        let letter = if matches!(c, '\u{0626}' | '\u{0623}')
            && previous.is_some_and(|p| unify_letter(p) == Some('ی'))
        {
            Some('ا')
        } else {
            unify_letter(c)
        };
        match letter {
            None => {}
            Some(l) if l.is_ascii() => key.push(l.to_ascii_lowercase()),
            // Arabic script has no letter case.
            Some(l @ '\u{0600}'..='\u{06FF}') => key.push(l),
            Some(l) => {
                half_space |= l == '\u{200C}';
                key.extend(l.to_lowercase());
            }
        }
        previous = Some(c);
    }
    finish_word(key, start, half_space);
}

/// Item names that are identifiers, as match keys, and the lookup key each one is.
const IDENTIFIERS: [(&str, &str); 20] = [
    ("کدملی", "national_id"),
    ("شمارهملی", "national_id"),
    ("شناسهملی", "legal_entity_national_id"),
    ("شناسهملیشخصحقوقی", "legal_entity_national_id"),
    ("کدپستی", "postal_code"),
    ("شمارهکارتبازرگانی", "commercial_card_no"),
    ("شمارهاظهارنامه", "customs_declaration_no"),
    ("شمارهاظهارنامهگمرکی", "customs_declaration_no"),
    ("کوتاژ", "customs_declaration_no"),
    ("ایرانکد", "iran_code"),
    ("شناسهکالاایرانکد", "iran_code"),
    ("شمارهپروانه", "licence_no"),
    ("شمارهمجوز", "licence_no"),
    ("شمارهثبتسفارش", "order_registration_no"),
    ("شمارهگذرنامه", "passport_no"),
    ("شمارهپاسپورت", "passport_no"),
    ("شناسهاتباعخارجی", "foreign_national_id"),
    ("شناسهفراگیراتباعخارجی", "foreign_national_id"),
    ("کدفراگیراتباع", "foreign_national_id"),
    ("کدفراگیراتباعخارجی", "foreign_national_id"),
];

/// The lookup key a data item name stands for, when the name is an identifier.
pub fn identifier_key(name: &str) -> Option<&'static str> {
    identifier_of_key(&match_key(name))
}

/// Like [`identifier_key`], for a name already folded by [`match_key`].
pub fn identifier_of_key(key: &str) -> Option<&'static str> {
    IDENTIFIERS
        .iter()
        .find(|(identifier, _)| *identifier == key)
        .map(|(_, lookup_key)| *lookup_key)
}

#[cfg(test)]
mod tests;
