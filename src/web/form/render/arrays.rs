//! Arrays: repeatable groups with add / remove / move buttons, and enums picked as
//! checkboxes. The buttons are submit buttons (`name="op"`), so they work without
//! JavaScript; htmx swaps only the array's own fieldset when it is there.

use maud::{Markup, html};
use serde_json::Value;

use super::super::schema::{Choice, Field, Kind, field_id, form_value};
use super::super::text;
use super::{Place, Renderer};

impl<'s> Renderer<'_, 's> {
    /// `id` replaces the array's own id when another element already has it.
    pub(super) fn array(
        &self,
        field: &Field<'s>,
        items: &'s Value,
        at: &Place,
        value: Option<&Value>,
        required: bool,
        id: Option<String>,
    ) -> Markup {
        let id = id.unwrap_or_else(|| at.id());
        let errors = self.take_errors(at, &id);
        let item_field = Field::read(self.root, items);
        let values: &[Value] = value.and_then(Value::as_array).map_or(&[], Vec::as_slice);
        let described = self.described_by(&id, field, &errors);
        // "" when the document has no such list, so that posting it back adds none.
        let len = value.map(|_| values.len().to_string()).unwrap_or_default();
        let len_field = html! {
            input type="hidden" name=(format!("len:{}", at.pointer)) value=(len);
        };
        if let Kind::Choice(choices) = &item_field.kind {
            return html! {
                fieldset.field.checks.has-error[!errors.is_empty()] id=(id) tabindex="-1" aria-describedby=[described] {
                    legend { (self.label(field, at, required, true)) }
                    (self.help(&id, field.help(self.ctx.locale)))
                    (self.messages(&id, &errors))
                    (len_field)
                    (self.check_options(choices, &item_field, at, &id, values))
                }
            };
        }
        let lang = self.lang();
        let item_title = item_field
            .title
            .or(field.title)
            .unwrap_or_default()
            .to_owned();
        let max = field.number("maxItems").map_or(usize::MAX, |n| n as usize);
        let min = field.number("minItems").unwrap_or(0) as usize;
        // The buttons' htmx request swaps this fieldset for its new version (the
        // attributes are inherited by the buttons inside, the nearest array's winning).
        let select = format!("#{id}");
        // An item's own description is said once, for the list, not in every item.
        let help = field
            .help(self.ctx.locale)
            .or(item_field.help(self.ctx.locale));
        let described = self.described_by(
            &id,
            &Field {
                description: help,
                help_fa: None,
                ..field.clone()
            },
            &errors,
        );
        html! {
            fieldset.array.has-error[!errors.is_empty()] id=(id) tabindex="-1" aria-describedby=[described]
                hx-target="this" hx-select=(select) hx-swap="outerHTML" {
                legend { (self.label(field, at, required, true)) }
                (self.help(&id, help))
                (self.messages(&id, &errors))
                (len_field)
                @if values.is_empty() {
                    p.empty { (text::NO_ITEMS.get(lang)) }
                }
                div.items {
                    @for (i, item) in values.iter().enumerate() {
                        @let label = format!("{item_title} {}", text::digits(&(i + 1).to_string(), lang));
                        @let place = at.item(i, &label);
                        @let untitled = Field { title: None, description: None, help_fa: None, ..item_field.clone() };
                        div.item {
                            (self.field(&untitled, &place, Some(item), false))
                            div.item-ops {
                                @if i > 0 {
                                    (self.op_button("up", &place.pointer, text::UP.get(lang), &label))
                                }
                                @if i + 1 < values.len() {
                                    (self.op_button("down", &place.pointer, text::DOWN.get(lang), &label))
                                }
                                @if values.len() > min {
                                    (self.op_button("remove", &place.pointer, text::REMOVE.get(lang), &label))
                                }
                            }
                        }
                    }
                }
                @if values.len() < max {
                    (self.add_button(&at.pointer, &item_title))
                } @else {
                    p.help { (text::AT_MOST.get(lang)) " " (text::digits(&max.to_string(), lang)) }
                }
            }
        }
    }

    /// A submit button that edits an array; `label` says which item for screen readers.
    /// The form has `novalidate`, so saving half a form never stops at a browser check.
    fn op_button(&self, op: &str, pointer: &str, verb: &str, label: &str) -> Markup {
        html! {
            button.op.secondary name="op" value=(format!("{op}:{pointer}")) hx-post=(self.ctx.action)
                aria-label=(format!("{verb}: {label}")) {
                (verb)
            }
        }
    }

    /// «+ افزودن اطلاعات مورد نیاز»: the button names what it adds.
    fn add_button(&self, pointer: &str, item_title: &str) -> Markup {
        let verb = text::ADD.get(self.lang());
        html! {
            button.op.add.secondary name="op" value=(format!("add:{pointer}")) hx-post=(self.ctx.action) {
                "+ " (verb) " " (item_title)
            }
        }
    }

    /// One checkbox per allowed value. A checked box is named by its index in the data
    /// (`/lookup_keys/1`), so the data's order survives and an error at that index lands
    /// on it; an unchecked one by `/lookup_keys/-` (appended when checked). Values the
    /// schema does not list stay, checked, so that nothing is lost.
    fn check_options(
        &self,
        choices: &[Choice<'s>],
        item_field: &Field<'s>,
        at: &Place,
        id: &str,
        values: &[Value],
    ) -> Markup {
        let lang = self.lang();
        let mut boxes: Vec<(Option<usize>, String, String)> = choices
            .iter()
            .map(|c| {
                let index = values.iter().position(|v| v == c.value);
                (index, form_value(c.value), c.title.clone())
            })
            .collect();
        for (i, v) in values.iter().enumerate() {
            if !choices.iter().any(|c| c.value == v) {
                let unlisted = format!("{} {}", form_value(v), text::UNLISTED.get(lang));
                boxes.push((Some(i), form_value(v), unlisted));
            }
        }
        let item_title = item_field.title.unwrap_or_default();
        html! {
            div.choices {
                @for (k, (index, value, title)) in boxes.iter().enumerate() {
                    @let (name, box_id, errors) = match index {
                        Some(i) => {
                            let place = at.child(&i.to_string(), item_title);
                            let box_id = field_id(&place.pointer);
                            let errors = self.take_errors(&place, &box_id);
                            (place.pointer, box_id, errors)
                        }
                        None => (format!("{}/-", at.pointer), format!("{id}-o{k}"), Vec::new()),
                    };
                    label.choice.has-error[!errors.is_empty()] for=(box_id) {
                        input type="checkbox" id=(box_id) name=(name) value=(value) checked[index.is_some()]
                            aria-invalid=[(!errors.is_empty()).then_some("true")];
                        " " (title)
                    }
                    (self.messages(&box_id, &errors))
                }
            }
        }
    }
}
