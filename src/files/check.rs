//! What an uploaded file must be, checked before a byte is stored: one of the accepted
//! kinds (PDF, PNG, JPEG), and its bytes, its declared `Content-Type` and its name's
//! extension all saying the same kind; a name that is safe to show and to save. Nothing is
//! repaired silently: a name with a path separator or a bidi override is refused, not
//! cleaned, so what the event records is what the uploader sent.

use std::fmt;

/// The kinds of file a submission or resolution may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    /// The kind a `Content-Type` header names (parameters ignored), if accepted.
    pub fn from_content_type(header: &str) -> Option<Self> {
        let essence = header.split(';').next()?.trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/pdf" => Some(FileKind::Pdf),
            "image/png" => Some(FileKind::Png),
            "image/jpeg" => Some(FileKind::Jpeg),
            _ => None,
        }
    }

    /// The kind a file name's extension names, if accepted.
    pub fn from_filename(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "pdf" => Some(FileKind::Pdf),
            "png" => Some(FileKind::Png),
            "jpg" | "jpeg" => Some(FileKind::Jpeg),
            _ => None,
        }
    }

    /// The kind the bytes are, by their magic numbers.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Pdf => "PDF",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
        })
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    /// The kind is not accepted, or the bytes, the type and the name disagree (415).
    #[error("{0}")]
    WrongType(String),
    /// Empty, or a name that cannot be stored as given (422).
    #[error("{0}")]
    Invalid(String),
}

/// The longest file name accepted, in UTF-8 bytes (what file systems allow).
pub const MAX_FILENAME_BYTES: usize = 255;

/// A file name is shown to people and saved on their disks: refuse anything that could
/// name another place (`/`, `\`, `..`), hide what it is (control characters, bidi overrides
/// and isolates, which can make `exe.pdf` read as `fdp.exe`) or not fit.
pub fn check_filename(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the file name is empty".into());
    }
    if name.len() > MAX_FILENAME_BYTES {
        return Err(format!(
            "the file name is {} bytes long; at most {MAX_FILENAME_BYTES} are allowed",
            name.len()
        ));
    }
    if name.contains(['/', '\\']) || name.contains("..") {
        return Err(format!(
            "the file name {name:?} contains a path (/, \\ or ..); send the bare name"
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || is_bidi_control(*c)) {
        return Err(format!(
            "the file name contains the control character U+{:04X}",
            u32::from(c)
        ));
    }
    Ok(())
}

/// Bidi embeddings, overrides and isolates (the zero-width non-joiner that Persian names
/// use is not one of them).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The kind of an upload: accepted, and the same by its bytes, its declared type and its
/// name.
pub fn check_upload(
    content_type: &str,
    filename: &str,
    bytes: &[u8],
) -> Result<FileKind, FileRefusal> {
    let declared = FileKind::from_content_type(content_type).ok_or_else(|| {
        FileRefusal::WrongType(format!(
            "Content-Type {content_type:?} is not accepted: send application/pdf, image/png or image/jpeg"
        ))
    })?;
    check_filename(filename).map_err(FileRefusal::Invalid)?;
    if bytes.is_empty() {
        return Err(FileRefusal::Invalid("the file is empty (0 bytes)".into()));
    }
    let named = FileKind::from_filename(filename).ok_or_else(|| {
        FileRefusal::WrongType(format!(
            "the file name {filename:?} does not end in .pdf, .png, .jpg or .jpeg"
        ))
    })?;
    let Some(actual) = FileKind::sniff(bytes) else {
        return Err(FileRefusal::WrongType(format!(
            "the bytes are not a PDF, PNG or JPEG file (declared {declared})"
        )));
    };
    if actual != declared || actual != named {
        return Err(FileRefusal::WrongType(format!(
            "the bytes are a {actual} file, but the Content-Type says {declared} and the name \
             {filename:?} says {named}"
        )));
    }
    Ok(actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn the_bytes_the_type_and_the_name_must_agree() {
        assert_eq!(
            check_upload("image/png", "نامه.png", PNG),
            Ok(FileKind::Png)
        );
        assert_eq!(
            check_upload("application/pdf; charset=binary", "a.PDF", b"%PDF-1.7\n"),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            check_upload("image/jpeg", "scan.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileKind::Jpeg)
        );
        for (content_type, name, bytes) in [
            ("application/pdf", "letter.pdf", PNG),
            ("image/png", "letter.pdf", PNG),
            ("text/plain", "a.png", PNG),
            ("image/png", "a.exe", PNG),
            ("image/png", "noextension", PNG),
            ("application/pdf", "a.pdf", b"MZ\x90\0" as &[u8]),
        ] {
            assert!(
                matches!(
                    check_upload(content_type, name, bytes),
                    Err(FileRefusal::WrongType(_))
                ),
                "{content_type} {name}"
            );
        }
    }

    #[test]
    fn an_empty_file_or_an_unsafe_name_is_refused_not_cleaned() {
        assert!(matches!(
            check_upload("image/png", "a.png", b""),
            Err(FileRefusal::Invalid(_))
        ));
        let long = format!("{}.pdf", "ن".repeat(126));
        for name in [
            "../etc/passwd.pdf",
            "a/b.pdf",
            "a\\b.pdf",
            "a..pdf",
            "a\nb.pdf",
            "a\u{7}.pdf",
            "\u{202E}fdp.exe.pdf",
            "a\u{2067}b.pdf",
            " ",
            long.as_str(),
        ] {
            assert!(check_filename(name).is_err(), "{name:?}");
        }
        assert!(
            check_filename("نامه\u{200C}ها ۱۴۰۵.pdf").is_ok(),
            "ZWNJ is part of Persian"
        );
    }
}
