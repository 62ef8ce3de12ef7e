//! `/ressources/{id}` (one resource, previewed), and a teacher's forms: `/ressources/nouvelle`,
//! `/ressources/{id}/modifier`, `/ressources/{id}/supprimer`. Forms post multipart (a file may
//! come with them) and redirect to the resource's page.

use std::sync::Arc;

use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use preau_app::model::{Notice, PageBody};
use preau_app::resources;
use preau_app::resources::model::{
    ChoiceGroup, ResourceDeleteView, ResourceFormValues, ResourceFormView, ResourcePreview,
    ResourceView,
};

use super::format::{long_date, size_label};
use super::PageCtx;
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::{Audience, Content, Resource, ResourceKind};
use crate::domain::resources::standard_label;
use crate::domain::resources::vocabulary::Vocabulary;
use crate::domain::school::establishment::Target;
use crate::domain::DomainError;
use crate::files::media::{preview_of, Preview};
use crate::http::error::ApiError;
use crate::http::resource_input::{self, target_value, Received};
use crate::http::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    let uploads = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route(
            "/ressources/nouvelle",
            get(new_form).post(create).layer(uploads),
        )
        .route("/ressources/{id}", get(show))
        .route(
            "/ressources/{id}/modifier",
            get(edit_form).post(update).layer(uploads),
        )
        .route(
            "/ressources/{id}/supprimer",
            get(confirm_delete).post(delete),
        )
}

fn parse_id(id: &str) -> Result<u64, DomainError> {
    id.parse().map_err(|_| DomainError::UnknownResource(0))
}

async fn show(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let account = &auth.signed_in.account;
    let resource = match parse_id(&id).and_then(|id| ctx.state.domain.resource_for(account, id)) {
        Ok(resource) => resource,
        Err(error) => return ctx.error(error),
    };
    let preview = match preview(&ctx.state, account, &resource) {
        Ok(preview) => preview,
        Err(error) => return ctx.error(error),
    };
    let editable = access::allows(
        account,
        Action::EditResource {
            author: resource.author,
        },
    );
    let title = resource.title.clone();
    let view = ResourceView {
        facts: facts(&ctx.state, &resource),
        keywords: resource.keywords.clone(),
        preview,
        edit_href: editable.then(|| format!("/ressources/{}/modifier", resource.id)),
        delete_href: editable.then(|| format!("/ressources/{}/supprimer", resource.id)),
        draft_note: (!resource.published).then(|| {
            if resource.author == account.id {
                "Brouillon : visible de vous seul tant qu'il n'est pas publié.".to_owned()
            } else {
                "Brouillon d'un autre auteur, ouvert par l'administrateur pour assistance \
                 (cet accès est journalisé)."
                    .to_owned()
            }
        }),
        title: resource.title,
        description: resource.description,
    };
    ctx.render(
        StatusCode::OK,
        &title,
        None,
        PageBody::Resources(resources::Page::Resource(view)),
    )
}

fn preview(
    state: &AppState,
    viewer: &Account,
    resource: &Resource,
) -> Result<ResourcePreview, DomainError> {
    let src = format!("/ressources/{}/fichier", resource.id);
    let download = format!("{src}?telecharger=1");
    Ok(match &resource.content {
        Content::Link { url } => ResourcePreview::Link { url: url.clone() },
        Content::Package { package, .. } => ResourcePreview::Package {
            src: state.domain.package_address(viewer, resource.id)?,
            standard: standard_label(&package.standard).to_owned(),
        },
        Content::File { file } => match preview_of(&file.media_type) {
            Preview::Pdf => ResourcePreview::Pdf { src, download },
            Preview::Image => ResourcePreview::Image {
                src,
                alt: resource.title.clone(),
                download,
            },
            Preview::Audio => ResourcePreview::Audio { src, download },
            Preview::Video => ResourcePreview::Video { src, download },
            Preview::None => ResourcePreview::Download {
                href: download,
                name: file.name.clone(),
                size: size_label(file.size),
            },
        },
    })
}

/// The resource's description card: what it is, for whom, by whom.
fn facts(state: &AppState, resource: &Resource) -> Vec<(String, String)> {
    let vocabulary = Vocabulary::embedded();
    let mut facts = vec![("Type".to_owned(), resource.kind.label().to_owned())];
    let mut add = |name: &str, values: Vec<String>| {
        if !values.is_empty() {
            facts.push((name.to_owned(), values.join(", ")));
        }
    };
    add(
        "Disciplines",
        resource
            .disciplines
            .iter()
            .filter_map(|code| vocabulary.discipline_label(code))
            .map(str::to_owned)
            .collect(),
    );
    add(
        "Niveaux",
        resource
            .levels
            .iter()
            .filter_map(|id| vocabulary.level_label(id))
            .map(str::to_owned)
            .collect(),
    );
    add(
        "Thèmes du programme",
        resource
            .themes
            .iter()
            .filter_map(|id| vocabulary.theme(id))
            .map(|theme| theme.short_label().to_owned())
            .collect(),
    );
    let author = state
        .domain
        .accounts()
        .get_shared(resource.author)
        .ok()
        .flatten()
        .map(|a| a.display_name())
        .unwrap_or_else(|| "Auteur inconnu".to_owned());
    add("Auteur", vec![author]);
    add(
        "Publié pour",
        vec![match &resource.audience {
            Audience::Establishment => "tout l'établissement".to_owned(),
            Audience::Targets(targets) => targets
                .iter()
                .map(|t| match t {
                    Target::Class(code) => format!("classe {code}"),
                    Target::Group(code) => format!("groupe {code}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
        }],
    );
    if !resource.licence.is_empty() {
        add("Licence", vec![resource.licence.clone()]);
    }
    if let Some(file) = resource.content.file() {
        add(
            "Fichier",
            vec![format!("{} ({})", file.name, size_label(file.size))],
        );
    }
    add("Mise à jour", vec![long_date(resource.updated_at)]);
    facts
}

/// The person, if they may create resources; otherwise the answer to give them.
fn author(ctx: &PageCtx) -> Result<Arc<Account>, Box<Response>> {
    ctx.require_to(Action::CreateResource)
        .map(|auth| auth.signed_in.account.clone())
}

async fn new_form(ctx: PageCtx) -> Response {
    let account = match author(&ctx) {
        Ok(account) => account,
        Err(refused) => return *refused,
    };
    // A teacher publishes to their classes by default; someone without classes, to everyone.
    let everyone = match ctx.state.domain.resource_targets(&account) {
        Ok(targets) => targets.is_empty(),
        Err(error) => return ctx.error(error),
    };
    let values = ResourceFormValues {
        published: true,
        everyone,
        ..ResourceFormValues::default()
    };
    form_page(&ctx, &account, StatusCode::OK, None, values, None, None)
}

async fn create(ctx: PageCtx, mut multipart: Multipart) -> Response {
    // Decided before the body is read: the upload of someone who may not publish is never
    // received (a little is read, so that a browser still shows the answer).
    let account = match author(&ctx) {
        Ok(account) => account,
        Err(refused) => {
            resource_input::drain_some(&mut multipart).await;
            return *refused;
        }
    };
    let mut form = match resource_input::receive_upload(&ctx.state, &account, multipart).await {
        Ok(form) => form,
        Err(error) => return refused_form(&ctx, &account, None, None, error),
    };
    let draft = match resource_input::draft_from_form(&mut form) {
        Ok(draft) => draft,
        Err(error) => return refused_form(&ctx, &account, Some(&form), None, error),
    };
    let domain = ctx.state.domain.clone();
    let creator = account.clone();
    match crate::http::blocking(move || domain.create_resource(&creator, draft)).await {
        Ok(resource) => saved(&ctx, resource.id).await,
        Err(error) => refused_form(&ctx, &account, Some(&form), None, error.into()),
    }
}

/// The write is durable, then the resource's page.
async fn saved(ctx: &PageCtx, id: u64) -> Response {
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    Redirect::to(&format!("/ressources/{id}")).into_response()
}

/// The resource `id` if `account` may change it.
fn editable(ctx: &PageCtx, account: &Account, id: &str) -> Result<Resource, DomainError> {
    ctx.state.domain.editable_resource(account, parse_id(id)?)
}

async fn edit_form(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let account = &auth.signed_in.account;
    let resource = match editable(&ctx, account, &id) {
        Ok(resource) => resource,
        Err(error) => return ctx.error(error),
    };
    let values = values_of(&resource);
    form_page(
        &ctx,
        account,
        StatusCode::OK,
        None,
        values,
        Some(&resource),
        None,
    )
}

async fn update(ctx: PageCtx, Path(id): Path<String>, mut multipart: Multipart) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let account = auth.signed_in.account.clone();
    let current = match editable(&ctx, &account, &id) {
        Ok(resource) => resource,
        Err(error) => {
            resource_input::drain_some(&mut multipart).await;
            return ctx.error(error);
        }
    };
    let mut form = match resource_input::receive_upload(&ctx.state, &account, multipart).await {
        Ok(form) => form,
        Err(error) => return refused_form(&ctx, &account, None, Some(&current), error),
    };
    let draft = match resource_input::draft_from_form(&mut form) {
        Ok(draft) => draft,
        Err(error) => return refused_form(&ctx, &account, Some(&form), Some(&current), error),
    };
    let domain = ctx.state.domain.clone();
    let editor = account.clone();
    let id = current.id;
    match crate::http::blocking(move || domain.update_resource(&editor, id, draft)).await {
        Ok(resource) => saved(&ctx, resource.id).await,
        Err(error) => refused_form(&ctx, &account, Some(&form), Some(&current), error.into()),
    }
}

async fn confirm_delete(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let resource = match editable(&ctx, &auth.signed_in.account, &id) {
        Ok(resource) => resource,
        Err(error) => return ctx.error(error),
    };
    let view = ResourceDeleteView {
        action: format!("/ressources/{}/supprimer", resource.id),
        back: format!("/ressources/{}", resource.id),
        title: resource.title,
    };
    ctx.render(
        StatusCode::OK,
        "Supprimer la ressource",
        None,
        PageBody::Resources(resources::Page::Delete(view)),
    )
}

async fn delete(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let account = auth.signed_in.account.clone();
    let domain = ctx.state.domain.clone();
    let deleted =
        crate::http::blocking(move || domain.delete_resource(&account, parse_id(&id)?)).await;
    match deleted {
        Ok(resource) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            tracing::info!(id = resource.id, "resource deleted");
            Redirect::to("/ressources").into_response()
        }
        Err(error) => ctx.error(error),
    }
}

/// The form again, with what was typed and the reason it was refused.
fn refused_form(
    ctx: &PageCtx,
    account: &Account,
    form: Option<&Received>,
    current: Option<&Resource>,
    error: ApiError,
) -> Response {
    let values = match (form, current) {
        (Some(form), _) => values_from_form(form),
        (None, Some(current)) => values_of(current),
        (None, None) => ResourceFormValues {
            published: true,
            ..ResourceFormValues::default()
        },
    };
    let status = if error.status.is_server_error() {
        error.status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let message = if form.is_some() && current.is_none() {
        format!(
            "{} Si vous aviez choisi un fichier, choisissez-le à nouveau.",
            error.message
        )
    } else {
        error.message.clone()
    };
    form_page(ctx, account, status, Some(message), values, current, None)
}

fn values_from_form(form: &Received) -> ResourceFormValues {
    ResourceFormValues {
        title: form.first("titre").to_owned(),
        description: form.first("description").to_owned(),
        kind: form.first("type").to_owned(),
        disciplines: form.all("disciplines"),
        levels: form.all("niveaux"),
        themes: form.all("themes"),
        keywords: form.first("mots_cles").to_owned(),
        licence: form.first("licence").to_owned(),
        url: form.first("lien").to_owned(),
        everyone: form.first("public") != "classes",
        targets: form.all("cibles"),
        published: form.first("publier") == "oui",
    }
}

fn values_of(resource: &Resource) -> ResourceFormValues {
    let (everyone, targets) = match &resource.audience {
        Audience::Establishment => (true, Vec::new()),
        Audience::Targets(targets) => (false, targets.iter().map(target_value).collect()),
    };
    ResourceFormValues {
        title: resource.title.clone(),
        description: resource.description.clone(),
        kind: resource.kind.code().to_owned(),
        disciplines: resource.disciplines.clone(),
        levels: resource.levels.clone(),
        themes: resource.themes.clone(),
        keywords: resource.keywords.join(", "),
        licence: resource.licence.clone(),
        url: match &resource.content {
            Content::Link { url } => url.clone(),
            _ => String::new(),
        },
        everyone,
        targets,
        published: resource.published,
    }
}

const LICENCES: [&str; 6] = [
    "CC BY 4.0",
    "CC BY-SA 4.0",
    "CC BY-NC-SA 4.0",
    "CC BY-NC-ND 4.0",
    "Licence Ouverte 2.0",
    "Tous droits réservés",
];

fn form_page(
    ctx: &PageCtx,
    account: &Account,
    status: StatusCode,
    error: Option<String>,
    values: ResourceFormValues,
    current: Option<&Resource>,
    notice: Option<Notice>,
) -> Response {
    let vocabulary = Vocabulary::embedded();
    let domain = &ctx.state.domain;
    let establishment = match domain.establishment() {
        Ok(establishment) => establishment,
        Err(error) => return ctx.error(error),
    };
    let targets = match domain.publish_choices(account) {
        Ok(targets) => targets,
        Err(error) => return ctx.error(error),
    };
    let target_choices = targets
        .iter()
        .map(|target| {
            let label = match target {
                Target::Class(code) => establishment
                    .classes
                    .iter()
                    .find(|c| &c.code == code)
                    .map(|c| format!("Classe {}", c.label))
                    .unwrap_or_else(|| format!("Classe {code}")),
                Target::Group(code) => establishment
                    .groups
                    .iter()
                    .find(|g| &g.code == code)
                    .map(|g| format!("Groupe {}", g.label))
                    .unwrap_or_else(|| format!("Groupe {code}")),
            };
            (target_value(target), label)
        })
        .collect();
    // The programme themes of the disciplines the person teaches (all of them for an
    // administrator), plus those already chosen: 700 options would swamp a phone.
    let subjects: Vec<&str> = establishment
        .teachings
        .iter()
        .filter(|t| t.teacher == account.id)
        .map(|t| t.subject.as_str())
        .chain(values.disciplines.iter().map(String::as_str))
        .collect();
    let themes = vocabulary
        .disciplines_roots()
        .into_iter()
        .filter(|root| {
            account.is_admin
                || subjects.contains(&root.discipline.as_str())
                || values.themes.iter().any(|t| {
                    vocabulary
                        .theme(t)
                        .is_some_and(|t| t.discipline == root.discipline)
                })
        })
        .flat_map(|root| {
            vocabulary
                .children_of(&root.id)
                .into_iter()
                .map(move |cycle| (root, cycle))
        })
        .map(|(root, cycle)| ChoiceGroup {
            label: format!("{} — {}", root.label, cycle.label),
            choices: descendants(vocabulary, &cycle.id),
        })
        .collect();
    let mut kinds = vec![(String::new(), "Automatique (d'après le contenu)".to_owned())];
    kinds.extend(
        ResourceKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), k.label().to_owned())),
    );
    let (heading, action, submit) = match current {
        Some(resource) => (
            format!("Modifier « {} »", resource.title),
            format!("/ressources/{}/modifier", resource.id),
            "Enregistrer",
        ),
        None => (
            "Nouvelle ressource".to_owned(),
            "/ressources/nouvelle".to_owned(),
            "Créer la ressource",
        ),
    };
    let view = ResourceFormView {
        heading: heading.clone(),
        action,
        submit: submit.to_owned(),
        error,
        values,
        kinds,
        disciplines: vocabulary
            .disciplines()
            .iter()
            .map(|t| (t.id.clone(), t.label.clone()))
            .collect(),
        levels: vocabulary
            .levels()
            .iter()
            .map(|t| (t.id.clone(), t.label.clone()))
            .collect(),
        themes,
        targets: target_choices,
        licences: LICENCES.iter().map(|l| (*l).to_owned()).collect(),
        current_file: current
            .and_then(|r| r.content.file())
            .map(|f| format!("{} ({})", f.name, size_label(f.size))),
        max_upload: format!("{} Mio", domain.config().files.max_upload_mb),
    };
    ctx.render(
        status,
        &heading,
        notice,
        PageBody::Resources(resources::Page::Form(view)),
    )
}

/// Every theme below `parent`, depth first, indented by depth.
fn descendants(vocabulary: &Vocabulary, parent: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for theme in vocabulary.children_of(parent) {
        let indent = "  ".repeat(usize::from(theme.depth.saturating_sub(2)));
        out.push((theme.id.clone(), format!("{indent}{}", theme.short_label())));
        out.extend(descendants(vocabulary, &theme.id));
    }
    out
}
