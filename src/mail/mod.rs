//! E-mail composition: everything that asks a person to act, or tells them a result, becomes
//! an e-mail — addressed by rule ([`recipients`]) and rendered in the recipient's language
//! ([`templates`], [`wording`]). Pure: events, state and members in, rendered mail out. The
//! engine queues what this composes in the outbox, in the same transaction as its cause;
//! [`crate::notify`] delivers it after commit. Knows nothing of the engine or of delivery.

mod practice;
pub mod recipients;
pub mod sign_in;
pub mod templates;
pub mod wording;

pub use recipients::{PlannedMail, action_path, mails_for};
pub use templates::{MailContext, Rendered, Template, render};
pub use wording::{Lang, agency_name, deadline_en, deadline_fa, due, rtl_wrap};
