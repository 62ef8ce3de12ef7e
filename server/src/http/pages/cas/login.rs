//! `GET /cas/login`: the person's browser arrives from a service. With a Préau session, it
//! goes back at once with a ticket; without one, through the sign-in page (`/connexion`, no
//! JavaScript needed) and back here. `renew` makes the person type their password again even
//! with a session; `gateway` goes back without a ticket rather than ask.

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{encode, flag, given, see_other};
use crate::domain::cas::with_ticket;
use crate::domain::DomainError;
use crate::http::pages::PageCtx;

#[derive(Deserialize)]
pub struct LoginQuery {
    service: Option<String>,
    renew: Option<String>,
    gateway: Option<String>,
    /// Set by this handler on the way back from a `renew` sign-in.
    renouvellement: Option<String>,
}

pub async fn login(ctx: PageCtx, Query(query): Query<LoginQuery>) -> Response {
    let Some(service) = given(&query.service) else {
        // No service: the person only wanted to be signed in to Préau.
        return match ctx.require() {
            Ok(_) => Redirect::to("/").into_response(),
            Err(redirect) => redirect.into_response(),
        };
    };
    let domain = &ctx.state.domain;
    // An unregistered service never gets a ticket, nor even a redirect (gateway included).
    match domain.cas_service(service) {
        Ok(Some(_)) => {}
        Ok(None) => return ctx.error(DomainError::CasUnknownService),
        Err(error) => return ctx.error(error),
    }
    if flag(&query.renew) {
        // `gateway` is ignored with `renew`, as the specification recommends.
        if let (Some(nonce), Some(auth)) = (given(&query.renouvellement), ctx.auth.as_ref()) {
            if domain.cas_end_renewal(nonce, &auth.signed_in) {
                return issue(&ctx, service, true);
            }
        }
        let nonce = domain.cas_begin_renewal();
        let back = format!(
            "/cas/login?service={}&renew=true&renouvellement={nonce}",
            encode(service)
        );
        return Redirect::to(&format!("/connexion?renouveler=1&suite={}", encode(&back)))
            .into_response();
    }
    if ctx.auth.is_some() {
        return issue(&ctx, service, false);
    }
    if flag(&query.gateway) {
        return see_other(service).unwrap_or_else(|| ctx.error(DomainError::CasUnknownService));
    }
    match ctx.require() {
        Ok(_) => issue(&ctx, service, false),
        Err(redirect) => redirect.into_response(),
    }
}

/// Back to the service with a fresh ticket, or the French page saying why not.
fn issue(ctx: &PageCtx, service: &str, from_fresh_sign_in: bool) -> Response {
    let Some(auth) = ctx.auth.as_ref() else {
        return ctx.error(DomainError::Forbidden);
    };
    match ctx
        .state
        .domain
        .cas_issue_ticket(&auth.signed_in, service, from_fresh_sign_in)
    {
        Ok(ticket) => see_other(&with_ticket(service, &ticket))
            .unwrap_or_else(|| ctx.error(DomainError::CasUnknownService)),
        Err(error) => ctx.error(error),
    }
}
