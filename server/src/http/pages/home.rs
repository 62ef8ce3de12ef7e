//! `/`: the home page, built from the viewer's profile.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::home;
use preau_app::home::model::{ChildCard, ClassCard, HomeView, ServiceCard, TeacherLine};
use preau_app::model::PageBody;
use serde::Deserialize;

use super::{format, PageCtx};
use crate::domain::accounts::account::Account;
use crate::domain::school::indexed::IndexedEstablishment;
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
    let mut children = Vec::new();
    for link in &account.children {
        if let Some(child) = domain.accounts().get_shared(link.pupil)? {
            children.push(child_card(
                domain,
                &establishment,
                &child,
                link.responsibility.label(),
            )?);
        }
    }
    // Only the viewer's own children can be selected: another id falls back to the first child.
    let selected_child = selected
        .and_then(|id| children.iter().find(|child| child.id == id))
        .or(children.first())
        .cloned();
    let services = services::available_to(account)
        .into_iter()
        .filter(|service| service.href != "/")
        .map(|service| ServiceCard {
            href: service.href.to_owned(),
            label: service.label.to_owned(),
            description: service.description.to_owned(),
        })
        .collect();
    Ok(HomeView {
        greeting: format!("Bonjour {}", account.first_name),
        profile_label: account.profile.label().to_owned(),
        today: format::long_date(domain.clock().now()),
        classes,
        children,
        selected_child,
        services,
    })
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

fn child_card(
    domain: &Domain,
    establishment: &IndexedEstablishment,
    child: &Account,
    link_label: &str,
) -> Result<ChildCard, DomainError> {
    let groups = child
        .pupil
        .as_ref()
        .map(|pupil| pupil.groups.clone())
        .unwrap_or_default();
    let mut teachers = Vec::new();
    for line in establishment.teachers_of(child.class(), &groups) {
        if let Some(teacher) = domain.accounts().get_shared(line.teacher)? {
            teachers.push(TeacherLine {
                subject: line.subject_label.to_owned(),
                name: teacher.display_name(),
            });
        }
    }
    Ok(ChildCard {
        id: child.id,
        display_name: child.display_name(),
        class_label: child
            .class()
            .map(|class| establishment.class_label(class))
            .unwrap_or_else(|| "sans classe".to_owned()),
        link_label: link_label.to_owned(),
        teachers,
    })
}
