//! The matrix in lists: one cell's needs and offers side by side with the data items they
//! share, the needs no offer meets (with the reason and where the data may be found), the
//! offers no need uses, and duplicate work. Every need and offer links to the submission
//! it comes from, when the reader may open it. On a phone these lists are the page.

use maud::{Markup, html};

use super::view::{MatrixView, Met, need_met};
use crate::reports::Reason;
use crate::reports::duplicates::{Duplicate, DuplicateKind};
use crate::reports::entries::{Consumers, NeedEntry, OfferEntry, Text};
use crate::reports::matrix::Cell;
use crate::reports::normalise::match_key;
use crate::web::format::number;
use crate::web::i18n::Locale;

/// A need's or offer's title, linked to its submission when the reader may open it.
fn entry(view: &MatrixView<'_>, reference: &str, title: &str) -> Markup {
    html! {
        @if let Some(href) = view.submission_href(reference) {
            a href=(href) { (title) }
        } @else {
            span { (title) }
        }
        " " bdi.code.muted { (reference) }
    }
}

fn agency(view: &MatrixView<'_>, code: &str) -> Markup {
    html! { span title=(code) { (view.name(code)) } }
}

fn met_chip(locale: Locale, met: Met) -> Markup {
    let (class, fa, en) = match met {
        Met::Full => ("chip m-full", "✓ برآورده", "✓ met"),
        Met::Partial => ("chip m-part", "◐ بخشی برآورده", "◐ partly met"),
        Met::LookupKeyOnly => (
            "chip m-none",
            "✕ تنها کلید استعلام مشترک",
            "✕ only a lookup key in common",
        ),
        Met::None => ("chip m-none", "✕ برآورده‌نشده", "✕ not met"),
    };
    html! { span class=(class) { (locale.pick(fa, en)) } }
}

/// Data items, the shared ones marked (by a symbol too, for whoever cannot see the colour);
/// an offer's item is marked when its name meets a shared one, however each is spelled.
fn items(names: &[Text], shared: &[Text]) -> Markup {
    let shared: Vec<String> = shared.iter().map(|s| match_key(s)).collect();
    html! {
        ul.items {
            @for name in names {
                @if shared.contains(&match_key(name)) {
                    li { mark { "✓ " (name) } }
                } @else {
                    li { (name) }
                }
            }
        }
    }
}

/// One cell opened: its needs beside the offers that meet them.
pub fn cell_detail(view: &MatrixView<'_>, locale: Locale, cell: &Cell) -> Markup {
    let shared: Vec<Text> = cell
        .matched
        .iter()
        .flat_map(|m| m.data_items.iter().cloned())
        .collect();
    let heading = match locale {
        Locale::Fa => format!(
            "نیازهای {} از {}",
            view.name(&cell.consumer),
            view.name(&cell.provider)
        ),
        Locale::En => format!(
            "{}'s needs from {}",
            view.name(&cell.consumer),
            view.name(&cell.provider)
        ),
    };
    html! {
        section.panel.cell-detail #cell aria-labelledby="cell-heading" {
            h2 #cell-heading { (heading) }
            div.side-by-side {
                div {
                    h3 { (locale.pick("نیازها", "Needs")) }
                    @for need in &cell.needs {
                        (need_card(view, locale, need, cell, &shared))
                    }
                }
                div {
                    h3 { (locale.pick("عرضه‌های برآورنده", "Offers that meet them")) }
                    @if cell.offers.is_empty() {
                        p.muted { (locale.pick("هیچ عرضه‌ای این نیازها را برآورده نمی‌کند.", "No offer meets these needs.")) }
                    }
                    @for offer in &cell.offers {
                        article.entry {
                            h4 { (entry(view, &offer.reference, &offer.title)) }
                            (items(&offer.data_items, &shared))
                        }
                    }
                }
            }
            p { a href={ "/cases/" (view.document.case) "/matrix" } { (locale.pick("بستن و بازگشت به جدول", "Close and back to the matrix")) } }
        }
    }
}

fn need_card(
    view: &MatrixView<'_>,
    locale: Locale,
    need: &NeedEntry,
    cell: &Cell,
    shared: &[Text],
) -> Markup {
    let matches = cell.matched.iter().filter(|m| m.need == need.reference);
    let unmatched = &view.document.matrix.unmatched_needs;
    let title = |offer: &'_ str| {
        view.offer(offer)
            .map_or(offer.to_string(), |o| o.title.to_string())
    };
    let separator = locale.pick("، ", ", ");
    html! {
        article.entry {
            h4 { (entry(view, &need.reference, &need.title)) }
            p { (met_chip(locale, need_met(need, &cell.matched, unmatched))) (super::confirmation::need_badge(locale, cell, &need.reference)) }
            (items(&need.data_items, shared))
            @for m in matches {
                p.muted {
                    (locale.pick("برآورده با: ", "Met by: ")) (title(&m.offer))
                    @if !m.missing_items.is_empty() {
                        " · " (locale.pick("بدون: ", "lacking: ")) (m.missing_items.join(separator))
                    }
                }
            }
        }
    }
}

fn reason_text(locale: Locale, reason: Reason) -> &'static str {
    match reason {
        Reason::ProviderUnknown => {
            locale.pick("دارندهٔ داده معلوم نیست", "the provider is not known")
        }
        Reason::ProviderHasNoAcceptedInventory => locale.pick(
            "دارندهٔ نام‌برده هنوز فهرست پذیرفته‌شده‌ای ندارد",
            "the named provider has no accepted inventory yet",
        ),
        Reason::NotOfferedToConsumer => locale.pick(
            "دارنده این داده را عرضه می‌کند، ولی نه به این دستگاه",
            "the provider offers this data, but not to this agency",
        ),
        Reason::LookupKeyOnly => locale.pick(
            "عرضه‌های دارنده تنها در کلید استعلام با این نیاز مشترک‌اند، نه در اقلام داده",
            "the provider's offers share only a lookup key with it, no data item",
        ),
        Reason::NoMatchingOffer => locale.pick(
            "در عرضه‌های دارنده این داده نیست",
            "none of the provider's offers carries this data",
        ),
    }
}

/// The needs no offer meets.
pub fn unmatched(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let list = &view.document.matrix.unmatched_needs;
    html! {
        section.matrix-list aria-labelledby="unmatched" {
            h2 #unmatched { (locale.pick("نیازهای برآورده‌نشده", "Needs not met")) " (" (number(locale, list.len())) ")" }
            @if list.is_empty() { p.muted { (locale.pick("همهٔ نیازها برآورده است.", "Every need is met.")) } }
            ul.entries {
                @for u in list {
                    li {
                        (entry(view, &u.need.reference, &u.need.title))
                        p {
                            (agency(view, &u.need.agency)) (locale.pick(" از ", " from "))
                            @if u.need.provider_agency == crate::reports::entries::UNKNOWN_PROVIDER {
                                (locale.pick("دارنده‌ای نامعلوم", "an unknown provider"))
                            } @else {
                                (agency(view, &u.need.provider_agency))
                            }
                            " · " span.chip.m-none { "✕ " (reason_text(locale, u.reason)) }
                            (super::confirmation::badge(locale, u.confirmation.as_deref()))
                        }
                        @if !u.offers.is_empty() {
                            p {
                                (locale.pick("هم‌کلید با: ", "Same lookup key as: "))
                                @for (n, reference) in u.offers.iter().enumerate() {
                                    @if n > 0 { (locale.pick("، ", ", ")) }
                                    @let title = view.offer(reference).map_or(reference.as_str(), |o| o.title.as_str());
                                    (entry(view, reference, title))
                                }
                            }
                        }
                        @if !u.candidates.is_empty() {
                            p {
                                (locale.pick("شاید نزد: ", "Perhaps held by: "))
                                @for (n, reference) in u.candidates.iter().enumerate() {
                                    @if n > 0 { (locale.pick("، ", ", ")) }
                                    @let holder = reference.split('/').next().unwrap_or_default();
                                    @let title = view.offer(reference).map_or(reference.as_str(), |o| o.title.as_str());
                                    (agency(view, holder)) ": " (entry(view, reference, title))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn consumers_text(view: &MatrixView<'_>, locale: Locale, offer: &OfferEntry) -> String {
    match &offer.consumer_agencies {
        Consumers::Any(_) => locale
            .pick(
                "هر دستگاه دارای مجوز قانونی",
                "any agency with a legal basis",
            )
            .to_string(),
        Consumers::Listed(codes) => codes
            .iter()
            .map(|c| view.name(c))
            .collect::<Vec<_>>()
            .join(locale.pick("، ", ", ")),
    }
}

/// The offers no need uses.
pub fn unused(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let list = &view.document.matrix.unused_offers;
    html! {
        section.matrix-list aria-labelledby="unused" {
            h2 #unused { (locale.pick("عرضه‌های بی‌متقاضی", "Offers no need uses")) " (" (number(locale, list.len())) ")" }
            ul.entries {
                @for offer in list {
                    li {
                        (entry(view, &offer.reference, &offer.title))
                        p {
                            (agency(view, &offer.agency))
                            " · " (locale.pick("برای: ", "for: ")) (consumers_text(view, locale, offer))
                        }
                    }
                }
            }
        }
    }
}

fn duplicate_title(view: &MatrixView<'_>, locale: Locale, duplicate: &Duplicate) -> String {
    match (duplicate.kind, duplicate.provider.as_deref()) {
        (DuplicateKind::Need, Some(provider)) => match locale {
            Locale::Fa => format!("نیاز یکسان از {}", view.name(provider)),
            Locale::En => format!("The same need from {}", view.name(provider)),
        },
        (DuplicateKind::Need, None) => locale.pick("نیاز یکسان", "The same need").to_string(),
        (DuplicateKind::Offer, _) => locale
            .pick(
                "دادهٔ یکسان نزد چند دارنده",
                "The same data offered by several providers",
            )
            .to_string(),
    }
}

/// Duplicate work: the same need from several agencies, the same data from several.
pub fn duplicates(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let list = &view.document.matrix.duplicates;
    html! {
        section.matrix-list aria-labelledby="duplicates" {
            h2 #duplicates { (locale.pick("موازی‌کاری", "Duplicate work")) " (" (number(locale, list.len())) ")" }
            ul.entries {
                @for duplicate in list {
                    li {
                        strong { (duplicate_title(view, locale, duplicate)) }
                        p { (locale.pick("اقلام مشترک: ", "Shared items: ")) (duplicate.data_items.join(locale.pick("، ", ", "))) }
                        ul {
                            @for reference in &duplicate.entries {
                                @let holder = reference.split('/').next().unwrap_or_default();
                                @let title = match duplicate.kind {
                                    DuplicateKind::Need => view.need(reference).map(|n| n.title.as_str()),
                                    DuplicateKind::Offer => view.offer(reference).map(|o| o.title.as_str()),
                                };
                                li { (agency(view, holder)) ": " (entry(view, reference, title.unwrap_or(reference))) }
                            }
                        }
                    }
                }
            }
        }
    }
}
