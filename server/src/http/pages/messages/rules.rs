//! `/admin/communication`: the communication rules as a matrix of checkboxes, for the ENT
//! administrator.

use axum::extract::Query;
use axum::response::Response;
use axum::Form;
use preau_app::messages::model::{RuleCell, RuleRow, RulesView};
use preau_app::messages::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use crate::domain::accounts::account::Account;
use crate::domain::messages::rules::{CommunicationRules, Reach, Sender};
use crate::domain::{Domain, DomainError};
use crate::http::pages::PageCtx;

#[derive(Deserialize)]
pub(super) struct Saved {
    enregistre: Option<String>,
}

fn view(rules: &CommunicationRules, saved: bool) -> RulesView {
    RulesView {
        senders: Sender::ALL
            .iter()
            .map(|sender| sender.label().to_owned())
            .collect(),
        rows: Reach::ALL
            .iter()
            .map(|reach| RuleRow {
                label: reach.label().to_owned(),
                cells: Sender::ALL
                    .iter()
                    .map(|sender| {
                        reach.applies_to(*sender).then(|| RuleCell {
                            value: format!("{}:{}", sender.code(), reach.code()),
                            allowed: rules.allows(*sender, *reach),
                            label: format!("{} → {}", sender.label(), reach.label()),
                        })
                    })
                    .collect(),
            })
            .collect(),
        saved,
    }
}

pub(super) async fn page(ctx: PageCtx, Query(saved): Query<Saved>) -> Response {
    let build = move |domain: &Domain, viewer: &Account| {
        if !crate::domain::access::allows(viewer, crate::domain::access::Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        Ok(view(
            &*domain.communication_rules()?,
            saved.enregistre.is_some(),
        ))
    };
    ctx.signed_in_page("Règles de communication", build, |view| {
        PageBody::Messages(Page::Rules(view))
    })
    .await
}

/// The checked boxes, as `sender:reach` pairs; unknown ones are ignored (a form of another
/// version).
fn parse(form: &[(String, String)]) -> CommunicationRules {
    let pairs = form
        .iter()
        .filter(|(name, _)| name == "regle")
        .filter_map(|(_, value)| {
            let (sender, reach) = value.split_once(':')?;
            let sender = Sender::ALL.into_iter().find(|s| s.code() == sender)?;
            let reach = Reach::ALL.into_iter().find(|r| r.code() == reach)?;
            Some((sender, reach))
        });
    CommunicationRules::of(pairs)
}

pub(super) async fn save(ctx: PageCtx, Form(form): Form<Vec<(String, String)>>) -> Response {
    let rules = parse(&form);
    ctx.signed_in_write(
        move |domain: &Domain, viewer: &Account| domain.set_communication_rules(viewer, rules),
        |()| "/admin/communication?enregistre=1".to_owned(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_back_as_the_matrix_shows_it() {
        let rules = CommunicationRules::default();
        let shown = view(&rules, false);
        let checked: Vec<(String, String)> = shown
            .rows
            .iter()
            .flat_map(|row| row.cells.iter().flatten())
            .filter(|cell| cell.allowed)
            .map(|cell| ("regle".to_owned(), cell.value.clone()))
            .collect();
        assert_eq!(
            parse(&checked),
            CommunicationRules::of(rules.allowed.clone())
        );
        let odd = vec![
            ("regle".to_owned(), "eleves:camarades".to_owned()),
            ("regle".to_owned(), "eleves:leurs-enfants".to_owned()),
            ("regle".to_owned(), "inconnu:direction".to_owned()),
            ("autre".to_owned(), "parents:direction".to_owned()),
        ];
        assert_eq!(
            parse(&odd).allowed,
            vec![(Sender::Pupil, Reach::Classmate)],
            "a relation that cannot hold and unknown names are dropped"
        );
    }
}
