//! Notifications: everything that asks a person to act, or tells them a result, becomes an
//! e-mail — rendered in the recipient's language ([`templates`]), addressed by rule
//! ([`recipients`]), queued in the outbox in the same transaction as its cause, and
//! delivered after commit ([`dispatcher`]) through lettre ([`mailer`]).

pub mod dispatcher;
pub mod mailer;
mod practice;
pub mod recipients;
pub mod sign_in;
pub mod templates;
pub mod wording;

pub use dispatcher::{Dispatcher, mask_email};
pub use mailer::{LettreMailer, MailSettings, Mailer, SendError};
pub use recipients::{PlannedMail, action_path, mails_for};
pub use templates::{MailContext, Rendered, Template, render};
pub use wording::{Lang, agency_name, deadline_en, deadline_fa, due, rtl_wrap};
