//! `/`: the home page, built from the viewer's profile.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::home;
use preau_app::home::model::{
    ChildCard, ChildChoice, ClassCard, HomeView, ServiceCard, TeacherLine, TodayCard,
};
use preau_app::model::PageBody;
use serde::Deserialize;

use super::{format, timetable, PageCtx};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::domain::timetable::Whose;
use crate::domain::{services, Domain, DomainError};
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Deserialize)]
struct HomeQuery {
    enfant: Option<String>,
}

async fn home(ctx: PageCtx, Query(query): Query<HomeQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let account = &auth.signed_in.account;
    let selected = query
        .enfant
        .as_deref()
        .and_then(|id| id.parse::<u64>().ok());
    match home_view(&ctx.state.domain, account, selected) {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Accueil",
            None,
            PageBody::Home(home::Page::Home(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

fn home_view(
    domain: &Domain,
    account: &Account,
    selected: Option<u64>,
) -> Result<HomeView, DomainError> {
    let establishment = domain.establishment()?;
    let classes = classes_of(&establishment, account);
    // Only the viewer's own children can be selected: another id falls back to the first child.
    let selected = selected
        .filter(|id| account.children.iter().any(|link| link.pupil == *id))
        .or(account.children.first().map(|link| link.pupil));
    // The teachers and the day of the selected child only are shown: they read the accounts of
    // the teachers once, in `names`.
    let mut names = timetable::Names::new(domain);
    let mut children = Vec::new();
    let mut selected_child = None;
    for link in &account.children {
        if let Some(child) = domain.accounts().get_shared(link.pupil)? {
            let class_label = child
                .class()
                .map(|class| establishment.class_label(class))
                .unwrap_or_else(|| "sans classe".to_owned());
            if Some(child.id) == selected {
                selected_child = Some(child_card(
                    &establishment,
                    &mut names,
                    &child,
                    class_label.clone(),
                    link.responsibility.label(),
                )?);
            }
            children.push(ChildChoice {
                id: child.id,
                display_name: child.display_name(),
                class_label,
            });
        }
    }
    let timetable = today_card(
        domain,
        &establishment,
        &mut names,
        account,
        selected_child.as_ref(),
    )?;
    let tiles = domain
        .home_tiles(account)?
        .into_iter()
        .map(|tile| ServiceCard {
            href: tile.href,
            label: tile.label,
            description: if tile.single_sign_on {
                "Avec votre compte de l'ENT".to_owned()
            } else {
                "Site extérieur".to_owned()
            },
            logo: tile.logo,
        });
    let services = services::available_to(account)
        .into_iter()
        .filter(|service| service.href != "/")
        .map(|service| ServiceCard {
            href: service.href.to_owned(),
            label: service.label.to_owned(),
            description: service.description.to_owned(),
            logo: None,
        })
        .chain(tiles)
        .collect();
    Ok(HomeView {
        greeting: format!("Bonjour {}", account.first_name),
        profile_label: account.profile.label().to_owned(),
        today: format::long_date(domain.clock().now()),
        classes,
        children,
        selected_child,
        timetable,
        news: super::news::latest(domain, account)?,
        services,
    })
}

/// Today's sessions of a pupil or a teacher, or of the child a parent chose; nothing for the
/// others, who have no timetable of their own.
fn today_card(
    domain: &Domain,
    establishment: &IndexedEstablishment,
    names: &mut timetable::Names,
    account: &Account,
    child: Option<&ChildCard>,
) -> Result<Option<TodayCard>, DomainError> {
    let (whose, week) = match (account.profile, child) {
        (Profile::Parent, Some(child)) => (
            Whose::Child(child.id),
            format!("/emploi-du-temps?enfant={}", child.id),
        ),
        (Profile::Eleve | Profile::Enseignant, _) => (Whose::Mine, "/emploi-du-temps".to_owned()),
        _ => return Ok(None),
    };
    let today = timetable::today(domain);
    let Some(day) = domain
        .timetable_days(account, &whose, today, today)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut day = timetable::day_view(establishment, names, day, today, false)?;
    day.heading = format!("Aujourd'hui · {}", day.heading);
    Ok(Some(TodayCard { day, week }))
}

fn classes_of(establishment: &IndexedEstablishment, account: &Account) -> Vec<ClassCard> {
    if let Some(class) = account.class() {
        return vec![ClassCard {
            code: class.to_owned(),
            label: establishment.class_label(class),
            detail: String::new(),
        }];
    }
    establishment
        .duties_of(account.id)
        .into_iter()
        .map(|duty| {
            let mut detail: Vec<String> = duty
                .subjects
                .iter()
                .map(|code| establishment.subject_label(code))
                .collect();
            if duty.principal {
                detail.push("professeur principal".to_owned());
            }
            ClassCard {
                label: establishment.class_label(&duty.class),
                code: duty.class,
                detail: detail.join(" · "),
            }
        })
        .collect()
}

/// The selected child's card, with their teachers.
fn child_card(
    establishment: &IndexedEstablishment,
    names: &mut timetable::Names,
    child: &Account,
    class_label: String,
    link_label: &str,
) -> Result<ChildCard, DomainError> {
    let groups = child
        .pupil
        .as_ref()
        .map_or(&[][..], |pupil| pupil.groups.as_slice());
    let mut teachers = Vec::new();
    for line in establishment.teachers_of(child.class(), groups) {
        let name = names.of(&[line.teacher])?;
        if !name.is_empty() {
            teachers.push(TeacherLine {
                subject: line.subject_label.to_owned(),
                name,
            });
        }
    }
    Ok(ChildCard {
        id: child.id,
        display_name: child.display_name(),
        class_label,
        link_label: link_label.to_owned(),
        teachers,
    })
}
