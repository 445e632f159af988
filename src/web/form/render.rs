//! The walk over schema and data that writes the form's markup.
//!
//! Every field has an id derived from its JSON Pointer ([`field_id`]), so an error's
//! `instance_path` finds its field, and the summary at the top links to it. An error
//! whose path names nothing on the page (an unknown property, say) is shown at the top
//! and linked to the nearest enclosing field.

mod arrays;
mod nil_return;
mod widgets;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use maud::{Markup, html};
use serde_json::Value;

use super::schema::{Choice, Field, Kind, escape, field_id, form_value};
use super::text::{self, Locale};
use super::{FieldError, FormContext};
use crate::forms::{NOTHING_TO_DECLARE, admits_nil_return};

/// Schemas that refer to themselves stop here instead of recursing forever.
const MAX_DEPTH: usize = 32;

/// The whole form body: error summary, fields, the agency lists they use.
pub fn render(schema: &Value, data: &Value, errors: &[FieldError], ctx: &FormContext) -> Markup {
    let renderer = Renderer::new(schema, errors, ctx);
    let root = Field::read(schema, schema);
    let at = Place {
        pointer: String::new(),
        crumbs: Vec::new(),
        depth: 0,
    };
    let body = renderer.object(&root, &at, Some(data), None, true);
    let summary = renderer.summary();
    let lists = renderer.datalists();
    html! { (summary) (body) (lists) }
}

/// Where in the document a field is: its pointer and the labels leading to it.
#[derive(Clone)]
pub(super) struct Place {
    pointer: String,
    crumbs: Vec<String>,
    depth: usize,
}

impl Place {
    fn child(&self, segment: &str, label: &str) -> Place {
        let mut crumbs = self.crumbs.clone();
        crumbs.push(label.to_owned());
        Place {
            pointer: format!("{}/{}", self.pointer, escape(segment)),
            crumbs,
            depth: self.depth + 1,
        }
    }

    /// Item `index` of this array: its label replaces the array's in the trail
    /// («اطلاعات مورد نیاز ۱ › رابط», not «اطلاعات مورد نیاز › اطلاعات مورد نیاز ۱ › رابط»).
    fn item(&self, index: usize, label: &str) -> Place {
        let mut place = self.child(&index.to_string(), label);
        if place.crumbs.len() >= 2 {
            place.crumbs.remove(place.crumbs.len() - 2);
        }
        place
    }

    fn id(&self) -> String {
        field_id(&self.pointer)
    }
}

/// One error as the summary lists it.
struct Shown {
    id: String,
    label: String,
    message: String,
}

pub(super) struct Renderer<'a, 's> {
    root: &'s Value,
    ctx: &'a FormContext<'a>,
    errors: BTreeMap<&'a str, Vec<&'a str>>,
    shown: RefCell<Vec<Shown>>,
    /// Pointers whose errors are already on the page, and every pointer with an id.
    placed: RefCell<BTreeSet<String>>,
    anchors: RefCell<BTreeSet<String>>,
    /// Agency lists to write once at the end: id → constants offered beside the agencies.
    lists: RefCell<BTreeMap<String, Vec<(String, String)>>>,
}

impl<'a, 's> Renderer<'a, 's> {
    fn new(root: &'s Value, errors: &'a [FieldError], ctx: &'a FormContext<'a>) -> Self {
        let mut by_pointer: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for error in errors {
            by_pointer
                .entry(error.pointer.as_str())
                .or_default()
                .push(error.message.as_str());
        }
        Renderer {
            root,
            ctx,
            errors: by_pointer,
            shown: RefCell::default(),
            placed: RefCell::default(),
            anchors: RefCell::default(),
            lists: RefCell::default(),
        }
    }

    pub fn lang(&self) -> Locale {
        self.ctx.locale
    }

    /// The errors at `at` (once: a second call for the same pointer gets none), recorded
    /// for the summary under the element id `id`.
    pub fn take_errors(&self, at: &Place, id: &str) -> Vec<&'a str> {
        self.anchors.borrow_mut().insert(at.pointer.clone());
        let Some(messages) = self.errors.get(at.pointer.as_str()) else {
            return Vec::new();
        };
        if !self.placed.borrow_mut().insert(at.pointer.clone()) {
            return Vec::new();
        }
        let label = at.crumbs.join(" › ");
        self.shown
            .borrow_mut()
            .extend(messages.iter().map(|message| Shown {
                id: id.to_owned(),
                label: label.clone(),
                message: (*message).to_owned(),
            }));
        messages.clone()
    }

    /// Any field, by its kind.
    pub fn field(
        &self,
        field: &Field<'s>,
        at: &Place,
        value: Option<&Value>,
        required: bool,
    ) -> Markup {
        if at.depth > MAX_DEPTH {
            return html! {};
        }
        match &field.kind {
            Kind::Object => self.object(field, at, value, Some(required), false),
            Kind::Array { items } => self.array(field, items, at, value, required, None),
            Kind::Alternative { consts, main } => {
                self.alternative(field, consts, main, at, value, required)
            }
            _ => self.scalar(field, at, value, required),
        }
    }

    /// A fieldset of the object's properties (the root is a plain `div`).
    fn object(
        &self,
        field: &Field<'s>,
        at: &Place,
        value: Option<&Value>,
        required: Option<bool>,
        root: bool,
    ) -> Markup {
        let id = at.id();
        let errors = self.take_errors(at, &id);
        // A nil return is chosen apart, at the top of the form ([`Renderer::answer`]).
        let nil_apart = root && admits_nil_return(field.node);
        let mut properties = field.properties();
        properties.retain(|(name, _)| !nil_apart || *name != NOTHING_TO_DECLARE);
        let children = html! {
            @for (name, schema) in properties {
                @let child = Field::read(self.root, schema);
                @let label = child.title.unwrap_or(name);
                @let place = at.child(name, label);
                (self.field(&child, &place, value.and_then(|v| v.get(name)), field.is_required(name)))
            }
        };
        if root {
            return html! {
                div.form-root id=(id) tabindex="-1" {
                    (self.messages(&id, &errors))
                    @if nil_apart { (self.answer(field, at, value, children)) } @else { (children) }
                }
            };
        }
        html! {
            fieldset.object id=(id) tabindex="-1" aria-describedby=[self.described_by(&id, field, &errors)] {
                legend { (self.label(field, at, required.unwrap_or(false), true)) }
                (self.help(&id, field.help(self.ctx.locale)))
                (self.messages(&id, &errors))
                (children)
            }
        }
    }

    /// Constants or one other schema: radios, then the other schema's fields.
    fn alternative(
        &self,
        field: &Field<'s>,
        consts: &[Choice<'s>],
        main: &'s Value,
        at: &Place,
        value: Option<&Value>,
        required: bool,
    ) -> Markup {
        let id = at.id();
        let errors = self.take_errors(at, &id);
        let chosen = value.and_then(|v| consts.iter().position(|c| c.value == v));
        let main_field = Field::read(self.root, main);
        let main_title = main_field
            .title
            .filter(|t| Some(*t) != field.title)
            .unwrap_or(text::OTHER.get(self.lang()));
        let name = format!("choice:{}", at.pointer);
        let main_value = if chosen.is_some() { None } else { value };
        html! {
            fieldset.alternative id=(id) tabindex="-1" aria-describedby=[self.described_by(&id, field, &errors)] {
                legend { (self.label(field, at, required, true)) }
                (self.help(&id, field.help(self.ctx.locale)))
                (self.messages(&id, &errors))
                div.choices {
                    @for (i, choice) in consts.iter().enumerate() {
                        @let radio = format!("{id}-c{i}");
                        label.choice for=(radio) {
                            input type="radio" id=(radio) name=(name) value=(format!("c{i}")) checked[chosen == Some(i)];
                            " " (choice.title)
                        }
                    }
                    label.choice for=(format!("{id}-main")) {
                        input type="radio" id=(format!("{id}-main")) name=(name) value="" checked[chosen.is_none()];
                        " " (main_title)
                    }
                }
                @match &main_field.kind {
                    Kind::Array { items } => (self.array(&main_field, items, at, main_value, required, Some(format!("{id}-list")))),
                    _ => (self.scalar(&main_field, at, main_value, required)),
                }
            }
        }
    }

    /// `Title *`. Where the control itself says it is required (`aria-required`) the
    /// star is only seen; on a group's legend it is also read out («(الزامی)»).
    pub fn label(&self, field: &Field<'_>, at: &Place, required: bool, spoken: bool) -> Markup {
        let fallback = at.crumbs.last().map_or("", String::as_str);
        html! {
            (field.title.unwrap_or(fallback))
            @if required {
                " " b.required aria-hidden="true" { "*" }
                @if spoken {
                    span.visually-hidden { " " (text::REQUIRED.get(self.lang())) }
                }
            }
        }
    }

    pub fn help(&self, id: &str, description: Option<&str>) -> Markup {
        html! {
            @if let Some(description) = description {
                p.help id=(format!("{id}-help")) dir="auto" { (description) }
            }
        }
    }

    pub fn messages(&self, id: &str, errors: &[&str]) -> Markup {
        html! {
            @if !errors.is_empty() {
                p.field-error id=(format!("{id}-error")) {
                    @for (i, message) in errors.iter().enumerate() {
                        @if i > 0 { br; }
                        (message)
                    }
                }
            }
        }
    }

    /// The ids of the help text and the error message of a field, if it has them.
    pub fn described_by(&self, id: &str, field: &Field<'_>, errors: &[&str]) -> Option<String> {
        let mut ids = Vec::new();
        if field.help(self.ctx.locale).is_some() {
            ids.push(format!("{id}-help"));
        }
        if !errors.is_empty() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    /// The error summary at the top: every error, linked to its field.
    fn summary(&self) -> Markup {
        let mut shown = self.shown.take();
        let placed = self.placed.borrow();
        let anchors = self.anchors.borrow();
        for (pointer, messages) in &self.errors {
            if placed.contains(*pointer) {
                continue;
            }
            let anchor = nearest(pointer, &anchors);
            shown.extend(messages.iter().map(|m| Shown {
                id: field_id(&anchor),
                label: (*pointer).to_owned(),
                message: (*m).to_owned(),
            }));
        }
        if shown.is_empty() {
            return html! {};
        }
        let lang = self.lang();
        html! {
            div.error-summary id="error-summary" role="alert" tabindex="-1" {
                h2 { (text::ERRORS_TITLE.get(lang)) " (" (text::digits(&shown.len().to_string(), lang)) ")" }
                ul {
                    @for item in &shown {
                        li {
                            a href=(format!("#{}", item.id)) {
                                @if !item.label.is_empty() { bdi { (item.label) } ": " }
                                (item.message)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The id of a `<datalist>` of the agencies plus `consts`, written once at the end.
    pub fn agency_list(&self, consts: &[Choice<'_>]) -> String {
        let values: Vec<(String, String)> = consts
            .iter()
            .map(|c| (form_value(c.value), c.title.clone()))
            .collect();
        let id = std::iter::once("agencies".to_owned())
            .chain(
                values
                    .iter()
                    .map(|(v, _)| field_id(&format!("/{v}"))[2..].to_owned()),
            )
            .collect::<Vec<_>>()
            .join("-");
        self.lists.borrow_mut().entry(id.clone()).or_insert(values);
        id
    }

    fn datalists(&self) -> Markup {
        let lists = self.lists.borrow();
        html! {
            @for (id, extra) in lists.iter() {
                datalist id=(id) {
                    @for (value, title) in extra {
                        option value=(value) label=(title) {}
                    }
                    @for agency in self.ctx.agencies {
                        option value=(agency.code) label=(agency.name) {}
                    }
                }
            }
        }
    }
}

/// The longest prefix of `pointer` that has an element on the page ("" always does).
fn nearest(pointer: &str, anchors: &BTreeSet<String>) -> String {
    let mut candidate = pointer;
    loop {
        if anchors.contains(candidate) || candidate.is_empty() {
            return candidate.to_owned();
        }
        candidate = candidate.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}
