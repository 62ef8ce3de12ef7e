//! Single logout: when a session ends, each service it opened that asked for it
//! (`single_logout = true`) receives the protocol's SAML `LogoutRequest`, posted as the
//! `logoutRequest` form field to the address the ticket was issued for, with the ticket as
//! `SessionIndex`. It runs in a task of its own after the answer, with a short timeout: a slow
//! or absent service never delays a sign-out, and a failure is only logged.
//!
//! A sign-out here (`/deconnexion`, `/cas/logout`) tells them at once. A session can also end
//! with nobody here to see it: it expires, or it is revoked by a password reset or change or by
//! the directory disabling the account (in the domain, from a page, the API, the scheduler or
//! the command line). [`watch`] finds those every few seconds. The domain hands each ticket out
//! once, to whichever comes first.

use std::sync::Arc;
use std::time::Duration;

use quick_xml::escape::escape;
use tokio_util::sync::CancellationToken;

use crate::domain::Domain;
use crate::http::AppState;

/// How long one service may take to take the message.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How often the sessions that opened such services are checked for an end not seen here. A
/// check reads two cached records per such session.
const WATCH_EVERY: Duration = Duration::from_secs(5);

/// Tells, in the background, the services the session `token_hash` opened.
pub fn tell_services(state: &AppState, token_hash: &[u8; 32]) {
    let opened = state.domain.cas_signed_out(token_hash);
    deliver(&state.domain, opened);
}

/// Until `closing`, tells the services of the sessions that ended by expiry or revocation.
pub fn watch(domain: Domain, closing: CancellationToken) {
    tokio::spawn(async move {
        let domain = Arc::new(domain);
        let mut checks = tokio::time::interval(WATCH_EVERY);
        loop {
            tokio::select! {
                () = closing.cancelled() => return,
                _ = checks.tick() => {}
            }
            let reading = domain.clone();
            match tokio::task::spawn_blocking(move || reading.cas_ended_elsewhere()).await {
                Ok(ended) => deliver(&domain, ended),
                Err(error) => tracing::error!(%error, "single logout check failed"),
            }
        }
    });
}

fn deliver(domain: &Domain, opened: Vec<(String, String)>) {
    if opened.is_empty() {
        return;
    }
    let now = domain.clock().now();
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::warn!(%error, "cannot build the single logout client");
                return;
            }
        };
        for (service, ticket) in opened {
            let message = logout_request(&ticket, now);
            let sent = client
                .post(&service)
                .form(&[("logoutRequest", message.as_str())])
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => {
                    tracing::debug!(%service, "single logout delivered");
                }
                Ok(response) => {
                    tracing::warn!(%service, status = %response.status(), "single logout refused");
                }
                Err(error) => tracing::warn!(%error, %service, "single logout not delivered"),
            }
        }
    });
}

/// The `LogoutRequest` for the session that got `ticket`. Its ID is derived from the ticket,
/// which is unique.
pub fn logout_request(ticket: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let ticket = escape(ticket);
    format!(
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"LR-{id}\" Version=\"2.0\" IssueInstant=\"{instant}\"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>",
        id = ticket.trim_start_matches("ST-"),
        instant = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}
