//! The secretariat's review of a submission (`/tasks/{id}/review`, [`page`]): the submission
//! as a readable document with what changed since the agency's previous submission marked
//! ([`document`]), built from a pure, schema-guided diff ([`diff`]).

pub mod diff;
pub mod document;
mod history;
pub mod page;
mod schema;
mod table;
mod value;

pub use document::{Document, render};
pub use schema::Schema;

#[cfg(test)]
mod tests;
