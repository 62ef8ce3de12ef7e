//! `GET /api/v1/timetable?from=YYYY-MM-DD&to=YYYY-MM-DD[&class=|&group=|&child=]`: the sessions
//! of a period, as the caller may see them (`docs/api.md`).

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::school::establishment::Target;
use crate::domain::timetable::Whose;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/timetable", get(sessions))
}

#[derive(Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
    class: Option<String>,
    group: Option<String>,
    child: Option<String>,
}

#[derive(Serialize)]
struct Sessions {
    from: NaiveDate,
    to: NaiveDate,
    sessions: Vec<SessionJson>,
}

#[derive(Serialize)]
struct SessionJson {
    /// `<course>-<yyyymmdd>`.
    id: String,
    course: u64,
    date: NaiveDate,
    start: String,
    end: String,
    subject: Labelled,
    /// `{"kind": "class" | "group", "code", "label"}`.
    target: TargetJson,
    teachers: Vec<Person>,
    room: String,
    cancelled: bool,
    room_changed: bool,
    replaced: bool,
    note: String,
}

#[derive(Serialize)]
pub(super) struct Labelled {
    pub code: String,
    pub label: String,
}

#[derive(Serialize)]
pub(super) struct TargetJson {
    pub kind: &'static str,
    pub code: String,
    pub label: String,
}

impl TargetJson {
    pub fn of(target: &Target, label: String) -> Self {
        let (kind, code) = match target {
            Target::Class(code) => ("class", code.clone()),
            Target::Group(code) => ("group", code.clone()),
        };
        Self { kind, code, label }
    }
}

#[derive(Serialize)]
struct Person {
    id: u64,
    name: String,
}

/// `08:00`.
fn hour_minute(time: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", time.hour(), time.minute())
}

pub(super) fn date(name: &str, text: Option<&str>) -> Result<NaiveDate, ApiError> {
    let text = text.ok_or_else(|| {
        ApiError::bad_request(format!("Paramètre « {name} » manquant (AAAA-MM-JJ)."))
    })?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(format!("« {text} » n'est pas une date AAAA-MM-JJ.")))
}

async fn sessions(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(period): Query<Period>,
) -> Result<Json<Sessions>, ApiError> {
    let from = date("from", period.from.as_deref())?;
    let to = date("to", period.to.as_deref())?;
    let whose = match (period.class, period.group, period.child) {
        (Some(code), None, None) => Whose::Target(Target::Class(code)),
        (None, Some(code), None) => Whose::Target(Target::Group(code)),
        (None, None, Some(child)) => Whose::Child(
            child
                .parse()
                .map_err(|_| ApiError::bad_request("« child » doit être un identifiant."))?,
        ),
        (None, None, None) => Whose::Mine,
        _ => {
            return Err(ApiError::bad_request(
                "Donnez au plus un de « class », « group » et « child ».",
            ))
        }
    };
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let sessions = crate::http::blocking(move || {
        let days = domain.timetable_days(&viewer, &whose, from, to)?;
        let establishment = domain.establishment()?;
        let mut out = Vec::new();
        for session in days.into_iter().flat_map(|day| day.sessions) {
            let mut teachers = Vec::new();
            for id in &session.teachers {
                if let Some(account) = domain.accounts().get_shared(*id)? {
                    teachers.push(Person {
                        id: *id,
                        name: account.display_name(),
                    });
                }
            }
            out.push(SessionJson {
                id: session.slug(),
                course: session.course,
                date: session.date,
                start: hour_minute(session.start),
                end: hour_minute(session.end),
                subject: Labelled {
                    label: establishment.subject_label(&session.subject),
                    code: session.subject.clone(),
                },
                target: TargetJson::of(
                    &session.target,
                    establishment.target_label(&session.target),
                ),
                teachers,
                room: session.room,
                cancelled: session.cancelled,
                room_changed: session.room_changed,
                replaced: session.replaced,
                note: session.note,
            });
        }
        Ok(out)
    })
    .await?;
    Ok(Json(Sessions { from, to, sessions }))
}
