//! `/cahier-de-textes`: « à faire » for pupils and parents, « mes séances » for teachers, a
//! session's entry with its form, a class's week, hand-ins. Every page works without JavaScript:
//! forms post to the server, which answers with a redirect or the page with its error.

use axum::extract::{Multipart, Path, Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Days, NaiveDate};
use preau_app::logbook::model::{
    ClassDay, ClassEntry, ClassView, CopyForm, EntryForm, EntryView, FileLink, HandInRow,
    HandInView, HandInsView, HomeworkFields, HomeworkLine, SessionItem, SessionsDay, SessionsView,
    TodoDay, TodoItem, TodoView, VisaForm,
};
use preau_app::logbook::{self, model::Choice, model::Chooser};
use preau_app::model::PageBody;
use serde::Deserialize;

use super::format::{
    capitalised, day_month, encode, long_date_time, long_day, size_label, weekday_day_month,
};
use super::timetable::{today, Names};
use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::logbook::content;
use crate::domain::logbook::entry::{HandIn, Homework, HomeworkKind, LessonEntry};
use crate::domain::logbook::homework::HomeworkItem;
use crate::domain::logbook::write::{EntryInput, HomeworkInput};
use crate::domain::logbook::SessionEntry;
use crate::domain::resources::resource::StoredFile;
use crate::domain::school::establishment::Target;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::domain::timetable::calendar::{monday_of, DayKind};
use crate::domain::timetable::session::{parse_slug, Session};
use crate::domain::timetable::Whose;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::resource_input::{self, Received};
use crate::http::AppState;

/// « À faire » covers four weeks from today.
const TODO_DAYS: u64 = 27;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    let uploads = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/cahier-de-textes", get(start))
        .route("/cahier-de-textes/a-faire", get(todo))
        .route("/cahier-de-textes/seances", get(sessions))
        .route(
            "/cahier-de-textes/seances/{slug}",
            get(entry_page).post(save_entry).layer(uploads),
        )
        .route("/cahier-de-textes/seances/{slug}/copie", post(copy))
        .route("/cahier-de-textes/seances/{slug}/visa", post(visa))
        .route(
            "/cahier-de-textes/seances/{slug}/fichiers/{hash}",
            get(attachment),
        )
        .route("/cahier-de-textes/classe", get(class_week))
        .route("/cahier-de-textes/devoirs/{id}/fait", post(tick))
        .route(
            "/cahier-de-textes/devoirs/{id}",
            get(hand_in_page).post(hand_in).layer(uploads),
        )
        .route("/cahier-de-textes/devoirs/{id}/fichier", get(own_hand_in))
        .route("/cahier-de-textes/devoirs/{id}/rendus", get(hand_ins))
        .route(
            "/cahier-de-textes/devoirs/{id}/rendus.zip",
            get(hand_ins_zip),
        )
        .route(
            "/cahier-de-textes/devoirs/{id}/rendus/{pupil}",
            get(hand_in_file),
        )
}

fn render(ctx: &PageCtx, status: StatusCode, title: &str, page: logbook::Page) -> Response {
    ctx.render(status, title, None, PageBody::Logbook(page))
}

/// Each profile's way in: pupils and parents « à faire », teachers their sessions, the staff
/// a class's cahier de textes.
async fn start(ctx: PageCtx) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let to = match auth.signed_in.account.profile {
        Profile::Eleve | Profile::Parent => "/cahier-de-textes/a-faire",
        Profile::Enseignant => "/cahier-de-textes/seances",
        _ => "/cahier-de-textes/classe",
    };
    Redirect::to(to).into_response()
}

fn parse_date(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|text| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok())
        .filter(|date| crate::domain::timetable::in_reach(*date))
}

fn session_of_slug(slug: &str) -> Result<(u64, NaiveDate), DomainError> {
    parse_slug(slug).ok_or(DomainError::NoSuchSession {
        course: 0,
        date: NaiveDate::MIN,
    })
}

fn entry_href(course: u64, date: NaiveDate) -> String {
    format!(
        "/cahier-de-textes/seances/{course}-{}",
        date.format("%Y%m%d")
    )
}

fn kind_label(homework: &Homework) -> String {
    match homework.minutes {
        Some(minutes) => format!("{} · {minutes} min", homework.kind.label()),
        None => homework.kind.label().to_owned(),
    }
}

fn file_link(href: String, file: &StoredFile) -> FileLink {
    FileLink {
        href,
        name: file.name.clone(),
        detail: size_label(file.size),
        hash: file.hash.clone(),
    }
}

// ----- « à faire » -----

#[derive(Deserialize, Default)]
struct TodoQuery {
    enfant: Option<String>,
}

async fn todo(ctx: PageCtx, Query(query): Query<TodoQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || todo_view(&domain, &viewer, &query)).await;
    match built {
        Ok(view) => {
            let mut response = render(&ctx, StatusCode::OK, "À faire", logbook::Page::Todo(view));
            // The service worker keeps this page (and only this one) for reading offline.
            response
                .headers_mut()
                .insert("x-preau-offline", HeaderValue::from_static("a-faire"));
            response
        }
        Err(error) => ctx.error(error),
    }
}

/// Whose « à faire »: a pupil's own, or the parent's chosen child (the first by default).
fn pupil_whose(viewer: &Account, child: Option<&str>) -> Result<Whose, DomainError> {
    match viewer.profile {
        Profile::Eleve => Ok(Whose::Mine),
        Profile::Parent => {
            let id = match child.map(str::trim).filter(|c| !c.is_empty()) {
                Some(text) => text.parse().map_err(|_| DomainError::UnknownPerson(0))?,
                None => viewer
                    .children
                    .first()
                    .map(|link| link.pupil)
                    .ok_or(DomainError::Forbidden)?,
            };
            Ok(Whose::Child(id))
        }
        _ => Err(DomainError::Forbidden),
    }
}

fn todo_view(
    domain: &Domain,
    viewer: &Account,
    query: &TodoQuery,
) -> Result<TodoView, DomainError> {
    let whose = pupil_whose(viewer, query.enfant.as_deref())?;
    let today = today(domain);
    let items = domain.homework_due(viewer, &whose, today, today + Days::new(TODO_DAYS))?;
    let establishment = domain.establishment()?;
    let mut names = Names::new(domain);
    let pupil_side = viewer.profile == Profile::Eleve;
    let mut days: Vec<TodoDay> = Vec::new();
    let mut current: Option<NaiveDate> = None;
    for item in items {
        if current != Some(item.homework.due) {
            current = Some(item.homework.due);
            days.push(TodoDay {
                heading: due_heading(item.homework.due, today),
                items: Vec::new(),
            });
        }
        let line = todo_item(&establishment, &mut names, &item, pupil_side)?;
        if let Some(day) = days.last_mut() {
            day.items.push(line);
        }
    }
    let (heading, chooser, class_href) = match &whose {
        Whose::Child(id) => {
            let child = domain.child_of(viewer, *id)?;
            (
                format!("À faire · {}", child.display_name()),
                child_chooser(domain, viewer, *id)?,
                child.class().map(|class| {
                    format!(
                        "/cahier-de-textes/classe?enfant={}&classe={}",
                        child.id,
                        encode(class)
                    )
                }),
            )
        }
        _ => (
            "À faire".to_owned(),
            None,
            viewer
                .class()
                .map(|class| format!("/cahier-de-textes/classe?classe={}", encode(class))),
        ),
    };
    Ok(TodoView {
        heading,
        chooser,
        fetched: format!("Mis à jour le {}", long_date_time(domain.clock().now())),
        empty: days
            .is_empty()
            .then(|| "Rien à faire pour les quatre semaines à venir.".to_owned()),
        days,
        class_href,
    })
}

/// « Pour demain, mardi 1er décembre », « Pour aujourd'hui, … », « Pour le jeudi 3 décembre ».
fn due_heading(due: NaiveDate, today: NaiveDate) -> String {
    let without_year = weekday_day_month(due);
    if due == today {
        format!("Pour aujourd'hui, {without_year}")
    } else if Some(due) == today.succ_opt() {
        format!("Pour demain, {without_year}")
    } else {
        format!("Pour le {without_year}")
    }
}

fn todo_item(
    establishment: &IndexedEstablishment,
    names: &mut Names,
    item: &HomeworkItem,
    pupil_side: bool,
) -> Result<TodoItem, DomainError> {
    let HomeworkItem {
        entry,
        homework,
        done,
        handed_in,
    } = item;
    let teachers = names.of(&entry.teachers)?;
    let mut given = format!("Donné le {}", day_month(entry.date));
    if !teachers.is_empty() {
        given.push_str(" par ");
        given.push_str(&teachers);
    }
    let hand_in_href = format!("/cahier-de-textes/devoirs/{}", homework.id);
    let hand_in = homework.hand_in.then(|| match handed_in {
        Some(hand_in) => (
            hand_in_href.clone(),
            format!("Rendu le {}", long_date_time(hand_in.at)),
        ),
        None => (hand_in_href.clone(), "À rendre en ligne".to_owned()),
    });
    Ok(TodoItem {
        subject: establishment.subject_label(&entry.subject),
        kind: kind_label(homework),
        assessment: homework.kind == HomeworkKind::Assessment,
        description: homework.description.clone(),
        given,
        done: *done,
        tick: pupil_side.then(|| format!("/cahier-de-textes/devoirs/{}/fait", homework.id)),
        hand_in,
        entry: entry_href(entry.course, entry.date),
    })
}

fn child_chooser(
    domain: &Domain,
    viewer: &Account,
    selected: u64,
) -> Result<Option<Chooser>, DomainError> {
    if viewer.children.len() < 2 {
        return Ok(None);
    }
    let mut choices = Vec::new();
    for link in &viewer.children {
        if let Some(child) = domain.accounts().get_shared(link.pupil)? {
            choices.push(Choice {
                value: child.id.to_string(),
                label: child.display_name(),
                selected: child.id == selected,
            });
        }
    }
    Ok(Some(Chooser {
        label: "Enfant".into(),
        name: "enfant".into(),
        choices,
        week: String::new(),
    }))
}

#[derive(Deserialize)]
struct TickForm {
    fait: String,
}

async fn tick(ctx: PageCtx, Path(id): Path<String>, Form(form): Form<TickForm>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let Ok(id) = id.parse::<u64>() else {
        return ctx.error(DomainError::UnknownHomework(0));
    };
    let done = form.fait == "oui";
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let ticked = crate::http::blocking(move || domain.set_homework_done(&viewer, id, done)).await;
    if let Err(error) = ticked {
        return ctx.error(error);
    }
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    Redirect::to("/cahier-de-textes/a-faire").into_response()
}

// ----- « mes séances » -----

#[derive(Deserialize, Default)]
struct WeekQuery {
    semaine: Option<String>,
    classe: Option<String>,
    groupe: Option<String>,
    enfant: Option<String>,
    ok: Option<String>,
}

fn monday_asked(domain: &Domain, query: &WeekQuery) -> (NaiveDate, NaiveDate) {
    let today = today(domain);
    let monday = parse_date(query.semaine.as_deref()).map_or_else(|| monday_of(today), monday_of);
    (monday, today)
}

async fn sessions(ctx: PageCtx, Query(query): Query<WeekQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || sessions_view(&domain, &viewer, &query)).await;
    match built {
        Ok(view) => render(
            &ctx,
            StatusCode::OK,
            "Mes séances",
            logbook::Page::Sessions(view),
        ),
        Err(error) => ctx.error(error),
    }
}

fn sessions_view(
    domain: &Domain,
    viewer: &Account,
    query: &WeekQuery,
) -> Result<SessionsView, DomainError> {
    let (monday, today) = monday_asked(domain, query);
    let found = domain.my_sessions(viewer, monday, monday + Days::new(5))?;
    let establishment = domain.establishment()?;
    let mut days = Vec::new();
    let mut count = 0;
    for found in found {
        let day = found.day;
        if day.date.weekday() == chrono::Weekday::Sat && day.sessions.is_empty() {
            continue;
        }
        let off = match &day.kind {
            DayKind::School => None,
            DayKind::Sunday => Some("Dimanche".to_owned()),
            DayKind::Break(name) => Some(name.clone()),
            DayKind::BankHoliday(name) => Some(format!("Jour férié : {name}")),
            DayKind::OutOfYear => Some("Hors année scolaire".to_owned()),
        };
        let mut sessions = Vec::new();
        for (session, entry) in day.sessions.iter().zip(found.entries) {
            count += 1;
            sessions.push(session_item(&establishment, session, entry.as_deref()));
        }
        days.push(SessionsDay {
            heading: capitalised(&long_day(day.date)),
            today: day.date == today,
            off,
            sessions,
        });
    }
    let link = |date: NaiveDate| {
        format!(
            "/cahier-de-textes/seances?semaine={}",
            date.format("%Y-%m-%d")
        )
    };
    let classes = domain
        .teaching_targets(viewer)?
        .into_iter()
        .map(|target| {
            let href = match &target {
                Target::Class(code) => format!("/cahier-de-textes/classe?classe={}", encode(code)),
                Target::Group(code) => format!("/cahier-de-textes/classe?groupe={}", encode(code)),
            };
            (href, establishment.target_label(&target))
        })
        .collect();
    Ok(SessionsView {
        week_label: format!(
            "Semaine du {} au {}",
            day_month(monday),
            long_day(monday + Days::new(5))
        ),
        previous: link(monday - Days::new(7)),
        next: link(monday + Days::new(7)),
        current: (monday != monday_of(today)).then(|| link(today)),
        days,
        empty: (count == 0).then(|| "Aucune séance cette semaine.".to_owned()),
        classes,
    })
}

fn session_item(
    establishment: &IndexedEstablishment,
    session: &Session,
    entry: Option<&LessonEntry>,
) -> SessionItem {
    let mut detail = establishment.target_label(&session.target);
    if !session.room.is_empty() {
        detail.push_str(" · salle ");
        detail.push_str(&session.room);
    }
    let (status, filled) = match entry {
        _ if session.cancelled => ("Annulé".to_owned(), true),
        Some(entry) => {
            let mut status = "Rempli".to_owned();
            match entry.homework.len() {
                0 => {}
                1 => status.push_str(" · 1 travail"),
                n => status.push_str(&format!(" · {n} travaux")),
            }
            (status, true)
        }
        None => ("À remplir".to_owned(), false),
    };
    SessionItem {
        time: super::format::time_range(session.start, session.end),
        subject: establishment.subject_label(&session.subject),
        detail,
        href: entry_href(session.course, session.date),
        status,
        filled,
    }
}

// ----- one session's entry -----

async fn entry_page(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(query): Query<WeekQuery>,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let notice = match query.ok.as_deref() {
        Some("enregistre") => {
            Some("La séance est enregistrée : ses élèves et leurs parents la voient.")
        }
        Some("copie") => Some("La séance est copiée."),
        Some("visa") => Some("Le visa est enregistré."),
        _ => None,
    };
    let built = crate::http::blocking(move || {
        let (course, date) = session_of_slug(&slug)?;
        let found = domain.logbook_session(&viewer, course, date)?;
        entry_view(&domain, &viewer, &found, None, notice, None)
    })
    .await;
    match built {
        Ok(view) => render(&ctx, StatusCode::OK, "Séance", logbook::Page::Entry(view)),
        Err(error) => ctx.error(error),
    }
}

/// The values a refused form is shown again with.
struct Resent {
    content: String,
    homework: Vec<HomeworkFields>,
}

fn entry_view(
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
        (
            "Horaire".to_owned(),
            super::format::time_range(session.start, session.end),
        ),
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

fn target_param(target: &Target) -> String {
    match target {
        Target::Class(code) => format!("classe={}", encode(code)),
        Target::Group(code) => format!("groupe={}", encode(code)),
    }
}

fn kind_choices(selected: HomeworkKind) -> Vec<Choice> {
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
                        super::format::time_range(other.start, other.end)
                    ),
                    selected: false,
                });
            }
        }
    }
    Ok(choices)
}

async fn save_entry(ctx: PageCtx, Path(slug): Path<String>, mut multipart: Multipart) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => {
            resource_input::drain_some(&mut multipart).await;
            return redirect.into_response();
        }
    };
    let viewer = auth.signed_in.account.clone();
    let (course, date) = match session_of_slug(&slug) {
        Ok(found) => found,
        Err(error) => {
            resource_input::drain_some(&mut multipart).await;
            return ctx.error(error);
        }
    };
    // Only who may write the session sends a file: others are refused before the upload.
    let domain = ctx.state.domain.clone();
    let writer = {
        let viewer = viewer.clone();
        crate::http::blocking(move || domain.logbook_session(&viewer, course, date)).await
    };
    match writer {
        Ok(found) if found.may_write => {}
        Ok(_) => {
            resource_input::drain_some(&mut multipart).await;
            return ctx.error(DomainError::Forbidden);
        }
        Err(error) => {
            resource_input::drain_some(&mut multipart).await;
            return ctx.error(error);
        }
    }
    let received = match receive(&ctx, &viewer, multipart).await {
        Ok(received) => received,
        Err(error) => return ctx.error(error),
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
            Redirect::to(&format!("/cahier-de-textes/seances/{slug}?ok=enregistre")).into_response()
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

async fn receive(
    ctx: &PageCtx,
    account: &Account,
    mut multipart: Multipart,
) -> Result<Received, ApiError> {
    let _slot = match ctx.state.upload_slot(account) {
        Ok(slot) => slot,
        Err(error) => {
            resource_input::drain(&mut multipart).await;
            return Err(error);
        }
    };
    let blobs = ctx.state.domain.blobs()?;
    let limit = ctx.state.domain.config().files.max_upload_bytes();
    resource_input::receive(multipart, blobs, "fichier", limit).await
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
                unreadable.get_or_insert(DomainError::InvalidEntry(EntryProblem::DueTooLate));
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
struct CopyFormData {
    vers: String,
}

async fn copy(ctx: PageCtx, Path(slug): Path<String>, Form(form): Form<CopyFormData>) -> Response {
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
struct VisaFormData {
    vise: String,
}

async fn visa(ctx: PageCtx, Path(slug): Path<String>, Form(form): Form<VisaFormData>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let signed = form.vise == "oui";
    let done = crate::http::blocking(move || {
        let (course, date) = session_of_slug(&slug)?;
        domain
            .set_visa(&viewer, course, date, signed)
            .map(|()| (course, date))
    })
    .await;
    match done {
        Ok((course, date)) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("{}?ok=visa", entry_href(course, date))).into_response()
        }
        Err(error) => ctx.error(error),
    }
}

#[derive(Deserialize, Default)]
struct FileQuery {
    telecharger: Option<String>,
}

async fn attachment(
    ctx: PageCtx,
    Path((slug, hash)): Path<(String, String)>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let found = crate::http::blocking(move || {
        let (course, date) = session_of_slug(&slug)?;
        let found = domain.logbook_session(&viewer, course, date)?;
        found
            .entry
            .and_then(|entry| entry.attachments.iter().find(|f| f.hash == hash).cloned())
            .ok_or(DomainError::NoSuchSession { course, date })
    })
    .await;
    match found {
        Ok(file) => {
            let missing = DomainError::UnknownHomework(0);
            crate::http::files::serve_stored(
                &ctx,
                &file,
                query.telecharger.is_some(),
                request,
                missing,
            )
            .await
        }
        Err(error) => ctx.error(error),
    }
}

// ----- a class's week -----

async fn class_week(ctx: PageCtx, Query(query): Query<WeekQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || class_view(&domain, &viewer, &query)).await;
    match built {
        Ok(view) => render(
            &ctx,
            StatusCode::OK,
            "Cahier de textes",
            logbook::Page::Class(view),
        ),
        Err(error) => ctx.error(error),
    }
}

fn class_view(
    domain: &Domain,
    viewer: &Account,
    query: &WeekQuery,
) -> Result<ClassView, DomainError> {
    let (monday, today) = monday_asked(domain, query);
    let establishment = domain.establishment()?;
    let nonempty = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let child = nonempty(&query.enfant)
        .map(|id| id.parse::<u64>().map_err(|_| DomainError::UnknownPerson(0)))
        .transpose()?;
    let target = if let Some(code) = nonempty(&query.classe) {
        Some(Target::Class(code))
    } else if let Some(code) = nonempty(&query.groupe) {
        Some(Target::Group(code))
    } else {
        match viewer.profile {
            Profile::Eleve => viewer.class().map(|c| Target::Class(c.to_owned())),
            Profile::Parent => {
                let id = child.or(viewer.children.first().map(|l| l.pupil));
                match id {
                    Some(id) => domain
                        .child_of(viewer, id)?
                        .class()
                        .map(|c| Target::Class(c.to_owned())),
                    None => None,
                }
            }
            Profile::Enseignant => domain.teaching_targets(viewer)?.into_iter().next(),
            _ => establishment
                .classes
                .first()
                .map(|c| Target::Class(c.code.clone())),
        }
    };
    let chooser = class_chooser(
        domain,
        viewer,
        &establishment,
        target.as_ref(),
        monday,
        child,
    )?;
    let saturday = monday + Days::new(5);
    let mut param = target.as_ref().map(target_param).unwrap_or_default();
    if let Some(child) = child {
        param.push_str(&format!("&enfant={child}"));
    }
    let link = |date: NaiveDate| {
        format!(
            "/cahier-de-textes/classe?{param}&semaine={}",
            date.format("%Y-%m-%d")
        )
    };
    let mut days: Vec<ClassDay> = Vec::new();
    let heading;
    match &target {
        Some(target) => {
            heading = format!("Cahier de textes · {}", establishment.target_label(target));
            let entries = domain.logbook_entries(viewer, target, monday, saturday)?;
            let mut names = Names::new(domain);
            for entry in entries {
                if days.last().map(|d| &d.heading) != Some(&capitalised(&long_day(entry.date))) {
                    days.push(ClassDay {
                        heading: capitalised(&long_day(entry.date)),
                        entries: Vec::new(),
                    });
                }
                let line = ClassEntry {
                    time: super::format::time_range(entry.start, entry.end),
                    subject: establishment.subject_label(&entry.subject),
                    teachers: names.of(&entry.teachers)?,
                    href: entry_href(entry.course, entry.date),
                    summary: content::summary(&entry.content, 160),
                    homework: entry
                        .homework
                        .iter()
                        .map(|h| format!("Pour le {} : {}", day_month(h.due), h.description))
                        .collect(),
                    visa: entry.visa.is_some(),
                };
                if let Some(day) = days.last_mut() {
                    day.entries.push(line);
                }
            }
        }
        None => heading = "Cahier de textes".to_owned(),
    }
    let empty = days.is_empty().then(|| match target {
        Some(_) => "Rien n'a été noté cette semaine.".to_owned(),
        None => "Choisissez une classe.".to_owned(),
    });
    Ok(ClassView {
        heading,
        chooser,
        week_label: format!("Semaine du {} au {}", day_month(monday), long_day(saturday)),
        previous: link(monday - Days::new(7)),
        next: link(monday + Days::new(7)),
        current: (monday != monday_of(today)).then(|| link(today)),
        days,
        empty,
    })
}

/// The classes and groups the viewer may open: staff every class, a teacher theirs; pupils and
/// parents have nothing to choose.
fn class_chooser(
    domain: &Domain,
    viewer: &Account,
    establishment: &IndexedEstablishment,
    selected: Option<&Target>,
    monday: NaiveDate,
    child: Option<u64>,
) -> Result<Option<Chooser>, DomainError> {
    let targets: Vec<Target> = match viewer.profile {
        Profile::Enseignant => domain.teaching_targets(viewer)?,
        Profile::Direction | Profile::VieScolaire => establishment.targets(),
        _ if viewer.is_admin => establishment.targets(),
        _ => return Ok(None),
    };
    let _ = child;
    let classes: Vec<Choice> = targets
        .into_iter()
        .filter_map(|target| match target {
            Target::Class(code) => Some(Choice {
                label: establishment.class_label(&code),
                selected: selected == Some(&Target::Class(code.clone())),
                value: code,
            }),
            Target::Group(_) => None,
        })
        .collect();
    if classes.is_empty() {
        return Ok(None);
    }
    Ok(Some(Chooser {
        label: "Classe".into(),
        name: "classe".into(),
        choices: classes,
        week: monday.format("%Y-%m-%d").to_string(),
    }))
}

// ----- hand-ins -----

fn parse_homework(id: &str) -> Result<u64, DomainError> {
    id.parse().map_err(|_| DomainError::UnknownHomework(0))
}

async fn hand_in_page(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<WeekQuery>,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let notice = (query.ok.as_deref() == Some("rendu")).then_some("Votre travail est rendu.");
    let built = crate::http::blocking(move || {
        hand_in_view(&domain, &viewer, parse_homework(&id)?, None, notice)
    })
    .await;
    match built {
        Ok(view) => render(
            &ctx,
            StatusCode::OK,
            "Travail à faire",
            logbook::Page::HandIn(view),
        ),
        Err(error) => ctx.error(error),
    }
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

async fn hand_in(ctx: PageCtx, Path(id): Path<String>, mut multipart: Multipart) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => {
            resource_input::drain_some(&mut multipart).await;
            return redirect.into_response();
        }
    };
    let viewer = auth.signed_in.account.clone();
    let id = match parse_homework(&id) {
        Ok(id) => id,
        Err(error) => {
            resource_input::drain_some(&mut multipart).await;
            return ctx.error(error);
        }
    };
    // Refused before the upload: anyone who may not hand in this homework.
    let allowed = {
        let domain = ctx.state.domain.clone();
        let viewer = viewer.clone();
        crate::http::blocking(move || {
            if viewer.profile != Profile::Eleve {
                return Err(DomainError::Forbidden);
            }
            domain.homework(&viewer, id).map(|_| ())
        })
        .await
    };
    if let Err(error) = allowed {
        resource_input::drain_some(&mut multipart).await;
        return ctx.error(error);
    }
    let received = match receive(&ctx, &viewer, multipart).await {
        Ok(received) => received,
        Err(error) => return ctx.error(error),
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

async fn own_hand_in(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let found = crate::http::blocking(move || {
        let id = parse_homework(&id)?;
        domain
            .own_hand_in(&viewer, id)?
            .ok_or(DomainError::UnknownHomework(id))
    })
    .await;
    match found {
        Ok(hand_in) => {
            crate::http::files::serve_stored(
                &ctx,
                &hand_in.file,
                query.telecharger.is_some(),
                request,
                DomainError::UnknownHomework(0),
            )
            .await
        }
        Err(error) => ctx.error(error),
    }
}

async fn hand_ins(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built =
        crate::http::blocking(move || hand_ins_view(&domain, &viewer, parse_homework(&id)?)).await;
    match built {
        Ok(view) => render(
            &ctx,
            StatusCode::OK,
            "Travaux rendus",
            logbook::Page::HandIns(view),
        ),
        Err(error) => ctx.error(error),
    }
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

async fn hand_in_file(
    ctx: PageCtx,
    Path((id, pupil)): Path<(String, String)>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let found = crate::http::blocking(move || {
        let id = parse_homework(&id)?;
        let pupil: u64 = pupil.parse().map_err(|_| DomainError::UnknownPerson(0))?;
        domain
            .hand_ins(&viewer, id)?
            .into_iter()
            .find(|p| p.pupil.id == pupil)
            .and_then(|p| p.hand_in)
            .ok_or(DomainError::UnknownPerson(pupil))
    })
    .await;
    match found {
        Ok(hand_in) => {
            crate::http::files::serve_stored(
                &ctx,
                &hand_in.file,
                query.telecharger.is_some(),
                request,
                DomainError::UnknownHomework(0),
            )
            .await
        }
        Err(error) => ctx.error(error),
    }
}

async fn hand_ins_zip(ctx: PageCtx, Path(id): Path<String>) -> Response {
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
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        crate::http::files::content_disposition(false, &name),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
