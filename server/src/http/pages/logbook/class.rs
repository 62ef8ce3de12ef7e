//! A class's or group's week of the cahier de textes, across subjects.

use super::*;

pub(super) async fn class_week(ctx: PageCtx, Query(query): Query<WeekQuery>) -> Response {
    ctx.signed_in_page(
        "Cahier de textes",
        move |domain, viewer| class_view(domain, viewer, &query),
        |view| PageBody::Logbook(logbook::Page::Class(view)),
    )
    .await
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
                    time: time_range(entry.start, entry.end),
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
