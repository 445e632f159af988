//! One value of a submission as people read it: an enum value by its label, an agency by
//! its name with the code beside it, a Jalali date as «۳۰ آذر ۱۴۰۵», yes/no for booleans,
//! numbers in the reader's digits; codes, addresses and other left-to-right text inside
//! `<bdi>` so it does not scramble a right-to-left line.

use std::collections::BTreeMap;

use maud::{Markup, html};
use serde_json::Value;

use super::schema::{Field, Kind, Schema};
use crate::calendar::JalaliDate;
use crate::web::format::{digits, jalali_text};
use crate::web::i18n::Locale;

/// What every value of one document is read with.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub schema: Schema<'a>,
    /// Agency code → name in the reader's language.
    pub agencies: &'a BTreeMap<String, String>,
    pub locale: Locale,
    /// Inside an added or removed part: its heading carries the mark, so what is in it is
    /// shown plainly instead of marking every value again.
    pub quiet: bool,
}

impl Reading<'_> {
    /// The reading of what is inside a node that `change` marks.
    pub fn within(&self, change: super::diff::Change) -> Self {
        use super::diff::Change;
        let mut inner = *self;
        inner.quiet |= matches!(change, Change::Added | Change::Removed);
        inner
    }

    /// A number as the reader writes it: Persian digits in Persian.
    pub fn number(&self, text: &str) -> String {
        digits(self.locale, text)
    }

    pub fn text(&self, fa: &'static str, en: &'static str) -> &'static str {
        self.locale.pick(fa, en)
    }

    /// An agency by name, the code beside it; a code the registry does not know, alone.
    pub fn agency(&self, code: &str) -> Markup {
        match self.agencies.get(code) {
            Some(name) => html! { (name) " (" bdi { (code) } ")" },
            None => html! { bdi { (code) } },
        }
    }

    /// A scalar value. `field` is the schema that describes it, when there is one.
    pub fn scalar(&self, field: Option<Field<'_>>, value: &Value) -> Markup {
        let label = field.and_then(|f| self.schema.value_label(&f, value));
        let kind = field.map(|f| self.schema.for_value(f, value).kind);
        if let Some(label) = label {
            return html! { (label) };
        }
        match value {
            Value::Null => html! { "—" },
            Value::Bool(true) => html! { (self.text("بله", "Yes")) },
            Value::Bool(false) => html! { (self.text("خیر", "No")) },
            Value::Number(n) => html! { (self.number(&n.to_string())) },
            Value::String(s) => self.string(kind.unwrap_or(Kind::Plain), field, s),
            // Only a value whose shape differs between two submissions gets here whole.
            Value::Array(_) | Value::Object(_) => html! { bdi { code { (value.to_string()) } } },
        }
    }

    fn string(&self, kind: Kind, field: Option<Field<'_>>, text: &str) -> Markup {
        match kind {
            Kind::Agency => return self.agency(text),
            Kind::JalaliDate => {
                if let Ok(date) = text.parse::<JalaliDate>() {
                    let gregorian = date.to_gregorian().to_string();
                    return html! {
                        time datetime=(gregorian) title=(gregorian) {
                            (jalali_text(self.locale, date))
                        }
                    };
                }
            }
            Kind::Plain => {}
        }
        let enumerated = field.is_some_and(|f| f.node.get("enum").is_some());
        if enumerated || !has_rtl_letters(text) {
            html! { bdi { (text) } }
        } else {
            html! { (text) }
        }
    }
}

/// Whether `text` has a letter of a right-to-left script (Arabic, Persian, Hebrew). Text
/// without one (codes, phone numbers, e-mail addresses, URLs) is isolated in `<bdi>`.
fn has_rtl_letters(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
}
