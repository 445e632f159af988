//! The people's pages (ui.md): server-rendered HTML, enhanced by htmx.
//!
//! [`form`] renders any form from its JSON Schema and reads the posted form back.

pub mod form;
