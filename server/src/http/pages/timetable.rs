//! `/emploi-du-temps`: a week of the timetable (the viewer's, a child's, a class's or group's),
//! `/emploi-du-temps/seances/{id}` to change one session, and `/emploi-du-temps/gestion` where
//! direction and vie scolaire enter the courses or import them.

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use preau_app::model::{Notice, NoticeKind, PageBody};
use preau_app::timetable;
use preau_app::timetable::model::{
    Choice, Chooser, CourseGroup, CourseRow, DayView, ManageView, SessionLine, SessionView,
    WeekView,
};
use serde::Deserialize;

use super::PageCtx;
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::domain::timetable::calendar::{monday_of, DayKind};
use crate::domain::timetable::change::SessionChange;
use crate::domain::timetable::course::{parse_weekday, weekday_name, Weeks, WEEKDAYS};
use crate::domain::timetable::import::parse_time;
use crate::domain::timetable::session::{parse_slug, Session};
use crate::domain::timetable::{Day, NewCourse, Whose};
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/emploi-du-temps", get(week))
        .route("/emploi-du-temps/gestion", get(manage))
        .route("/emploi-du-temps/cours", post(add_course))
        .route("/emploi-du-temps/cours/{id}/supprimer", post(remove_course))
        .route("/emploi-du-temps/import", post(import))
        .route("/emploi-du-temps/abonnement", post(renew_subscription))
        .route(
            "/emploi-du-temps/seances/{id}",
            get(session_page).post(change_session),
        )
}

#[derive(Deserialize, Default)]
struct WeekQuery {
    semaine: Option<String>,
    classe: Option<String>,
    groupe: Option<String>,
    enfant: Option<String>,
    ok: Option<String>,
}

/// Today in the establishment's time zone.
pub fn today(domain: &Domain) -> NaiveDate {
    domain.clock().now().with_timezone(&Paris).date_naive()
}

async fn week(ctx: PageCtx, Query(query): Query<WeekQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let notice = match query.ok.as_deref() {
        Some("seance") => {
            Some("La séance a été modifiée : ceux qu'elle concerne le voient sur leur semaine.")
        }
        Some("abonnement") => Some(
            "L'adresse d'abonnement a été renouvelée : l'ancienne ne fonctionne plus. \
             Abonnez de nouveau l'agenda de votre téléphone.",
        ),
        _ => None,
    }
    .map(|text| Notice {
        kind: NoticeKind::Success,
        text: text.to_owned(),
    });
    let built = crate::http::blocking(move || week_view(&domain, &viewer, &query)).await;
    match built {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Emploi du temps",
            notice,
            PageBody::Timetable(timetable::Page::Week(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

fn week_view(
    domain: &Domain,
    viewer: &Account,
    query: &WeekQuery,
) -> Result<WeekView, DomainError> {
    let today = today(domain);
    let monday = query
        .semaine
        .as_deref()
        .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .filter(|date| crate::domain::timetable::in_reach(*date))
        .map_or_else(|| monday_of(today), monday_of);
    let establishment = domain.establishment()?;
    let nonempty = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let (whose, param) = if let Some(code) = nonempty(&query.classe) {
        (
            Whose::Target(Target::Class(code.clone())),
            format!("classe={}", encode(&code)),
        )
    } else if let Some(code) = nonempty(&query.groupe) {
        (
            Whose::Target(Target::Group(code.clone())),
            format!("groupe={}", encode(&code)),
        )
    } else if let Some(child) = nonempty(&query.enfant) {
        let id = child
            .parse::<u64>()
            .map_err(|_| DomainError::UnknownPerson(0))?;
        (Whose::Child(id), format!("enfant={id}"))
    } else if viewer.profile == Profile::Parent {
        match viewer.children.first() {
            Some(link) => (Whose::Child(link.pupil), format!("enfant={}", link.pupil)),
            None => (Whose::Mine, String::new()),
        }
    } else {
        (Whose::Mine, String::new())
    };
    let days = domain.timetable_days(viewer, &whose, monday, monday + Days::new(5))?;
    let heading = match &whose {
        Whose::Mine => "Mon emploi du temps".to_owned(),
        Whose::Target(target) => {
            format!("Emploi du temps · {}", establishment.target_label(target))
        }
        Whose::Child(id) => {
            let child = domain.child_of(viewer, *id)?;
            format!("Emploi du temps de {}", child.display_name())
        }
    };
    let manager = access::allows(viewer, Action::ManageTimetable);
    let mut names = Names::new(domain);
    let calendar = domain.school_calendar()?;
    let mut day_views = Vec::new();
    for day in days {
        // Saturday shows only when it has courses: most collèges have none.
        if day.date.weekday() == chrono::Weekday::Sat && day.sessions.is_empty() {
            continue;
        }
        day_views.push(day_view(&establishment, &mut names, day, today, manager)?);
    }
    let sessions: usize = day_views.iter().map(|d| d.sessions.len()).sum();
    let link = |date: NaiveDate| {
        let mut href = format!("/emploi-du-temps?semaine={}", date.format("%Y-%m-%d"));
        if !param.is_empty() {
            href.push('&');
            href.push_str(&param);
        }
        href
    };
    let letter = calendar
        .week_letter(monday)
        .map(|letter| format!(" · {}", letter.label()))
        .unwrap_or_default();
    let saturday = monday + Days::new(5);
    let empty = (sessions == 0).then(|| match &whose {
        Whose::Mine if !matches!(viewer.profile, Profile::Eleve | Profile::Enseignant) => {
            "Choisissez une classe pour voir son emploi du temps.".to_owned()
        }
        _ => "Aucun cours cette semaine.".to_owned(),
    });
    Ok(WeekView {
        heading,
        week_label: format!(
            "Semaine du {} au {}{letter}",
            day_month(monday),
            long_date(saturday)
        ),
        previous: link(monday - Days::new(7)),
        next: link(monday + Days::new(7)),
        current: (monday != monday_of(today)).then(|| link(today)),
        chooser: chooser(domain, viewer, &establishment, &whose, monday)?,
        days: day_views,
        manage: manager.then(|| "/emploi-du-temps/gestion".to_owned()),
        empty,
        subscription: subscription(domain, viewer)?,
    })
}

/// Pupils, parents and teachers can subscribe a phone calendar to their timetable.
fn subscription(
    domain: &Domain,
    viewer: &Account,
) -> Result<Option<timetable::model::Subscription>, DomainError> {
    if !matches!(
        viewer.profile,
        Profile::Eleve | Profile::Parent | Profile::Enseignant
    ) {
        return Ok(None);
    }
    Ok(Some(timetable::model::Subscription {
        href: format!("/agenda/{}.ics", domain.ics_token(viewer)?),
        renew: "/emploi-du-temps/abonnement".to_owned(),
    }))
}

fn chooser(
    domain: &Domain,
    viewer: &Account,
    establishment: &IndexedEstablishment,
    whose: &Whose,
    monday: NaiveDate,
) -> Result<Option<Chooser>, DomainError> {
    let week = monday.format("%Y-%m-%d").to_string();
    if viewer.profile == Profile::Parent {
        if viewer.children.len() < 2 {
            return Ok(None);
        }
        let mut choices = Vec::new();
        for link in &viewer.children {
            if let Some(child) = domain.accounts().get_shared(link.pupil)? {
                choices.push(Choice {
                    value: child.id.to_string(),
                    label: child.display_name(),
                    selected: *whose == Whose::Child(child.id),
                });
            }
        }
        return Ok(Some(Chooser {
            label: "Enfant".into(),
            name: "enfant".into(),
            choices,
            week,
        }));
    }
    let classes: Vec<(String, String)> = match access::class_scope(viewer, || {
        establishment
            .taught_by(viewer.id)
            .into_iter()
            .filter_map(|target| match target {
                Target::Class(code) => Some(code),
                Target::Group(_) => None,
            })
            .collect()
    }) {
        access::ClassScope::All => establishment
            .classes
            .iter()
            .map(|class| (class.code.clone(), class.label.clone()))
            .collect(),
        access::ClassScope::Only(codes) => codes
            .into_iter()
            .map(|code| (establishment.class_label(&code), code))
            .map(|(label, code)| (code, label))
            .collect(),
        access::ClassScope::None => return Ok(None),
    };
    if classes.is_empty() {
        return Ok(None);
    }
    let own = if viewer.profile == Profile::Enseignant {
        "Mon emploi du temps"
    } else {
        "Choisir une classe"
    };
    let mut choices = vec![Choice {
        value: String::new(),
        label: own.to_owned(),
        selected: *whose == Whose::Mine,
    }];
    choices.extend(classes.into_iter().map(|(code, label)| Choice {
        selected: *whose == Whose::Target(Target::Class(code.clone())),
        value: code,
        label,
    }));
    Ok(Some(Chooser {
        label: "Classe".into(),
        name: "classe".into(),
        choices,
        week,
    }))
}

pub(super) fn day_view(
    establishment: &IndexedEstablishment,
    names: &mut Names,
    day: Day,
    today: NaiveDate,
    manager: bool,
) -> Result<DayView, DomainError> {
    let off = match &day.kind {
        DayKind::School => None,
        DayKind::Sunday => Some("Dimanche".to_owned()),
        DayKind::Break(name) => Some(name.clone()),
        DayKind::BankHoliday(name) => Some(format!("Jour férié : {name}")),
        DayKind::OutOfYear => Some("Hors année scolaire".to_owned()),
    };
    let mut sessions = Vec::new();
    for session in &day.sessions {
        sessions.push(session_line(establishment, names, session, manager)?);
    }
    let heading = capitalised(&long_date(day.date));
    Ok(DayView {
        heading,
        today: day.date == today,
        off,
        sessions,
    })
}

fn session_line(
    establishment: &IndexedEstablishment,
    names: &mut Names,
    session: &Session,
    manager: bool,
) -> Result<SessionLine, DomainError> {
    let teachers = names.of(&session.teachers)?;
    let mut detail = vec![establishment.target_label(&session.target)];
    if !teachers.is_empty() {
        detail.push(teachers.clone());
    }
    if !session.room.is_empty() {
        detail.push(["salle ", &session.room].concat());
    }
    let mut changes = Vec::new();
    if session.cancelled {
        changes.push("Annulé".to_owned());
    }
    if session.room_changed {
        changes.push(format!("Salle changée : {}", session.room));
    }
    if session.replaced {
        changes.push(format!("Remplacement : {teachers}"));
    }
    Ok(SessionLine {
        time: super::format::time_range(session.start, session.end),
        subject: establishment.subject_label(&session.subject),
        detail: detail.join(" · "),
        changes,
        cancelled: session.cancelled,
        note: (!session.note.is_empty()).then(|| session.note.clone()),
        href: manager.then(|| format!("/emploi-du-temps/seances/{}", session.slug())),
    })
}

/// Display names of accounts, each read once per page.
pub(crate) struct Names<'a> {
    domain: &'a Domain,
    /// A page names a few dozen people: a list beats hashing.
    known: Vec<(u64, String)>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(domain: &'a Domain) -> Self {
        Self {
            domain,
            known: Vec::new(),
        }
    }

    /// The names of `ids` that have an account, joined by commas.
    pub(crate) fn of(&mut self, ids: &[u64]) -> Result<String, DomainError> {
        let mut names = String::new();
        for id in ids {
            let known = match self.known.iter().position(|(known, _)| known == id) {
                Some(index) => index,
                None => {
                    let name = self
                        .domain
                        .accounts()
                        .get_shared(*id)?
                        .map(|account| account.display_name())
                        .unwrap_or_default();
                    self.known.push((*id, name));
                    self.known.len() - 1
                }
            };
            let name = &self.known[known].1;
            if !name.is_empty() {
                if !names.is_empty() {
                    names.push_str(", ");
                }
                names.push_str(name);
            }
        }
        Ok(names)
    }
}

use super::format::{capitalised, day_month, encode, long_day as long_date};

/// A new subscription address; the old one stops working.
async fn renew_subscription(ctx: PageCtx) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let renewed = crate::http::blocking(move || domain.revoke_ics_token(&viewer).map(|_| ())).await;
    if let Err(error) = renewed {
        return ctx.error(error);
    }
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    Redirect::to("/emploi-du-temps?ok=abonnement").into_response()
}

// ----- one session -----

fn session_of_slug(slug: &str) -> Result<(u64, NaiveDate), DomainError> {
    parse_slug(slug).ok_or(DomainError::UnknownCourse(0))
}

async fn session_page(ctx: PageCtx, Path(slug): Path<String>) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || {
        let (course, date) = session_of_slug(&slug)?;
        session_view(&domain, &viewer, course, date, None)
    })
    .await;
    match built {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Séance",
            None,
            PageBody::Timetable(timetable::Page::Session(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

fn session_view(
    domain: &Domain,
    viewer: &Account,
    course: u64,
    date: NaiveDate,
    error: Option<String>,
) -> Result<SessionView, DomainError> {
    let (session, change) = domain.session(viewer, course, date)?;
    let establishment = domain.establishment()?;
    let timetable = domain.timetable()?;
    let mut names = Names::new(domain);
    let regular = timetable
        .course(course)
        .map(|course| course.teachers.clone())
        .unwrap_or_default();
    let subject = establishment.subject_label(&session.subject);
    let target = establishment.target_label(&session.target);
    let mut facts = vec![
        ("Date".to_owned(), capitalised(&long_date(date))),
        (
            "Horaire".to_owned(),
            super::format::time_range(session.start, session.end),
        ),
        ("Classe ou groupe".to_owned(), target.clone()),
        ("Enseignant".to_owned(), names.of(&regular)?),
    ];
    if let Some(course) = timetable.course(course) {
        facts.push(("Salle habituelle".to_owned(), course.room.clone()));
    }
    let replacement = change.as_ref().and_then(|c| c.replacement);
    let mut replacements = vec![Choice {
        value: String::new(),
        label: "Aucun (enseignant habituel)".to_owned(),
        selected: replacement.is_none(),
    }];
    replacements.extend(teacher_choices(domain, replacement)?);
    Ok(SessionView {
        heading: format!("{subject} · {target}"),
        facts,
        action: format!("/emploi-du-temps/seances/{}", session.slug()),
        back: format!(
            "/emploi-du-temps?semaine={}&{}",
            monday_of(date).format("%Y-%m-%d"),
            match &session.target {
                Target::Class(code) => format!("classe={}", encode(code)),
                Target::Group(code) => format!("groupe={}", encode(code)),
            }
        ),
        cancelled: change.as_ref().is_some_and(|c| c.cancelled),
        room: change
            .as_ref()
            .and_then(|c| c.room.clone())
            .unwrap_or_default(),
        note: change.map(|c| c.note).unwrap_or_default(),
        replacements,
        error,
    })
}

/// Every teacher of the establishment, by name.
fn teacher_choices(domain: &Domain, selected: Option<u64>) -> Result<Vec<Choice>, DomainError> {
    let mut teachers = Vec::new();
    for account in domain.accounts().all() {
        let account = account?;
        if account.profile == Profile::Enseignant && account.is_active() {
            teachers.push(Choice {
                value: account.id.to_string(),
                label: format!("{} {}", account.last_name, account.first_name),
                selected: Some(account.id) == selected,
            });
        }
    }
    teachers.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(teachers)
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    annule: Option<String>,
    #[serde(default)]
    salle: String,
    #[serde(default)]
    remplacant: String,
    #[serde(default)]
    mot: String,
}

async fn change_session(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let (course, date) = match session_of_slug(&slug) {
        Ok(found) => found,
        Err(error) => return ctx.error(error),
    };
    let replacement = match form.remplacant.trim() {
        "" => None,
        id => match id.parse::<u64>() {
            Ok(id) => Some(id),
            Err(_) => return ctx.error(ApiError::bad_request("Remplaçant inconnu.")),
        },
    };
    let note: String = form.mot.trim().chars().take(200).collect();
    let change = SessionChange {
        course,
        date,
        cancelled: form.annule.is_some(),
        room: Some(form.salle.trim().to_owned()),
        replacement,
        note,
        by: 0,
        at: Utc::now(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome = crate::http::blocking(move || match domain.change_session(&viewer, change) {
        Ok(()) => Ok(Ok(())),
        Err(error @ DomainError::InvalidCourse(_)) => {
            let message = ApiError::from(error).message;
            session_view(&domain, &viewer, course, date, Some(message)).map(Err)
        }
        Err(other) => Err(other),
    })
    .await;
    match outcome {
        Ok(Ok(())) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!(
                "/emploi-du-temps?semaine={}&ok=seance",
                monday_of(date).format("%Y-%m-%d")
            ))
            .into_response()
        }
        Ok(Err(view)) => ctx.render(
            StatusCode::BAD_REQUEST,
            "Séance",
            None,
            PageBody::Timetable(timetable::Page::Session(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

// ----- management -----

#[derive(Deserialize, Default)]
struct ManageQuery {
    ok: Option<String>,
}

async fn manage(ctx: PageCtx, Query(query): Query<ManageQuery>) -> Response {
    let notice = match query.ok.as_deref() {
        Some("ajout") => Some("Le cours a été ajouté."),
        Some("suppression") => Some("Le cours a été supprimé."),
        Some("import") => Some("L'emploi du temps a été remplacé par celui du fichier."),
        _ => None,
    }
    .map(|text| Notice {
        kind: NoticeKind::Success,
        text: text.to_owned(),
    });
    manage_page(&ctx, StatusCode::OK, notice, Vec::new()).await
}

async fn manage_page(
    ctx: &PageCtx,
    status: StatusCode,
    notice: Option<Notice>,
    errors: Vec<String>,
) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let built = crate::http::blocking(move || manage_view(&domain, &viewer, errors)).await;
    match built {
        Ok(view) => ctx.render(
            status,
            "Gérer l'emploi du temps",
            notice,
            PageBody::Timetable(timetable::Page::Manage(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

fn manage_view(
    domain: &Domain,
    viewer: &Arc<Account>,
    errors: Vec<String>,
) -> Result<ManageView, DomainError> {
    if !access::allows(viewer, Action::ManageTimetable) {
        return Err(DomainError::Forbidden);
    }
    let establishment = domain.establishment()?;
    let timetable = domain.timetable()?;
    let calendar = domain.school_calendar()?;
    let mut names = Names::new(domain);
    let mut targets = establishment.targets();
    let mut groups = Vec::new();
    for target in &targets {
        let mut courses: Vec<_> = timetable.of_targets(std::slice::from_ref(target));
        if courses.is_empty() {
            continue;
        }
        courses.sort_by_key(|course| (course.weekday.num_days_from_monday(), course.start));
        let mut rows = Vec::new();
        for course in courses {
            let mut when = format!(
                "{} {}",
                capitalised(weekday_name(course.weekday)),
                super::format::time_range(course.start, course.end)
            );
            if course.weeks != Weeks::Every {
                when.push_str(" · ");
                when.push_str(course.weeks.label());
            }
            let mut detail = names.of(&course.teachers)?;
            if !course.room.is_empty() {
                detail.push_str(&format!(" · salle {}", course.room));
            }
            rows.push(CourseRow {
                when,
                subject: establishment.subject_label(&course.subject),
                detail,
                remove: format!("/emploi-du-temps/cours/{}/supprimer", course.id),
            });
        }
        groups.push(CourseGroup {
            label: establishment.target_label(target),
            courses: rows,
        });
    }
    let target_choices = targets
        .drain(..)
        .map(|target| Choice {
            label: establishment.target_label(&target),
            value: match target {
                Target::Class(code) => format!("classe:{code}"),
                Target::Group(code) => format!("groupe:{code}"),
            },
            selected: false,
        })
        .collect();
    let mut subjects: Vec<Choice> = establishment
        .subjects
        .iter()
        .map(|subject| Choice {
            value: subject.code.clone(),
            label: subject.label.clone(),
            selected: false,
        })
        .collect();
    subjects.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(ManageView {
        groups,
        targets: target_choices,
        subjects,
        teachers: teacher_choices(domain, None)?,
        weekdays: WEEKDAYS
            .iter()
            .map(|(_, name)| Choice {
                value: (*name).to_owned(),
                label: capitalised(name),
                selected: false,
            })
            .collect(),
        errors,
        zone: match calendar.zone {
            Some(zone) => format!("zone {zone}"),
            None => {
                "zone inconnue (vacances communes seulement, voir [establishment] zone)".to_owned()
            }
        },
        count: timetable.courses.len(),
    })
}

#[derive(Deserialize)]
struct CourseForm {
    #[serde(default)]
    cible: String,
    #[serde(default)]
    matiere: String,
    #[serde(default)]
    enseignant: String,
    #[serde(default)]
    jour: String,
    #[serde(default)]
    debut: String,
    #[serde(default)]
    fin: String,
    #[serde(default)]
    salle: String,
    #[serde(default)]
    semaine: String,
}

impl CourseForm {
    /// The course the form describes, or the French sentence saying what is wrong.
    fn read(&self) -> Result<NewCourse, String> {
        let target = match self.cible.split_once(':') {
            Some(("classe", code)) => Target::Class(code.to_owned()),
            Some(("groupe", code)) => Target::Group(code.to_owned()),
            _ => return Err("Choisissez une classe ou un groupe.".into()),
        };
        let teacher = self
            .enseignant
            .parse::<u64>()
            .map_err(|_| "Choisissez un enseignant.".to_owned())?;
        let weekday = parse_weekday(&self.jour).ok_or("Choisissez un jour.")?;
        let start = parse_time(&self.debut).ok_or("Heure de début invalide.")?;
        let end = parse_time(&self.fin).ok_or("Heure de fin invalide.")?;
        let weeks = Weeks::parse(&self.semaine).ok_or("Semaines invalides.")?;
        Ok(NewCourse {
            subject: self.matiere.trim().to_owned(),
            target,
            teachers: vec![teacher],
            room: self.salle.trim().to_owned(),
            weekday,
            start,
            end,
            weeks,
            from: None,
            until: None,
        })
    }
}

async fn add_course(ctx: PageCtx, Form(form): Form<CourseForm>) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let new = match form.read() {
        Ok(new) => new,
        Err(message) => {
            return manage_page(&ctx, StatusCode::BAD_REQUEST, None, vec![message]).await
        }
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome = crate::http::blocking(move || domain.add_course(&viewer, new)).await;
    finish(&ctx, outcome.map(|_| ()), "ajout").await
}

async fn remove_course(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let Ok(id) = id.parse::<u64>() else {
        return ctx.error(DomainError::UnknownCourse(0));
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome = crate::http::blocking(move || domain.remove_course(&viewer, id)).await;
    finish(&ctx, outcome, "suppression").await
}

async fn import(ctx: PageCtx, mut multipart: Multipart) -> Response {
    let auth = match ctx.require_to(Action::ManageTimetable) {
        Ok(auth) => auth,
        Err(refused) => {
            crate::http::resource_input::drain_some(&mut multipart).await;
            return *refused;
        }
    };
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("fichier") {
                    continue;
                }
                match field.bytes().await {
                    Ok(bytes) => file = Some(bytes.to_vec()),
                    Err(error) => {
                        tracing::info!(%error, "timetable upload interrupted");
                        return manage_page(
                            &ctx,
                            StatusCode::BAD_REQUEST,
                            None,
                            vec![
                                "L'envoi du fichier a été interrompu : rien n'a été modifié."
                                    .into(),
                            ],
                        )
                        .await;
                    }
                }
            }
            Ok(None) => break,
            Err(error) => {
                tracing::info!(%error, "timetable upload unreadable");
                return manage_page(
                    &ctx,
                    StatusCode::BAD_REQUEST,
                    None,
                    vec!["L'envoi du fichier est illisible : rien n'a été modifié.".into()],
                )
                .await;
            }
        }
    }
    let Some(bytes) = file else {
        return manage_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            None,
            vec!["Choisissez un fichier CSV.".into()],
        )
        .await;
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome =
        crate::http::blocking(move || domain.import_timetable(&viewer, &bytes).map(|_| ())).await;
    finish(&ctx, outcome, "import").await
}

/// After a change: durable, then back to the management page; or the page with what is wrong.
async fn finish(ctx: &PageCtx, outcome: Result<(), DomainError>, done: &str) -> Response {
    match outcome {
        Ok(()) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("/emploi-du-temps/gestion?ok={done}")).into_response()
        }
        Err(DomainError::TimetableRefused(refusal)) => {
            tracing::info!(%refusal, "timetable file refused");
            manage_page(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                refusal.french(),
            )
            .await
        }
        Err(error @ DomainError::InvalidCourse(_)) => {
            let message = ApiError::from(error).message;
            manage_page(ctx, StatusCode::BAD_REQUEST, None, vec![message]).await
        }
        Err(error) => ctx.error(error),
    }
}
