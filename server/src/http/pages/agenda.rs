//! `/agenda`: the events a person may see, by day, week or month (a list of days, readable on a
//! phone), one event, and the form that adds one. Everything works without JavaScript.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime};
use preau_app::agenda::model::{
    AgendaDay, AgendaView, Choice, EventFormView, EventLine, EventView,
};
use preau_app::agenda::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use super::format::{capitalised, day_month, long_day, time_range};
use super::timetable::{today, Names};
use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::agenda::event::{Event, EventAudience, EventKind};
use crate::domain::agenda::NewEvent;
use crate::domain::school::establishment::Target;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::domain::timetable::calendar::monday_of;
use crate::domain::{Domain, DomainError};
use crate::http::error::ApiError;
use crate::http::resource_input::{parse_target, target_value};
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda", get(period))
        .route("/agenda/nouvel-evenement", get(new_form).post(create))
        .route("/agenda/evenements/{id}", get(event_page))
        .route("/agenda/evenements/{id}/supprimer", post(delete))
}

fn render(ctx: &PageCtx, status: StatusCode, title: &str, page: Page) -> Response {
    ctx.render(status, title, None, PageBody::Agenda(page))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Span {
    Day,
    Week,
    Month,
}

impl Span {
    fn code(self) -> &'static str {
        match self {
            Span::Day => "jour",
            Span::Week => "semaine",
            Span::Month => "mois",
        }
    }
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    vue: Option<String>,
    date: Option<String>,
}

async fn period(ctx: PageCtx, Query(query): Query<PeriodQuery>) -> Response {
    ctx.signed_in_page(
        "Agenda",
        move |domain, viewer| period_view(domain, viewer, &query),
        |view| PageBody::Agenda(Page::Period(view)),
    )
    .await
}

fn period_view(
    domain: &Domain,
    viewer: &Account,
    query: &PeriodQuery,
) -> Result<AgendaView, DomainError> {
    let today = today(domain);
    let span = match query.vue.as_deref() {
        Some("jour") => Span::Day,
        Some("mois") => Span::Month,
        _ => Span::Week,
    };
    let date = query
        .date
        .as_deref()
        .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .filter(|date| crate::domain::timetable::in_reach(*date))
        .unwrap_or(today);
    let (from, to, previous, next, label) = match span {
        Span::Day => (
            date,
            date,
            date - Days::new(1),
            date + Days::new(1),
            capitalised(&long_day(date)),
        ),
        Span::Week => {
            let monday = monday_of(date);
            let sunday = monday + Days::new(6);
            (
                monday,
                sunday,
                monday - Days::new(7),
                monday + Days::new(7),
                format!("Semaine du {} au {}", day_month(monday), long_day(sunday)),
            )
        }
        Span::Month => {
            let first = date.with_day(1).unwrap_or(date);
            let next = first + Months::new(1);
            let last = next - Days::new(1);
            let month = long_day(first);
            // « 1er décembre 2026 » → « Décembre 2026 ».
            let label = month.split(' ').skip(2).collect::<Vec<_>>().join(" ");
            (
                first,
                last,
                first - Months::new(1),
                next,
                capitalised(&label),
            )
        }
    };
    let events = domain.events_between(viewer, from, to)?;
    let establishment = domain.establishment()?;
    let link = |span: Span, date: NaiveDate| {
        format!(
            "/agenda?vue={}&date={}",
            span.code(),
            date.format("%Y-%m-%d")
        )
    };
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let lines: Vec<EventLine> = events
            .iter()
            .filter(|event| event.days().any(|d| d == day))
            .map(|event| event_line(&establishment, event, day))
            .collect();
        // A month lists only its days with something; a day or a week shows every day.
        if span != Span::Month || !lines.is_empty() {
            days.push(AgendaDay {
                heading: capitalised(&long_day(day)),
                today: day == today,
                events: lines,
            });
        }
        day = day + Days::new(1);
    }
    let in_period = (from..=to).contains(&today);
    Ok(AgendaView {
        period: label,
        views: [Span::Day, Span::Week, Span::Month]
            .into_iter()
            .map(|s| {
                let label = match s {
                    Span::Day => "Jour",
                    Span::Week => "Semaine",
                    Span::Month => "Mois",
                };
                (link(s, date), label.to_owned(), s == span)
            })
            .collect(),
        previous: link(span, previous),
        next: link(span, next),
        current: (!in_period).then(|| link(span, today)),
        empty: events
            .is_empty()
            .then(|| "Aucun événement sur cette période.".to_owned()),
        days,
        create: "/agenda/nouvel-evenement".to_owned(),
    })
}

fn audience_label(establishment: &IndexedEstablishment, audience: &EventAudience) -> String {
    match audience {
        EventAudience::Establishment => "Tout l'établissement".to_owned(),
        EventAudience::Staff => "Les personnels".to_owned(),
        EventAudience::Targets(targets) => targets
            .iter()
            .map(|target| establishment.target_label(target))
            .collect::<Vec<_>>()
            .join(", "),
        EventAudience::Personal => "Personnel (vous seul)".to_owned(),
    }
}

fn event_line(establishment: &IndexedEstablishment, event: &Event, day: NaiveDate) -> EventLine {
    let (first, last) = (event.starts.date(), event.ends.date());
    let time = if event.all_day {
        if first == last {
            "Toute la journée".to_owned()
        } else {
            format!("Jusqu'au {}", day_month(last))
        }
    } else if first == last {
        time_range(event.starts.time(), event.ends.time())
    } else if day == first {
        format!("À partir de {}", event.starts.format("%H:%M"))
    } else if day == last {
        format!("Jusqu'à {}", event.ends.format("%H:%M"))
    } else {
        "Toute la journée".to_owned()
    };
    let mut detail = vec![
        event.kind.label().to_owned(),
        audience_label(establishment, &event.audience),
    ];
    if !event.place.is_empty() {
        detail.push(event.place.clone());
    }
    EventLine {
        time,
        title: event.title.clone(),
        href: format!("/agenda/evenements/{}", event.id),
        detail: detail.join(" · "),
    }
}

async fn event_page(ctx: PageCtx, Path(id): Path<String>) -> Response {
    ctx.signed_in_page(
        "Événement",
        move |domain, viewer| {
            let id = id.parse().map_err(|_| DomainError::UnknownEvent(0))?;
            let event = domain.event(viewer, id)?;
            let establishment = domain.establishment()?;
            let mut names = Names::new(domain);
            let when = if event.all_day && event.starts.date() == event.ends.date() {
                format!("{}, toute la journée", long_day(event.starts.date()))
            } else if event.all_day {
                format!(
                    "Du {} au {}",
                    long_day(event.starts.date()),
                    long_day(event.ends.date())
                )
            } else if event.starts.date() == event.ends.date() {
                format!(
                    "{}, {}",
                    long_day(event.starts.date()),
                    time_range(event.starts.time(), event.ends.time())
                )
            } else {
                format!(
                    "Du {} à {} au {} à {}",
                    long_day(event.starts.date()),
                    event.starts.format("%H:%M"),
                    long_day(event.ends.date()),
                    event.ends.format("%H:%M")
                )
            };
            let mut facts = vec![
                ("Quand".to_owned(), capitalised(&when)),
                ("Nature".to_owned(), event.kind.label().to_owned()),
                (
                    "Pour".to_owned(),
                    audience_label(&establishment, &event.audience),
                ),
            ];
            if !event.place.is_empty() {
                facts.push(("Lieu".to_owned(), event.place.clone()));
            }
            facts.push(("Ajouté par".to_owned(), names.of(&[event.author])?));
            Ok(EventView {
                title: event.title.clone(),
                facts,
                description: event.description.clone(),
                back: format!(
                    "/agenda?vue=semaine&date={}",
                    event.starts.date().format("%Y-%m-%d")
                ),
                delete: domain
                    .may_edit_event(viewer, &event)
                    .then(|| format!("/agenda/evenements/{}/supprimer", event.id)),
            })
        },
        |view| PageBody::Agenda(Page::Event(view)),
    )
    .await
}

async fn delete(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let write = move |domain: &Domain, viewer: &Account| {
        let id = id.parse().map_err(|_| DomainError::UnknownEvent(0))?;
        domain.delete_event(viewer, id)
    };
    ctx.signed_in_write(write, |()| "/agenda".to_owned()).await
}

#[derive(Deserialize, Default)]
struct EventForm {
    #[serde(default)]
    titre: String,
    #[serde(default)]
    nature: String,
    #[serde(default)]
    public: String,
    #[serde(default)]
    debut: String,
    #[serde(default)]
    heure_debut: String,
    #[serde(default)]
    fin: String,
    #[serde(default)]
    heure_fin: String,
    journee: Option<String>,
    #[serde(default)]
    lieu: String,
    #[serde(default)]
    description: String,
}

fn audience_value(audience: &EventAudience) -> String {
    match audience {
        EventAudience::Personal => "moi".to_owned(),
        EventAudience::Establishment => "etablissement".to_owned(),
        EventAudience::Staff => "personnels".to_owned(),
        EventAudience::Targets(targets) => targets.first().map(target_value).unwrap_or_default(),
    }
}

fn parse_audience(value: &str) -> Option<EventAudience> {
    match value {
        "moi" => Some(EventAudience::Personal),
        "etablissement" => Some(EventAudience::Establishment),
        "personnels" => Some(EventAudience::Staff),
        other => parse_target(other).map(|target: Target| EventAudience::Targets(vec![target])),
    }
}

fn form_view(
    domain: &Domain,
    viewer: &Account,
    form: &EventForm,
    error: Option<String>,
) -> Result<EventFormView, DomainError> {
    let establishment = domain.establishment()?;
    let audiences = domain
        .event_audiences(viewer)?
        .into_iter()
        .map(|audience| {
            let value = audience_value(&audience);
            Choice {
                selected: value == form.public,
                label: audience_label(&establishment, &audience),
                value,
            }
        })
        .collect();
    let kinds = EventKind::ALL
        .into_iter()
        .map(|kind| Choice {
            value: kind.code().to_owned(),
            label: kind.label().to_owned(),
            selected: kind.code() == form.nature,
        })
        .collect();
    Ok(EventFormView {
        title: form.titre.clone(),
        kinds,
        audiences,
        start_date: form.debut.clone(),
        start_time: form.heure_debut.clone(),
        end_date: form.fin.clone(),
        end_time: form.heure_fin.clone(),
        all_day: form.journee.is_some(),
        place: form.lieu.clone(),
        description: form.description.clone(),
        error,
    })
}

async fn new_form(ctx: PageCtx) -> Response {
    ctx.signed_in_page(
        "Nouvel événement",
        move |domain, viewer| {
            let form = EventForm {
                debut: today(domain).format("%Y-%m-%d").to_string(),
                heure_debut: "17:00".to_owned(),
                heure_fin: "18:00".to_owned(),
                ..EventForm::default()
            };
            form_view(domain, viewer, &form, None)
        },
        |view| PageBody::Agenda(Page::New(view)),
    )
    .await
}

/// The form's event, or the French reason it cannot be read.
fn new_event(form: &EventForm) -> Result<NewEvent, String> {
    let date = |text: &str, what: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .filter(|date| crate::domain::timetable::in_reach(*date))
            .ok_or_else(|| format!("La date de {what} n'est pas une date valide."))
    };
    let time = |text: &str, default: NaiveTime, what: &str| {
        if text.trim().is_empty() {
            return Ok(default);
        }
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map_err(|_| format!("L'heure de {what} doit s'écrire HH:MM."))
    };
    let start_day = date(&form.debut, "début")?;
    let end_day = if form.fin.trim().is_empty() {
        start_day
    } else {
        date(&form.fin, "fin")?
    };
    let all_day = form.journee.is_some();
    let (start, end) = if all_day {
        (
            NaiveTime::MIN,
            NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN),
        )
    } else {
        let start = time(&form.heure_debut, NaiveTime::MIN, "début")?;
        (start, time(&form.heure_fin, start, "fin")?)
    };
    let audience = parse_audience(&form.public)
        .ok_or_else(|| "Choisissez pour qui est l'événement.".to_owned())?;
    Ok(NewEvent {
        title: form.titre.clone(),
        description: form.description.clone(),
        place: form.lieu.clone(),
        kind: EventKind::of_code(&form.nature).unwrap_or(EventKind::Other),
        starts: start_day.and_time(start),
        ends: end_day.and_time(end),
        all_day,
        audience,
    })
}

async fn create(ctx: PageCtx, Form(form): Form<EventForm>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let outcome = crate::http::blocking(move || {
        let refused = |message: String| form_view(&domain, &viewer, &form, Some(message)).map(Err);
        let new = match new_event(&form) {
            Ok(new) => new,
            Err(message) => return refused(message),
        };
        match domain.create_event(&viewer, new) {
            Ok(event) => Ok(Ok(event)),
            Err(error @ DomainError::InvalidEvent(_)) => refused(ApiError::from(error).message),
            Err(other) => Err(other),
        }
    })
    .await;
    match outcome {
        Ok(Ok(event)) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            Redirect::to(&format!("/agenda/evenements/{}", event.id)).into_response()
        }
        Ok(Err(view)) => render(
            &ctx,
            StatusCode::BAD_REQUEST,
            "Nouvel événement",
            Page::New(view),
        ),
        Err(error) => ctx.error(error),
    }
}
