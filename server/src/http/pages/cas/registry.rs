//! `/admin/services` and `/admin/liens`: the administrator registers the services that sign
//! in through Préau and the home page's links; the configuration file's services are shown
//! read-only.

use axum::extract::{Multipart, Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use preau_app::admin::model::{
    CasServiceForm, CasServiceRow, CasServicesView, FieldError, HomeLinkForm, HomeLinkRow,
};
use preau_app::admin::Page;
use preau_app::model::{Notice, NoticeKind, PageBody};
use serde::Deserialize;

use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::cas::logo::{logo_href, LogoProblem};
use crate::domain::cas::registry::{NewLink, NewService, RegistryProblem};
use crate::domain::cas::service::{parse_profile, CasAttribute, CasService};
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::pages::PageCtx;

/// The attributes offered, with their French labels, in the form's order.
const ATTRIBUTES: [(CasAttribute, &str, &str); 8] = [
    (CasAttribute::Login, "login", "identifiant"),
    (CasAttribute::DisplayName, "display_name", "nom affiché"),
    (CasAttribute::Email, "email", "adresse électronique"),
    (CasAttribute::Profile, "profile", "profil"),
    (CasAttribute::Uai, "uai", "UAI de l'établissement"),
    (CasAttribute::Classes, "classes", "classes"),
    (CasAttribute::Groups, "groups", "groupes"),
    (
        CasAttribute::Jointure,
        "jointure",
        "identifiant académique (ENTPersonJointure)",
    ),
];

fn attributes_label(attributes: &[CasAttribute]) -> String {
    let labels: Vec<&str> = attributes
        .iter()
        .filter_map(|a| {
            ATTRIBUTES
                .iter()
                .find(|(b, _, _)| b == a)
                .map(|(_, _, l)| *l)
        })
        .collect();
    if labels.is_empty() {
        "l'identifiant seul".to_owned()
    } else {
        labels.join(", ")
    }
}

fn profiles_label(profiles: Option<&[Profile]>) -> String {
    match profiles {
        None => "tous".to_owned(),
        Some(profiles) => profiles
            .iter()
            .map(|p| p.plural_label())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn row(id: Option<u64>, service: &CasService, logo: Option<String>) -> CasServiceRow {
    CasServiceRow {
        id,
        name: service.name.clone(),
        url: service.url.as_str().to_owned(),
        attributes: attributes_label(&service.attributes),
        profiles: profiles_label(service.profiles.as_deref()),
        single_logout: service.single_logout,
        tile: service.tile,
        proxy: service.proxy,
        logo,
        logo_error: None,
    }
}

#[derive(Deserialize)]
pub struct Saved {
    enregistre: Option<String>,
}

pub async fn page(ctx: PageCtx, Query(saved): Query<Saved>) -> Response {
    let saved = match saved.enregistre.as_deref() {
        Some("service") => Some("Le service est enregistré.".to_owned()),
        Some("lien") => Some("Le lien est ajouté.".to_owned()),
        Some("retire") => Some("C'est retiré.".to_owned()),
        Some("logo") => Some("Le logo est enregistré.".to_owned()),
        Some("logo-retire") => Some("Le logo est retiré.".to_owned()),
        _ => None,
    };
    show(&ctx, StatusCode::OK, saved, Forms::default()).await
}

/// The forms of the page, empty or as typed, and a refused logo's service and reason.
#[derive(Default)]
struct Forms {
    service: CasServiceForm,
    link: HomeLinkForm,
    logo_error: Option<(u64, String)>,
}

/// The page with `forms`: `200`, or `422` with the refused form as typed.
async fn show(ctx: &PageCtx, status: StatusCode, saved: Option<String>, forms: Forms) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || view(&domain, &viewer, saved, forms)).await;
    let notice = (status != StatusCode::OK).then(|| Notice {
        kind: NoticeKind::Error,
        text: "Rien n'est enregistré\u{a0}: corrigez le champ signalé.".to_owned(),
    });
    match built {
        Ok(view) => ctx.render(
            status,
            "Services connectés",
            notice,
            PageBody::Admin(Page::Services(Box::new(view))),
        ),
        Err(error) => ctx.error(error),
    }
}

fn view(
    domain: &Domain,
    viewer: &Account,
    saved: Option<String>,
    forms: Forms,
) -> Result<CasServicesView, DomainError> {
    if !access::allows(viewer, Action::Administer) {
        return Err(DomainError::Forbidden);
    }
    let registry = domain.cas_registry()?;
    Ok(CasServicesView {
        configured: domain
            .cas_services()
            .iter()
            .map(|service| row(None, service, None))
            .collect(),
        registered: registry
            .services
            .iter()
            .map(|stored| {
                let logo = stored
                    .logo
                    .as_deref()
                    .map(|sha256| logo_href(stored.id, sha256));
                let mut row = row(Some(stored.id), &stored.service, logo);
                row.logo_error = forms
                    .logo_error
                    .as_ref()
                    .filter(|(id, _)| *id == stored.id)
                    .map(|(_, message)| message.clone());
                row
            })
            .collect(),
        links: registry
            .links
            .iter()
            .map(|link| HomeLinkRow {
                id: link.id,
                label: link.label.clone(),
                url: link.url.as_str().to_owned(),
                profiles: profiles_label(link.profiles.as_deref()),
            })
            .collect(),
        attributes: ATTRIBUTES
            .iter()
            .skip(1) // the login is always sent, as the CAS user
            .map(|(_, value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect(),
        profiles: Profile::ALL
            .iter()
            .map(|p| (p.code().to_owned(), p.plural_label().to_owned()))
            .collect(),
        saved,
        service_form: forms.service,
        link_form: forms.link,
    })
}

/// The field a refusal is about (the form's `name`), with its French message.
fn field_error(problem: RegistryProblem, name_field: &str) -> FieldError {
    let field = match problem {
        RegistryProblem::NoName | RegistryProblem::NameTooLong => name_field,
        RegistryProblem::Address(_) | RegistryProblem::AlreadyCovered(_) => "adresse",
    };
    FieldError {
        field: field.to_owned(),
        message: ApiError::from(DomainError::CasRegistry(problem)).message,
    }
}

/// Why a write did not happen: a refusal shown with the form, or the answer to give.
enum Refused {
    Registry(RegistryProblem),
    Logo(LogoProblem),
    Answer(Box<Response>),
}

/// The administrator's write, made durable; the registry's refusal is given back to show the
/// form again, every other error is the error page.
async fn write<T: Send + 'static>(
    ctx: &PageCtx,
    write: impl FnOnce(&Domain, &Account) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, Refused> {
    let answer = |response: Response| Refused::Answer(Box::new(response));
    let auth = ctx
        .require()
        .map_err(|redirect| answer(redirect.into_response()))?;
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome = match crate::http::blocking(move || write(&domain, &viewer)).await {
        Ok(outcome) => outcome,
        Err(DomainError::CasRegistry(problem)) => return Err(Refused::Registry(problem)),
        Err(DomainError::CasLogo(problem)) => return Err(Refused::Logo(problem)),
        Err(error) => return Err(answer(ctx.error(error))),
    };
    if let Err(error) = ctx.state.domain.flush().await {
        return Err(answer(ctx.error(error)));
    }
    Ok(outcome)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or_default()
}

/// The profiles checked; unknown ones are ignored (a form of another version).
fn profiles(checked: &[String]) -> Vec<Profile> {
    checked
        .iter()
        .filter_map(|value| parse_profile(value))
        .collect()
}

fn all(form: &[(String, String)], name: &str) -> Vec<String> {
    form.iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

/// The service form as typed, to show again if it is refused.
fn typed_service(form: &[(String, String)]) -> CasServiceForm {
    CasServiceForm {
        name: field(form, "nom").to_owned(),
        url: field(form, "adresse").to_owned(),
        attributes: all(form, "attributs"),
        profiles: all(form, "profils"),
        single_logout: field(form, "deconnexion") == "oui",
        tile: field(form, "tuile") == "oui",
        proxy: field(form, "proxy") == "oui",
        error: None,
    }
}

/// What the typed form asks for; unknown attributes and profiles are ignored (a form of
/// another version), and the login is always sent.
fn new_service(typed: &CasServiceForm) -> NewService {
    NewService {
        name: typed.name.clone(),
        url: typed.url.clone(),
        attributes: std::iter::once(CasAttribute::Login)
            .chain(typed.attributes.iter().filter_map(|value| {
                ATTRIBUTES
                    .iter()
                    .find(|(_, code, _)| code == value)
                    .map(|(a, _, _)| *a)
            }))
            .collect(),
        profiles: profiles(&typed.profiles),
        single_logout: typed.single_logout,
        tile: typed.tile,
        proxy: typed.proxy,
    }
}

pub async fn add_service(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let typed = typed_service(&form);
    let new = new_service(&typed);
    match write(&ctx, move |domain, viewer| {
        domain.cas_register_service(viewer, new)
    })
    .await
    {
        Ok(_) => Redirect::to("/admin/services?enregistre=service").into_response(),
        Err(Refused::Registry(problem)) => {
            tracing::info!(%problem, "CAS service refused");
            let forms = Forms {
                service: CasServiceForm {
                    error: Some(field_error(problem, "nom")),
                    ..typed
                },
                ..Forms::default()
            };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, forms).await
        }
        Err(Refused::Logo(problem)) => ctx.error(DomainError::CasLogo(problem)),
        Err(Refused::Answer(response)) => *response,
    }
}

pub async fn add_link(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let typed = HomeLinkForm {
        label: field(&form, "libelle").to_owned(),
        url: field(&form, "adresse").to_owned(),
        profiles: all(&form, "profils"),
        error: None,
    };
    let new = NewLink {
        label: typed.label.clone(),
        url: typed.url.clone(),
        profiles: profiles(&typed.profiles),
    };
    match write(&ctx, move |domain, viewer| domain.cas_add_link(viewer, new)).await {
        Ok(_) => Redirect::to("/admin/services?enregistre=lien").into_response(),
        Err(Refused::Registry(problem)) => {
            tracing::info!(%problem, "home link refused");
            let forms = Forms {
                link: HomeLinkForm {
                    error: Some(field_error(problem, "libelle")),
                    ..typed
                },
                ..Forms::default()
            };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, forms).await
        }
        Err(Refused::Logo(problem)) => ctx.error(DomainError::CasLogo(problem)),
        Err(Refused::Answer(response)) => *response,
    }
}

/// `POST /admin/services/{id}/logo` (multipart, field `logo`): the service's logo, in place of
/// the one it had. A refused image shows the page again (`422`) with the reason under the
/// service's logo field; nothing is written.
pub async fn set_logo(ctx: PageCtx, Path(id): Path<String>, mut multipart: Multipart) -> Response {
    if let Err(refused) = ctx.require_to(Action::Administer) {
        crate::http::resource_input::drain_some(&mut multipart).await;
        return *refused;
    }
    let id = id.parse::<u64>().unwrap_or(u64::MAX);
    let refuse = |message: &str| Forms {
        logo_error: Some((id, message.to_owned())),
        ..Forms::default()
    };
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("logo") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes.to_vec()),
                Err(error) => {
                    tracing::info!(%error, "logo upload interrupted");
                    let forms = refuse(
                        "L'envoi de l'image a été interrompu ou dépasse la taille permise\u{a0}: \
                         rien n'a été modifié.",
                    );
                    return show(&ctx, StatusCode::BAD_REQUEST, None, forms).await;
                }
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(error) => {
                tracing::info!(%error, "logo upload unreadable");
                let forms = refuse("L'envoi de l'image est illisible\u{a0}: rien n'a été modifié.");
                return show(&ctx, StatusCode::BAD_REQUEST, None, forms).await;
            }
        }
    }
    let Some(bytes) = file else {
        let forms = refuse("Choisissez une image PNG, JPEG ou WebP.");
        return show(&ctx, StatusCode::BAD_REQUEST, None, forms).await;
    };
    match write(&ctx, move |domain, viewer| {
        domain.cas_set_logo(viewer, id, bytes)
    })
    .await
    {
        Ok(()) => Redirect::to("/admin/services?enregistre=logo").into_response(),
        Err(Refused::Logo(problem)) => {
            tracing::info!(%problem, "logo refused");
            let message = ApiError::from(DomainError::CasLogo(problem)).message;
            let forms = refuse(&message);
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, forms).await
        }
        Err(Refused::Registry(_)) => ctx.error(DomainError::CasUnknownEntry(id)),
        Err(Refused::Answer(response)) => *response,
    }
}

/// `POST /admin/services/{id}/logo/supprimer`.
pub async fn remove_logo(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let id = id.parse::<u64>().unwrap_or(u64::MAX);
    ctx.signed_in_write(
        move |domain: &Domain, viewer: &Account| domain.cas_remove_logo(viewer, id),
        |()| "/admin/services?enregistre=logo-retire".to_owned(),
    )
    .await
}

/// `GET /services/{id}/logo`: a registered service's logo, for anyone signed in (home tiles).
/// Served as the image it was checked to be, never sniffed, never run.
pub async fn logo(ctx: PageCtx, Path(id): Path<String>) -> Response {
    if let Err(redirect) = ctx.require() {
        return redirect.into_response();
    }
    let id = id.parse::<u64>().unwrap_or(u64::MAX);
    let domain = ctx.state.domain.clone();
    match crate::http::blocking(move || domain.cas_logo(id)).await {
        Ok(Some(logo)) => (
            [
                (header::CONTENT_TYPE, logo.format.media_type().to_owned()),
                (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox".to_owned(),
                ),
                (header::ETAG, format!("\"{}\"", logo.sha256)),
            ],
            logo.bytes,
        )
            .into_response(),
        Ok(None) => ctx.error(DomainError::CasUnknownEntry(id)),
        Err(error) => ctx.error(error),
    }
}

/// Removes a service or a link; an id that is not a number is one nobody registered.
pub async fn remove(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let id = id.parse::<u64>().unwrap_or(u64::MAX);
    ctx.signed_in_write(
        move |domain: &Domain, viewer: &Account| domain.cas_remove(viewer, id),
        |()| "/admin/services?enregistre=retire".to_owned(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_back_as_typed_with_the_login_always_sent() {
        let form: Vec<(String, String)> = [
            ("nom", "CDI"),
            ("adresse", "https://cdi.college.example/"),
            ("attributs", "display_name"),
            ("attributs", "password"),
            ("profils", "National_ENS"),
            ("profils", "PROF"),
            ("tuile", "oui"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let typed = typed_service(&form);
        assert_eq!(
            typed.attributes,
            vec!["display_name", "password"],
            "as typed"
        );
        let new = new_service(&typed);
        assert_eq!(new.name, "CDI");
        assert_eq!(
            new.attributes,
            vec![CasAttribute::Login, CasAttribute::DisplayName]
        );
        assert_eq!(new.profiles, vec![Profile::Enseignant]);
        assert!(new.tile && !new.single_logout && !new.proxy);
    }
}
