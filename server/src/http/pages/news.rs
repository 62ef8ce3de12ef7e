//! `/actualites`: the news shown to the viewer, one item with its picture, and the form that
//! publishes one (multipart, for the picture). Everything works without JavaScript.

use axum::extract::{Multipart, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use preau_app::model::PageBody;
use preau_app::news::model::{Choice, FormView, ItemView, ListView, NewsLine};
use preau_app::news::Page;

use super::format::long_day;
use super::timetable::{today, Names};
use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::logbook::content;
use crate::domain::news::item::{NewsAudience, NewsItem};
use crate::domain::news::NewNews;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::resource_input::{parse_target, target_value, Received};
use crate::http::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    let uploads = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/actualites", get(list))
        .route(
            "/actualites/nouvelle",
            get(new_form).post(publish).layer(uploads),
        )
        .route("/actualites/{id}", get(item))
        .route("/actualites/{id}/image", get(image))
        .route("/actualites/{id}/supprimer", post(remove))
}

fn audience_label(establishment: &IndexedEstablishment, audience: &NewsAudience) -> String {
    match audience {
        NewsAudience::Establishment => "Tout l'établissement".to_owned(),
        NewsAudience::Staff => "Les personnels".to_owned(),
        NewsAudience::Targets(targets) => targets
            .iter()
            .map(|target| establishment.target_label(target))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A news item as lists and the home page show it.
pub(super) fn news_line(
    establishment: &IndexedEstablishment,
    item: &NewsItem,
    today: NaiveDate,
) -> NewsLine {
    let status = if item.from > today {
        Some(format!("À partir du {}", long_day(item.from)))
    } else if !item.is_current(today) {
        Some("Plus publiée".to_owned())
    } else {
        None
    };
    NewsLine {
        href: format!("/actualites/{}", item.id),
        title: item.title.clone(),
        detail: format!(
            "{} · {}",
            long_day(item.from),
            audience_label(establishment, &item.audience)
        ),
        summary: content::summary(&item.body, 200),
        pinned: item.pinned,
        status,
    }
}

/// The latest news of `viewer` for the home page.
pub(super) fn latest(domain: &Domain, viewer: &Account) -> Result<Vec<NewsLine>, DomainError> {
    let today = today(domain);
    let establishment = domain.establishment()?;
    Ok(domain
        .news_for(viewer, today, false)?
        .iter()
        .take(3)
        .map(|item| news_line(&establishment, item, today))
        .collect())
}

async fn list(ctx: PageCtx) -> Response {
    let build = |domain: &Domain, viewer: &Account| {
        let today = today(domain);
        let establishment = domain.establishment()?;
        let items = domain
            .news_for(viewer, today, true)?
            .iter()
            .map(|item| news_line(&establishment, item, today))
            .collect();
        let publish =
            (!domain.news_audiences(viewer)?.is_empty()).then(|| "/actualites/nouvelle".to_owned());
        Ok(ListView { items, publish })
    };
    ctx.signed_in_page("Actualités", build, |view| {
        PageBody::News(Page::List(view))
    })
    .await
}

fn parse_id(id: &str) -> Result<u64, DomainError> {
    id.parse().map_err(|_| DomainError::UnknownNews(0))
}

async fn item(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        let item = domain.news_item(viewer, parse_id(&id)?, today(domain))?;
        let establishment = domain.establishment()?;
        let author = Names::new(domain).of(&[item.author])?;
        Ok(ItemView {
            detail: format!(
                "{} · {} · {author}",
                long_day(item.from),
                audience_label(&establishment, &item.audience)
            ),
            image: item
                .image
                .as_ref()
                .map(|_| format!("/actualites/{}/image", item.id)),
            delete: domain
                .may_remove_news(viewer, &item)
                .then(|| format!("/actualites/{}/supprimer", item.id)),
            title: item.title,
            body: item.body,
        })
    };
    ctx.signed_in_page("Actualité", build, |view| PageBody::News(Page::Item(view)))
        .await
}

async fn image(ctx: PageCtx, Path(id): Path<String>, request: Request) -> Response {
    let find = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        domain
            .news_item(viewer, id, today(domain))?
            .image
            .ok_or(DomainError::UnknownNews(id))
    };
    ctx.signed_in_file(find, false, request, DomainError::UnknownNews(0))
        .await
}

async fn remove(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        domain.remove_news(viewer, parse_id(&id)?, today(domain))
    };
    ctx.signed_in_write(write, |()| "/actualites".to_owned())
        .await
}

#[derive(Default)]
struct Fields {
    titre: String,
    texte: String,
    public: String,
    du: String,
    au: String,
    une: bool,
}

impl Fields {
    fn of(received: &Received) -> Self {
        Self {
            titre: received.first("titre").to_owned(),
            texte: received.first("texte").to_owned(),
            public: received.first("public").to_owned(),
            du: received.first("du").to_owned(),
            au: received.first("au").to_owned(),
            une: received.first("une") == "oui",
        }
    }
}

fn audience_value(audience: &NewsAudience) -> String {
    match audience {
        NewsAudience::Establishment => "etablissement".to_owned(),
        NewsAudience::Staff => "personnels".to_owned(),
        NewsAudience::Targets(targets) => targets.first().map(target_value).unwrap_or_default(),
    }
}

fn form_view(
    domain: &Domain,
    viewer: &Account,
    fields: &Fields,
    error: Option<String>,
) -> Result<FormView, DomainError> {
    let establishment = domain.establishment()?;
    let audiences: Vec<Choice> = domain
        .news_audiences(viewer)?
        .into_iter()
        .map(|audience| {
            let value = audience_value(&audience);
            Choice {
                selected: value == fields.public,
                label: audience_label(&establishment, &audience),
                value,
            }
        })
        .collect();
    if audiences.is_empty() {
        return Err(DomainError::Forbidden);
    }
    Ok(FormView {
        title: fields.titre.clone(),
        body: fields.texte.clone(),
        audiences,
        from: fields.du.clone(),
        until: fields.au.clone(),
        pinned: fields.une,
        max_upload: format!("{} Mio", domain.config().files.max_upload_mb),
        error,
    })
}

async fn new_form(ctx: PageCtx) -> Response {
    let build = |domain: &Domain, viewer: &Account| {
        let fields = Fields {
            du: today(domain).format("%Y-%m-%d").to_string(),
            ..Fields::default()
        };
        form_view(domain, viewer, &fields, None)
    };
    ctx.signed_in_page("Publier une actualité", build, |view| {
        PageBody::News(Page::New(view))
    })
    .await
}

/// The form's item, or the French reason it cannot be read.
fn new_news(fields: &Fields) -> Result<NewNews, String> {
    let date = |text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .filter(|date| crate::domain::timetable::in_reach(*date))
    };
    let from = date(&fields.du).ok_or("La date de publication n'est pas une date.")?;
    let until = if fields.au.trim().is_empty() {
        None
    } else {
        Some(date(&fields.au).ok_or("La date de fin n'est pas une date.")?)
    };
    let audience = match fields.public.as_str() {
        "etablissement" => NewsAudience::Establishment,
        "personnels" => NewsAudience::Staff,
        other => match parse_target(other) {
            Some(target) => NewsAudience::Targets(vec![target]),
            None => return Err("Choisissez pour qui est l'actualité.".to_owned()),
        },
    };
    Ok(NewNews {
        title: fields.titre.clone(),
        body: fields.texte.clone(),
        audience,
        from,
        until,
        pinned: fields.une,
    })
}

async fn publish(ctx: PageCtx, multipart: Multipart) -> Response {
    // Only who may publish somewhere sends a picture: others are refused before the upload.
    let publisher = |domain: &Domain, viewer: &Account| {
        if domain.news_audiences(viewer)?.is_empty() {
            return Err(DomainError::Forbidden);
        }
        Ok(())
    };
    let (viewer, (), received) = match ctx.signed_in_upload(multipart, publisher).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let fields = Fields::of(&received);
    let image = received.upload;
    let domain = ctx.state.domain.clone();
    let outcome = crate::http::blocking(move || {
        let refused =
            |message: String| form_view(&domain, &viewer, &fields, Some(message)).map(Err);
        let new = match new_news(&fields) {
            Ok(new) => new,
            Err(message) => return refused(message),
        };
        match domain.publish_news(&viewer, new, image) {
            Ok(item) => Ok(Ok(item.id)),
            Err(error @ (DomainError::InvalidNews(_) | DomainError::QuotaExceeded { .. })) => {
                refused(ApiError::from(error).message)
            }
            Err(other) => Err(other),
        }
    })
    .await;
    match outcome {
        Ok(Ok(id)) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("/actualites/{id}")).into_response()
        }
        Ok(Err(view)) => ctx.render(
            StatusCode::BAD_REQUEST,
            "Publier une actualité",
            None,
            PageBody::News(Page::New(view)),
        ),
        Err(error) => ctx.error(error),
    }
}
