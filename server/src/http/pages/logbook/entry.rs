//! A session's entry as its readers see it, with the teacher's form, the copy and the visa.

use super::*;

pub(super) async fn entry_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(query): Query<WeekQuery>,
) -> Response {
    let notice = match query.ok.as_deref() {
        Some("enregistre") => {
            Some("La séance est enregistrée : ses élèves et leurs parents la voient.")
        }
        Some("copie") => Some("La séance est copiée."),
        Some("visa") => Some("Le visa est enregistré."),
        _ => None,
    };
    let build = move |domain: &Domain, viewer: &Account| {
        let (course, date) = session_of_slug(&slug)?;
        let found = domain.logbook_session(viewer, course, date)?;
        entry_view(domain, viewer, &found, None, notice, None)
    };
    ctx.signed_in_page("Séance", build, |view| {
        PageBody::Logbook(logbook::Page::Entry(view))
    })
    .await
}

/// The values a refused form is shown again with.
pub(super) struct Resent {
    pub content: String,
    pub homework: Vec<HomeworkFields>,
}

pub(super) fn entry_view(
    domain: &Domain,
    viewer: &Account,
    found: &SessionEntry,
    error: Option<String>,
    notice: Option<&str>,
    resent: Option<Resent>,
) -> Result<EntryView, DomainError> {
    let establishment = domain.establishment()?;
    let mut names = Names::new(domain);
    let session = &found.session;
    let entry = found.entry.as_deref();
    let slug = session.slug();
    let base = format!("/cahier-de-textes/seances/{slug}");
    let subject = establishment.subject_label(&session.subject);
    let target = establishment.target_label(&session.target);
    let mut facts = vec![
        ("Date".to_owned(), long_day(session.date)),
        ("Horaire".to_owned(), time_range(session.start, session.end)),
        ("Classe ou groupe".to_owned(), target.clone()),
    ];
    let teachers = names.of(&session.teachers)?;
    if !teachers.is_empty() {
        facts.push(("Enseignant".to_owned(), teachers));
    }
    if session.cancelled {
        facts.push(("Séance".to_owned(), "Annulée".to_owned()));
    }
    if let Some(entry) = entry {
        let author = names.of(&[entry.author])?;
        facts.push((
            "Dernière modification".to_owned(),
            format!("{} par {author}", long_date_time(entry.updated_at)),
        ));
    }
    let attachments: Vec<FileLink> = entry
        .map(|entry| {
            entry
                .attachments
                .iter()
                .map(|file| file_link(format!("{base}/fichiers/{}", file.hash), file))
                .collect()
        })
        .unwrap_or_default();
    let mut resources = Vec::new();
    for id in entry
        .map(|entry| entry.resources.as_slice())
        .unwrap_or_default()
    {
        // A resource the viewer may not open (withdrawn, a draft) is left out.
        if let Ok(resource) = domain.resource_for(viewer, *id) {
            resources.push((format!("/ressources/{id}"), resource.title));
        }
    }
    let may_hand_in_list = found.may_write;
    let mut homework = Vec::new();
    for item in entry
        .map(|entry| entry.homework.as_slice())
        .unwrap_or_default()
    {
        let link = if may_hand_in_list && item.hand_in {
            let count = domain
                .hand_ins(viewer, item.id)
                .map(|list| {
                    let done = list.iter().filter(|p| p.hand_in.is_some()).count();
                    format!("Rendus : {done} sur {}", list.len())
                })
                .unwrap_or_else(|_| "Rendus".to_owned());
            Some((
                format!("/cahier-de-textes/devoirs/{}/rendus", item.id),
                count,
            ))
        } else if item.hand_in && viewer.profile == Profile::Eleve {
            Some((
                format!("/cahier-de-textes/devoirs/{}", item.id),
                "Rendre mon travail".to_owned(),
            ))
        } else {
            None
        };
        homework.push(HomeworkLine {
            due: format!("Pour le {}", long_day(item.due)),
            kind: kind_label(item),
            description: item.description.clone(),
            link,
        });
    }
    let visa = match entry.and_then(|entry| entry.visa.as_ref()) {
        Some(visa) => Some(format!(
            "Visé par {} le {}",
            names.of(&[visa.by])?,
            long_date_time(visa.at)
        )),
        None => None,
    };
    let form = if found.may_write {
        let resent = resent.unwrap_or_else(|| Resent {
            content: entry.map(|entry| entry.content.clone()).unwrap_or_default(),
            homework: entry
                .map(|entry| entry.homework.iter().map(homework_fields).collect())
                .unwrap_or_default(),
        });
        let mut fields = resent.homework;
        if fields.iter().all(|f| !f.id.is_empty()) {
            fields.push(blank_homework());
        }
        let linked = entry
            .map(|entry| entry.resources.as_slice())
            .unwrap_or_default();
        let resources = domain
            .linkable_resources(viewer)?
            .into_iter()
            .map(|resource| Choice {
                selected: linked.contains(&resource.id),
                value: resource.id.to_string(),
                label: resource.title,
            })
            .collect();
        Some(EntryForm {
            action: base.clone(),
            content: resent.content,
            homework: fields,
            resources,
            attachments: attachments.clone(),
            max_upload: format!("{} Mio", domain.config().files.max_upload_mb),
        })
    } else {
        None
    };
    let copy = if found.may_write && entry.is_some() {
        Some(CopyForm {
            action: format!("{base}/copie"),
            sessions: copy_choices(domain, viewer, &establishment, session)?,
        })
        .filter(|form| !form.sessions.is_empty())
    } else {
        None
    };
    let visa_form = (found.may_visa && entry.is_some()).then(|| VisaForm {
        action: format!("{base}/visa"),
        signed: entry.is_some_and(|entry| entry.visa.is_some()),
    });
    let back = match viewer.profile {
        Profile::Enseignant => (
            format!(
                "/cahier-de-textes/seances?semaine={}",
                monday_of(session.date).format("%Y-%m-%d")
            ),
            "← Mes séances".to_owned(),
        ),
        Profile::Eleve | Profile::Parent => (
            "/cahier-de-textes/a-faire".to_owned(),
            "← À faire".to_owned(),
        ),
        _ => (
            format!(
                "/cahier-de-textes/classe?{}&semaine={}",
                target_param(&session.target),
                monday_of(session.date).format("%Y-%m-%d")
            ),
            "← Cahier de textes de la classe".to_owned(),
        ),
    };
    Ok(EntryView {
        heading: format!("{subject} · {target}"),
        facts,
        back,
        content: entry
            .map(|entry| entry.content.clone())
            .filter(|content| !content.is_empty()),
        attachments,
        resources,
        homework,
        visa,
        form,
        copy,
        visa_form,
        error,
        notice: notice.map(str::to_owned),
    })
}

pub(super) fn kind_choices(selected: HomeworkKind) -> Vec<Choice> {
    HomeworkKind::ALL
        .into_iter()
        .map(|kind| Choice {
            value: kind.code().to_owned(),
            label: kind.label().to_owned(),
            selected: kind == selected,
        })
        .collect()
}

fn homework_fields(homework: &Homework) -> HomeworkFields {
    HomeworkFields {
        id: homework.id.to_string(),
        description: homework.description.clone(),
        due: homework.due.format("%Y-%m-%d").to_string(),
        kinds: kind_choices(homework.kind),
        minutes: homework.minutes.map(|m| m.to_string()).unwrap_or_default(),
        hand_in: homework.hand_in,
    }
}

fn blank_homework() -> HomeworkFields {
    HomeworkFields {
        id: String::new(),
        description: String::new(),
        due: String::new(),
        kinds: kind_choices(HomeworkKind::Exercise),
        minutes: String::new(),
        hand_in: false,
    }
}

/// The teacher's sessions of the same subject in other classes or groups, from a week before
/// to three weeks after.
fn copy_choices(
    domain: &Domain,
    viewer: &Account,
    establishment: &IndexedEstablishment,
    session: &Session,
) -> Result<Vec<Choice>, DomainError> {
    if viewer.profile != Profile::Enseignant {
        return Ok(Vec::new());
    }
    let from = session.date - Days::new(7);
    let days = domain.timetable_days(viewer, &Whose::Mine, from, from + Days::new(28))?;
    let mut choices = Vec::new();
    for day in days {
        for other in day.sessions {
            if other.subject == session.subject
                && other.target != session.target
                && !other.cancelled
            {
                choices.push(Choice {
                    value: other.slug(),
                    label: format!(
                        "{} · {} · {}",
                        establishment.target_label(&other.target),
                        capitalised(&long_day(other.date)),
                        time_range(other.start, other.end)
                    ),
                    selected: false,
                });
            }
        }
    }
    Ok(choices)
}
