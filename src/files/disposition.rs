//! `Content-Disposition` for files: the name an upload carries (`filename="…"`, or RFC 8187's
//! `filename*=UTF-8''…`, which Persian names need and which wins when both are sent), and the
//! header a download answers with (an ASCII fallback plus the exact UTF-8 name).

/// The file name in an upload's `Content-Disposition`, decoded; an error says what is wrong.
pub fn filename_of(header: &str) -> Result<String, String> {
    let mut plain = None;
    let mut extended = None;
    for (key, value) in parameters(header) {
        match key.to_ascii_lowercase().as_str() {
            "filename*" => extended = Some(decode_extended(&value)?),
            "filename" => plain = Some(value),
            _ => {}
        }
    }
    extended
        .or(plain)
        .ok_or_else(|| "Content-Disposition names no filename".to_string())
}

/// The value of the parameter `key` (matched without regard to case) in a header such as
/// `form-data; name="files"` or `multipart/form-data; boundary=…`.
pub fn parameter(header: &str, key: &str) -> Option<String> {
    parameters(header)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// `key=value` pairs after the disposition type, quoted strings unescaped.
fn parameters(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = header.split_once(';').map(|(_, r)| r).unwrap_or("");
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some((key, after)) = rest.split_once('=') else {
            return out;
        };
        let key = key.trim().to_string();
        let after = after.trim_start();
        let (value, remaining) = match after.strip_prefix('"') {
            Some(quoted) => unquote(quoted),
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            }
        };
        out.push((key, value));
        rest = remaining;
    }
}

/// A quoted string's content (backslash escapes undone) and what follows its closing quote.
fn unquote(quoted: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => value.extend(chars.next().map(|(_, c)| c)),
            c => value.push(c),
        }
    }
    (value, "")
}

/// `UTF-8'lang'percent-encoded` (RFC 8187); other charsets are refused.
fn decode_extended(value: &str) -> Result<String, String> {
    let mut parts = value.splitn(3, '\'');
    let (Some(charset), Some(_language), Some(encoded)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err("filename* must read UTF-8''<percent-encoded name>".into());
    };
    if !charset.eq_ignore_ascii_case("utf-8") {
        return Err(format!("filename* in {charset:?}: only UTF-8 is accepted"));
    }
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut input = encoded.bytes();
    while let Some(b) = input.next() {
        if b == b'%' {
            let hex = [input.next().unwrap_or(0), input.next().unwrap_or(0)];
            let byte = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("filename* has a broken %-escape")?;
            bytes.push(byte);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).map_err(|_| "filename* is not valid UTF-8".into())
}

/// The header of a download: `attachment` with an ASCII stand-in for old clients and the
/// exact name, percent-encoded, for the rest.
pub fn attachment_header(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persian_name_travels_as_rfc_8187_both_ways() {
        let header = attachment_header("نامه ۱.pdf");
        assert_eq!(
            header,
            "attachment; filename=\"____ _.pdf\"; \
             filename*=UTF-8''%D9%86%D8%A7%D9%85%D9%87%20%DB%B1.pdf"
        );
        assert_eq!(filename_of(&header).unwrap(), "نامه ۱.pdf");
    }

    #[test]
    fn plain_and_quoted_names_are_read() {
        assert_eq!(filename_of("attachment; filename=a.pdf").unwrap(), "a.pdf");
        assert_eq!(
            filename_of(r#"attachment; filename="a \"b\".pdf"; size=3"#).unwrap(),
            r#"a "b".pdf"#
        );
        assert!(filename_of("attachment").is_err());
        assert!(filename_of("attachment; filename*=ISO-8859-1''a.pdf").is_err());
        assert!(filename_of("attachment; filename*=UTF-8''%FF.pdf").is_err());
    }
}
