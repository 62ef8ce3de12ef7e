//! A folder's page, the search in one's own messages, and emptying the trash.

use axum::extract::Query;
use axum::response::Response;
use preau_app::messages::model::{FolderLink, FolderView, MessageLine};
use preau_app::messages::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use super::{folder_href, folder_label, short_date};
use crate::domain::accounts::account::Account;
use crate::domain::messages::message::{Folder, MailboxEntry};
use crate::domain::{Domain, DomainError};
use crate::http::pages::{Names, PageCtx};

#[derive(Deserialize)]
pub(super) struct PageQuery {
    page: Option<usize>,
}

#[derive(Deserialize)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The folder list beside every page, with the unread count of the inbox.
fn folder_links(current: Option<Folder>, unread: usize) -> Vec<FolderLink> {
    Folder::ALL
        .into_iter()
        .map(|folder| FolderLink {
            href: folder_href(folder).to_owned(),
            label: folder_label(folder).to_owned(),
            count: (folder == Folder::Inbox).then_some(unread),
            current: current == Some(folder),
        })
        .collect()
}

/// A message as a list shows it.
fn line(
    names: &mut Names<'_>,
    entry: &MailboxEntry,
    now: chrono::DateTime<chrono::Utc>,
    with_folder: bool,
) -> Result<MessageLine, DomainError> {
    let who = match entry.folder {
        Folder::Sent | Folder::Drafts => {
            if entry.to_label.is_empty() {
                "(sans destinataire)".to_owned()
            } else {
                format!("À : {}", entry.to_label)
            }
        }
        Folder::Inbox | Folder::Trash => names.of(&[entry.from])?,
    };
    let href = if entry.folder == Folder::Drafts {
        format!("/messagerie/nouveau?brouillon={}", entry.message)
    } else {
        format!("/messagerie/messages/{}", entry.message)
    };
    Ok(MessageLine {
        href,
        who,
        subject: if entry.subject.is_empty() {
            "(sans objet)".to_owned()
        } else {
            entry.subject.clone()
        },
        date: short_date(entry.date, now),
        read: entry.read,
        attachments: entry.has_attachments,
        folder: with_folder.then(|| folder_label(entry.folder).to_owned()),
    })
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("aucun {one}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

async fn show(ctx: PageCtx, folder: Folder, page: usize) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        let listed = domain.folder(viewer, folder, page)?;
        let now = domain.clock().now();
        let mut names = Names::new(domain);
        let lines = listed
            .entries
            .iter()
            .map(|entry| line(&mut names, entry, now, false))
            .collect::<Result<Vec<_>, _>>()?;
        let mut summary = count(listed.total, "message", "messages");
        if folder == Folder::Inbox && listed.unread > 0 {
            summary.push_str(&format!(", {}", count(listed.unread, "non lu", "non lus")));
        }
        if listed.pages > 1 {
            summary.push_str(&format!(" · page {} sur {}", listed.page, listed.pages));
        }
        let href = |page: usize| format!("{}?page={page}", folder_href(folder));
        Ok(FolderView {
            title: folder_label(folder).to_owned(),
            folders: folder_links(Some(folder), listed.unread),
            lines,
            summary: super::super::format::capitalised(&summary),
            previous: (listed.page > 1).then(|| href(listed.page - 1)),
            next: (listed.page < listed.pages).then(|| href(listed.page + 1)),
            empty_trash: (folder == Folder::Trash)
                .then(|| "/messagerie/corbeille/vider".to_owned()),
            query: None,
        })
    };
    let title = format!("Messagerie · {}", folder_label(folder));
    ctx.signed_in_page(&title, build, |view| PageBody::Messages(Page::Folder(view)))
        .await
}

pub(super) async fn inbox(ctx: PageCtx, Query(query): Query<PageQuery>) -> Response {
    show(ctx, Folder::Inbox, query.page.unwrap_or(1)).await
}

pub(super) async fn sent(ctx: PageCtx, Query(query): Query<PageQuery>) -> Response {
    show(ctx, Folder::Sent, query.page.unwrap_or(1)).await
}

pub(super) async fn drafts(ctx: PageCtx, Query(query): Query<PageQuery>) -> Response {
    show(ctx, Folder::Drafts, query.page.unwrap_or(1)).await
}

pub(super) async fn trash(ctx: PageCtx, Query(query): Query<PageQuery>) -> Response {
    show(ctx, Folder::Trash, query.page.unwrap_or(1)).await
}

pub(super) async fn empty_trash(ctx: PageCtx) -> Response {
    ctx.signed_in_write(
        |domain: &Domain, viewer: &Account| domain.empty_trash(viewer),
        |_| "/messagerie/corbeille".to_owned(),
    )
    .await
}

/// Most results a search shows.
const SEARCH_RESULTS: usize = 50;

pub(super) async fn search(ctx: PageCtx, Query(query): Query<SearchQuery>) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        let found = domain.search_messages(viewer, &query.q, SEARCH_RESULTS)?;
        let unread = domain.unread_count(viewer)?;
        let now = domain.clock().now();
        let mut names = Names::new(domain);
        let lines = found
            .iter()
            .map(|entry| line(&mut names, entry, now, true))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FolderView {
            title: format!("Recherche « {} »", query.q.trim()),
            folders: folder_links(None, unread),
            summary: super::super::format::capitalised(&count(
                lines.len(),
                "message trouvé",
                "messages trouvés",
            )),
            lines,
            previous: None,
            next: None,
            empty_trash: None,
            query: Some(query.q.clone()),
        })
    };
    ctx.signed_in_page("Messagerie · Recherche", build, |view| {
        PageBody::Messages(Page::Folder(view))
    })
    .await
}
