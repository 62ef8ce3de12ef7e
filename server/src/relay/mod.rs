//! The e-mail relay of notifications, when the administrator names an SMTP server
//! (`[notifications] smtp_host`): each person with an address gets at most one digest per
//! `digest_interval` of what they have not seen yet ([`crate::domain::notifications::digest`]).
//! The digest's words are in `text.rs`, the job that sends them in `task.rs`.

mod task;
mod text;

pub use task::NotificationTask;

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{NotificationsConfig, SmtpTls};
use crate::domain::notifications::digest::Digest;

/// An SMTP exchange that takes longer than this is given up (and tried again next round).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("the SMTP settings are unusable: {0}")]
    Settings(#[source] lettre::transport::smtp::Error),
    #[error("notifications.email_from is not an e-mail address: {0}")]
    Sender(#[source] lettre::address::AddressError),
    #[error("{address:?} is not an e-mail address: {source}")]
    Recipient {
        address: String,
        #[source]
        source: lettre::address::AddressError,
    },
    #[error("the e-mail cannot be written: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the SMTP server did not take the e-mail: {0}")]
    Send(#[from] lettre::transport::smtp::Error),
}

impl RelayError {
    /// Whether sending again later may work: a server that is down or busy, not an address
    /// that can never be written to.
    fn is_worth_retrying(&self) -> bool {
        match self {
            RelayError::Send(error) => !error.is_permanent(),
            _ => false,
        }
    }
}

/// The SMTP server and what each digest says.
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    site_url: Option<String>,
}

impl Relay {
    /// The relay `config` describes, or `None` when it names no SMTP server.
    pub fn from_config(config: &NotificationsConfig) -> Result<Option<Self>, RelayError> {
        let Some(host) = config.smtp_host.as_deref().filter(|host| !host.is_empty()) else {
            return Ok(None);
        };
        let tls = match config.smtp_tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Starttls => Tls::Required(tls_for(host)?),
            SmtpTls::Tls => Tls::Wrapper(tls_for(host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(config.smtp_port())
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let (Some(username), Some(password)) = (&config.smtp_username, &config.smtp_password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.0.clone()));
        }
        let from = config
            .email_from
            .as_deref()
            .unwrap_or_default()
            .parse::<Mailbox>()
            .map_err(RelayError::Sender)?;
        Ok(Some(Self {
            transport: builder.build(),
            from,
            site_url: config
                .site_url
                .as_deref()
                .map(|url| url.trim_end_matches('/').to_owned()),
        }))
    }

    /// The e-mail of `digest`, from the ENT of `establishment`.
    pub fn message(&self, establishment: &str, digest: &Digest) -> Result<Message, RelayError> {
        let address = digest
            .email
            .parse()
            .map_err(|source| RelayError::Recipient {
                address: digest.email.clone(),
                source,
            })?;
        let text = text::digest(establishment, digest, self.site_url.as_deref());
        Ok(Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(Some(digest.name.clone()), address))
            .subject(text.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.body)?)
    }

    pub async fn send(&self, message: Message) -> Result<(), RelayError> {
        self.transport.send(message).await?;
        Ok(())
    }
}

fn tls_for(host: &str) -> Result<TlsParameters, RelayError> {
    TlsParameters::new(host.to_owned()).map_err(RelayError::Settings)
}
