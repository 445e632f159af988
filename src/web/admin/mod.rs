//! The administrator's pages for what configures the engine: the landing page `/admin`,
//! workflows and forms with their versions ([`catalog`]) and new versions uploaded
//! ([`upload`], [`upload_form`]), the mail queue ([`notifications`]) and the business calendar with its
//! closures ([`calendar`]). Like every page they call the engine in-process, through the
//! same code as the API's routes, so a page cannot register what the API would refuse.

pub mod calendar;
pub mod catalog;
pub mod catalog_page;
pub mod notifications;
pub mod upload;
pub mod upload_form;

#[cfg(test)]
mod tests;

use maud::{Markup, html};

use crate::domain::Role;
use crate::web::error::PageError;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Who configures the engine.
pub const ADMINS: &[Role] = &[Role::Admin];
/// Who reads the mail queue (as `GET /v1/notifications` allows).
pub const MAIL_READERS: &[Role] = &[Role::Admin, Role::Secretariat, Role::Auditor];

/// One link of the landing page: path, title and what it is for.
struct Section {
    path: &'static str,
    title: (&'static str, &'static str),
    about: (&'static str, &'static str),
}

const SECTIONS: &[Section] = &[
    Section {
        path: "/admin/agencies",
        title: ("دستگاه‌ها", "Agencies"),
        about: (
            "فهرست دستگاه‌ها، افزودن و درون‌ریزی پرونده",
            "List, add and import agencies",
        ),
    },
    Section {
        path: "/admin/members",
        title: ("اعضا", "Members"),
        about: (
            "اعضا، نقش‌ها و توکن‌های دسترسی",
            "Members, their roles and access tokens",
        ),
    },
    Section {
        path: "/admin/workflows",
        title: ("گردش‌کارها", "Workflows"),
        about: (
            "نسخه‌ها، پرونده‌های هر نسخه و بارگذاری نسخهٔ تازه",
            "Versions, the cases on each, and uploading a new version",
        ),
    },
    Section {
        path: "/admin/forms",
        title: ("فرم‌ها", "Forms"),
        about: (
            "طرح‌واره‌های فرم، نسخه‌ها و بارگذاری نسخهٔ تازه",
            "Form schemas, their versions, and uploading a new version",
        ),
    },
    Section {
        path: "/admin/notifications",
        title: ("اعلان‌ها", "Notifications"),
        about: (
            "رایانامه‌های فرستاده، در صف یا ناموفق",
            "E-mails sent, queued or failed",
        ),
    },
    Section {
        path: "/admin/calendar",
        title: ("تقویم کاری", "Calendar"),
        about: (
            "روزهای کاری، تعطیلات و تعطیلی‌های اعلام‌شده",
            "Working days, holidays and announced closures",
        ),
    },
];

/// `GET /admin`
pub async fn landing(viewer: Viewer) -> Result<Markup, PageError> {
    Ok(landing_page(&viewer))
}

/// The landing page: a link to every administrator's page, with what it is for.
pub fn landing_page(viewer: &Viewer) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        ul.admin-sections {
            @for section in SECTIONS {
                li.panel {
                    h2 { a href=(section.path) { (pick(locale, section.title)) } }
                    p.muted { (pick(locale, section.about)) }
                }
            }
        }
    };
    page(viewer, locale.pick("مدیریت سامانه", "Administration"), body)
}

fn pick(locale: Locale, (fa, en): (&'static str, &'static str)) -> &'static str {
    locale.pick(fa, en)
}

/// A short hash for tables (the whole one is in the `title` and on the version's page).
pub fn short_hash(hash: &str) -> &str {
    let bare = hash.strip_prefix("sha256:").unwrap_or(hash);
    bare.get(..12).unwrap_or(bare)
}
