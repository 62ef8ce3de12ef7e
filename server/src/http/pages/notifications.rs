//! `/notifications`: the viewer's feed, newest first, with what is new since the last visit
//! marked; opening it marks everything seen (the header's count goes back to zero). Without
//! JavaScript, « Actualiser » and any other page show the count of the moment.

use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use preau_app::model::PageBody;
use preau_app::notifications::model::{FeedView, NotificationLine};
use preau_app::notifications::Page;
use serde::Deserialize;

use super::format::long_date_time;
use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/notifications", get(feed))
}

#[derive(Deserialize)]
struct FeedQuery {
    page: Option<String>,
}

fn page_href(page: usize) -> String {
    if page == 1 {
        "/notifications".to_owned()
    } else {
        format!("/notifications?page={page}")
    }
}

fn summary(unseen: usize) -> String {
    match unseen {
        0 => "Rien de nouveau depuis votre dernière visite.".to_owned(),
        1 => "1 nouvelle notification depuis votre dernière visite.".to_owned(),
        n => format!("{n} nouvelles notifications depuis votre dernière visite."),
    }
}

async fn feed(ctx: PageCtx, Query(query): Query<FeedQuery>) -> Response {
    let page = match query.page.as_deref().map(str::parse::<usize>) {
        None => 1,
        Some(Ok(page)) if page >= 1 => page,
        Some(_) => {
            return ctx.error(ApiError::bad_request(
                "Numéro de page invalide : donnez un nombre entier à partir de 1.",
            ))
        }
    };
    let build = move |domain: &Domain, viewer: &Account| {
        let feed = domain.notifications(viewer, page)?;
        // Seen from now on; shown as new on this page. Not flushed: losing a « seen » in a
        // power cut shows a line as new once more, nothing worse.
        domain.mark_notifications_seen(viewer)?;
        Ok::<_, DomainError>(FeedView {
            summary: summary(feed.unseen),
            lines: feed
                .entries
                .into_iter()
                .map(|entry| NotificationLine {
                    detail: format!(
                        "{} · {}",
                        entry.notification.kind.label(),
                        long_date_time(entry.notification.date)
                    ),
                    href: entry.notification.href,
                    title: entry.notification.title,
                    new: !entry.seen,
                })
                .collect(),
            refresh: page_href(feed.page),
            newer: (feed.page > 1).then(|| page_href(feed.page - 1)),
            older: (feed.page < feed.pages).then(|| page_href(feed.page + 1)),
        })
    };
    ctx.signed_in_page("Notifications", build, |view| {
        PageBody::Notifications(Page::Feed(view))
    })
    .await
}
