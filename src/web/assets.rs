//! The static files, embedded in the binary: htmx and the Vazirmatn font (vendored from
//! their npm packages under `vendor/web/`, with their licences) and our one stylesheet.
//! Each is served at a URL carrying a hash of its content, so it can be cached for a year
//! and a new build can never be served a stale copy. Nothing is fetched from elsewhere.

use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

/// One embedded file at its hashed URL.
pub struct Asset {
    /// `/assets/daftar.0123456789.css`
    pub url: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Every asset, built once.
pub struct Assets {
    pub htmx: Asset,
    /// Our own small script: the unsaved-changes warning.
    pub script: Asset,
    pub css: Asset,
    pub font_regular: Asset,
    pub font_bold: Asset,
}

impl Assets {
    fn all(&self) -> [&Asset; 5] {
        [
            &self.htmx,
            &self.script,
            &self.css,
            &self.font_regular,
            &self.font_bold,
        ]
    }

    /// The asset served at `url`.
    pub fn find(&self, url: &str) -> Option<&Asset> {
        self.all().into_iter().find(|a| a.url == url)
    }
}

fn asset(stem: &str, extension: &str, content_type: &'static str, bytes: Vec<u8>) -> Asset {
    let hash = hex::encode(&Sha256::digest(&bytes)[..5]);
    Asset {
        url: format!("/assets/{stem}.{hash}.{extension}"),
        content_type,
        bytes,
    }
}

/// The embedded files; the stylesheet's font URLs are rewritten to the fonts' hashed URLs
/// before the stylesheet itself is hashed.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let font_regular = asset(
        "vazirmatn-regular",
        "woff2",
        "font/woff2",
        include_bytes!("../../vendor/web/vazirmatn/Vazirmatn-Regular.woff2").to_vec(),
    );
    let font_bold = asset(
        "vazirmatn-bold",
        "woff2",
        "font/woff2",
        include_bytes!("../../vendor/web/vazirmatn/Vazirmatn-Bold.woff2").to_vec(),
    );
    let css = include_str!("daftar.css")
        .replace(
            "url(vazirmatn-regular.woff2)",
            &format!("url({})", font_regular.url),
        )
        .replace(
            "url(vazirmatn-bold.woff2)",
            &format!("url({})", font_bold.url),
        );
    Assets {
        htmx: asset(
            "htmx",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../vendor/web/htmx/htmx.min.js").to_vec(),
        ),
        script: asset(
            "daftar",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("daftar.js").to_vec(),
        ),
        css: asset("daftar", "css", "text/css; charset=utf-8", css.into_bytes()),
        font_regular,
        font_bold,
    }
});

/// `GET /assets/{file}`: an embedded file, cacheable for a year; anything else 404.
pub async fn serve(file: web::Path<String>) -> HttpResponse {
    let url = format!("/assets/{file}");
    match ASSETS.find(&url) {
        Some(asset) => HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header(("cache-control", "public, max-age=31536000, immutable"))
            .insert_header(("x-content-type-options", "nosniff"))
            .body(asset.bytes.clone()),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such asset"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_a_content_hash_and_the_stylesheet_points_at_the_hashed_fonts() {
        let assets = &*ASSETS;
        for asset in assets.all() {
            assert!(asset.url.starts_with("/assets/"), "{}", asset.url);
            assert!(assets.find(&asset.url).is_some());
            assert!(!asset.bytes.is_empty());
        }
        let css = String::from_utf8(assets.css.bytes.clone()).unwrap();
        assert!(css.contains(&assets.font_regular.url), "{css}");
        assert!(css.contains(&assets.font_bold.url), "{css}");
        assert!(
            !css.contains("url(vazirmatn-"),
            "an unhashed font URL is left"
        );
        assert!(assets.find("/assets/htmx.js").is_none());
    }

    #[test]
    fn a_first_page_load_stays_under_its_budget() {
        let assets = &*ASSETS;
        let total: usize = assets.all().iter().map(|a| a.bytes.len()).sum();
        assert!(total < 190 * 1024, "assets weigh {total} bytes");
    }
}
