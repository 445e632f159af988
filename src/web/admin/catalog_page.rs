//! The markup of the workflow and form pages: the keys with their versions, hashes and
//! what runs on each, the upload form below them, and one version's text. Pure: views in,
//! markup out.

use maud::{Markup, html};
use serde_json::Value;

use super::catalog::{KeyRows, Kind, VersionRow};
use super::short_hash;
use super::upload_form::{Refusal, UploadForm, upload_panel};
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Cases named on a version's row; the rest are counted and linked to the case list.
const CASES_NAMED: usize = 5;

/// The list of keys and versions, then the upload form (with every problem, if it was just
/// refused).
pub fn catalog_page(
    viewer: &Viewer,
    kind: Kind,
    rows: &[KeyRows],
    typed: &UploadForm,
    refusal: Option<&Refusal>,
) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        @if rows.is_empty() {
            p.muted { (locale.pick("هنوز چیزی ثبت نشده است.", "Nothing is registered yet.")) }
        }
        @for row in rows {
            (key_section(locale, kind, row))
        }
        (upload_panel(viewer, kind, typed, refusal))
    };
    page(viewer, kind.title(locale), body)
}

fn key_section(locale: Locale, kind: Kind, row: &KeyRows) -> Markup {
    let heading_id = format!("key-{}", row.key);
    html! {
        section.panel aria-labelledby=(heading_id) {
            h2 #(heading_id) { bdi { (row.key) } @if !row.title.is_empty() { " — " (row.title) } }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (locale.pick("نسخه", "Version")) }
                        th scope="col" { (locale.pick("چکیده (hash)", "Hash")) }
                        th scope="col" { @match kind {
                            Kind::Workflow => (locale.pick("پرونده‌ها", "Cases")),
                            Kind::Form => (locale.pick("گردش‌کارهای به‌کاربرنده", "Used by workflows")),
                        } }
                    } }
                    tbody {
                        @for version in &row.versions {
                            tr {
                                th scope="row" {
                                    a href={ (kind.path()) "/" (row.key) "/" (version.version) } {
                                        (number(locale, version.version))
                                    }
                                }
                                td { bdi.hash title=(version.hash) { (short_hash(&version.hash)) } }
                                td { (used_cell(locale, kind, &row.key, version)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn used_cell(locale: Locale, kind: Kind, key: &str, version: &VersionRow) -> Markup {
    html! {
        @if version.used_count == 0 {
            span.muted { "—" }
        } @else {
            @if kind == Kind::Workflow {
                (number(locale, version.used_count)) " "
            }
            @for (i, used) in version.used_by.iter().take(CASES_NAMED).enumerate() {
                @if i > 0 { (locale.pick("، ", ", ")) }
                @match kind {
                    Kind::Workflow => a href={ "/cases/" (used.id) } { (used.title) },
                    Kind::Form => a href={ "/admin/workflows/" (used.id) } { bdi { (used.title) } },
                }
            }
            @if kind == Kind::Workflow && version.used_count > CASES_NAMED {
                " " a href={ "/cases?workflow=" (key) } { (locale.pick("همه…", "all…")) }
            }
        }
    }
}

pub(super) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// One version's text, escaped, left to right whatever the page's direction.
pub fn version_page(
    viewer: &Viewer,
    kind: Kind,
    key: &str,
    version: u32,
    hash: &str,
    text: &str,
) -> Markup {
    let locale = viewer.locale;
    let title = format!(
        "{key} — {}{}",
        locale.pick("نسخهٔ ", "version "),
        number(locale, version)
    );
    let body = html! {
        p { a href=(kind.path()) { (kind.title(locale)) } }
        dl.doc-fields {
            div { dt { (locale.pick("چکیده (hash)", "Hash")) } dd { code.hash dir="ltr" { (hash) } } }
        }
        pre.source dir="ltr" tabindex="0" aria-label=(locale.pick("متن نسخه", "The version's text")) { (text) }
    };
    page(viewer, &title, body)
}
