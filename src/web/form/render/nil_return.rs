//! The choice at the top of a form that admits a nil return (forms.md): declare items in
//! the lists, or «موردی برای اعلام ندارد» with its reason. Both parts are on the page; the
//! stylesheet hides the one not chosen (`.form-root:has(#answer-nothing:checked)`), so the
//! choice works without script, and the parser reads only the chosen part.

use maud::{Markup, html};
use serde_json::Value;

use super::super::schema::{ANSWER_FIELD, Field};
use super::super::text;
use super::{Place, Renderer};
use crate::forms::NOTHING_TO_DECLARE;

impl<'s> Renderer<'_, 's> {
    /// The answer's choice, the nil return's fields, then `lists` (the form's other fields).
    pub(super) fn answer(
        &self,
        form: &Field<'s>,
        at: &Place,
        value: Option<&Value>,
        lists: Markup,
    ) -> Markup {
        let Some(schema) = form.node["properties"].get(NOTHING_TO_DECLARE) else {
            return lists;
        };
        let field = Field::read(self.root, schema);
        let place = at.child(
            NOTHING_TO_DECLARE,
            field.title.unwrap_or(NOTHING_TO_DECLARE),
        );
        let nil = value.and_then(|v| v.get(NOTHING_TO_DECLARE));
        let lang = self.lang();
        html! {
            fieldset.answer {
                legend { (text::ANSWER.get(lang)) }
                div.choices {
                    label.choice for="answer-lists" {
                        input type="radio" id="answer-lists" name=(ANSWER_FIELD) value="lists" checked[nil.is_none()];
                        " " (text::ANSWER_LISTS.get(lang))
                    }
                    label.choice for="answer-nothing" {
                        input type="radio" id="answer-nothing" name=(ANSWER_FIELD) value=(NOTHING_TO_DECLARE) checked[nil.is_some()];
                        " " (text::ANSWER_NOTHING.get(lang))
                    }
                }
            }
            div.answer-nothing { (self.field(&field, &place, nil, true)) }
            div.answer-lists { (lists) }
        }
    }
}
