//! `/admin/services` and `/admin/liens`: the administrator registers the services that sign
//! in through Préau and the home page's links; the configuration file's services are shown
//! read-only.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
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

fn row(id: Option<u64>, service: &CasService) -> CasServiceRow {
    CasServiceRow {
        id,
        name: service.name.clone(),
        url: service.url.as_str().to_owned(),
        attributes: attributes_label(&service.attributes),
        profiles: profiles_label(service.profiles.as_deref()),
        single_logout: service.single_logout,
        tile: service.tile,
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
        _ => None,
    };
    show(&ctx, StatusCode::OK, saved, Forms::default()).await
}

/// The two forms of the page, empty or as typed.
#[derive(Default)]
struct Forms {
    service: CasServiceForm,
    link: HomeLinkForm,
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
            .map(|service| row(None, service))
            .collect(),
        registered: registry
            .services
            .iter()
            .map(|stored| row(Some(stored.id), &stored.service))
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

fn profiles(form: &[(String, String)]) -> Vec<Profile> {
    form.iter()
        .filter(|(key, _)| key == "profils")
        .filter_map(|(_, value)| parse_profile(value))
        .collect()
}

/// The form as typed; unknown attributes and profiles are ignored (a form of another version).
fn new_service(form: &[(String, String)]) -> NewService {
    NewService {
        name: field(form, "nom").to_owned(),
        url: field(form, "adresse").to_owned(),
        attributes: std::iter::once(CasAttribute::Login)
            .chain(
                form.iter()
                    .filter(|(key, _)| key == "attributs")
                    .filter_map(|(_, value)| {
                        ATTRIBUTES
                            .iter()
                            .find(|(_, code, _)| code == value)
                            .map(|(a, _, _)| *a)
                    }),
            )
            .collect(),
        profiles: profiles(form),
        single_logout: field(form, "deconnexion") == "oui",
        tile: field(form, "tuile") == "oui",
    }
}

fn all(form: &[(String, String)], name: &str) -> Vec<String> {
    form.iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

pub async fn add_service(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let new = new_service(&form);
    match write(&ctx, move |domain, viewer| {
        domain.cas_register_service(viewer, new)
    })
    .await
    {
        Ok(_) => Redirect::to("/admin/services?enregistre=service").into_response(),
        Err(Refused::Registry(problem)) => {
            tracing::info!(%problem, "CAS service refused");
            let typed = CasServiceForm {
                name: field(&form, "nom").to_owned(),
                url: field(&form, "adresse").to_owned(),
                attributes: all(&form, "attributs"),
                profiles: all(&form, "profils"),
                single_logout: field(&form, "deconnexion") == "oui",
                tile: field(&form, "tuile") == "oui",
                error: Some(field_error(problem, "nom")),
            };
            let forms = Forms {
                service: typed,
                ..Forms::default()
            };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, forms).await
        }
        Err(Refused::Answer(response)) => *response,
    }
}

pub async fn add_link(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let new = NewLink {
        label: field(&form, "libelle").to_owned(),
        url: field(&form, "adresse").to_owned(),
        profiles: profiles(&form),
    };
    match write(&ctx, move |domain, viewer| domain.cas_add_link(viewer, new)).await {
        Ok(_) => Redirect::to("/admin/services?enregistre=lien").into_response(),
        Err(Refused::Registry(problem)) => {
            tracing::info!(%problem, "home link refused");
            let typed = HomeLinkForm {
                label: field(&form, "libelle").to_owned(),
                url: field(&form, "adresse").to_owned(),
                profiles: all(&form, "profils"),
                error: Some(field_error(problem, "libelle")),
            };
            let forms = Forms {
                link: typed,
                ..Forms::default()
            };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, forms).await
        }
        Err(Refused::Answer(response)) => *response,
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
        let new = new_service(&form);
        assert_eq!(new.name, "CDI");
        assert_eq!(
            new.attributes,
            vec![CasAttribute::Login, CasAttribute::DisplayName]
        );
        assert_eq!(new.profiles, vec![Profile::Enseignant]);
        assert!(new.tile && !new.single_logout);
    }
}
