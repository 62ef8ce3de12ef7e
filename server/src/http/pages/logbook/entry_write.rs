//! Writing a session's entry (the multipart form), copying it, the visa, and its documents.

use super::entry::{entry_view, kind_choices, Resent};
use super::*;

pub(super) async fn save_entry(
    ctx: PageCtx,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    // Only who may write the session sends a file: others are refused before the upload.
    let writer = move |domain: &Domain, viewer: &Account| {
        let (course, date) = session_of_slug(&slug)?;
        if !domain.logbook_session(viewer, course, date)?.may_write {
            return Err(DomainError::Forbidden);
        }
        Ok((course, date))
    };
    let (viewer, (course, date), received) = match ctx.signed_in_upload(multipart, writer).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let (input, resent, unreadable) = entry_input(&received);
    let upload = received.upload;
    let domain = ctx.state.domain.clone();
    let outcome = crate::http::blocking(move || {
        let refused = |error: DomainError, resent: Resent| {
            let message = ApiError::from(error).message;
            let found = domain.logbook_session(&viewer, course, date)?;
            entry_view(&domain, &viewer, &found, Some(message), None, Some(resent)).map(Err)
        };
        if let Some(problem) = unreadable {
            return refused(problem, resent);
        }
        match domain.save_entry(&viewer, course, date, input, upload) {
            Ok(_) => Ok(Ok(())),
            Err(error @ (DomainError::InvalidEntry(_) | DomainError::QuotaExceeded { .. })) => {
                refused(error, resent)
            }
            Err(other) => Err(other),
        }
    })
    .await;
    match outcome {
        Ok(Ok(())) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("{}?ok=enregistre", entry_href(course, date))).into_response()
        }
        Ok(Err(view)) => render(
            &ctx,
            StatusCode::BAD_REQUEST,
            "Séance",
            logbook::Page::Entry(view),
        ),
        Err(error) => ctx.error(error),
    }
}

/// The form's fields as the domain takes them, the values to show again if it is refused, and
/// a field that could not be read at all (a date or a number that is not one).
fn entry_input(received: &Received) -> (EntryInput, Resent, Option<DomainError>) {
    use crate::domain::logbook::EntryProblem;
    let content = received.first("contenu").to_owned();
    let list = |name: &str| -> Vec<&str> {
        received
            .fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let ids = list("devoir");
    let descriptions = list("description");
    let dues = list("pour");
    let kinds = list("nature");
    let minutes = list("minutes");
    let hand_ins = list("rendu");
    let mut homework = Vec::new();
    let mut resent = Vec::new();
    let mut unreadable = None;
    for (index, id) in ids.iter().enumerate() {
        let at = |values: &[&str]| {
            values
                .get(index)
                .copied()
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let (description, due, kind, minutes_text, hand_in) = (
            at(&descriptions),
            at(&dues),
            at(&kinds),
            at(&minutes),
            at(&hand_ins) == "oui",
        );
        let kind = HomeworkKind::of_code(&kind).unwrap_or(HomeworkKind::Exercise);
        let due_date = if due.is_empty() {
            None
        } else {
            let parsed = parse_date(Some(&due));
            if parsed.is_none() {
                unreadable.get_or_insert(DomainError::InvalidEntry(EntryProblem::InvalidDueDate));
            }
            parsed
        };
        let minutes_value = if minutes_text.is_empty() {
            None
        } else {
            match minutes_text.parse::<u16>() {
                Ok(value) => Some(value),
                Err(_) => {
                    unreadable
                        .get_or_insert(DomainError::InvalidEntry(EntryProblem::MinutesOutOfRange));
                    None
                }
            }
        };
        resent.push(HomeworkFields {
            id: id.trim().to_owned(),
            description: description.clone(),
            due: due.clone(),
            kinds: kind_choices(kind),
            minutes: minutes_text,
            hand_in,
        });
        homework.push(HomeworkInput {
            id: id.trim().parse().ok(),
            description,
            due: due_date,
            kind,
            minutes: minutes_value,
            hand_in,
        });
    }
    let resources = received
        .all("ressource")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let input = EntryInput {
        content: content.clone(),
        resources,
        homework,
        remove_attachments: received.all("retirer"),
    };
    (
        input,
        Resent {
            content,
            homework: resent,
        },
        unreadable,
    )
}

#[derive(Deserialize)]
pub(super) struct CopyFormData {
    vers: String,
}

pub(super) async fn copy(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Form(form): Form<CopyFormData>,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let copied = crate::http::blocking(move || {
        let from = session_of_slug(&slug)?;
        // Who may not write the session learns nothing about the destination.
        if !domain.logbook_session(&viewer, from.0, from.1)?.may_write {
            return Err(DomainError::Forbidden);
        }
        let Ok(to) = session_of_slug(&form.vers) else {
            return Ok(None);
        };
        domain.copy_entry(&viewer, from, to).map(|()| Some(to))
    })
    .await;
    match copied {
        Ok(None) => ctx.error(ApiError::bad_request(
            "Choisissez la séance où copier celle-ci.",
        )),
        Ok(Some((course, date))) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("{}?ok=copie", entry_href(course, date))).into_response()
        }
        Err(error) => ctx.error(error),
    }
}

#[derive(Deserialize)]
pub(super) struct VisaFormData {
    vise: String,
}

pub(super) async fn visa(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Form(form): Form<VisaFormData>,
) -> Response {
    let signed = form.vise == "oui";
    let write = move |domain: &Domain, viewer: &Account| {
        let (course, date) = session_of_slug(&slug)?;
        domain
            .set_visa(viewer, course, date, signed)
            .map(|()| (course, date))
    };
    ctx.signed_in_write(write, |(course, date)| {
        format!("{}?ok=visa", entry_href(course, date))
    })
    .await
}

pub(super) async fn attachment(
    ctx: PageCtx,
    Path((slug, hash)): Path<(String, String)>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let find = move |domain: &Domain, viewer: &Account| {
        let (course, date) = session_of_slug(&slug)?;
        domain
            .logbook_session(viewer, course, date)?
            .entry
            .and_then(|entry| entry.attachments.iter().find(|f| f.hash == hash).cloned())
            .ok_or(DomainError::NoSuchSession { course, date })
    };
    let missing = DomainError::NoSuchSession {
        course: 0,
        date: NaiveDate::MIN,
    };
    ctx.signed_in_file(find, query.telecharger.is_some(), request, missing)
        .await
}
