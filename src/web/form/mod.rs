//! Forms from JSON Schema (draft 2020-12): one recursive renderer for every form, and its
//! inverse.
//!
//! - [`render`]: schema + data + errors → markup. Objects are fieldsets (the schema
//!   `title` as legend), arrays of objects repeatable groups whose add / remove / move
//!   buttons are plain submit buttons (`name="op" value="add:/needs"`, enhanced by htmx),
//!   enums (`oneOf: [{const, title}]`, forms.md) selects or radios, booleans checkboxes,
//!   `$defs/AgencyRef` a searchable list of the registered agencies, `$defs/JalaliDate` a
//!   text field for ۱۴۰۵/۰۹/۳۰. Every error sits next to the field its JSON Pointer names
//!   and is linked from a summary at the top.
//! - [`parse`]: the posted fields back to a JSON document. Field names are the JSON
//!   Pointers of the values (`/needs/0/title`); names that are not pointers carry the
//!   form's own state (`len:/needs`, `choice:/offers/0/consumer_agencies`, `op`, and
//!   `answer` where the form admits a nil return: `lists` or `nothing_to_declare`).
//! - [`violations_to_errors`]: the validator's violations as messages for people.
//!
//! Pure: no I/O, no engine, no rule of its own — whether a document is acceptable is the
//! validator's answer, reached through the engine like the API's.

mod messages;
mod ops;
mod parse;
mod render;
mod schema;
mod text;

#[cfg(test)]
mod tests;

pub use crate::web::i18n::Locale;
pub use messages::violations_to_errors;
pub use ops::{ArrayOp, apply_op, empty_document, oversized};
pub use parse::{Parsed, parse};
pub use render::render;
pub use schema::field_id;

/// A registered agency as the form offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyOption {
    pub code: String,
    pub name: String,
}

/// What a form needs besides its schema and data.
#[derive(Debug, Clone)]
pub struct FormContext<'a> {
    pub locale: Locale,
    pub agencies: &'a [AgencyOption],
    /// Where the form posts (the array buttons post there too, through htmx).
    pub action: &'a str,
}

/// A message for the field at `pointer` ("" is the whole form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub pointer: String,
    pub message: String,
}
