//! `/admin/services` and `/admin/liens`: the administrator registers the services that sign
//! in through Préau and the home page's links; the configuration file's services are shown
//! read-only.

use axum::extract::{Path, Query};
use axum::response::Response;
use axum::Form;
use preau_app::admin::model::{CasServiceRow, CasServicesView, HomeLinkRow};
use preau_app::admin::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::cas::registry::{NewLink, NewService};
use crate::domain::cas::service::{parse_profile, CasAttribute, CasService};
use crate::domain::{Domain, DomainError};
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
    let build = move |domain: &Domain, viewer: &Account| {
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
            saved: match saved.enregistre.as_deref() {
                Some("service") => Some("Le service est enregistré.".to_owned()),
                Some("lien") => Some("Le lien est ajouté.".to_owned()),
                Some("retire") => Some("C'est retiré.".to_owned()),
                _ => None,
            },
        })
    };
    ctx.signed_in_page("Services connectés", build, |view| {
        PageBody::Admin(Page::Services(view))
    })
    .await
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

pub async fn add_service(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let new = new_service(&form);
    ctx.signed_in_write(
        move |domain: &Domain, viewer: &Account| domain.cas_register_service(viewer, new),
        |_| "/admin/services?enregistre=service".to_owned(),
    )
    .await
}

pub async fn add_link(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let new = NewLink {
        label: field(&form, "libelle").to_owned(),
        url: field(&form, "adresse").to_owned(),
        profiles: profiles(&form),
    };
    ctx.signed_in_write(
        move |domain: &Domain, viewer: &Account| domain.cas_add_link(viewer, new),
        |_| "/admin/services?enregistre=lien".to_owned(),
    )
    .await
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
