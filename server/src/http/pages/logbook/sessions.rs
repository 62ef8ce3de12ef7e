//! « Mes séances »: a teacher's week, each session filled or not.

use super::*;

pub(super) async fn sessions(ctx: PageCtx, Query(query): Query<WeekQuery>) -> Response {
    ctx.signed_in_page(
        "Mes séances",
        move |domain, viewer| sessions_view(domain, viewer, &query),
        |view| PageBody::Logbook(logbook::Page::Sessions(view)),
    )
    .await
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
        time: time_range(session.start, session.end),
        subject: establishment.subject_label(&session.subject),
        detail,
        href: entry_href(session.course, session.date),
        status,
        filled,
    }
}
