//! The page of what changed between two inventory rounds: two case pickers, then the needs
//! met since, newly unmet and withdrawn, and the offers added and withdrawn.

use std::collections::BTreeMap;

use maud::{Markup, html};
use uuid::Uuid;

use super::{Choice, Outcome, picker, refusal};
use crate::reports::diff::{MatrixDiff, NeedChange, OfferChange, Standing};
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

fn standing(locale: Locale, s: Standing) -> &'static str {
    match s {
        Standing::Met => locale.pick("برآورده", "met"),
        Standing::Unmet => locale.pick("برآورده‌نشده", "not met"),
        Standing::Absent => locale.pick("نبود", "absent"),
    }
}

fn name<'a>(names: &'a BTreeMap<String, String>, code: &'a str) -> &'a str {
    names.get(code).map_or(code, String::as_str)
}

/// The need's refs: one when its position held, `from → to` when it moved.
fn refs(n: &NeedChange) -> String {
    match (&n.from_ref, &n.to_ref) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (Some(r), _) | (None, Some(r)) => r.to_string(),
        (None, None) => String::new(),
    }
}

fn needs(
    locale: Locale,
    names: &BTreeMap<String, String>,
    heading: &str,
    list: &[NeedChange],
) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    html! {
        section {
            h2 { (heading) " (" (number(locale, list.len())) ")" }
            @if list.is_empty() {
                p.muted { (w("موردی نیست.", "None.")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (w("دستگاه", "Agency")) }
                        th scope="col" { (w("نیاز", "Need")) }
                        th scope="col" { (w("تأمین‌کننده", "Provider")) }
                        th scope="col" { (w("پیش‌تر", "Before")) }
                        th scope="col" { (w("اکنون", "Now")) }
                    } }
                    tbody { @for n in list { tr {
                        td { span title=(n.agency) { (name(names, &n.agency)) } }
                        td {
                            (n.title)
                            " " bdi.code.muted { (refs(n)) }
                        }
                        td { span title=(n.provider_agency) { (name(names, &n.provider_agency)) } }
                        td { (standing(locale, n.was)) }
                        td { (standing(locale, n.now)) }
                    } } }
                } }
            }
        }
    }
}

fn offers(
    locale: Locale,
    names: &BTreeMap<String, String>,
    heading: &str,
    list: &[OfferChange],
) -> Markup {
    html! {
        section {
            h2 { (heading) " (" (number(locale, list.len())) ")" }
            @if list.is_empty() {
                p.muted { (locale.pick("موردی نیست.", "None.")) }
            } @else {
                ul { @for o in list {
                    li {
                        span title=(o.agency) { (name(names, &o.agency)) } ": " (o.title)
                        " " bdi.code.muted { (o.reference) }
                    }
                } }
            }
        }
    }
}

fn changes(locale: Locale, names: &BTreeMap<String, String>, d: &MatrixDiff) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    html! {
        p.muted { (w(
            "نیازها و عرضه‌ها در دو دور با دستگاه و عنوانشان (با یکسان‌سازی نویسه‌ها و فاصله‌ها) شناخته می‌شوند، نه با شماره‌شان.",
            "Needs and offers are recognised across rounds by agency and title (compared folded), not by their numbers."
        )) }
        (needs(locale, names, w("نیازهای برآورده‌شده از آن پس", "Needs met since"), &d.needs_met))
        (needs(locale, names, w("نیازهای تازه برآورده‌نشده", "Needs newly unmet"), &d.needs_unmet))
        (needs(locale, names, w("نیازهای حذف‌شده", "Needs withdrawn"), &d.needs_withdrawn))
        (offers(locale, names, w("عرضه‌های افزوده", "Offers added"), &d.offers_added))
        (offers(locale, names, w("عرضه‌های برداشته", "Offers withdrawn"), &d.offers_withdrawn))
    }
}

/// The page: pure, from the pickers' cases, what was picked and the outcome to markup.
pub fn diff_page(
    viewer: &Viewer,
    choices: &[Choice],
    picked: (Option<Uuid>, Option<Uuid>),
    outcome: &Outcome<MatrixDiff>,
    names: &BTreeMap<String, String>,
) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let none = w("— برگزینید —", "— choose —");
    let body = html! {
        form.filters method="get" action="/exchange-matrix/diff" {
            (picker("from", w("دور پیشین", "Earlier round"), choices, picked.0, none))
            (picker("to", w("دور پسین", "Later round"), choices, picked.1, none))
            button type="submit" { (w("مقایسه", "Compare")) }
        }
        @match outcome {
            Outcome::Ask => p.muted { (w("دو پروندهٔ احصا را برای مقایسه برگزینید.", "Choose two inventory cases to compare.")) },
            Outcome::Refused(_, detail) => (refusal(viewer, detail)),
            Outcome::Done(d) => (changes(locale, names, d)),
        }
    };
    page(
        viewer,
        w("مقایسهٔ دو دور احصا", "Compare two inventory rounds"),
        body,
    )
}
