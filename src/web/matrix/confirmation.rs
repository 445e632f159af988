//! The providers' answers in the matrix page: a badge on each need a provider has confirmed
//! (✓ confirmed, ◐ with conditions, ✕ declined — a symbol and a word besides the colour),
//! and, once any answer is accepted, a legend with the totals. Pure.

use maud::{Markup, html};

use crate::reports::confirmations::{Confirmation, ConfirmationState, cell_confirmations};
use crate::reports::matrix::{Cell, ExchangeMatrix};
use crate::web::format::{digits, number};
use crate::web::i18n::Locale;

fn label(locale: Locale, state: ConfirmationState) -> (&'static str, &'static str, &'static str) {
    match state {
        ConfirmationState::Confirmed => (
            "ok",
            "✓",
            locale.pick("تأییدشده از سوی دارنده", "confirmed by the provider"),
        ),
        ConfirmationState::Conditional => (
            "warn",
            "◐",
            locale.pick("تأیید مشروط", "confirmed with conditions"),
        ),
        ConfirmationState::Declined => (
            "danger",
            "✕",
            locale.pick("ردشده از سوی دارنده", "declined by the provider"),
        ),
    }
}

/// The badge of one answer (nothing when the need has none).
pub fn badge(locale: Locale, confirmation: Option<&Confirmation>) -> Markup {
    let Some(confirmation) = confirmation else {
        return html! {};
    };
    let (class, symbol, text) = label(locale, confirmation.state);
    html! {
        " " span class={ "badge confirmation " (class) } { (symbol) " " (text) }
        @if let Some(conditions) = &confirmation.conditions {
            " " span.muted { "(" (conditions) ")" }
        }
        @if let Some(from) = &confirmation.available_from {
            " " span.muted { (locale.pick("از ", "from ")) (digits(locale, &from.replace('-', "/"))) }
        }
    }
}

/// The badge of a need in a cell (its answer rides on its matched entries).
pub fn need_badge(locale: Locale, cell: &Cell, need: &str) -> Markup {
    let confirmation = cell
        .matched
        .iter()
        .find(|m| m.need == need)
        .and_then(|m| m.confirmation.as_deref());
    badge(locale, confirmation)
}

/// The answers' legend with their totals; nothing before any answer is accepted.
pub fn legend(locale: Locale, matrix: &ExchangeMatrix) -> Markup {
    let cells = cell_confirmations(matrix);
    if cells.is_empty() {
        return html! {};
    }
    let total = |f: fn(&crate::reports::confirmations::CellConfirmations) -> usize| {
        cells.iter().map(f).sum::<usize>()
    };
    let rows = [
        (ConfirmationState::Confirmed, total(|c| c.confirmed)),
        (ConfirmationState::Conditional, total(|c| c.conditional)),
        (ConfirmationState::Declined, total(|c| c.declined)),
    ];
    html! {
        div.confirmation-legend {
            h2 { (locale.pick("پاسخ دستگاه‌های ارائه‌دهنده", "The providers' answers")) }
            ul {
                @for (state, count) in rows {
                    @let (class, symbol, text) = label(locale, state);
                    li { span class={ "badge " (class) } { (symbol) } " " (text) ": " (number(locale, count)) }
                }
            }
        }
    }
}
