//! `/admin`: the administrator's overview.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::model::{AdminView, CountLine, PageBody};

use super::PageCtx;
use crate::domain::access::{self, Action};
use crate::domain::account::AccountState;
use crate::domain::profile::Profile;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin", get(home))
}

async fn home(ctx: PageCtx) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    if !access::allows(&auth.signed_in.account, Action::Administer) {
        return ctx.error(ApiError::forbidden());
    }
    match admin_view(&ctx.state.domain) {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Administration",
            None,
            PageBody::Admin(view),
        ),
        Err(error) => ctx.error(error),
    }
}

fn admin_view(domain: &Domain) -> Result<AdminView, DomainError> {
    let establishment = domain.establishment()?;
    let mut counts: Vec<CountLine> = Profile::ALL
        .iter()
        .map(|profile| CountLine {
            label: profile.plural_label().to_owned(),
            active: 0,
            to_activate: 0,
            deactivated: 0,
        })
        .collect();
    for account in domain.accounts.all() {
        let account = account?;
        if let Some(index) = Profile::ALL.iter().position(|p| *p == account.profile) {
            let line = &mut counts[index];
            match account.state {
                AccountState::Active => line.active += 1,
                AccountState::ToActivate { .. } => line.to_activate += 1,
                AccountState::Deactivated { .. } => line.deactivated += 1,
            }
        }
    }
    Ok(AdminView {
        uai: establishment.uai.clone(),
        academie: establishment.academie.clone(),
        counts,
        classes: establishment.classes.len(),
        groups: establishment.groups.len(),
    })
}
