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

use super::{format, server_status, PageCtx};
use crate::directory::history::{RunStatus, SyncRecord};
use crate::domain::access::Action;
use crate::domain::school::sheets::Audience;
use crate::domain::{Domain, DomainError};
use crate::http::AppState;
use crate::monitoring::health::Health;
use crate::monitoring::Monitoring;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/fiches/{class}", get(sheets_form).post(print_sheets))
}

async fn home(ctx: PageCtx) -> Response {
    if let Err(refused) = ctx.require_to(Action::Administer) {
        return *refused;
    }
    let data = ctx.state.data.clone();
    let monitoring = ctx.state.monitoring.clone();
    ctx.signed_in_page(
        "Administration",
        move |domain, _viewer| admin_view(domain, &monitoring, &data),
        |view| PageBody::Admin(admin::Page::Home(Box::new(view))),
    )
    .await
}

fn admin_view(
    domain: &Domain,
    monitoring: &Monitoring,
    data: &std::path::Path,
) -> Result<AdminView, DomainError> {
    let establishment = domain.establishment()?;
    let health = Health::read(domain, monitoring, data)?;
    let counts = health
        .census
        .by_profile
        .iter()
        .map(|(profile, counts)| CountLine {
            label: profile.plural_label().to_owned(),
            active: counts.active,
            to_activate: counts.to_activate,
            deactivated: counts.deactivated,
        })
        .collect();
    let sync = sync_status(domain, health.last_sync.as_ref());
    Ok(AdminView {
        uai: establishment.uai.clone(),
        academie: establishment.academie.clone(),
        counts,
        classes: establishment.classes.len(),
        groups: establishment.groups.len(),
        server: server_status::of(&health, domain, &sync),
        sync,
        sheet_classes: establishment
            .classes
            .iter()
            .map(|class| (class.code.clone(), class.label.clone()))
            .collect(),
    })
}

fn sync_status(domain: &Domain, last_run: Option<&SyncRecord>) -> SyncStatus {
    let directory = &domain.config().directory;
    let next_run = match directory.schedule.next_run(domain.clock().now()) {
        Some(when) => format::long_date_time(when),
        None => "synchronisation automatique désactivée".to_owned(),
    };
    SyncStatus {
        source: directory.source.to_string(),
        next_run,
        last_run: last_run.map(run_line),
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
