//! « À faire »: a pupil's homework by due date (a parent's child's), and the tick.

use super::*;

#[derive(Deserialize, Default)]
pub(super) struct TodoQuery {
    enfant: Option<String>,
}

pub(super) async fn todo(ctx: PageCtx, Query(query): Query<TodoQuery>) -> Response {
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
    let items = domain.homework_due(viewer, &whose, today, today + Days::new(DAYS_AHEAD))?;
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
pub(super) struct TickForm {
    fait: String,
}

pub(super) async fn tick(
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<TickForm>,
) -> Response {
    let done = form.fait == "oui";
    let write = move |domain: &Domain, viewer: &Account| {
        let id = id.parse().map_err(|_| DomainError::UnknownHomework(0))?;
        domain.set_homework_done(viewer, id, done)
    };
    ctx.signed_in_write(write, |()| "/cahier-de-textes/a-faire".to_owned())
        .await
}
