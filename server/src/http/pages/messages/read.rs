//! A message with the rest of its conversation, its attachments, and what one does with it:
//! mark unread, trash, restore, delete for good.

use axum::extract::{Path, Request};
use axum::response::Response;
use preau_app::messages::model::{Attachment, MessageView, ShownMessage};
use preau_app::messages::Page;
use preau_app::model::PageBody;

use super::{folder_href, folder_label, parse_id};
use crate::domain::accounts::account::Account;
use crate::domain::messages::message::{Folder, Message};
use crate::domain::{Domain, DomainError};
use crate::http::pages::format::{long_date_time, size_label};
use crate::http::pages::{Names, PageCtx};

fn shown(
    names: &mut Names<'_>,
    message: &Message,
    current: bool,
) -> Result<ShownMessage, DomainError> {
    let to = message
        .to
        .iter()
        .map(|addressee| addressee.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(ShownMessage {
        anchor: format!("message-{}", message.id),
        from: names.of(&[message.from])?,
        to,
        date: long_date_time(message.date()),
        body: message.body.clone(),
        attachments: message
            .attachments
            .iter()
            .enumerate()
            .map(|(index, file)| Attachment {
                href: format!("/messagerie/messages/{}/pieces-jointes/{index}", message.id),
                name: file.name.clone(),
                size: size_label(file.size),
            })
            .collect(),
        current,
        href: (!current).then(|| format!("/messagerie/messages/{}", message.id)),
    })
}

pub(super) async fn message(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        let opened = domain.open_message(viewer, id)?;
        let mut names = Names::new(domain);
        let mut messages = Vec::with_capacity(opened.conversation.len() + 1);
        for other in opened
            .conversation
            .iter()
            .filter(|other| other.date() <= opened.message.date())
        {
            messages.push(shown(&mut names, other, false)?);
        }
        messages.push(shown(&mut names, &opened.message, true)?);
        for other in opened
            .conversation
            .iter()
            .filter(|other| other.date() > opened.message.date())
        {
            messages.push(shown(&mut names, other, false)?);
        }
        let folder = opened.entry.folder;
        let received = opened.message.from != viewer.id;
        let others = opened
            .message
            .to
            .iter()
            .any(|addressee| addressee.id != format!("personne:{}", viewer.id));
        let action = |what: &str| format!("/messagerie/messages/{id}/{what}");
        Ok(MessageView {
            subject: opened.message.subject.clone(),
            back: folder_href(folder).to_owned(),
            back_label: folder_label(folder).to_owned(),
            messages,
            reply: received.then(|| format!("/messagerie/nouveau?repondre={id}")),
            reply_all: (!received || others)
                .then(|| format!("/messagerie/nouveau?repondre-a-tous={id}")),
            forward: format!("/messagerie/nouveau?transferer={id}"),
            mark_unread: (folder == Folder::Inbox).then(|| action("non-lu")),
            trash: (folder != Folder::Trash).then(|| action("corbeille")),
            restore: (folder == Folder::Trash).then(|| action("restaurer")),
            delete: (folder == Folder::Trash).then(|| action("supprimer")),
        })
    };
    ctx.signed_in_page("Message", build, |view| {
        PageBody::Messages(Page::Message(view))
    })
    .await
}

pub(super) async fn attachment(
    ctx: PageCtx,
    Path((id, index)): Path<(String, String)>,
    request: Request,
) -> Response {
    let find = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        let index = index.parse().map_err(|_| DomainError::UnknownMessage(id))?;
        domain.message_attachment(viewer, id, index)
    };
    ctx.signed_in_file(find, true, request, DomainError::UnknownMessage(0))
        .await
}

pub(super) async fn mark_unread(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        domain.set_message_read(viewer, parse_id(&id)?, false)
    };
    ctx.signed_in_write(write, |()| "/messagerie".to_owned())
        .await
}

pub(super) async fn trash(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        let back = domain
            .folder_of(viewer, id)?
            .map_or(Folder::Inbox, |folder| folder);
        domain.trash_message(viewer, id)?;
        Ok(back)
    };
    ctx.signed_in_write(write, |back| folder_href(back).to_owned())
        .await
}

pub(super) async fn restore(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        domain.restore_message(viewer, id)?;
        Ok(id)
    };
    ctx.signed_in_write(write, |id| format!("/messagerie/messages/{id}"))
        .await
}

pub(super) async fn delete(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        let id = parse_id(&id)?;
        let folder = domain.folder_of(viewer, id)?;
        domain.delete_message(viewer, id)?;
        Ok(folder.unwrap_or(Folder::Trash))
    };
    ctx.signed_in_write(write, |folder| folder_href(folder).to_owned())
        .await
}
