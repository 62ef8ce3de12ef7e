//! `/classes` and `/classes/{code}`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::classes;
use preau_app::classes::model::{ClassLine, ClassView, ClassesView, PersonLine, PersonView};
use preau_app::model::PageBody;

use super::PageCtx;
use crate::domain::school::people::Relative;
use crate::domain::DomainError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/classes", get(list))
        .route("/classes/{code}", get(show))
        .route("/personnes/{id}", get(person))
}

async fn person(ctx: PageCtx, Path(id): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let Ok(id) = id.parse::<u64>() else {
        return ctx.error(DomainError::UnknownPerson(0));
    };
    let card = match ctx.state.domain.person_card(&auth.signed_in.account, id) {
        Ok(card) => card,
        Err(error) => return ctx.error(error),
    };
    let state = match card.state {
        "active" => "compte actif",
        "to_activate" => "compte à activer",
        _ => "compte désactivé",
    };
    let mut facts = vec![
        ("Profil".to_owned(), card.profile_label.to_owned()),
        ("Identifiant".to_owned(), card.login.clone()),
        ("Compte".to_owned(), state.to_owned()),
    ];
    if let Some((_, label)) = &card.class {
        facts.push(("Classe".to_owned(), label.clone()));
    }
    if !card.groups.is_empty() {
        facts.push(("Groupes".to_owned(), card.groups.join(", ")));
    }
    if let Some(email) = &card.email {
        facts.push(("Courriel".to_owned(), email.clone()));
    }
    let line = |relative: &Relative| PersonLine {
        name: relative.display_name.clone(),
        login: String::new(),
        href: format!("/personnes/{}", relative.id),
        detail: match &relative.email {
            Some(email) => format!("{} · {email}", relative.detail),
            None => relative.detail.clone(),
        },
    };
    let view = PersonView {
        name: card.display_name.clone(),
        facts,
        guardians: card.guardians.iter().map(line).collect(),
        children: card.children.iter().map(line).collect(),
        teaching: card.teaching.clone(),
    };
    ctx.render(
        StatusCode::OK,
        &card.display_name,
        None,
        PageBody::Classes(classes::Page::Person(view)),
    )
}

async fn list(ctx: PageCtx) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    match ctx.state.domain.classes_for(&auth.signed_in.account) {
        Ok(classes) => {
            let classes = classes
                .into_iter()
                .map(|class| ClassLine {
                    code: class.code,
                    label: class.label,
                    pupils: class.pupils,
                })
                .collect();
            ctx.render(
                StatusCode::OK,
                "Classes",
                None,
                PageBody::Classes(classes::Page::List(ClassesView { classes })),
            )
        }
        Err(error) => ctx.error(error),
    }
}

async fn show(ctx: PageCtx, Path(code): Path<String>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let members = match ctx
        .state
        .domain
        .class_members(&auth.signed_in.account, &code)
    {
        Ok(members) => members,
        Err(error) => return ctx.error(error),
    };
    let waiting = |state: &str| {
        if state == "to_activate" {
            "compte à activer".to_owned()
        } else {
            String::new()
        }
    };
    let pupils = members
        .pupils
        .iter()
        .map(|pupil| PersonLine {
            name: pupil.display_name.clone(),
            login: pupil.login.clone(),
            href: format!("/personnes/{}", pupil.id),
            detail: waiting(pupil.state),
        })
        .collect();
    let teachers = members
        .teachers
        .iter()
        .map(|teacher| {
            let mut detail = teacher.subjects.clone();
            if teacher.principal {
                detail.push("professeur principal".to_owned());
            }
            PersonLine {
                name: teacher.member.display_name.clone(),
                login: teacher.member.login.clone(),
                href: format!("/personnes/{}", teacher.member.id),
                detail: detail.join(" · "),
            }
        })
        .collect();
    let title = format!("Classe de {}", members.label);
    ctx.render(
        StatusCode::OK,
        &title,
        None,
        PageBody::Classes(classes::Page::Class(ClassView {
            label: title.clone(),
            pupils,
            teachers,
        })),
    )
}
