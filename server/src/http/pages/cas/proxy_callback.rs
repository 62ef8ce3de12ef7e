//! The delivery of a proxy-granting ticket to the `pgtUrl` of the service that asked for it
//! (specification, section 2.5.4): `GET pgtUrl?pgtId=PGT-…&pgtIou=PGTIOU-…` over HTTPS, the
//! server's certificate checked against the public roots (and the école's own authority, when
//! `cas.proxy_callback_ca` names one). Only a `200` counts as taken; redirects are not
//! followed, so that the ticket goes nowhere but the address the domain checked.

use std::time::Duration;

use crate::domain::cas::ProxyGrant;

/// How long a callback may take to answer; the validation waits for it.
const TIMEOUT: Duration = Duration::from_secs(5);

pub struct ProxyCallback {
    /// `None` when the client could not be built (logged at start): no ticket is delivered.
    client: Option<reqwest::Client>,
}

impl ProxyCallback {
    /// The client for callbacks, trusting the certificates of `extra_roots` (PEM) too.
    pub fn new(extra_roots: Option<&[u8]>) -> Self {
        let client = (|| {
            let mut builder = reqwest::Client::builder()
                .https_only(true)
                .timeout(TIMEOUT)
                .redirect(reqwest::redirect::Policy::none());
            if let Some(pem) = extra_roots {
                for certificate in reqwest::Certificate::from_pem_bundle(pem)? {
                    builder = builder.add_root_certificate(certificate);
                }
            }
            builder.build()
        })();
        let client = client
            .map_err(|error| tracing::error!(%error, "cannot build the CAS proxy callback client"))
            .ok();
        Self { client }
    }

    /// Whether the callback took the ticket (answered `200`).
    pub async fn deliver(&self, grant: &ProxyGrant) -> bool {
        let Some(client) = &self.client else {
            return false;
        };
        let sent = client
            .get(&grant.callback)
            .query(&[
                ("pgtId", grant.pgt.as_str()),
                ("pgtIou", grant.iou.as_str()),
            ])
            .send()
            .await;
        match sent {
            Ok(response) if response.status() == reqwest::StatusCode::OK => true,
            Ok(response) => {
                tracing::info!(callback = %grant.callback, status = %response.status(),
                    "proxy callback refused the proxy-granting ticket");
                false
            }
            Err(error) => {
                tracing::info!(callback = %grant.callback, %error,
                    "proxy callback not reached: no proxy-granting ticket");
                false
            }
        }
    }
}
