//! Préau as a CAS 3.0 server (Apereo CAS protocol 3.0): the school's other services sign
//! people in through Préau's session. The registered services come from the configuration file
//! (`[[cas.services]]`) and the administrator's registry; tickets are in memory ([`tickets`]);
//! who may open which service is decided in [`access`](super::access); what a service learns
//! is [`attributes`].
//!
//! Proxy tickets (specification, section 2.5.4 and 2.7): a service registered with `proxy`
//! that validates a ticket with a `pgtUrl` gets a proxy-granting ticket, delivered to that
//! callback; with it, `/cas/proxy` gives proxy tickets (`PT-`) for the other services the
//! person may open, which those validate at `proxyValidate`. A proxy-granting ticket lasts as
//! long as the Préau session the first ticket was issued in.

pub mod attributes;
pub mod logo;
pub mod registry;
pub mod service;
pub mod tickets;

use chrono::{DateTime, Utc};

use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::sessions::SignedIn;
use super::{Domain, DomainError};
use attributes::Released;
use service::{CasService, UrlPrefix};
use tickets::{GrantingTicket, Ticket};

/// The protocol's error codes (specification, section 2.5.3 and 2.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CasCode {
    InvalidRequest,
    InvalidTicket,
    InvalidService,
    InvalidProxyCallback,
    UnauthorizedServiceProxy,
    /// `/cas/proxy`: the target service may not be reached through a proxy.
    UnauthorizedService,
    InternalError,
}

impl CasCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CasCode::InvalidRequest => "INVALID_REQUEST",
            CasCode::InvalidTicket => "INVALID_TICKET",
            CasCode::InvalidService => "INVALID_SERVICE",
            CasCode::InvalidProxyCallback => "INVALID_PROXY_CALLBACK",
            CasCode::UnauthorizedServiceProxy => "UNAUTHORIZED_SERVICE_PROXY",
            CasCode::UnauthorizedService => "UNAUTHORIZED_SERVICE",
            CasCode::InternalError => "INTERNAL_ERROR",
        }
    }
}

/// A refused validation, as the service reads it (English, like the protocol).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasFailure {
    pub code: CasCode,
    pub message: String,
}

impl CasFailure {
    pub fn new(code: CasCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// A validated ticket: who signed in, and what the service may know of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated {
    pub user: String,
    pub attributes: Released,
    pub authentication_date: DateTime<Utc>,
    pub from_fresh_sign_in: bool,
    /// A proxy ticket's proxies (their callback addresses), the most recent first; empty for a
    /// service ticket.
    pub proxies: Vec<String>,
    /// The IOU of the proxy-granting ticket its callback took, when one was granted.
    pub proxy_granting_ticket: Option<String>,
}

/// How a ticket is validated: the endpoint's rules and the request's options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Validation<'a> {
    /// Only a ticket issued right after the person typed their password is accepted.
    pub renew: bool,
    /// `proxyValidate`: proxy tickets are accepted too.
    pub proxy_tickets: bool,
    /// Where to deliver a proxy-granting ticket.
    pub pgt_url: Option<&'a str>,
}

/// A proxy-granting ticket granted by a validation, for the edge to deliver to `callback`
/// (`pgtId` and `pgtIou`); until it is, nobody knows it, and it is revoked if it cannot be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyGrant {
    pub callback: String,
    pub pgt: String,
    pub iou: String,
}

/// Where a service sends the person with a ticket: its own address with `ticket=` added.
pub fn with_ticket(service: &str, ticket: &str) -> String {
    let (base, fragment) = match service.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (service, None),
    };
    let separator = if base.contains('?') { '&' } else { '?' };
    let mut url = format!("{base}{separator}ticket={ticket}");
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

impl Domain {
    /// The registered service `service` belongs to, if any: the configuration's first, then
    /// the administrator's.
    pub fn cas_service(&self, service: &str) -> Result<Option<CasService>, DomainError> {
        if let Some(found) = self
            .config
            .cas
            .services
            .iter()
            .find(|registered| registered.covers(service))
        {
            return Ok(Some(found.clone()));
        }
        Ok(self
            .cas_registry()?
            .services
            .iter()
            .map(|stored| &stored.service)
            .find(|registered| registered.covers(service))
            .cloned())
    }

    /// The origin a sign-in that goes on to `next` leads to, when `next` is `/cas/login` for a
    /// registered service: the sign-in page's form must be allowed to end there.
    pub fn cas_origin_after_sign_in(&self, next: &str) -> Option<String> {
        let query = next.strip_prefix("/cas/login?")?;
        let service = form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "service")
            .map(|(_, value)| value)?;
        let found = self.cas_service(&service).ok().flatten()?;
        Some(found.url.origin().to_owned())
    }

    /// Every registered service (the configuration's, read-only).
    pub fn cas_services(&self) -> &[CasService] {
        &self.config.cas.services
    }

    /// The registered service `service` belongs to, if `account` may open it.
    pub fn cas_service_for(
        &self,
        account: &Account,
        service: &str,
    ) -> Result<CasService, DomainError> {
        let registered = self
            .cas_service(service)?
            .ok_or(DomainError::CasUnknownService)?;
        if access::allows(
            account,
            Action::OpenCasService {
                profiles: registered.profiles.as_deref(),
            },
        ) {
            Ok(registered)
        } else {
            Err(DomainError::CasServiceRefused(registered.name.clone()))
        }
    }

    /// Issues a service ticket for `service` to the signed-in person, and remembers the service
    /// for single logout when it asked for it.
    pub fn cas_issue_ticket(
        &self,
        signed_in: &SignedIn,
        service: &str,
        from_fresh_sign_in: bool,
    ) -> Result<String, DomainError> {
        let registered = self.cas_service_for(&signed_in.account, service)?;
        let ticket = self
            .cas_tickets
            .issue(
                self.entropy.as_ref(),
                Ticket {
                    account: signed_in.account.id,
                    session: signed_in.token_hash,
                    service: service.to_owned(),
                    issued_at: self.clock.now(),
                    from_fresh_sign_in,
                    proxies: Vec::new(),
                },
            )
            .map_err(|error| DomainError::CasBusy(error.0))?;
        if registered.single_logout {
            self.cas_tickets
                .remember_opened(signed_in.token_hash, service, &ticket);
        }
        Ok(ticket)
    }

    /// Begins a `renew`: the returned nonce must come back with a session opened after now.
    pub fn cas_begin_renewal(&self) -> String {
        self.cas_tickets
            .begin_renewal(self.entropy.as_ref(), self.clock.now())
    }

    /// Whether `signed_in` was opened by a sign-in made after the renewal `nonce` began.
    pub fn cas_end_renewal(&self, nonce: &str, signed_in: &SignedIn) -> bool {
        self.cas_tickets
            .end_renewal(nonce, signed_in.session.created_at, self.clock.now())
    }

    /// Validates `ticket` for `service` (`serviceValidate`, `proxyValidate`, `validate`). The
    /// ticket is used up whatever the outcome. With a `pgt_url`, a service allowed to proxy
    /// also gets a proxy-granting ticket, to deliver there ([`ProxyGrant`]).
    pub fn cas_validate(
        &self,
        ticket: &str,
        service: &str,
        how: Validation<'_>,
    ) -> Result<(Validated, Option<ProxyGrant>), CasFailure> {
        let Some(issued) = self.cas_tickets.take(ticket, self.clock.now()) else {
            return Err(CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {ticket} not recognized"),
            ));
        };
        if issued.is_proxy_ticket() && !how.proxy_tickets {
            return Err(CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {ticket} is a proxy ticket: validate it at proxyValidate"),
            ));
        }
        if issued.service != service {
            return Err(CasFailure::new(
                CasCode::InvalidService,
                format!("Ticket {ticket} was not issued for this service"),
            ));
        }
        if how.renew && !issued.from_fresh_sign_in {
            return Err(CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {ticket} was issued from a single sign-on session"),
            ));
        }
        let account = self.ticket_account(ticket, issued.account)?;
        // The registry may have changed since the ticket was issued: the rule is checked again.
        let registered = self
            .cas_service_for(&account, service)
            .map_err(|_| CasFailure::new(CasCode::InvalidService, "service not allowed"))?;
        let grant = match how.pgt_url {
            Some(pgt_url) => Some(self.grant_proxy(&registered, pgt_url, &issued)?),
            None => None,
        };
        let establishment = self.establishment().map_err(internal)?;
        let validated = Validated {
            user: account.login.clone(),
            attributes: attributes::release(&account, &establishment, &registered.attributes),
            authentication_date: issued.issued_at,
            from_fresh_sign_in: issued.from_fresh_sign_in,
            proxies: issued.proxies,
            proxy_granting_ticket: None,
        };
        Ok((validated, grant))
    }

    /// The active account a ticket names.
    fn ticket_account(&self, ticket: &str, id: u64) -> Result<Account, CasFailure> {
        self.accounts
            .get(id)
            .map_err(internal)?
            .filter(Account::is_active)
            .ok_or_else(|| {
                CasFailure::new(
                    CasCode::InvalidTicket,
                    format!("Ticket {ticket} names an account that cannot sign in"),
                )
            })
    }

    /// A proxy-granting ticket for `registered`, to be delivered to `pgt_url`: the service must
    /// be allowed to proxy, and the callback must be an `https` address on the service's own
    /// host, so that a ticket's holder cannot send the grant anywhere else.
    fn grant_proxy(
        &self,
        registered: &CasService,
        pgt_url: &str,
        issued: &Ticket,
    ) -> Result<ProxyGrant, CasFailure> {
        if !registered.proxy {
            return Err(CasFailure::new(
                CasCode::UnauthorizedServiceProxy,
                format!(
                    "The service {} may not proxy authentication",
                    registered.name
                ),
            ));
        }
        let callback = UrlPrefix::parse(pgt_url)
            .ok()
            .filter(|callback| {
                callback.as_str().starts_with("https://")
                    && callback.host() == registered.url.host()
            })
            .ok_or_else(|| {
                CasFailure::new(
                    CasCode::InvalidProxyCallback,
                    format!(
                        "The proxy callback {pgt_url} is not an https address on the host of {}",
                        registered.url.as_str()
                    ),
                )
            })?;
        let mut proxies = vec![callback.as_str().to_owned()];
        proxies.extend(issued.proxies.iter().cloned());
        let (pgt, iou) = self
            .cas_tickets
            .grant(
                self.entropy.as_ref(),
                GrantingTicket {
                    account: issued.account,
                    session: issued.session,
                    proxies,
                },
            )
            .map_err(|error| {
                tracing::warn!(%error, "no proxy-granting ticket granted");
                CasFailure::new(CasCode::InternalError, "too many proxy-granting tickets")
            })?;
        Ok(ProxyGrant {
            callback: callback.as_str().to_owned(),
            pgt,
            iou,
        })
    }

    /// Forgets a proxy-granting ticket its callback did not take.
    pub fn cas_revoke_grant(&self, grant: &ProxyGrant) {
        self.cas_tickets.revoke_granting(&grant.pgt);
    }

    /// `/cas/proxy`: a proxy ticket for `target`, in the name of whoever the proxy-granting
    /// ticket `pgt` was granted for, while their session lasts and if they may open `target`.
    pub fn cas_proxy_ticket(&self, pgt: &str, target: &str) -> Result<String, CasFailure> {
        let unknown = || {
            CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {pgt} not recognized"),
            )
        };
        let granting = self.cas_tickets.granting(pgt).ok_or_else(unknown)?;
        if !self.sessions.is_live(&granting.session).map_err(internal)? {
            self.cas_tickets.revoke_granting(pgt);
            return Err(unknown());
        }
        let account = self.ticket_account(pgt, granting.account)?;
        let registered = self.cas_service_for(&account, target).map_err(|_| {
            CasFailure::new(
                CasCode::UnauthorizedService,
                format!("{target} is not a service this person may open"),
            )
        })?;
        let ticket = self
            .cas_tickets
            .issue(
                self.entropy.as_ref(),
                Ticket {
                    account: account.id,
                    session: granting.session,
                    service: target.to_owned(),
                    issued_at: self.clock.now(),
                    from_fresh_sign_in: false,
                    proxies: granting.proxies,
                },
            )
            .map_err(|error| {
                tracing::warn!(%error, "no proxy ticket issued");
                CasFailure::new(CasCode::InternalError, "too many live tickets")
            })?;
        if registered.single_logout {
            self.cas_tickets
                .remember_opened(granting.session, target, &ticket);
        }
        Ok(ticket)
    }

    /// The services the session `token_hash` opened that asked to be told of its end, with the
    /// ticket each got; forgotten as they are returned.
    /// Its proxy-granting tickets end with it.
    pub fn cas_signed_out(&self, token_hash: &[u8; 32]) -> Vec<(String, String)> {
        self.cas_tickets.end_session(token_hash)
    }

    /// The same for every session that ended otherwise than by a sign-out here: expired, or
    /// revoked (a password reset or change, an account the directory disabled). A session
    /// whose state cannot be read is taken as still open, and asked again next time.
    pub fn cas_ended_elsewhere(&self) -> Vec<(String, String)> {
        let mut ended = Vec::new();
        for session in self.cas_tickets.sessions_to_watch() {
            match self.sessions.is_live(&session) {
                Ok(true) => {}
                Ok(false) => ended.extend(self.cas_signed_out(&session)),
                Err(error) => tracing::warn!(%error, "cannot read a session for single logout"),
            }
        }
        ended
    }
}

fn internal(error: DomainError) -> CasFailure {
    tracing::error!(%error, "cannot read what a CAS ticket names");
    CasFailure::new(CasCode::InternalError, "internal error")
}

#[cfg(test)]
mod tests;
