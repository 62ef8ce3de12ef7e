//! Préau as a CAS 3.0 server (Apereo CAS protocol 3.0): the school's other services sign
//! people in through Préau's session. The registered services come from the configuration file
//! (`[[cas.services]]`); tickets are in memory ([`tickets`]); who may open which service is
//! decided in [`access`](super::access); what a service learns is [`attributes`].

pub mod attributes;
pub mod registry;
pub mod service;
pub mod tickets;

use chrono::{DateTime, Utc};

use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::sessions::SignedIn;
use super::{Domain, DomainError};
use attributes::Released;
use service::CasService;
use tickets::Ticket;

/// The protocol's error codes (specification, section 2.5.3 and 2.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CasCode {
    InvalidRequest,
    InvalidTicket,
    InvalidService,
    UnauthorizedServiceProxy,
    InternalError,
}

impl CasCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CasCode::InvalidRequest => "INVALID_REQUEST",
            CasCode::InvalidTicket => "INVALID_TICKET",
            CasCode::InvalidService => "INVALID_SERVICE",
            CasCode::UnauthorizedServiceProxy => "UNAUTHORIZED_SERVICE_PROXY",
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
                    service: service.to_owned(),
                    issued_at: self.clock.now(),
                    from_fresh_sign_in,
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

    /// Validates `ticket` for `service` (`serviceValidate`, `validate`). The ticket is used up
    /// whatever the outcome. `renew`: only a ticket issued right after a sign-in is accepted.
    pub fn cas_validate(
        &self,
        ticket: &str,
        service: &str,
        renew: bool,
    ) -> Result<Validated, CasFailure> {
        let Some(issued) = self.cas_tickets.take(ticket, self.clock.now()) else {
            return Err(CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {ticket} not recognized"),
            ));
        };
        if issued.service != service {
            return Err(CasFailure::new(
                CasCode::InvalidService,
                format!("Ticket {ticket} was not issued for this service"),
            ));
        }
        if renew && !issued.from_fresh_sign_in {
            return Err(CasFailure::new(
                CasCode::InvalidTicket,
                format!("Ticket {ticket} was issued from a single sign-on session"),
            ));
        }
        let internal = |error: DomainError| {
            tracing::error!(%error, "cannot read the account of a CAS ticket");
            CasFailure::new(CasCode::InternalError, "internal error")
        };
        let account = self
            .accounts
            .get(issued.account)
            .map_err(internal)?
            .filter(Account::is_active)
            .ok_or_else(|| {
                CasFailure::new(
                    CasCode::InvalidTicket,
                    format!("Ticket {ticket} names an account that cannot sign in"),
                )
            })?;
        // The configuration may have changed since the ticket was issued (it cannot while the
        // process runs today, but the check costs nothing and keeps the rule in one place).
        let registered = self
            .cas_service_for(&account, service)
            .map_err(|_| CasFailure::new(CasCode::InvalidService, "service not allowed"))?;
        let establishment = self.establishment().map_err(internal)?;
        Ok(Validated {
            user: account.login.clone(),
            attributes: attributes::release(&account, &establishment, &registered.attributes),
            authentication_date: issued.issued_at,
            from_fresh_sign_in: issued.from_fresh_sign_in,
        })
    }

    /// The services the session `token_hash` opened that asked to be told of its end, with the
    /// ticket each got; forgotten as they are returned.
    pub fn cas_signed_out(&self, token_hash: &[u8; 32]) -> Vec<(String, String)> {
        self.cas_tickets.take_opened(token_hash)
    }

    /// The same for every session that ended otherwise than by a sign-out here: expired, or
    /// revoked (a password reset or change, an account the directory disabled). A session
    /// whose state cannot be read is taken as still open, and asked again next time.
    pub fn cas_ended_elsewhere(&self) -> Vec<(String, String)> {
        let mut ended = Vec::new();
        for session in self.cas_tickets.sessions_with_opened() {
            match self.sessions.is_live(&session) {
                Ok(true) => {}
                Ok(false) => ended.extend(self.cas_signed_out(&session)),
                Err(error) => tracing::warn!(%error, "cannot read a session for single logout"),
            }
        }
        ended
    }
}

#[cfg(test)]
mod tests;
