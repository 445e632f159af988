//! Fields that hold one value: text, numbers, dates, agencies, enums, booleans.

use maud::{Markup, html};
use serde_json::Value;

use super::super::schema::{Choice, Field, Kind, form_value};
use super::super::text::{self, Locale};
use super::{Place, Renderer};

/// Enums with at most this many values are radios; longer ones a select.
const MAX_RADIOS: usize = 4;

/// A stored value as the text of an input.
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(other) => form_value(other),
    }
}

/// `1405-09-30` as people write it: ۱۴۰۵/۰۹/۳۰ (or 1405/09/30 in English).
fn date_shown(value: Option<&Value>, lang: Locale) -> String {
    let raw = shown(value);
    let b = raw.as_bytes();
    let stored_shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if stored_shape {
        text::digits(&raw.replace('-', "/"), lang)
    } else {
        raw
    }
}

impl<'s> Renderer<'_, 's> {
    /// A labelled single-value field with its help and errors.
    pub(super) fn scalar(
        &self,
        field: &Field<'s>,
        at: &Place,
        value: Option<&Value>,
        required: bool,
    ) -> Markup {
        match &field.kind {
            Kind::Boolean => return self.checkbox(field, at, value, required),
            Kind::Choice(choices) if choices.len() <= MAX_RADIOS => {
                return self.radios(field, choices, at, value, required);
            }
            _ => {}
        }
        let id = at.id();
        let errors = self.take_errors(at, &id);
        let lang = self.lang();
        let hint = match field.kind {
            Kind::Date => Some(text::DATE_HINT.get(lang)),
            Kind::Agency(_) => Some(text::AGENCY_HINT.get(lang)),
            _ => None,
        };
        let help = field.help(self.ctx.locale).or(hint);
        let shown_field = Field {
            description: help,
            help_fa: None,
            ..field.clone()
        };
        let described = self.described_by(&id, &shown_field, &errors);
        html! {
            div.field.has-error[!errors.is_empty()] {
                label for=(id) { (self.label(field, at, required, false)) }
                (self.help(&id, help))
                (self.messages(&id, &errors))
                (self.control(field, at, &id, value, required, described, !errors.is_empty()))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn control(
        &self,
        field: &Field<'s>,
        at: &Place,
        id: &str,
        value: Option<&Value>,
        required: bool,
        described: Option<String>,
        invalid: bool,
    ) -> Markup {
        let name = &at.pointer;
        let invalid = invalid.then_some("true");
        let needed = required.then_some("true");
        let lang = self.lang();
        match &field.kind {
            Kind::Text {
                multiline: true, ..
            } => html! {
                textarea id=(id) name=(name) rows="4" dir="auto" aria-describedby=[described]
                    aria-invalid=[invalid] aria-required=[needed] { (shown(value)) }
            },
            Kind::Choice(choices) => {
                let current = value.map(form_value);
                let listed = choices.iter().any(|c| Some(form_value(c.value)) == current);
                html! {
                    select id=(id) name=(name) aria-describedby=[described]
                        aria-invalid=[invalid] aria-required=[needed] {
                        option value="" { (text::NOT_CHOSEN.get(lang)) }
                        @for choice in choices {
                            @let v = form_value(choice.value);
                            option value=(v) selected[current.as_ref() == Some(&v)] { (choice.title) }
                        }
                        @if let (Some(current), false) = (&current, listed) {
                            option value=(current) selected { (current) " " (text::UNLISTED.get(lang)) }
                        }
                    }
                }
            }
            Kind::Agency(consts) => {
                let list = self.agency_list(consts);
                let code = shown(value);
                let name_of = self.ctx.agencies.iter().find(|a| a.code == code);
                html! {
                    input type="text" id=(id) name=(name) value=(code) list=(list) dir="ltr"
                        autocomplete="off" spellcheck="false" aria-describedby=[described]
                        aria-invalid=[invalid] aria-required=[needed];
                    @if let Some(agency) = name_of {
                        " " span.agency-name { (agency.name) }
                    }
                }
            }
            Kind::Date => html! {
                input type="text" id=(id) name=(name) value=(date_shown(value, lang)) dir="ltr"
                    inputmode="numeric" placeholder=(text::digits("1405/09/30", lang))
                    autocomplete="off" aria-describedby=[described]
                    aria-invalid=[invalid] aria-required=[needed];
            },
            Kind::Integer | Kind::Number => html! {
                input type="text" id=(id) name=(name) value=(shown(value)) dir="ltr"
                    inputmode=(if matches!(field.kind, Kind::Integer) { "numeric" } else { "decimal" })
                    autocomplete="off" aria-describedby=[described]
                    aria-invalid=[invalid] aria-required=[needed];
            },
            Kind::Text { ltr, .. } => {
                // `x-suggest`: a page that answers what was typed with a `<datalist>` (the
                // catalogue of data items), swapped in by htmx while typing.
                let suggest = field.node["x-suggest"]
                    .as_str()
                    .filter(|u| u.starts_with('/'));
                let list = suggest.map(|_| format!("{id}-suggestions"));
                let url = suggest
                    .zip(list.as_ref())
                    .map(|(u, l)| format!("{u}?list={l}"));
                html! {
                    input type="text" id=(id) name=(name) value=(shown(value))
                        dir=(if *ltr { "ltr" } else { "auto" })
                        inputmode=[text_inputmode(field.node)]
                        list=[list.as_ref()] hx-get=[url] autocomplete=[list.as_ref().map(|_| "off")]
                        hx-trigger=[list.as_ref().map(|_| "input changed delay:300ms")]
                        hx-target=[list.as_ref().map(|l| format!("#{l}"))] hx-swap=[list.as_ref().map(|_| "outerHTML")]
                        aria-describedby=[described]
                        aria-invalid=[invalid] aria-required=[needed];
                    @if let Some(list) = &list { datalist id=(list) {} }
                }
            }
            _ => html! {},
        }
    }

    /// An enum of a few values: a group of radios; the first radio carries the field's id.
    fn radios(
        &self,
        field: &Field<'s>,
        choices: &[Choice<'s>],
        at: &Place,
        value: Option<&Value>,
        required: bool,
    ) -> Markup {
        let id = at.id();
        let errors = self.take_errors(at, &id);
        let group = format!("{id}-group");
        let current = value.map(form_value);
        let listed = choices.iter().any(|c| Some(form_value(c.value)) == current);
        let mut options: Vec<(String, String)> = choices
            .iter()
            .map(|c| (form_value(c.value), c.title.clone()))
            .collect();
        if let (Some(current), false) = (&current, listed) {
            let unlisted = format!("{current} {}", text::UNLISTED.get(self.lang()));
            options.push((current.clone(), unlisted));
        }
        if !required {
            options.push((String::new(), text::NOT_CHOSEN.get(self.lang()).to_owned()));
        }
        let described = self.described_by(&group, field, &errors);
        let checked = |v: &str| current.as_deref().unwrap_or("") == v;
        html! {
            fieldset.field.radios.has-error[!errors.is_empty()] id=(group)
                aria-describedby=[described] aria-invalid=[(!errors.is_empty()).then_some("true")] {
                legend { (self.label(field, at, required, true)) }
                (self.help(&group, field.help(self.ctx.locale)))
                (self.messages(&group, &errors))
                @for (i, (v, title)) in options.iter().enumerate() {
                    @let radio_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    label.choice for=(radio_id) {
                        input type="radio" id=(radio_id) name=(at.pointer) value=(v) checked[checked(v)];
                        " " (title)
                    }
                }
            }
        }
    }

    /// A checkbox; a hidden field before it posts the value meant by "unchecked" (false,
    /// or nothing for an optional field that had no value), since browsers post nothing
    /// for an unchecked box.
    fn checkbox(
        &self,
        field: &Field<'s>,
        at: &Place,
        value: Option<&Value>,
        required: bool,
    ) -> Markup {
        let id = at.id();
        let errors = self.take_errors(at, &id);
        let unchecked = if required || value.is_some() {
            "false"
        } else {
            ""
        };
        let described = self.described_by(&id, field, &errors);
        html! {
            div.field.check.has-error[!errors.is_empty()] {
                input type="hidden" name=(at.pointer) value=(unchecked);
                input type="checkbox" id=(id) name=(at.pointer) value="true"
                    checked[value == Some(&Value::Bool(true))] aria-describedby=[described]
                    aria-invalid=[(!errors.is_empty()).then_some("true")];
                " "
                label for=(id) { (self.label(field, at, false, false)) }
                (self.help(&id, field.help(self.ctx.locale)))
                (self.messages(&id, &errors))
            }
        }
    }
}

fn text_inputmode(node: &Value) -> Option<&'static str> {
    match node.get("format").and_then(Value::as_str) {
        Some("email") => Some("email"),
        Some("uri") => Some("url"),
        _ => None,
    }
}
