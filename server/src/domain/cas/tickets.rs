//! Service and proxy tickets, proxy-granting tickets, the renewals waiting for a fresh sign-in,
//! and which services each session opened (for single logout).
//!
//! They live in memory, not in sled: a ticket is used once within minutes of its issue (five
//! at most), so a restart costs at worst a sign-in redone by a click, while writing each ticket
//! durably would put an fsync on every service opened and every validation. The maps are
//! bounded, so that no one can grow them without limit.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};

use crate::domain::entropy::Entropy;

/// Random bytes of a ticket: 192 bits, well above the specification's 128.
const TICKET_BYTES: usize = 24;
/// Past this many live tickets, issuing fails until some are used or expire.
const MAX_TICKETS: usize = 100_000;
/// Services remembered per session for single logout, and sessions remembered.
const MAX_SERVICES_PER_SESSION: usize = 64;
const MAX_SESSIONS: usize = 100_000;
/// A renewal must end with a sign-in this soon after it began.
const RENEWAL_WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Past this many proxy-granting tickets, no new one is granted until sessions end.
const MAX_GRANTING_TICKETS: usize = 100_000;

/// A service ticket (`ST-`) or a proxy ticket (`PT-`), from its issue to its validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub account: u64,
    /// The hash of the Préau session it was issued in: a proxy-granting ticket obtained with it
    /// lasts as long as that session.
    pub session: [u8; 32],
    /// The exact `service` address the ticket was issued for.
    pub service: String,
    pub issued_at: DateTime<Utc>,
    /// Issued right after the person typed their password (`renew`), not from an open session.
    pub from_fresh_sign_in: bool,
    /// Empty for a service ticket. For a proxy ticket, the callback addresses of the proxies it
    /// came through, the most recent first (the `<cas:proxies>` of its validation).
    pub proxies: Vec<String>,
}

impl Ticket {
    pub fn is_proxy_ticket(&self) -> bool {
        !self.proxies.is_empty()
    }
}

/// A proxy-granting ticket (`PGT-`): a service that validated a ticket with a `pgtUrl` uses it
/// to get proxy tickets for other services, in the person's name, while their session lasts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantingTicket {
    pub account: u64,
    pub session: [u8; 32],
    /// The callback it was delivered to first, then those of the proxies before it.
    pub proxies: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("too many live CAS tickets ({0})")]
pub struct TooManyTickets(pub usize);

pub struct Tickets {
    lifetime: TimeDelta,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    tickets: HashMap<String, Ticket>,
    /// Renewal nonce → when the renewal began.
    renewals: HashMap<String, DateTime<Utc>>,
    /// Session token hash → (service address, ticket) of the services to tell at sign-out.
    opened: HashMap<[u8; 32], Vec<(String, String)>>,
    /// Proxy-granting ticket → what it grants; dropped with its session.
    granting: HashMap<String, GrantingTicket>,
}

impl Tickets {
    pub fn new(lifetime: std::time::Duration) -> Self {
        Self {
            lifetime: TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::minutes(5)),
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves maps that are still consistent (each change is
        // one insert or remove): go on with them.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Issues a ticket; its name is `ST-` (a proxy ticket's `PT-`) and random bytes from
    /// `entropy`.
    pub fn issue(&self, entropy: &dyn Entropy, ticket: Ticket) -> Result<String, TooManyTickets> {
        let prefix = if ticket.is_proxy_ticket() { "PT" } else { "ST" };
        let name = format!("{prefix}-{}", random(entropy, TICKET_BYTES));
        let now = ticket.issued_at;
        let mut state = self.state();
        if state.tickets.len() >= MAX_TICKETS {
            let lifetime = self.lifetime;
            state
                .tickets
                .retain(|_, ticket| now - ticket.issued_at <= lifetime);
            let renewal_lifetime = RENEWAL_WINDOW;
            state
                .renewals
                .retain(|_, began| now - *began <= renewal_lifetime);
            if state.tickets.len() >= MAX_TICKETS {
                return Err(TooManyTickets(state.tickets.len()));
            }
        }
        state.tickets.insert(name.clone(), ticket);
        Ok(name)
    }

    /// Takes the ticket out, whatever comes of its validation: a ticket is tried once. `None`
    /// when it is unknown, already used or older than the lifetime.
    pub fn take(&self, name: &str, now: DateTime<Utc>) -> Option<Ticket> {
        let ticket = self.state().tickets.remove(name)?;
        (now - ticket.issued_at <= self.lifetime && now >= ticket.issued_at).then_some(ticket)
    }

    /// Begins a renewal: the nonce comes back with the sign-in that follows.
    pub fn begin_renewal(&self, entropy: &dyn Entropy, now: DateTime<Utc>) -> String {
        let nonce = random(entropy, TICKET_BYTES);
        let mut state = self.state();
        if state.renewals.len() >= MAX_TICKETS {
            state
                .renewals
                .retain(|_, began| now - *began <= RENEWAL_WINDOW);
            if state.renewals.len() >= MAX_TICKETS {
                // The oldest renewals are the least likely to come back: drop them all rather
                // than refuse the person in front of us.
                state.renewals.clear();
            }
        }
        state.renewals.insert(nonce.clone(), now);
        nonce
    }

    /// Ends a renewal: true once, when the session was opened after the renewal began, and
    /// within [`RENEWAL_WINDOW`] of it.
    pub fn end_renewal(
        &self,
        nonce: &str,
        session_opened: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        let mut state = self.state();
        match state.renewals.get(nonce).copied() {
            Some(began) if session_opened >= began && now - began <= RENEWAL_WINDOW => {
                state.renewals.remove(nonce);
                true
            }
            Some(began) if now - began > RENEWAL_WINDOW => {
                state.renewals.remove(nonce);
                false
            }
            _ => false,
        }
    }

    /// Remembers that `session` opened `service` with `ticket`, to tell it at sign-out.
    pub fn remember_opened(&self, session: [u8; 32], service: &str, ticket: &str) {
        let mut state = self.state();
        if state.opened.len() >= MAX_SESSIONS && !state.opened.contains_key(&session) {
            // Sessions that never signed out explicitly (expired ones) pile up here; forgetting
            // them costs only a logout message to services that would not be told anyway.
            state.opened.clear();
        }
        let opened = state.opened.entry(session).or_default();
        if opened.len() < MAX_SERVICES_PER_SESSION {
            opened.push((service.to_owned(), ticket.to_owned()));
        }
    }

    /// Grants a proxy-granting ticket: its name (`PGT-`) and the name of its IOU (`PGTIOU-`),
    /// which the validation answer carries while the ticket itself goes to the callback.
    pub fn grant(
        &self,
        entropy: &dyn Entropy,
        granting: GrantingTicket,
    ) -> Result<(String, String), TooManyTickets> {
        let name = format!("PGT-{}", random(entropy, TICKET_BYTES));
        let iou = format!("PGTIOU-{}", random(entropy, TICKET_BYTES));
        let mut state = self.state();
        if state.granting.len() >= MAX_GRANTING_TICKETS {
            return Err(TooManyTickets(state.granting.len()));
        }
        state.granting.insert(name.clone(), granting);
        Ok((name, iou))
    }

    /// What the proxy-granting ticket `name` grants, if it is live; it is not used up.
    pub fn granting(&self, name: &str) -> Option<GrantingTicket> {
        self.state().granting.get(name).cloned()
    }

    /// Forgets a proxy-granting ticket (its callback did not take it, or its session ended).
    pub fn revoke_granting(&self, name: &str) {
        self.state().granting.remove(name);
    }

    /// The end of `session`: its proxy-granting tickets are forgotten, and the services it
    /// opened are returned and forgotten: whoever takes them tells them, so that each ticket's
    /// service is told once.
    pub fn end_session(&self, session: &[u8; 32]) -> Vec<(String, String)> {
        let mut state = self.state();
        state
            .granting
            .retain(|_, granting| granting.session != *session);
        state.opened.remove(session).unwrap_or_default()
    }

    /// The sessions that opened services to tell at their end, or hold proxy-granting tickets.
    pub fn sessions_to_watch(&self) -> Vec<[u8; 32]> {
        let state = self.state();
        let mut sessions: Vec<[u8; 32]> = state.opened.keys().copied().collect();
        sessions.extend(state.granting.values().map(|granting| granting.session));
        sessions.sort_unstable();
        sessions.dedup();
        sessions
    }
}

fn random(entropy: &dyn Entropy, bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    entropy.fill(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entropy::testing::SeededEntropy;
    use chrono::TimeZone;

    fn at(minute: u32, second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 7, 8, minute, second)
            .single()
            .expect("valid")
    }

    fn ticket(issued_at: DateTime<Utc>) -> Ticket {
        Ticket {
            account: 7,
            session: [7; 32],
            service: "https://moodle.college.example/".to_owned(),
            issued_at,
            from_fresh_sign_in: false,
            proxies: Vec::new(),
        }
    }

    #[test]
    fn a_ticket_is_st_and_192_random_bits_and_is_taken_once() {
        let tickets = Tickets::new(std::time::Duration::from_secs(300));
        let entropy = SeededEntropy::new(1);
        let name = tickets.issue(&entropy, ticket(at(0, 0))).expect("issued");
        assert!(name.starts_with("ST-"));
        assert_eq!(name.len(), 3 + 32);
        let other = tickets.issue(&entropy, ticket(at(0, 0))).expect("issued");
        assert_ne!(name, other);
        assert_eq!(tickets.take(&name, at(1, 0)), Some(ticket(at(0, 0))));
        assert_eq!(tickets.take(&name, at(1, 0)), None);
    }

    #[test]
    fn an_expired_ticket_is_refused_and_gone() {
        let tickets = Tickets::new(std::time::Duration::from_secs(300));
        let entropy = SeededEntropy::new(2);
        let name = tickets.issue(&entropy, ticket(at(0, 0))).expect("issued");
        assert_eq!(tickets.take(&name, at(5, 1)), None);
        let name = tickets.issue(&entropy, ticket(at(0, 0))).expect("issued");
        assert!(tickets.take(&name, at(5, 0)).is_some());
    }

    #[test]
    fn a_renewal_needs_a_session_opened_after_it_began() {
        let tickets = Tickets::new(std::time::Duration::from_secs(300));
        let entropy = SeededEntropy::new(3);
        let nonce = tickets.begin_renewal(&entropy, at(10, 0));
        assert!(!tickets.end_renewal(&nonce, at(9, 59), at(10, 30)));
        assert!(!tickets.end_renewal("unknown", at(10, 5), at(10, 30)));
        assert!(tickets.end_renewal(&nonce, at(10, 5), at(10, 30)));
        assert!(!tickets.end_renewal(&nonce, at(10, 5), at(10, 30)), "once");
        let late = tickets.begin_renewal(&entropy, at(10, 0));
        assert!(!tickets.end_renewal(&late, at(10, 5), at(26, 0)));
    }

    #[test]
    fn a_session_gives_back_the_services_it_opened_once() {
        let tickets = Tickets::new(std::time::Duration::from_secs(300));
        tickets.remember_opened([1; 32], "https://a.example/", "ST-a");
        tickets.remember_opened([1; 32], "https://b.example/", "ST-b");
        assert_eq!(tickets.end_session(&[1; 32]).len(), 2);
        assert!(tickets.end_session(&[1; 32]).is_empty());
    }

    #[test]
    fn a_proxy_ticket_is_pt_and_a_granting_ticket_ends_with_its_session() {
        let tickets = Tickets::new(std::time::Duration::from_secs(300));
        let entropy = SeededEntropy::new(4);
        let proxied = Ticket {
            proxies: vec!["https://portail.example/pgt".to_owned()],
            ..ticket(at(0, 0))
        };
        let name = tickets.issue(&entropy, proxied).expect("issued");
        assert!(name.starts_with("PT-") && name.len() == 3 + 32, "{name}");
        let granting = GrantingTicket {
            account: 7,
            session: [2; 32],
            proxies: vec!["https://portail.example/pgt".to_owned()],
        };
        let (pgt, iou) = tickets.grant(&entropy, granting.clone()).expect("granted");
        assert!(pgt.starts_with("PGT-") && iou.starts_with("PGTIOU-"));
        assert_ne!(pgt[4..], iou[7..]);
        assert_eq!(
            tickets.granting(&pgt),
            Some(granting.clone()),
            "not used up"
        );
        assert_eq!(tickets.granting(&pgt), Some(granting));
        assert_eq!(tickets.sessions_to_watch(), vec![[2; 32]]);
        tickets.end_session(&[2; 32]);
        assert_eq!(tickets.granting(&pgt), None);
        assert!(tickets.sessions_to_watch().is_empty());
    }
}
