//! Sending one e-mail through lettre: SMTP (`DAFTAR_SMTP_URL`: `smtp://` plain,
//! `smtp://…?tls=required` for STARTTLS, `smtps://` for TLS, user and password in the URL)
//! or, with no SMTP configured, the file transport (`.eml` files in `DAFTAR_MAIL_DIR`), so the
//! embedded default works without a mail server. Behind a trait so tests can count sends.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::outbox::OutboxRow;

/// Why a send failed, and whether trying again could help (a 5xx answer cannot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &OutboxRow) -> Result<(), SendError>;
}

/// Where and how mail goes out.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp_url: Option<String>,
    pub mail_dir: PathBuf,
    pub from: String,
    pub timeout: Duration,
    pub max_attempts: u32,
    /// The first retry waits this long; each later one twice as long (capped at 10 min).
    pub backoff: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_dir: PathBuf::from("mail"),
            from: "daftar <daftar@localhost>".into(),
            timeout: Duration::from_secs(15),
            max_attempts: 8,
            backoff: Duration::from_secs(30),
        }
    }
}

pub enum LettreMailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl LettreMailer {
    pub fn new(settings: &MailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.from.parse().map_err(|e| {
            anyhow::anyhow!("DAFTAR_MAIL_FROM {:?} is not a mailbox: {e}", settings.from)
        })?;
        match &settings.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| {
                        anyhow::anyhow!("DAFTAR_SMTP_URL {}: {e}", crate::db::mask_password(url))
                    })?
                    .timeout(Some(settings.timeout))
                    .build();
                Ok(LettreMailer::Smtp { transport, from })
            }
            None => {
                std::fs::create_dir_all(&settings.mail_dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create the mail directory {}: {e}",
                        settings.mail_dir.display()
                    )
                })?;
                Ok(LettreMailer::File {
                    transport: AsyncFileTransport::new(&settings.mail_dir),
                    from,
                })
            }
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            LettreMailer::Smtp { from, .. } | LettreMailer::File { from, .. } => from,
        }
    }
}

/// The message for a row: its stable Message-ID makes a rare duplicate (sent, then the
/// process died before recording it) recognisable.
pub fn message(row: &OutboxRow, from: &Mailbox) -> Result<Message, SendError> {
    let permanent = |message: String| SendError {
        permanent: true,
        message,
    };
    // lettre encodes a non-ASCII name (RFC 2047), so a Persian name travels as written.
    let address = row
        .to_address
        .parse()
        .map_err(|e| permanent(format!("invalid recipient: {e}")))?;
    let to = Mailbox::new(row.to_name.clone(), address);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@daftar>", row.id)))
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .map_err(|e| permanent(format!("cannot build the message: {e}")))
}

#[async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        let message = message(row, self.from())?;
        match self {
            LettreMailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError {
                    permanent: e.is_permanent(),
                    message: e.to_string(),
                }),
            LettreMailer::File { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError {
                    permanent: false,
                    message: e.to_string(),
                }),
        }
    }
}
