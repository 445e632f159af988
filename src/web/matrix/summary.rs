//! The matrix summed up above its lists: how many needs are met in full, in part, by a
//! shared lookup key only (unmet) or not at all; and the conflicts of authoritative masters
//! — one data item claimed as the master copy by several providers.

use maud::{Markup, html};

use super::view::MatrixView;
use crate::web::format::number;
use crate::web::i18n::Locale;

/// The totals, each with its word: never a colour alone.
pub fn totals(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let t = view.document.matrix.totals;
    let rows = [
        (
            "m-full",
            "✓",
            locale.pick("برآورده به‌تمامی", "met in full"),
            t.full,
        ),
        (
            "m-part",
            "◐",
            locale.pick("بخشی برآورده", "met in part"),
            t.partial,
        ),
        (
            "m-none",
            "✕",
            locale.pick("تنها کلید استعلام مشترک", "a lookup key only"),
            t.lookup_key_only,
        ),
        ("m-none", "✕", locale.pick("برآورده‌نشده", "not met"), t.none),
    ];
    html! {
        section.matrix-totals aria-labelledby="totals" {
            h2 #totals { (locale.pick("نیازها", "Needs")) " (" (number(locale, t.needs())) ")" }
            ul {
                @for (class, symbol, text, count) in rows {
                    li { span class={ "chip " (class) } { (symbol) " " (text) ": " (number(locale, count)) } }
                }
            }
        }
    }
}

/// Data items that two or more providers each hold as the master copy.
pub fn conflicts(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let list = &view.document.matrix.conflicts;
    html! {
        section.matrix-list aria-labelledby="conflicts" {
            h2 #conflicts { (locale.pick("چند مرجع اصلی برای یک داده", "One item, several masters")) " (" (number(locale, list.len())) ")" }
            @if list.is_empty() {
                p.muted { (locale.pick("هیچ داده‌ای بیش از یک مرجع اصلی ندارد.", "No data item has more than one master.")) }
            }
            ul.entries {
                @for conflict in list {
                    li {
                        strong { (conflict.item) }
                        p {
                            (locale.pick("مرجع اصلی به گفتهٔ: ", "Master according to: "))
                            @for (n, code) in conflict.providers.iter().enumerate() {
                                @if n > 0 { (locale.pick("، ", ", ")) }
                                span title=(code) { (view.name(code)) }
                            }
                        }
                        ul {
                            @for reference in &conflict.offers {
                                @let title = view.offer(reference).map_or(reference.as_str(), |o| o.title.as_str());
                                li {
                                    @if let Some(href) = view.submission_href(reference) {
                                        a href=(href) { (title) }
                                    } @else {
                                        span { (title) }
                                    }
                                    " " bdi.code.muted { (reference) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
