//! The demo collège's actualités, dated from the first start: the canteen's Christmas menu
//! (pinned), the brevet blanc for the 3e, and 4e B's mental arithmetic contest.

use chrono::{Days, NaiveDate};
use chrono_tz::Europe::Paris;

use crate::domain::news::item::NewsAudience;
use crate::domain::news::NewNews;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

pub fn seed(domain: &Domain) -> Result<usize, DomainError> {
    let today: NaiveDate = domain.clock().now().with_timezone(&Paris).date_naive();
    let account = |login: &str| {
        domain
            .accounts()
            .by_login(login)?
            .ok_or_else(|| DomainError::UnknownLogin(login.to_owned()))
    };
    let cpe = account("cpe.demo")?;
    let teacher = account("enseignant.demo")?;
    let thirds: Vec<Target> = domain
        .establishment()?
        .classes
        .iter()
        .filter(|class| class.code.starts_with('3'))
        .map(|class| Target::Class(class.code.clone()))
        .collect();
    let planned = [
        (&cpe, NewNews {
            title: "Repas de fin d'année à la cantine".to_owned(),
            body: "Le dernier jeudi avant les vacances, la cantine sert un repas de fête.\n\nPensez à inscrire votre enfant auprès de la vie scolaire avant vendredi.".to_owned(),
            audience: NewsAudience::Establishment,
            from: today,
            until: Some(today + Days::new(21)),
            pinned: true,
        }),
        (&cpe, NewNews {
            title: "Brevet blanc des 3e".to_owned(),
            body: "<p>Les épreuves écrites du brevet blanc ont lieu <strong>dans trois semaines</strong>, en salle polyvalente. Le planning détaillé est affiché devant la vie scolaire.</p>".to_owned(),
            audience: NewsAudience::Targets(thirds),
            from: today,
            until: None,
            pinned: false,
        }),
        (&teacher, NewNews {
            title: "Concours de calcul mental".to_owned(),
            body: "Les 4e B participent au concours académique de calcul mental. Entraînez-vous avec les exercices de la bibliothèque de ressources !".to_owned(),
            audience: NewsAudience::Targets(vec![Target::Class("4B".to_owned())]),
            from: today,
            until: None,
            pinned: false,
        }),
    ];
    let count = planned.len();
    for (author, new) in planned {
        domain.publish_news(author, new, None)?;
    }
    Ok(count)
}
