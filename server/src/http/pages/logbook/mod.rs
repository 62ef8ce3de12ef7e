//! `/cahier-de-textes`: « à faire » for pupils and parents, « mes séances » for teachers, a
//! session's entry with its form, a class's week, hand-ins. Every page works without JavaScript:
//! forms post to the server, which answers with a redirect or the page with its error.

use axum::extract::{Multipart, Path, Query, Request};
use axum::http::{HeaderValue, StatusCode};
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
    capitalised, day_month, encode, long_date_time, long_day, size_label, time_range,
    weekday_day_month,
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
use crate::http::resource_input::Received;
use crate::http::AppState;

mod class;
mod entry;
mod entry_write;
mod hand_in;
mod sessions;
mod todo;

use class::class_week;
use entry::entry_page;
use entry_write::{attachment, copy, save_entry, visa};
use hand_in::{hand_in, hand_in_file, hand_in_page, hand_ins, hand_ins_zip, own_hand_in};
use sessions::sessions;
use todo::{tick, todo};

/// « À faire » covers four weeks from today.
const DAYS_AHEAD: u64 = 27;

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

#[derive(Deserialize, Default)]
pub(super) struct WeekQuery {
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

fn target_param(target: &Target) -> String {
    match target {
        Target::Class(code) => format!("classe={}", encode(code)),
        Target::Group(code) => format!("groupe={}", encode(code)),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct FileQuery {
    telecharger: Option<String>,
}
