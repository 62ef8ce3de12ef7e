//! `GET /cas/serviceValidate`, `/cas/p3/serviceValidate` (and the `proxyValidate` pair, which
//! take service tickets too), `/cas/validate` (CAS 1.0) and `/cas/proxy`. A service's server
//! calls them with the ticket the browser brought back; there is no session here.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::given;
use super::response::{self, Format};
use crate::domain::cas::{CasCode, CasFailure, Validated};
use crate::http::AppState;

#[derive(Deserialize)]
pub struct ValidateQuery {
    service: Option<String>,
    ticket: Option<String>,
    renew: Option<String>,
    format: Option<String>,
}

/// The validation itself, off the async threads (it reads the account from the store).
async fn outcome(state: &AppState, query: &ValidateQuery) -> Result<Validated, CasFailure> {
    let (Some(service), Some(ticket)) = (given(&query.service), given(&query.ticket)) else {
        return Err(CasFailure::new(
            CasCode::InvalidRequest,
            "Both the service and ticket parameters are required",
        ));
    };
    let domain = state.domain.clone();
    let (service, ticket) = (service.to_owned(), ticket.to_owned());
    let renew = super::flag(&query.renew);
    tokio::task::spawn_blocking(move || domain.cas_validate(&ticket, &service, renew))
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "CAS validation task failed");
            Err(CasFailure::new(CasCode::InternalError, "internal error"))
        })
}

pub async fn service_validate(
    State(state): State<AppState>,
    Query(query): Query<ValidateQuery>,
) -> Response {
    let outcome = outcome(&state, &query).await;
    response::answer(Format::of(query.format.as_deref()), &outcome)
}

/// CAS 1.0: `yes` and the login on two lines, or `no` and an empty line.
pub async fn validate_v1(
    State(state): State<AppState>,
    Query(query): Query<ValidateQuery>,
) -> Response {
    let body = match outcome(&state, &query).await {
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
}

/// No service is allowed to proxy yet, so no proxy-granting ticket exists and every request
/// with its parameters is refused as the protocol says.
pub async fn proxy(Query(query): Query<ProxyQuery>) -> Response {
    let failure = if given(&query.pgt).is_none() || given(&query.target_service).is_none() {
        CasFailure::new(
            CasCode::InvalidRequest,
            "Both the pgt and targetService parameters are required",
        )
    } else {
        CasFailure::new(
            CasCode::UnauthorizedServiceProxy,
            "No service of this server may proxy authentication",
        )
    };
    response::proxy_failure(&failure)
}
