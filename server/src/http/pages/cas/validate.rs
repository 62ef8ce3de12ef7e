//! `GET /cas/serviceValidate`, `/cas/p3/serviceValidate`, the `proxyValidate` pair (which take
//! proxy tickets too), `/cas/validate` (CAS 1.0) and `/cas/proxy`. A service's server calls
//! them with the ticket the browser brought back; there is no session here.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::given;
use super::response::{self, Format};
use crate::domain::cas::{CasCode, CasFailure, Validated, Validation};
use crate::http::AppState;

#[derive(Deserialize)]
pub struct ValidateQuery {
    service: Option<String>,
    ticket: Option<String>,
    renew: Option<String>,
    format: Option<String>,
    /// Where a service allowed to proxy wants its proxy-granting ticket delivered.
    #[serde(rename = "pgtUrl")]
    pgt_url: Option<String>,
}

/// The validation itself, off the async threads (it reads the account from the store), then
/// the delivery of a proxy-granting ticket to its callback, when one was granted.
async fn outcome(
    state: &AppState,
    query: &ValidateQuery,
    proxy_tickets: bool,
) -> Result<Validated, CasFailure> {
    let (Some(service), Some(ticket)) = (given(&query.service), given(&query.ticket)) else {
        return Err(CasFailure::new(
            CasCode::InvalidRequest,
            "Both the service and ticket parameters are required",
        ));
    };
    let domain = state.domain.clone();
    let (service, ticket) = (service.to_owned(), ticket.to_owned());
    let renew = super::flag(&query.renew);
    let pgt_url = given(&query.pgt_url).map(str::to_owned);
    let (mut validated, grant) = tokio::task::spawn_blocking(move || {
        domain.cas_validate(
            &ticket,
            &service,
            Validation {
                renew,
                proxy_tickets,
                pgt_url: pgt_url.as_deref(),
            },
        )
    })
    .await
    .unwrap_or_else(|error| {
        tracing::error!(%error, "CAS validation task failed");
        Err(CasFailure::new(CasCode::InternalError, "internal error"))
    })?;
    if let Some(grant) = grant {
        // The specification: a callback that does not take the ticket gets none, and the
        // validation succeeds without it.
        if state.cas_proxy.deliver(&grant).await {
            validated.proxy_granting_ticket = Some(grant.iou);
        } else {
            state.domain.cas_revoke_grant(&grant);
        }
    }
    Ok(validated)
}

pub async fn service_validate(
    State(state): State<AppState>,
    Query(query): Query<ValidateQuery>,
) -> Response {
    let outcome = outcome(&state, &query, false).await;
    response::answer(Format::of(query.format.as_deref()), &outcome)
}

pub async fn proxy_validate(
    State(state): State<AppState>,
    Query(query): Query<ValidateQuery>,
) -> Response {
    let outcome = outcome(&state, &query, true).await;
    response::answer(Format::of(query.format.as_deref()), &outcome)
}

/// CAS 1.0: `yes` and the login on two lines, or `no` and an empty line. It knows nothing of
/// proxies: a `pgtUrl` is not read.
pub async fn validate_v1(
    State(state): State<AppState>,
    Query(mut query): Query<ValidateQuery>,
) -> Response {
    query.pgt_url = None;
    let body = match outcome(&state, &query, false).await {
        Ok(validated) => format!("yes\n{}\n", validated.user),
        Err(_) => "no\n\n".to_owned(),
    };
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct ProxyQuery {
    pgt: Option<String>,
    #[serde(rename = "targetService")]
    target_service: Option<String>,
    format: Option<String>,
}

/// A proxy ticket for `targetService`, given a live proxy-granting ticket.
pub async fn proxy(State(state): State<AppState>, Query(query): Query<ProxyQuery>) -> Response {
    let format = Format::of(query.format.as_deref());
    let (Some(pgt), Some(target)) = (given(&query.pgt), given(&query.target_service)) else {
        let failure = CasFailure::new(
            CasCode::InvalidRequest,
            "Both the pgt and targetService parameters are required",
        );
        return response::proxy_answer(format, &Err(failure));
    };
    let domain = state.domain.clone();
    let (pgt, target) = (pgt.to_owned(), target.to_owned());
    let outcome = tokio::task::spawn_blocking(move || domain.cas_proxy_ticket(&pgt, &target))
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "CAS proxy task failed");
            Err(CasFailure::new(CasCode::InternalError, "internal error"))
        });
    response::proxy_answer(format, &outcome)
}
