//! Files: `POST /v1/files` checks what it is given (type by the bytes, the header and the
//! name; size; an unsafe name) and stores the same bytes once; before anything names a
//! file, `GET /v1/files/{sha256}` answers its uploaders only, and 404 to everyone else (see
//! `attachments` for files named by submissions and cases).

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, assert_conforms, spawn_app_with};
use crate::on_both_backends;
use crate::reports::world;
use crate::support::TestDb;

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

pub fn sha256_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Uploads `bytes`; the status and the JSON answer.
pub async fn upload(
    app: &TestApp,
    token: &str,
    content_type: &str,
    disposition: Option<&str>,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/v1/files", app.address))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(bytes);
    if let Some(disposition) = disposition {
        request = request.header("content-disposition", disposition);
    }
    let response = request.send().await.expect("the upload is sent");
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        assert_conforms(&Method::POST, "/v1/files", status, &body);
    }
    (status, body)
}

/// A PDF named `name`, uploaded by `token`: its sha256.
pub async fn upload_pdf(app: &TestApp, token: &str, bytes: Vec<u8>, name: &str) -> String {
    let disposition = format!("attachment; filename=\"{name}\"");
    let (status, body) = upload(app, token, "application/pdf", Some(&disposition), bytes).await;
    assert_eq!(status, 201, "{body}");
    body["sha256"].as_str().unwrap().to_string()
}

/// Status, headers and bytes of a download.
pub async fn download(
    app: &TestApp,
    sha256: &str,
    token: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app
        .call(
            Method::GET,
            &format!("/v1/files/{sha256}"),
            Some(token),
            None,
        )
        .await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

pub async fn status_of_download(app: &TestApp, sha256: &str, token: &str) -> u16 {
    download(app, sha256, token).await.0
}

async fn uploads_are_checked_and_the_same_bytes_stored_once(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let persian = "attachment; filename*=UTF-8''%D9%86%D8%A7%D9%85%D9%87%20%DB%B1.png";
    let (status, first) = upload(app, &w.irica, "image/png", Some(persian), PNG.to_vec()).await;
    assert_eq!(status, 201, "{first}");
    let sha = sha256_of(PNG);
    assert_eq!(
        first,
        json!({"sha256": sha, "size": PNG.len(), "content_type": "image/png", "filename": "نامه ۱.png"})
    );

    let (status, headers, bytes) = download(app, &sha, &w.irica).await;
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{sha}\""));
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.ends_with("filename*=UTF-8''%D9%86%D8%A7%D9%85%D9%87%20%DB%B1.png"),
        "{disposition}"
    );
    let cached = app
        .client
        .get(format!("{}/v1/files/{sha}", app.address))
        .bearer_auth(&w.irica)
        .header("if-none-match", format!("\"{sha}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status().as_u16(), 304);

    // Nothing names it yet: its uploader only. An unknown or malformed hash: the same 404.
    assert_eq!(status_of_download(app, &sha, &w.cppo).await, 404);
    assert_eq!(status_of_download(app, &sha, &w.secretariat).await, 404);
    // The same bytes from someone else: stored once (200), readable by both, each under
    // its own name.
    let again = "attachment; filename=\"copy.png\"";
    let (status, second) = upload(app, &w.cppo, "image/png", Some(again), PNG.to_vec()).await;
    assert_eq!(
        (status, &second["sha256"]),
        (200, &json!(sha)),
        "stored once"
    );
    let (status, headers, _) = download(app, &sha, &w.cppo).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("copy.png")
    );
    let (_, headers, _) = download(app, &sha, &w.irica).await;
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("%D9%86")
    );
    assert_eq!(
        status_of_download(app, &"0".repeat(64), &w.irica).await,
        404
    );
    assert_eq!(
        status_of_download(app, "../../etc/passwd", &w.irica).await,
        404
    );
    assert_eq!(
        status_of_download(app, &sha.to_uppercase(), &w.irica).await,
        404
    );
}

async fn what_is_not_a_safe_pdf_png_or_jpeg_is_refused(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let named = |name: &str| format!("attachment; filename=\"{name}\"");
    let cases: Vec<(&str, String, Vec<u8>, u16)> = vec![
        ("application/pdf", named("scan.pdf"), PNG.to_vec(), 415),
        ("image/png", named("scan.pdf"), PNG.to_vec(), 415),
        (
            "application/pdf",
            named("virus.pdf"),
            b"MZ\x90\0\x03".to_vec(),
            415,
        ),
        ("text/html", named("page.pdf"), PDF.to_vec(), 415),
        ("application/pdf", named("letter.exe"), PDF.to_vec(), 415),
        ("application/pdf", named("empty.pdf"), Vec::new(), 422),
        (
            "application/pdf",
            named("../../letter.pdf"),
            PDF.to_vec(),
            422,
        ),
        ("application/pdf", named("a\\\\b.pdf"), PDF.to_vec(), 422),
        (
            "application/pdf",
            "attachment; filename*=UTF-8''a%0Ab.pdf".into(),
            PDF.to_vec(),
            422,
        ),
        (
            "application/pdf",
            "attachment; filename*=UTF-8''%E2%80%AEfdp.exe.pdf".into(),
            PDF.to_vec(),
            422,
        ),
        (
            "application/pdf",
            named(&format!("{}.pdf", "a".repeat(252))),
            PDF.to_vec(),
            422,
        ),
    ];
    for (content_type, disposition, bytes, expected) in cases {
        let (status, problem) =
            upload(app, &w.irica, content_type, Some(&disposition), bytes).await;
        assert_eq!(status, expected, "{content_type} {disposition}: {problem}");
        assert!(problem["detail"].is_string(), "{problem}");
    }
    let (status, _) = upload(app, &w.irica, "application/pdf", None, PDF.to_vec()).await;
    assert_eq!(status, 422, "a file needs its name");
    // Refused files were not stored: not even their sender can read them.
    assert_eq!(
        status_of_download(app, &sha256_of(PNG), &w.irica).await,
        404
    );
    assert_eq!(
        status_of_download(app, &sha256_of(PDF), &w.irica).await,
        404
    );
}

async fn a_file_over_the_limit_is_refused_before_it_is_read(db: TestDb) {
    let w = world(db).await;
    let mut big = PDF.to_vec();
    big.resize(50 * 1024 * 1024, b' ');
    let sha = sha256_of(&big);
    let response = w
        .app
        .client
        .post(format!("{}/v1/files", w.app.address))
        .bearer_auth(&w.irica)
        .header("content-type", "application/pdf")
        .header("content-disposition", "attachment; filename=\"big.pdf\"")
        .body(big)
        .send()
        .await;
    // The server answers before reading the body and closes the connection; a client still
    // sending may see the close before the answer.
    if let Ok(response) = response {
        assert_eq!(response.status().as_u16(), 413);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 413);
    }
    assert_eq!(
        status_of_download(&w.app, &sha, &w.irica).await,
        404,
        "nothing stored"
    );
    let mut nine_mb = PDF.to_vec();
    nine_mb.resize(9 * 1024 * 1024, b' ');
    let disposition = "attachment; filename=\"scan.pdf\"";
    let (status, body) = upload(
        &w.app,
        &w.irica,
        "application/pdf",
        Some(disposition),
        nine_mb,
    )
    .await;
    assert_eq!(
        (status, &body["size"]),
        (201, &json!(9 * 1024 * 1024)),
        "the next upload, under 10 MB, is taken"
    );
}

/// `DAFTAR_ATTACHMENT_MAX_BYTES` sets the size limit; uploads count as writes against
/// `DAFTAR_WRITES_PER_MINUTE`.
async fn the_limits_are_configured(db: TestDb) {
    let app = spawn_app_with(db, |s| {
        s.protection.attachment_max_bytes = 1000;
        // The administrator's three writes (agencies, member, token) fit too.
        s.protection.writes_per_minute = 3;
    })
    .await;
    app.import_agencies().await;
    let token = app.member("m-limit", "MIMT", &["member"]).await;
    let disposition = Some("attachment; filename=\"a.pdf\"");
    let mut over = PDF.to_vec();
    over.resize(1001, b' ');
    let (status, _) = upload(&app, &token, "application/pdf", disposition, over).await;
    assert_eq!(status, 413);
    let mut under = PDF.to_vec();
    under.resize(1000, b' ');
    for expected in [201, 200] {
        let (status, _) = upload(&app, &token, "application/pdf", disposition, under.clone()).await;
        assert_eq!(status, expected);
    }
    let (status, _) = upload(&app, &token, "application/pdf", disposition, under).await;
    assert_eq!(status, 429, "the fourth write in a minute");
}

on_both_backends!(
    uploads_are_checked_and_the_same_bytes_stored_once,
    what_is_not_a_safe_pdf_png_or_jpeg_is_refused,
    a_file_over_the_limit_is_refused_before_it_is_read,
    the_limits_are_configured,
);
