//! `/admin`: the administrator's overview; `/admin/fiches/{classe}`: printable sign-in sheets.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use preau_app::admin;
use preau_app::admin::model::{
    AdminView, CountLine, Sheet, SheetsConfirmView, SheetsView, SyncRun, SyncStatus,
};
use preau_app::model::PageBody;
use serde::Deserialize;

use super::{format, PageCtx};
use crate::directory::history::{RunStatus, SyncRecord};
use crate::directory::inbox::Inbox;
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::AccountState;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::sheets::Audience;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/fiches/{class}", get(sheets_form).post(print_sheets))
}

async fn home(ctx: PageCtx) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    if !access::allows(&auth.signed_in.account, Action::Administer) {
        return ctx.error(ApiError::forbidden());
    }
    match admin_view(&ctx.state.domain, &ctx.state.data) {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Administration",
            None,
            PageBody::Admin(admin::Page::Home(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

fn admin_view(domain: &Domain, data: &std::path::Path) -> Result<AdminView, DomainError> {
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
    for account in domain.accounts().all() {
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
        sync: sync_status(domain, data),
        sheet_classes: establishment
            .classes
            .iter()
            .map(|class| (class.code.clone(), class.label.clone()))
            .collect(),
    })
}

fn sync_status(domain: &Domain, data: &std::path::Path) -> SyncStatus {
    let directory = &domain.config().directory;
    let next_run = match directory.schedule.next_run(domain.clock().now()) {
        Some(when) => format::long_date_time(when),
        None => "synchronisation automatique désactivée".to_owned(),
    };
    let last_run = match Inbox::of(data).last_run() {
        Ok(last) => last.as_ref().map(run_line),
        Err(error) => {
            tracing::warn!(%error, "cannot read the directory sync history");
            None
        }
    };
    SyncStatus {
        source: directory.source.to_string(),
        next_run,
        last_run,
    }
}

/// One run of the history, in words.
pub(super) fn run_line(run: &SyncRecord) -> SyncRun {
    let (outcome, ok) = match run.status {
        RunStatus::Applied => ("importé", true),
        RunStatus::Rejected => ("refusé", false),
        RunStatus::Failed => ("échoué", false),
    };
    let detail = match &run.failure {
        Some(reason) => reason.clone(),
        None => format!(
            "{} · {} fichier(s), {} personne(s) créée(s), {} mise(s) à jour, {} désactivée(s), {} erreur(s), {} avertissement(s)",
            run.source,
            run.files.len(),
            run.created.persons(),
            run.updated.persons(),
            run.deactivated.persons(),
            run.errors,
            run.warnings
        ),
    };
    SyncRun {
        when: format::long_date_time(run.finished_at),
        outcome: outcome.to_owned(),
        ok,
        detail,
    }
}

/// Whose sheets to print: `?pour=` on the confirmation page, `pour` in its form.
#[derive(Deserialize)]
struct SheetsChoice {
    pour: Option<String>,
}

impl SheetsChoice {
    fn audience(&self) -> Audience {
        match self.pour.as_deref() {
            Some("eleves") => Audience::Pupils,
            Some("parents") => Audience::Parents,
            _ => Audience::Both,
        }
    }
}

fn audience_code(audience: Audience) -> &'static str {
    match audience {
        Audience::Pupils => "eleves",
        Audience::Parents => "parents",
        Audience::Both => "tous",
    }
}

/// The confirmation: codes cannot be read back, so printing issues new ones, and only on POST.
async fn sheets_form(
    ctx: PageCtx,
    Path(class): Path<String>,
    Query(choice): Query<SheetsChoice>,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let summary = match ctx
        .state
        .domain
        .sheets_summary(&auth.signed_in.account, &class)
    {
        Ok(summary) => summary,
        Err(error) => return ctx.error(error),
    };
    let title = format!("Fiches de connexion · {}", summary.class_label);
    let view = SheetsConfirmView {
        class_label: summary.class_label,
        action: format!("/admin/fiches/{class}"),
        pupils_waiting: summary.pupils_waiting,
        parents_waiting: summary.parents_waiting,
        already_active: summary.already_active,
        audience: audience_code(choice.audience()).to_owned(),
    };
    ctx.render(
        StatusCode::OK,
        &title,
        None,
        PageBody::Admin(admin::Page::SheetsConfirm(view)),
    )
}

/// Issues fresh codes and answers with the sheets to print. The page holds secrets shown once:
/// no cache keeps it.
async fn print_sheets(
    ctx: PageCtx,
    Path(class): Path<String>,
    headers: HeaderMap,
    Form(choice): Form<SheetsChoice>,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let printed = ctx.state.domain.print_connection_sheets(
        &auth.signed_in.account,
        &class,
        choice.audience(),
        &mut rand::rngs::OsRng,
    );
    let sheets = match printed {
        Ok(sheets) => sheets,
        Err(error) => return ctx.error(error),
    };
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("ent");
    let scheme = ctx.client.scheme();
    let view = SheetsView {
        class_label: sheets.class_label.clone(),
        back: format!("/admin/fiches/{class}"),
        activation_url: format!("{scheme}://{host}/activation"),
        expires: sheets.expires_at.map(format::long_date).unwrap_or_default(),
        sheets: sheets
            .sheets
            .into_iter()
            .map(|line| Sheet {
                name: line.name,
                about: if line.children.is_empty() {
                    String::new()
                } else {
                    format!("parent de {}", line.children.join(" et "))
                },
                login: line.login,
                code: line.code,
            })
            .collect(),
    };
    let title = format!("Fiches de connexion · {}", sheets.class_label);
    let mut response = ctx.render(
        StatusCode::OK,
        &title,
        None,
        PageBody::Admin(admin::Page::Sheets(view)),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
