//! The consumer × provider grid and its legend. A cell shows a symbol and "met / needs"
//! as well as its colour (blue, orange, hatched vermilion: told apart with any colour
//! vision), and links to the same page with that cell opened. The grid scrolls inside its
//! own focusable region, its header row and column held in place.

use maud::{Markup, html};

use super::view::{CellCounts, CellState, MatrixView};
use crate::web::format::number;
use crate::web::i18n::Locale;

/// What each state means, with its swatch and symbol.
pub fn legend(locale: Locale) -> Markup {
    let entries = [
        (
            CellState::Matched,
            locale.pick(
                "همهٔ نیازها با عرضه‌های دارنده برآورده است",
                "every need is met by the provider's offers",
            ),
        ),
        (
            CellState::Partial,
            locale.pick(
                "برخی نیازها برآورده است، یا تنها بخشی از اقلام داده",
                "some needs are met, or only some of their data items",
            ),
        ),
        (
            CellState::Unmatched,
            locale.pick("هیچ نیازی برآورده نیست", "no need is met"),
        ),
    ];
    html! {
        div.matrix-legend {
            h2.visually-hidden { (locale.pick("راهنمای رنگ‌ها", "Legend")) }
            ul {
                @for (state, text) in entries {
                    li {
                        span class={ "swatch " (state.class()) } aria-hidden="true" { (state.symbol()) }
                        " " (text)
                    }
                }
            }
            p.muted {
                (locale.pick(
                    "در هر خانه: نیازهای برآورده (کامل یا بخشی) / همهٔ نیازهای دستگاه سطر از دستگاه ستون؛ «کلید n»: نیازهایی که عرضه‌های دارنده تنها در کلید استعلام با آن‌ها مشترک‌اند (برآورده‌نشده به شمار می‌آیند). خانه را باز کنید تا نیازها و عرضه‌ها را کنار هم ببینید.",
                    "In each cell: needs met (in full or in part) / all needs of the row's agency from the column's agency; “key n”: needs the provider's offers share only a lookup key with (counted as not met). Open a cell to see its needs and offers side by side.",
                ))
            }
        }
    }
}

/// The grid: consumers down the side, providers across the top.
pub fn grid(view: &MatrixView<'_>, locale: Locale) -> Markup {
    let axes = view.axes();
    let caption = locale.pick(
        "جدول تبادل: نیازمند (سطر) × دارندهٔ داده (ستون)",
        "Exchange matrix: consumer (row) × provider (column)",
    );
    html! {
        div.matrix-scroll role="region" aria-label=(caption) tabindex="0" {
            table.matrix {
                caption.visually-hidden { (caption) }
                thead {
                    tr {
                        th.corner scope="col" {
                            span { (locale.pick("نیازمند ↓", "Consumer ↓")) }
                            span { (locale.pick("دارنده ←", "Provider →")) }
                        }
                        @for provider in &axes {
                            th.provider scope="col" title=(hover(view, provider)) {
                                // The code first: a long name is cut short, the code never.
                                span { bdi.code { (provider) } " " (view.name(provider)) }
                            }
                        }
                    }
                }
                tbody {
                    @for consumer in &axes {
                        tr {
                            th scope="row" title=(hover(view, consumer)) {
                                (view.name(consumer)) " " bdi.code { (consumer) }
                            }
                            @for provider in &axes {
                                (cell(view, locale, consumer, provider))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An agency's name and code, for the header cells that may cut the name short.
fn hover(view: &MatrixView<'_>, code: &str) -> String {
    format!("{} ({code})", view.name(code))
}

fn cell(view: &MatrixView<'_>, locale: Locale, consumer: &str, provider: &str) -> Markup {
    let Some(found) = view.cell(consumer, provider) else {
        return html! { td {} };
    };
    let counts = CellCounts::of(found);
    let state = counts.state();
    let q = counts.0;
    let n = |count: usize| number(locale, count);
    let (met, needs) = (n(counts.met()), n(counts.needs()));
    let (c, p) = (view.name(consumer), view.name(provider));
    // The hover names both agencies; a screen reader hears the row's and column's headers
    // with the cell, so its hidden words only say what the counts mean.
    let (title, spoken) = match locale {
        Locale::Fa => (
            format!(
                "نیازهای {c} از {p}: {met} از {needs} برآورده ({} کامل، {} بخشی، {} تنها با کلید استعلام، {} برآورده‌نشده)",
                n(q.full),
                n(q.partial),
                n(q.lookup_key_only),
                n(q.none)
            ),
            format!(
                "{met} از {needs} نیاز برآورده: {} کامل، {} بخشی؛ {} تنها با کلید استعلام",
                n(q.full),
                n(q.partial),
                n(q.lookup_key_only)
            ),
        ),
        Locale::En => (
            format!(
                "{c}'s needs from {p}: {met} of {needs} met ({} in full, {} in part, {} by a lookup key only, {} not met)",
                n(q.full),
                n(q.partial),
                n(q.lookup_key_only),
                n(q.none)
            ),
            format!(
                "{met} of {needs} needs met: {} in full, {} in part; {} by a lookup key only",
                n(q.full),
                n(q.partial),
                n(q.lookup_key_only)
            ),
        ),
    };
    // Relative to the matrix page itself: the same page with this cell opened.
    let href = format!("?consumer={consumer}&provider={provider}#cell");
    html! {
        td class=(state.class()) {
            a href=(href) title=(title) {
                (state.symbol()) " " (met) "/" (needs)
                @if q.lookup_key_only > 0 {
                    span.key-only aria-hidden="true" { " " (locale.pick("کلید", "key")) " " (n(q.lookup_key_only)) }
                }
                span.visually-hidden { " (" (spoken) ")" }
            }
        }
    }
}
