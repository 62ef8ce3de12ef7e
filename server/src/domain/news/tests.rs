//! Actualités on the demo collège.

use chrono::{Days, NaiveDate};

use super::item::NewsAudience;
use super::{NewNews, NewsProblem};
use crate::demo::testing::DemoSchool;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::DomainError;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn news(title: &str, audience: NewsAudience, from: &str, until: Option<&str>) -> NewNews {
    NewNews {
        title: title.to_owned(),
        body: "<p>Texte <script>x()</script></p>".to_owned(),
        audience,
        from: day(from),
        until: until.map(day),
        pinned: false,
    }
}

fn titles(items: &[super::item::NewsItem]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i.title.as_str())
        .filter(|t| t.starts_with("Test"))
        .collect()
}

#[test]
fn news_reaches_its_audience_between_its_dates_pinned_first() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let cpe = school.account("cpe.demo");
    let teacher = school.account("enseignant.demo");
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    let four_b = NewsAudience::Targets(vec![Target::Class("4B".into())]);
    let first = domain
        .publish_news(
            &cpe,
            news(
                "Test cantine",
                NewsAudience::Establishment,
                "2026-12-01",
                Some("2026-12-10"),
            ),
            None,
        )
        .expect("published");
    assert_eq!(first.body, "<p>Texte </p>", "cleaned");
    domain
        .publish_news(
            &teacher,
            news("Test sortie 4B", four_b.clone(), "2026-12-02", None),
            None,
        )
        .expect("a teacher to their class");
    let mut pinned = news(
        "Test grève",
        NewsAudience::Establishment,
        "2026-11-30",
        None,
    );
    pinned.pinned = true;
    domain.publish_news(&cpe, pinned, None).expect("pinned");
    domain
        .publish_news(
            &cpe,
            news("Test personnels", NewsAudience::Staff, "2026-12-01", None),
            None,
        )
        .expect("to the staff");
    let on = |login: &str, date: &str| {
        titles(
            &domain
                .news_for(&school.account(login), day(date), false)
                .expect("news"),
        )
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        on("eleve.demo", "2026-12-03"),
        ["Test grève", "Test sortie 4B", "Test cantine"]
    );
    assert_eq!(
        on("parent.demo", "2026-12-03"),
        ["Test grève", "Test sortie 4B", "Test cantine"]
    );
    assert_eq!(
        on("eleve.demo", "2026-12-11"),
        ["Test grève", "Test sortie 4B"],
        "the canteen item expired"
    );
    assert_eq!(
        on("eleve.demo", "2026-11-30"),
        ["Test grève"],
        "not yet published"
    );
    assert_eq!(
        on("cpe.demo", "2026-12-03"),
        [
            "Test grève",
            "Test sortie 4B",
            "Test personnels",
            "Test cantine"
        ]
    );
    let other = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Eleve && a.class() == Some("3A"))
        .expect("a pupil of 3A");
    let theirs = domain
        .news_for(&other, day("2026-12-03"), false)
        .expect("news");
    assert_eq!(titles(&theirs), ["Test grève", "Test cantine"]);
    assert!(matches!(
        domain.publish_news(&pupil, news("Test", four_b, "2026-12-01", None), None),
        Err(DomainError::Forbidden)
    ));
    let _ = parent;
}

#[test]
fn a_refused_item_writes_nothing_and_a_removed_one_takes_its_picture_along() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let cpe = school.account("cpe.demo");
    let before = domain.tables().content();
    let reversed = domain.publish_news(
        &cpe,
        news(
            "Test",
            NewsAudience::Establishment,
            "2026-12-05",
            Some("2026-12-01"),
        ),
        None,
    );
    assert!(matches!(
        reversed,
        Err(DomainError::InvalidNews(NewsProblem::EndsBeforeStart))
    ));
    let blobs = domain.blobs().expect("files");
    let script = blobs
        .stage_bytes("affiche.svg", b"<svg onload=alert(1)/>", 1 << 20)
        .expect("stages");
    let svg = domain.publish_news(
        &cpe,
        news("Test", NewsAudience::Establishment, "2026-12-01", None),
        Some(script),
    );
    assert!(matches!(
        svg,
        Err(DomainError::InvalidNews(NewsProblem::NotAnImage))
    ));
    assert!(before == domain.tables().content(), "nothing written");
    let png = blobs
        .stage_bytes("affiche.png", b"\x89PNG\r\n\x1a\nnot really", 1 << 20)
        .expect("stages");
    let item = domain
        .publish_news(
            &cpe,
            news(
                "Test affiche",
                NewsAudience::Establishment,
                "2026-12-01",
                None,
            ),
            Some(png),
        )
        .expect("published");
    let hash = item.image.as_ref().expect("a picture").hash.clone();
    assert!(blobs.contains(&hash));
    let today = day("2026-12-02");
    let pupil = school.account("eleve.demo");
    assert!(matches!(
        domain.remove_news(&pupil, item.id, today),
        Err(DomainError::Forbidden)
    ));
    domain
        .remove_news(&cpe, item.id, today)
        .expect("its author removes it");
    assert!(!blobs.contains(&hash), "the picture went with it");
    assert!(domain
        .news_for(&pupil, today + Days::new(1), false)
        .expect("news")
        .iter()
        .all(|i| i.id != item.id));
}
