//! The page of services at risk: a service-card case and an inventory case picked, then
//! each service whose inquiries find no offer, with what each inquiry found.

use std::collections::BTreeMap;

use maud::{Markup, html};
use uuid::Uuid;

use super::{Choice, Outcome, picker, refusal};
use crate::reports::services::{InquiryStanding, ServiceReport, ServicesReport};
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

fn standing(locale: Locale, s: InquiryStanding) -> (&'static str, &'static str) {
    let w = |fa: &'static str, en: &'static str| locale.pick(fa, en);
    match s {
        InquiryStanding::NeedMet => ("chip ok", w("نیاز برآورده است", "need met")),
        InquiryStanding::NeedUnmet => ("chip danger", w("نیاز برآورده نشده", "need not met")),
        InquiryStanding::RefNotFound => ("chip warn", w("ارجاع یافت نشد", "ref not found")),
        InquiryStanding::ItemsOffered => ("chip ok", w("اقلام عرضه می‌شوند", "items offered")),
        InquiryStanding::ItemsOfferedByNobody => (
            "chip danger",
            w("اقلامی را کسی عرضه نمی‌کند", "items offered by nobody"),
        ),
    }
}

fn service(locale: Locale, names: &BTreeMap<String, String>, s: &ServiceReport) -> Markup {
    let agency = names
        .get(&s.agency)
        .map_or(s.agency.as_str(), String::as_str);
    html! {
        li {
            p {
                strong { (s.title_fa) } " " bdi.code.muted { (s.service_code) }
                " · " span title=(s.agency) { (agency) }
            }
            ul { @for q in &s.inquiries {
                @let (class, label) = standing(locale, q.standing);
                li {
                    span class=(class) { (label) } " "
                    (locale.pick("از ", "from ")) bdi.code { (q.provider_agency) }
                    @if let Some(r) = &q.data_need_ref { " · " (locale.pick("ارجاع: ", "ref: ")) bdi { (r) } }
                    @if let Some(n) = &q.need { " → " bdi.code { (n) } }
                    @if !q.offered_by_nobody.is_empty() {
                        " · " (locale.pick("عرضه‌نشده: ", "offered by nobody: ")) (q.offered_by_nobody.join("، "))
                    }
                }
            } }
        }
    }
}

fn report(locale: Locale, names: &BTreeMap<String, String>, r: &ServicesReport) -> Markup {
    html! {
        p {
            (number(locale, r.services.len())) " "
            (locale.pick("خدمت در خطر از", "services at risk of")) " "
            (number(locale, r.services_checked)) " " (locale.pick("خدمت بررسی‌شده", "checked"))
        }
        @if r.services.is_empty() {
            p.muted { (locale.pick("همهٔ استعلام‌های خدمات، عرضه‌ای برای خود دارند.", "Every inquiry of every service finds an offer.")) }
        } @else {
            ul.services { @for s in &r.services { (service(locale, names, s)) } }
        }
    }
}

/// The page: pure, from the pickers' cases (cards, inventories), what was picked and the
/// outcome to markup.
pub fn services_page(
    viewer: &Viewer,
    choices: (&[Choice], &[Choice]),
    picked: (Option<Uuid>, Option<Uuid>),
    outcome: &Outcome<ServicesReport>,
    names: &BTreeMap<String, String>,
) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let none = w("— برگزینید —", "— choose —");
    let body = html! {
        form.filters method="get" action="/reports/services-at-risk" {
            (picker("cards", w("پروندهٔ شناسنامهٔ خدمات", "Service card case"), choices.0, picked.0, none))
            (picker("inventory", w("پروندهٔ احصا", "Inventory case"), choices.1, picked.1, none))
            button type="submit" { (w("نمایش", "Show")) }
        }
        @match outcome {
            Outcome::Ask => p.muted { (w(
                "شناسنامه‌های خدمات با نیازها و عرضه‌های پروندهٔ احصایی که برمی‌گزینید سنجیده می‌شوند.",
                "Service cards are read against the needs and offers of the inventory case you choose."
            )) },
            Outcome::Refused(_, detail) => (refusal(viewer, detail)),
            Outcome::Done(r) => {
                (report(locale, names, r))
                @if let (Some(cards), Some(inventory)) = picked {
                    p { a.button.secondary href={ "/reports/services-at-risk.csv?cards=" (cards) "&inventory=" (inventory) } download {
                        (w("دریافت گزارش (CSV)", "Download the report (CSV)"))
                    } }
                }
            },
        }
    };
    page(viewer, w("خدمات در خطر", "Services at risk"), body)
}
