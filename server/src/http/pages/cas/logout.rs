//! `GET /cas/logout`: a service signs the person out of Préau (the protocol makes it a GET).
//! The session ends as with « Se déconnecter », the services that asked are told, and the
//! browser goes to `service` only when it is a registered service's address.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{given, see_other};
use crate::http::auth;
use crate::http::pages::PageCtx;

#[derive(Deserialize)]
pub struct LogoutQuery {
    service: Option<String>,
}

pub async fn logout(ctx: PageCtx, Query(query): Query<LogoutQuery>) -> Response {
    if let Err(failed) = super::super::sign_in::end_session(&ctx).await {
        return failed;
    }
    let registered =
        given(&query.service).filter(|s| matches!(ctx.state.domain.cas_service(s), Ok(Some(_))));
    let mut response = registered
        .and_then(see_other)
        .unwrap_or_else(|| Redirect::to("/connexion?au-revoir=1").into_response());
    response
        .headers_mut()
        .insert(header::SET_COOKIE, auth::cleared_cookie(ctx.client.https));
    response
}
