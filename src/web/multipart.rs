//! Forms that carry files (`multipart/form-data`): [`PostedFiles`] checks them exactly as
//! [`super::csrf::Posted`] checks the others — this server's origin, the session, the CSRF
//! field — before anything is parsed, and reads at most `limit` bytes. The parser is small
//! and strict: the pages send only a few text fields and a few files, read whole in memory
//! within that limit.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};

use super::csrf::{
    CSRF_FIELD, equal_in_constant_time, foreign_origin, read_body, same_origin, stale_form,
};
use super::error::PageError;
use super::i18n::Locale;
use super::session::{Viewer, authenticate, states};
use crate::files::disposition;

/// A file sent in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    pub field: String,
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A multipart form from a signed-in viewer, CSRF and origin checked: its text fields (the
/// CSRF token left out) and its files (a file input left empty sends none).
pub struct PostedFiles {
    pub viewer: Viewer,
    pub fields: Vec<(String, String)>,
    pub files: Vec<FilePart>,
}

/// A form's text fields and its files.
pub type Parsed = (Vec<(String, String)>, Vec<FilePart>);

/// The boundary a `multipart/form-data` content type names.
fn boundary(content_type: &str) -> Option<String> {
    let (essence, _) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let found = disposition::parameter(content_type, "boundary")?;
    (!found.is_empty() && found.len() <= 70).then_some(found)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Splits a body into its parts: `(headers, content)` each.
fn parts<'b>(body: &'b [u8], boundary: &str) -> Result<Vec<(&'b str, &'b [u8])>, String> {
    let delimiter = format!("\r\n--{boundary}");
    let broken = || "the form's body is not well-formed multipart".to_string();
    let first = format!("--{boundary}");
    if !body.starts_with(first.as_bytes()) {
        return Err(broken());
    }
    let mut at = first.len();
    let mut out = Vec::new();
    loop {
        match body.get(at..at + 2) {
            Some(b"--") => return Ok(out),
            Some(b"\r\n") => at += 2,
            _ => return Err(broken()),
        }
        let head_end = find(body, b"\r\n\r\n", at).ok_or_else(broken)?;
        let head = std::str::from_utf8(&body[at..head_end]).map_err(|_| broken())?;
        let content_start = head_end + 4;
        let end = find(body, delimiter.as_bytes(), content_start).ok_or_else(broken)?;
        out.push((head, &body[content_start..end]));
        at = end + delimiter.len();
    }
}

/// The text fields and the files of a multipart body.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Parsed, String> {
    let boundary = boundary(content_type).ok_or("not a multipart/form-data body")?;
    let mut fields = Vec::new();
    let mut files = Vec::new();
    for (head, content) in parts(body, &boundary)? {
        let mut name = None;
        let mut filename = None;
        let mut content_type = String::from("application/octet-stream");
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    name = disposition::parameter(value, "name");
                    filename = disposition::filename_of(value).ok();
                }
                "content-type" => content_type = value.trim().to_string(),
                _ => {}
            }
        }
        let name = name.ok_or("a form part has no name")?;
        match filename {
            Some(filename) if filename.is_empty() && content.is_empty() => {}
            Some(filename) => files.push(FilePart {
                field: name,
                filename,
                content_type,
                bytes: content.to_vec(),
            }),
            None => {
                let text =
                    String::from_utf8(content.to_vec()).map_err(|_| "a form field is not UTF-8")?;
                fields.push((name, text));
            }
        }
    }
    Ok((fields, files))
}

impl PostedFiles {
    /// The most bytes a form with files may send: the files' limit for each of the files a
    /// submission may carry, plus the form's own fields.
    fn limit(state: &crate::http::AppState) -> usize {
        state.protection.attachment_max_bytes * crate::domain::MAX_ATTACHMENTS + state.body_limit
    }
}

/// The form was not read: say why in words, and that the browser's Back keeps what was typed.
fn too_large(locale: Locale, max_bytes: usize) -> PageError {
    let megabytes = max_bytes / (1024 * 1024);
    let detail = format!(
        "{} {megabytes} {}",
        locale.pick(
            "پرونده‌های برگزیده از حد مجاز بزرگ‌ترند؛ هر پرونده می‌تواند تا",
            "The chosen files are over the limit; each file may be up to",
        ),
        locale.pick(
            "مگابایت باشد. چیزی ذخیره نشد؛ با دکمه «بازگشت» مرورگر به فرم برگردید و پرونده کوچک‌تری برگزینید.",
            "MB. Nothing was saved; go back to the form with the browser's Back button and choose a smaller file.",
        )
    );
    PageError::new(actix_web::http::StatusCode::PAYLOAD_TOO_LARGE, detail).in_locale(locale)
}

impl FromRequest for PostedFiles {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (state, web) = states(&request)?;
            let origin_ok = same_origin(&request, &web.settings);
            let viewer = authenticate(&request).await?;
            let locale = viewer.locale;
            if !origin_ok {
                return Err(foreign_origin(locale));
            }
            let body = read_body(payload, Self::limit(&state))
                .await
                .map_err(|_| too_large(locale, state.protection.attachment_max_bytes))?;
            let content_type = request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let (mut fields, files) = parse(content_type, &body)
                .map_err(|e| PageError::bad_request(e).in_locale(locale))?;
            let sent = fields
                .iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v.as_str());
            if !sent.is_some_and(|token| equal_in_constant_time(token, &viewer.csrf)) {
                return Err(stale_form(locale));
            }
            fields.retain(|(k, _)| k != CSRF_FIELD);
            Ok(PostedFiles {
                viewer,
                fields,
                files,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files_are_read_and_an_empty_file_input_sends_none() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"letter_no\"\r\n\r\n\xdb\xb1\xdb\xb2/\xd8\xb5\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\nend\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n\
--XyZ--\r\n";
        let (fields, files) = parse("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(fields, [("letter_no".to_string(), "۱۲/ص".to_string())]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].filename, "a.pdf");
        assert_eq!(files[0].content_type, "application/pdf");
        assert_eq!(files[0].bytes, b"%PDF-1.4\r\n\r\nend");
    }

    #[test]
    fn a_broken_body_is_refused() {
        let content_type = "multipart/form-data; boundary=XyZ";
        assert!(
            parse(
                content_type,
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"
            )
            .is_err()
        );
        assert!(parse(content_type, b"garbage").is_err());
        assert!(parse("application/x-www-form-urlencoded", b"a=1").is_err());
    }
}
