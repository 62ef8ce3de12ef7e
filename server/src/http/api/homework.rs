//! `GET /api/v1/homework?from=YYYY-MM-DD&to=YYYY-MM-DD[&child=ID|&class=|&group=]`: the homework
//! due in a period, as the caller may see it (`docs/api.md`): a pupil's own with their ticks, a
//! parent's child's, a teacher's classes', a class's for the staff.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::timetable::{date, Labelled, TargetJson};
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::timetable::Whose;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/homework", get(homework))
}

#[derive(Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
    child: Option<String>,
    class: Option<String>,
    group: Option<String>,
}

#[derive(Serialize)]
struct HomeworkJson {
    id: u64,
    subject: Labelled,
    /// The code of the class or group it was set for.
    class: String,
    target: TargetJson,
    description: String,
    due: NaiveDate,
    /// `exercise`, `lesson` or `assessment`.
    kind: &'static str,
    /// Ticked done by the pupil: only in a pupil's list (their own, or a parent's child's).
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<bool>,
    /// Estimated minutes.
    minutes: Option<u16>,
    hand_in: bool,
    /// The session it was set in (`<course>-<yyyymmdd>`), and that session's date.
    session: String,
    given: NaiveDate,
}

async fn homework(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(period): Query<Period>,
) -> Result<Json<Vec<HomeworkJson>>, ApiError> {
    let from = date("from", period.from.as_deref())?;
    let to = date("to", period.to.as_deref())?;
    let whose = match (period.child, period.class, period.group) {
        (Some(child), None, None) => Whose::Child(
            child
                .parse()
                .map_err(|_| ApiError::bad_request("« child » doit être un identifiant."))?,
        ),
        (None, Some(code), None) => Whose::Target(Target::Class(code)),
        (None, None, Some(code)) => Whose::Target(Target::Group(code)),
        (None, None, None) => Whose::Mine,
        _ => {
            return Err(ApiError::bad_request(
                "Donnez au plus un de « child », « class » et « group ».",
            ))
        }
    };
    if whose == Whose::Mine && auth.signed_in.account.profile == Profile::Parent {
        return Err(ApiError::bad_request(
            "Donnez l'identifiant de l'enfant dans « child ».",
        ));
    }
    let pupil_list = match &whose {
        Whose::Child(_) => true,
        Whose::Mine => auth.signed_in.account.profile == Profile::Eleve,
        Whose::Target(_) => false,
    };
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let list = crate::http::blocking(move || {
        let items = domain.homework_due(&viewer, &whose, from, to)?;
        let establishment = domain.establishment()?;
        let out = items
            .into_iter()
            .map(|item| {
                let entry = &item.entry;
                let code = match &entry.target {
                    Target::Class(code) | Target::Group(code) => code.clone(),
                };
                HomeworkJson {
                    id: item.homework.id,
                    subject: Labelled {
                        label: establishment.subject_label(&entry.subject),
                        code: entry.subject.clone(),
                    },
                    class: code,
                    target: TargetJson::of(
                        &entry.target,
                        establishment.target_label(&entry.target),
                    ),
                    description: item.homework.description,
                    due: item.homework.due,
                    kind: item.homework.kind.code(),
                    done: pupil_list.then_some(item.done),
                    minutes: item.homework.minutes,
                    hand_in: item.homework.hand_in,
                    session: format!("{}-{}", entry.course, entry.date.format("%Y%m%d")),
                    given: entry.date,
                }
            })
            .collect();
        Ok::<_, crate::domain::DomainError>(out)
    })
    .await?;
    Ok(Json(list))
}
