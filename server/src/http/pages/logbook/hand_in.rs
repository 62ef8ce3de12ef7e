//! A homework and the pupil's hand-in; for the teacher, every hand-in and their zip.

use super::*;

fn parse_homework(id: &str) -> Result<u64, DomainError> {
    id.parse().map_err(|_| DomainError::UnknownHomework(0))
}

pub(super) async fn hand_in_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<WeekQuery>,
) -> Response {
    let notice = (query.ok.as_deref() == Some("rendu")).then_some("Votre travail est rendu.");
    let build = move |domain: &Domain, viewer: &Account| {
        hand_in_view(domain, viewer, parse_homework(&id)?, None, notice)
    };
    ctx.signed_in_page("Travail à faire", build, |view| {
        PageBody::Logbook(logbook::Page::HandIn(view))
    })
    .await
}

fn hand_in_view(
    domain: &Domain,
    viewer: &Account,
    id: u64,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<HandInView, DomainError> {
    let (entry, homework) = domain.homework(viewer, id)?;
    let establishment = domain.establishment()?;
    let mut names = Names::new(domain);
    let handed_in = if viewer.profile == Profile::Eleve {
        domain.own_hand_in(viewer, id)?
    } else {
        None
    };
    let facts = vec![
        (
            "Matière".to_owned(),
            establishment.subject_label(&entry.subject),
        ),
        (
            "Classe ou groupe".to_owned(),
            establishment.target_label(&entry.target),
        ),
        ("Pour le".to_owned(), long_day(homework.due)),
        ("Nature".to_owned(), kind_label(&homework)),
        (
            "Donné le".to_owned(),
            format!(
                "{} par {}",
                long_day(entry.date),
                names.of(&entry.teachers)?
            ),
        ),
    ];
    let upload = (homework.hand_in && viewer.profile == Profile::Eleve)
        .then(|| format!("/cahier-de-textes/devoirs/{id}"));
    Ok(HandInView {
        heading: format!("Travail de {}", establishment.subject_label(&entry.subject)),
        facts,
        description: homework.description.clone(),
        back: entry_href(entry.course, entry.date),
        handed_in: handed_in.map(|hand_in: HandIn| {
            (
                file_link(
                    format!("/cahier-de-textes/devoirs/{id}/fichier"),
                    &hand_in.file,
                ),
                format!("le {}", long_date_time(hand_in.at)),
            )
        }),
        upload,
        max_upload: format!("{} Mio", domain.config().files.max_upload_mb),
        error,
        notice: notice.map(str::to_owned),
    })
}

pub(super) async fn hand_in(
    ctx: PageCtx,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    // Refused before the upload: anyone who may not hand in this homework.
    let pupil = move |domain: &Domain, viewer: &Account| {
        let id = parse_homework(&id)?;
        if viewer.profile != Profile::Eleve {
            return Err(DomainError::Forbidden);
        }
        domain.homework(viewer, id).map(|_| id)
    };
    let (viewer, id, received) = match ctx.signed_in_upload(multipart, pupil).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let domain = ctx.state.domain.clone();
    let outcome = crate::http::blocking(move || {
        let refused =
            |message: String| hand_in_view(&domain, &viewer, id, Some(message), None).map(Err);
        let Some(staged) = received.upload else {
            return refused("Choisissez le fichier à rendre.".to_owned());
        };
        match domain.hand_in(&viewer, id, staged) {
            Ok(_) => Ok(Ok(())),
            Err(error @ (DomainError::InvalidEntry(_) | DomainError::QuotaExceeded { .. })) => {
                refused(ApiError::from(error).message)
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
            Redirect::to(&format!("/cahier-de-textes/devoirs/{id}?ok=rendu")).into_response()
        }
        Ok(Err(view)) => render(
            &ctx,
            StatusCode::BAD_REQUEST,
            "Travail à faire",
            logbook::Page::HandIn(view),
        ),
        Err(error) => ctx.error(error),
    }
}

pub(super) async fn own_hand_in(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let find = move |domain: &Domain, viewer: &Account| {
        let id = parse_homework(&id)?;
        domain
            .own_hand_in(viewer, id)?
            .map(|hand_in| hand_in.file)
            .ok_or(DomainError::UnknownHomework(id))
    };
    let missing = DomainError::UnknownHomework(0);
    ctx.signed_in_file(find, query.telecharger.is_some(), request, missing)
        .await
}

pub(super) async fn hand_ins(ctx: PageCtx, Path(id): Path<String>) -> Response {
    ctx.signed_in_page(
        "Travaux rendus",
        move |domain, viewer| hand_ins_view(domain, viewer, parse_homework(&id)?),
        |view| PageBody::Logbook(logbook::Page::HandIns(view)),
    )
    .await
}

fn hand_ins_view(domain: &Domain, viewer: &Account, id: u64) -> Result<HandInsView, DomainError> {
    let (entry, homework) = domain.homework(viewer, id)?;
    let list = domain.hand_ins(viewer, id)?;
    let establishment = domain.establishment()?;
    let deadline = homework
        .due
        .and_hms_opt(23, 59, 59)
        .and_then(|time| time.and_local_timezone(chrono_tz::Europe::Paris).single())
        .map(|time| time.with_timezone(&chrono::Utc));
    let mut rows = Vec::new();
    let mut count = 0;
    for pupil in &list {
        let (file, status, late) = match &pupil.hand_in {
            Some(hand_in) => {
                count += 1;
                let late = deadline.is_some_and(|deadline| hand_in.at > deadline);
                (
                    Some(file_link(
                        format!("/cahier-de-textes/devoirs/{id}/rendus/{}", pupil.pupil.id),
                        &hand_in.file,
                    )),
                    format!(
                        "{} le {}",
                        if late { "Rendu en retard" } else { "Rendu" },
                        long_date_time(hand_in.at)
                    ),
                    late,
                )
            }
            None => (None, "Non rendu".to_owned(), true),
        };
        rows.push(HandInRow {
            pupil: format!("{} {}", pupil.pupil.last_name, pupil.pupil.first_name),
            file,
            status,
            late,
        });
    }
    Ok(HandInsView {
        heading: format!(
            "Travaux rendus · {} · {}",
            establishment.subject_label(&entry.subject),
            establishment.target_label(&entry.target)
        ),
        summary: format!(
            "{count} sur {} pour le {} : {}",
            list.len(),
            long_day(homework.due),
            homework.description
        ),
        back: entry_href(entry.course, entry.date),
        rows,
        archive: (count > 0).then(|| format!("/cahier-de-textes/devoirs/{id}/rendus.zip")),
    })
}

pub(super) async fn hand_in_file(
    ctx: PageCtx,
    Path((id, pupil)): Path<(String, String)>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let find = move |domain: &Domain, viewer: &Account| {
        let id = parse_homework(&id)?;
        let pupil: u64 = pupil.parse().map_err(|_| DomainError::UnknownPerson(0))?;
        domain
            .hand_ins(viewer, id)?
            .into_iter()
            .find(|p| p.pupil.id == pupil)
            .and_then(|p| p.hand_in)
            .map(|hand_in| hand_in.file)
            .ok_or(DomainError::UnknownPerson(pupil))
    };
    let missing = DomainError::UnknownHomework(0);
    ctx.signed_in_file(find, query.telecharger.is_some(), request, missing)
        .await
}

pub(super) async fn hand_ins_zip(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || {
        let id = parse_homework(&id)?;
        let (entry, homework) = domain.homework(&viewer, id)?;
        let establishment = domain.establishment()?;
        let archive = domain.hand_ins_archive(&viewer, id)?;
        let name = format!(
            "Rendus {} {} {}.zip",
            establishment.subject_label(&entry.subject),
            establishment.target_label(&entry.target),
            homework.due.format("%Y-%m-%d")
        );
        Ok::<_, DomainError>((archive, name))
    })
    .await;
    let (archive, name) = match built {
        Ok(built) => built,
        Err(error) => return ctx.error(error),
    };
    let file = match tokio::fs::File::open(archive.file.path()).await {
        Ok(file) => file,
        Err(source) => {
            return ctx.error(DomainError::FileIo {
                action: "open",
                path: "hand-in archive".to_owned(),
                source,
            })
        }
    };
    // The temporary file is unlinked once opened: the open handle keeps the bytes for the
    // response.
    drop(archive);
    crate::http::files::private_zip(file, &name)
}
