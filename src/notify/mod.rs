//! E-mail delivery: the outbox's rows, composed and queued by the engine ([`crate::mail`]) in
//! the same transaction as their cause, are sent after commit ([`dispatcher`]) through lettre
//! ([`mailer`]), and each outcome recorded as an event. A consumer of the log: nothing below
//! it imports it.

pub mod dispatcher;
pub mod mailer;

pub use dispatcher::{Dispatcher, mask_email};
pub use mailer::{LettreMailer, MailSettings, Mailer, SendError};
