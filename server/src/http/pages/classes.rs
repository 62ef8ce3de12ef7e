//! `/classes` and `/classes/{code}`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::model::{ClassLine, ClassView, ClassesView, PageBody, PersonLine};

use super::PageCtx;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/classes", get(list))
        .route("/classes/{code}", get(show))
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
                PageBody::Classes(ClassesView { classes }),
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
                detail: detail.join(" · "),
            }
        })
        .collect();
    let title = format!("Classe de {}", members.label);
    ctx.render(
        StatusCode::OK,
        &title,
        None,
        PageBody::Class(ClassView {
            label: title.clone(),
            pupils,
            teachers,
        }),
    )
}
