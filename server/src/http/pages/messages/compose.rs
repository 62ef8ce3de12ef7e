//! `/messagerie/nouveau`: writing a message, answering, forwarding, finishing a draft. One
//! multipart form does everything without JavaScript: « Chercher » lists the recipients that
//! match (to tick), « Enregistrer le brouillon » keeps it, « Envoyer » sends it. A file chosen
//! with any button is kept in the draft, so a refused send loses nothing.

use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use preau_app::messages::model::{ComposeView, KeptFile, RecipientChoice};
use preau_app::messages::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use crate::domain::accounts::account::Account;
use crate::domain::messages::message::Message;
use crate::domain::messages::recipients::RecipientId;
use crate::domain::messages::{Composed, SEARCH_LIMIT};
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::pages::format::{long_date_time, size_label};
use crate::http::pages::{Names, PageCtx};
use crate::http::resource_input::Received;

#[derive(Deserialize, Default)]
pub(super) struct Start {
    /// A recipient to start with (a person's card links here).
    a: Option<String>,
    repondre: Option<u64>,
    #[serde(rename = "repondre-a-tous")]
    repondre_a_tous: Option<u64>,
    transferer: Option<u64>,
    brouillon: Option<u64>,
    /// Set after « Enregistrer le brouillon ».
    enregistre: Option<String>,
}

/// What the form holds.
#[derive(Clone, Debug, Default)]
struct Fields {
    to: Vec<String>,
    query: String,
    subject: String,
    body: String,
    keep: Vec<String>,
    in_reply_to: Option<u64>,
    forwarding: Option<u64>,
    draft: Option<u64>,
}

impl Fields {
    fn of(received: &Received) -> Self {
        let id = |name: &str| received.first(name).trim().parse().ok();
        let mut to: Vec<String> = Vec::new();
        for id in received.all("a") {
            if !to.contains(&id) {
                to.push(id);
            }
        }
        Self {
            to,
            query: received.first("q").to_owned(),
            subject: received.first("objet").to_owned(),
            body: received.first("texte").to_owned(),
            keep: received.all("garder"),
            in_reply_to: id("reponse_a"),
            forwarding: id("transfert"),
            draft: id("brouillon"),
        }
    }

    fn composed(&self) -> Composed {
        Composed {
            to: self.to.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            in_reply_to: self.in_reply_to,
            forwarding: self.forwarding,
            draft: self.draft,
            keep: self.keep.clone(),
        }
    }
}

/// « RE: » or « TR: » before a subject, once.
fn prefixed(prefix: &str, subject: &str) -> String {
    let bare = subject.trim();
    if bare
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    {
        bare.to_owned()
    } else {
        format!("{prefix} {bare}")
    }
}

/// The original, quoted below the answer.
fn quoted(names: &mut Names<'_>, message: &Message, intro: &str) -> Result<String, DomainError> {
    Ok(format!(
        "\n\n<p>{intro} {}, {} a écrit :</p>\n<blockquote>{}</blockquote>",
        long_date_time(message.date()),
        names.of(&[message.from])?,
        message.body
    ))
}

/// The form as `start` opens it.
fn start_fields(domain: &Domain, viewer: &Account, start: &Start) -> Result<Fields, DomainError> {
    let mut names = Names::new(domain);
    if let Some(id) = start.brouillon {
        let draft = domain.own_draft(viewer, id)?;
        return Ok(Fields {
            to: draft
                .to
                .iter()
                .map(|addressee| addressee.id.clone())
                .collect(),
            subject: draft.subject.clone(),
            body: draft.body.clone(),
            keep: draft
                .attachments
                .iter()
                .map(|file| file.hash.clone())
                .collect(),
            in_reply_to: draft.in_reply_to,
            draft: Some(draft.id),
            ..Fields::default()
        });
    }
    if let Some(id) = start.repondre.or(start.repondre_a_tous) {
        let original = domain.held_message(viewer, id)?;
        let mut to = Vec::new();
        if original.from != viewer.id {
            to.push(RecipientId::Person(original.from).code());
        }
        if start.repondre_a_tous.is_some() {
            let own = RecipientId::Person(viewer.id).code();
            for addressee in &original.to {
                if addressee.id != own && !to.contains(&addressee.id) {
                    to.push(addressee.id.clone());
                }
            }
        }
        return Ok(Fields {
            to,
            subject: prefixed("RE:", &original.subject),
            body: quoted(&mut names, &original, "Le")?,
            in_reply_to: Some(original.id),
            ..Fields::default()
        });
    }
    if let Some(id) = start.transferer {
        let original = domain.held_message(viewer, id)?;
        return Ok(Fields {
            subject: prefixed("TR:", &original.subject),
            body: quoted(&mut names, &original, "Message transféré. Le")?,
            keep: original
                .attachments
                .iter()
                .map(|file| file.hash.clone())
                .collect(),
            forwarding: Some(original.id),
            ..Fields::default()
        });
    }
    Ok(Fields {
        to: start.a.iter().cloned().collect(),
        ..Fields::default()
    })
}

/// The form's view: the chosen recipients named, the files the draft or the forwarded message
/// carries, and when `search` the recipients that match the query.
fn form_view(
    domain: &Domain,
    viewer: &Account,
    fields: &Fields,
    search: bool,
    error: Option<String>,
    notice: Option<String>,
) -> Result<ComposeView, DomainError> {
    let mut chosen = Vec::new();
    for id in &fields.to {
        let Some(parsed) = RecipientId::parse(id) else {
            continue;
        };
        if let Some(label) = domain.recipient_label(&parsed)? {
            chosen.push(RecipientChoice {
                id: parsed.code(),
                label,
                checked: true,
            });
        }
    }
    let matches = if search && !fields.query.trim().is_empty() {
        domain
            .recipients_for(viewer, &fields.query, SEARCH_LIMIT)?
            .into_iter()
            .filter(|candidate| !fields.to.contains(&candidate.id.code()))
            .map(|candidate| RecipientChoice {
                id: candidate.id.code(),
                label: match candidate.members {
                    Some(members) => format!("{} ({members})", candidate.label),
                    None => candidate.label,
                },
                checked: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut files = Vec::new();
    let carried = match (fields.draft, fields.forwarding) {
        (Some(draft), _) => domain.own_draft(viewer, draft)?.attachments,
        (None, Some(forwarded)) => domain.held_message(viewer, forwarded)?.attachments,
        (None, None) => Vec::new(),
    };
    for file in carried {
        if fields.keep.contains(&file.hash) {
            files.push(KeptFile {
                hash: file.hash.clone(),
                name: file.name.clone(),
                size: size_label(file.size),
            });
        }
    }
    let title = if fields.forwarding.is_some() {
        "Transférer un message"
    } else if fields.in_reply_to.is_some() {
        "Répondre"
    } else {
        "Nouveau message"
    };
    Ok(ComposeView {
        title: title.to_owned(),
        chosen,
        query: fields.query.clone(),
        searched: search && !fields.query.trim().is_empty(),
        matches,
        subject: fields.subject.clone(),
        body: fields.body.clone(),
        in_reply_to: fields.in_reply_to,
        forwarding: fields.forwarding,
        draft: fields.draft,
        files,
        max_upload: format!("{} Mio", domain.config().files.max_upload_mb),
        error,
        notice,
    })
}

pub(super) async fn form(ctx: PageCtx, Query(start): Query<Start>) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        if !crate::domain::access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        let fields = start_fields(domain, viewer, &start)?;
        let notice = start
            .enregistre
            .is_some()
            .then(|| "Brouillon enregistré.".to_owned());
        form_view(domain, viewer, &fields, false, None, notice)
    };
    ctx.signed_in_page("Écrire un message", build, |view| {
        PageBody::Messages(Page::Compose(view))
    })
    .await
}

/// What the form asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Intent {
    Send,
    Save,
    Search,
}

/// What came of it.
enum Outcome {
    Sent(u64),
    Saved(u64),
    Again(StatusCode, Box<ComposeView>),
}

/// Whether `error` is the person's to fix on the form (else it is the error page's).
fn on_the_form(error: &DomainError) -> bool {
    matches!(
        error,
        DomainError::InvalidMessage(_)
            | DomainError::RecipientsRefused(_)
            | DomainError::QuotaExceeded { .. }
    )
}

pub(super) async fn submit(ctx: PageCtx, multipart: Multipart) -> Response {
    let writer = |_: &Domain, viewer: &Account| {
        if crate::domain::access::uses_messages(viewer) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    };
    let (viewer, (), received) = match ctx.signed_in_upload(multipart, writer).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let intent = match received.first("action") {
        "chercher" => Intent::Search,
        "enregistrer" => Intent::Save,
        _ => Intent::Send,
    };
    let mut fields = Fields::of(&received);
    let upload = received.upload;
    let domain = ctx.state.domain.clone();
    let outcome = crate::http::blocking(move || {
        let again = |fields: &Fields, status: StatusCode, error: Option<String>, notice| {
            let search = intent == Intent::Search;
            form_view(&domain, &viewer, fields, search, error, notice)
                .map(|view| Outcome::Again(status, Box::new(view)))
        };
        // A file is kept in the draft before anything else can refuse the message.
        let mut notice = None;
        if upload.is_some() || intent == Intent::Save {
            match domain.save_draft(&viewer, fields.composed(), upload) {
                Ok(draft) => {
                    fields.draft = Some(draft.id);
                    fields.keep = draft.attachments.iter().map(|f| f.hash.clone()).collect();
                    notice = Some("Brouillon enregistré.".to_owned());
                    if intent == Intent::Save {
                        return Ok(Outcome::Saved(draft.id));
                    }
                }
                Err(error) if on_the_form(&error) => {
                    let error = ApiError::from(error);
                    return again(&fields, error.status, Some(error.message), None);
                }
                Err(other) => return Err(other),
            }
        }
        if intent == Intent::Search {
            return again(&fields, StatusCode::OK, None, notice);
        }
        match domain.send_message(&viewer, fields.composed(), None) {
            Ok(sent) => Ok(Outcome::Sent(sent.id)),
            Err(error) if on_the_form(&error) => {
                let error = ApiError::from(error);
                again(&fields, error.status, Some(error.message), notice)
            }
            Err(other) => Err(other),
        }
    })
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return ctx.error(error),
    };
    // A draft may have been written even when the form comes back.
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    match outcome {
        Outcome::Sent(id) => Redirect::to(&format!("/messagerie/messages/{id}")).into_response(),
        Outcome::Saved(id) => {
            Redirect::to(&format!("/messagerie/nouveau?brouillon={id}&enregistre=1"))
                .into_response()
        }
        Outcome::Again(status, view) => ctx.render(
            status,
            "Écrire un message",
            None,
            PageBody::Messages(Page::Compose(*view)),
        ),
    }
}
