//! The secretariat's cases: the list with its filters, opening a case, the case page with the
//! live status board, cancelling a case and reassigning a task within an agency.

pub mod new;
