//! Notifications on the demo collège: feeds, counts, retention, digests, and what each service
//! notifies to whom.

use std::sync::{Arc, Mutex};

use chrono::Duration;

use super::notification::{Notification, NotificationKind};
use super::observer::UnseenObserver;
use super::{KEEP_PER_PERSON, PAGE_SIZE};
use crate::demo::testing::DemoSchool;
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::messages::recipients::{GroupId, RecipientId};
use crate::domain::messages::Composed;
use crate::domain::news::item::NewsAudience;
use crate::domain::news::NewNews;
use crate::domain::resources::resource::ResourceKind;
use crate::domain::resources::{DraftSource, ResourceDraft};
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

fn notice(title: &str, school: &DemoSchool) -> Notification {
    Notification {
        kind: NotificationKind::News,
        title: title.to_owned(),
        href: "/actualites".to_owned(),
        date: school.domain.clock().now(),
    }
}

fn unseen(domain: &Domain, account: &Account) -> usize {
    domain.unseen_notifications(account).expect("counts")
}

/// The titles of the first page of `account`'s feed, newest first.
fn titles(domain: &Domain, account: &Account) -> Vec<String> {
    domain
        .notifications(account, 1)
        .expect("reads")
        .entries
        .into_iter()
        .map(|entry| entry.notification.title)
        .collect()
}

/// A pupil of a class other than 4B.
fn pupil_elsewhere(school: &DemoSchool) -> Account {
    school
        .domain
        .accounts()
        .all()
        .map(|account| account.expect("account"))
        .find(|account| {
            account.profile == Profile::Eleve
                && account.is_active()
                && account.class() != Some("4B")
        })
        .expect("a pupil of another class")
}

#[test]
fn notifying_a_thousand_people_writes_one_row_each_and_counts_each_feed_apart() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let parent = school.account("parent.demo");
    let pupil = school.account("eleve.demo");
    let (parent_before, pupil_before) = (unseen(domain, &parent), unseen(domain, &pupil));
    let rows_before = domain.tables().notifications.len();
    let mut owners: Vec<u64> = (1_000_000..1_000_999).collect();
    owners.push(parent.id);
    owners.push(parent.id);
    domain
        .notify(&owners, &notice("Réunion parents-professeurs", &school))
        .expect("notifies");
    assert_eq!(domain.tables().notifications.len(), rows_before + 1000);
    assert_eq!(
        unseen(domain, &parent),
        parent_before + 1,
        "once, not twice"
    );
    assert_eq!(unseen(domain, &pupil), pupil_before, "not notified");
    assert_eq!(titles(domain, &parent)[0], "Réunion parents-professeurs");
}

#[test]
fn a_feed_is_paged_newest_first_and_opening_it_marks_everything_seen() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let pupil = school.account("eleve.demo");
    domain.mark_notifications_seen(&pupil).expect("marks");
    let already = domain.notifications(&pupil, 1).expect("reads").pages;
    for n in 0..PAGE_SIZE + 5 {
        school.clock.advance(Duration::minutes(1));
        domain
            .notify(&[pupil.id], &notice(&format!("Numéro {n}"), &school))
            .expect("notifies");
    }
    let first = domain.notifications(&pupil, 1).expect("reads");
    assert_eq!(first.unseen, PAGE_SIZE + 5);
    assert_eq!(first.entries.len(), PAGE_SIZE);
    assert_eq!(
        first.entries[0].notification.title,
        format!("Numéro {}", PAGE_SIZE + 4)
    );
    assert!(first.entries.iter().all(|entry| !entry.seen));
    assert!(first.pages >= 2 && first.pages >= already);
    let second = domain.notifications(&pupil, 2).expect("reads");
    assert_eq!(second.entries[0].notification.title, "Numéro 4");
    assert_eq!(
        domain.mark_notifications_seen(&pupil).expect("marks"),
        PAGE_SIZE + 5
    );
    assert_eq!(unseen(domain, &pupil), 0);
    let after = domain.notifications(&pupil, 1).expect("reads");
    assert!(after.entries.iter().all(|entry| entry.seen));
    assert_eq!(after.entries.len(), PAGE_SIZE, "seen, still there");
    assert_eq!(domain.mark_notifications_seen(&pupil).expect("marks"), 0);
}

#[test]
fn only_an_active_person_reads_their_feed_and_only_their_own() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    domain
        .notify(&[parent.id], &notice("Pour le parent seul", &school))
        .expect("notifies");
    assert!(!titles(domain, &pupil).contains(&"Pour le parent seul".to_owned()));
    let mut gone = pupil.clone();
    gone.state = AccountState::Deactivated {
        since: domain.clock().now(),
    };
    assert!(matches!(
        domain.notifications(&gone, 1),
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        domain.unseen_notifications(&gone),
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        domain.mark_notifications_seen(&gone),
        Err(DomainError::Forbidden)
    ));
}

#[test]
fn feeds_keep_their_newest_rows_and_sixty_days() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    for n in 0..KEEP_PER_PERSON + 5 {
        domain
            .notify(&[pupil.id], &notice(&format!("Numéro {n}"), &school))
            .expect("notifies");
    }
    domain.prune_notifications().expect("prunes");
    let feed = domain.notifications(&pupil, 1).expect("reads");
    assert_eq!(feed.pages, KEEP_PER_PERSON.div_ceil(PAGE_SIZE));
    assert_eq!(feed.unseen, KEEP_PER_PERSON);
    assert_eq!(
        feed.entries[0].notification.title,
        format!("Numéro {}", KEEP_PER_PERSON + 4)
    );
    let parent_feed = titles(domain, &parent);
    school.clock.advance(Duration::days(61));
    domain
        .notify(&[pupil.id], &notice("Récente", &school))
        .expect("notifies");
    assert!(domain.prune_notifications().expect("prunes") >= KEEP_PER_PERSON);
    assert_eq!(titles(domain, &pupil), ["Récente"]);
    assert_eq!(unseen(domain, &pupil), 1);
    if !parent_feed.is_empty() {
        assert!(titles(domain, &parent).is_empty(), "the demo's lines too");
    }
    assert_eq!(domain.prune_notifications().expect("prunes"), 0);
}

/// Remembers what it was told, for one watched person.
struct Recorder {
    watched: u64,
    told: Mutex<Vec<(u64, usize)>>,
}

impl UnseenObserver for Recorder {
    fn watches(&self, owner: u64) -> bool {
        owner == self.watched
    }

    fn unseen_changed(&self, owner: u64, unseen: usize) {
        self.told.lock().expect("lock").push((owner, unseen));
    }
}

#[test]
fn the_observer_is_told_the_new_count_of_the_people_it_watches_only() {
    let school = DemoSchool::new();
    let parent = school.account("parent.demo");
    let pupil = school.account("eleve.demo");
    let recorder = Arc::new(Recorder {
        watched: parent.id,
        told: Mutex::new(Vec::new()),
    });
    let domain = school.domain.clone().with_unseen_observer(recorder.clone());
    let before = unseen(&domain, &parent);
    domain
        .notify(&[parent.id, pupil.id], &notice("Aux deux", &school))
        .expect("notifies");
    domain.mark_notifications_seen(&parent).expect("marks");
    domain.mark_notifications_seen(&pupil).expect("marks");
    assert_eq!(
        *recorder.told.lock().expect("lock"),
        [(parent.id, before + 1), (parent.id, 0)]
    );
}

fn message(to: &[RecipientId], subject: &str) -> Composed {
    Composed {
        to: to.iter().map(RecipientId::code).collect(),
        subject: subject.to_owned(),
        body: "Bonjour".to_owned(),
        ..Composed::default()
    }
}

#[test]
fn a_message_notifies_each_recipient_groups_expanded_but_not_its_sender() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let parent = school.account("parent.demo");
    let pupil = school.account("eleve.demo");
    let before = (
        unseen(domain, &parent),
        unseen(domain, &pupil),
        unseen(domain, &teacher),
    );
    let sent = domain
        .send_message(
            &teacher,
            message(
                &[RecipientId::Group(GroupId::Parents(Target::Class(
                    "4B".into(),
                )))],
                "Sortie au musée",
            ),
            None,
        )
        .expect("sent");
    assert_eq!(unseen(domain, &parent), before.0 + 1);
    assert_eq!(unseen(domain, &pupil), before.1, "a pupil is no parent");
    assert_eq!(unseen(domain, &teacher), before.2, "not its sender");
    let line = domain.notifications(&parent, 1).expect("reads").entries[0].clone();
    assert_eq!(line.notification.kind, NotificationKind::Message);
    assert_eq!(
        line.notification.title,
        format!(
            "Nouveau message de {}\u{a0}: Sortie au musée",
            teacher.display_name()
        )
    );
    assert_eq!(
        line.notification.href,
        format!("/messagerie/messages/{}", sent.id)
    );
}

fn news(title: &str, audience: NewsAudience, from: chrono::NaiveDate) -> NewNews {
    NewNews {
        title: title.to_owned(),
        body: "Texte".to_owned(),
        audience,
        from,
        until: None,
        pinned: false,
    }
}

#[test]
fn a_news_item_notifies_those_it_is_for_who_may_see_it_and_a_later_one_waits() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let parent = school.account("parent.demo");
    let pupil = school.account("eleve.demo");
    let cpe = school.account("cpe.demo");
    let elsewhere = pupil_elsewhere(&school);
    let people = [&teacher, &parent, &pupil, &cpe, &elsewhere];
    let counts = || people.map(|person| unseen(domain, person));
    let today = domain.clock().now().date_naive();
    let before = counts();
    domain
        .publish_news(
            &teacher,
            news(
                "Sortie au planétarium",
                NewsAudience::Targets(vec![Target::Class("4B".into())]),
                today,
            ),
            None,
        )
        .expect("published");
    let after = counts();
    assert_eq!(after[0], before[0], "not its author");
    assert_eq!(after[1], before[1] + 1, "a parent of 4B");
    assert_eq!(after[2], before[2] + 1, "a pupil of 4B");
    assert_eq!(
        after[3], before[3],
        "vie scolaire may see it but is not its audience"
    );
    assert_eq!(after[4], before[4], "another class");
    assert_eq!(
        titles(domain, &pupil)[0],
        "Nouvelle actualité\u{a0}: Sortie au planétarium"
    );
    domain
        .publish_news(&cpe, news("Cantine", NewsAudience::Staff, today), None)
        .expect("published");
    let staff = counts();
    assert_eq!(staff[0], after[0] + 1, "a teacher is staff");
    assert_eq!(
        staff[1..],
        after[1..],
        "pupils and parents are not, nor its author"
    );
    domain
        .publish_news(
            &cpe,
            news(
                "Plus tard",
                NewsAudience::Establishment,
                today + chrono::Days::new(3),
            ),
            None,
        )
        .expect("published");
    assert_eq!(counts(), staff, "shown from a later day: not announced yet");
    assert_eq!(domain.announce_due_news().expect("announces"), 0);
    school.clock.advance(Duration::days(3));
    assert_eq!(domain.announce_due_news().expect("announces"), 1);
    let due = counts();
    assert_eq!(
        due,
        [
            staff[0] + 1,
            staff[1] + 1,
            staff[2] + 1,
            staff[3],
            staff[4] + 1
        ],
        "everyone but its author, on its day"
    );
    assert_eq!(
        titles(domain, &parent)[0],
        "Nouvelle actualité\u{a0}: Plus tard"
    );
    assert_eq!(domain.announce_due_news().expect("announces"), 0, "once");
    assert_eq!(counts(), due);
}

fn link(targets: Option<Vec<Target>>, published: bool) -> ResourceDraft {
    ResourceDraft {
        title: "Les fractions en 4e".into(),
        description: "Exercices corrigés.".into(),
        kind: Some(ResourceKind::Link),
        disciplines: vec!["061300".into()],
        levels: vec!["num-021".into()],
        themes: Vec::new(),
        keywords: Vec::new(),
        licence: "CC BY-SA".into(),
        source: DraftSource::Link("https://example.org/fractions".into()),
        targets,
        published,
    }
}

#[test]
fn a_resource_published_to_a_class_notifies_its_pupils_once() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let admin = school.account("admin.demo");
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    let elsewhere = pupil_elsewhere(&school);
    let other_class = elsewhere.class().expect("a class").to_owned();
    let people = [&pupil, &parent, &elsewhere];
    let counts = || people.map(|person| unseen(domain, person));
    let start = counts();
    let draft = domain
        .create_resource(&admin, link(Some(vec![Target::Class("4B".into())]), false))
        .expect("a draft");
    assert_eq!(counts(), start, "a draft reaches no one");
    let published = domain
        .update_resource(
            &admin,
            draft.id,
            link(Some(vec![Target::Class("4B".into())]), true),
        )
        .expect("published");
    let once = counts();
    assert_eq!(once, [start[0] + 1, start[1], start[2]]);
    let line = domain.notifications(&pupil, 1).expect("reads").entries[0].clone();
    assert_eq!(line.notification.kind, NotificationKind::Resource);
    assert_eq!(
        line.notification.href,
        format!("/ressources/{}", published.id)
    );
    domain
        .update_resource(
            &admin,
            published.id,
            link(
                Some(vec![Target::Class("4B".into()), Target::Class(other_class)]),
                true,
            ),
        )
        .expect("widened");
    assert_eq!(
        counts(),
        [once[0], once[1], once[2] + 1],
        "only the class it reaches now"
    );
    let whole = counts();
    domain
        .create_resource(&admin, link(None, true))
        .expect("for everyone");
    assert_eq!(
        counts(),
        whole,
        "the whole establishment is announced to no one"
    );
}

/// The demo collège with the e-mail relay configured.
fn relayed_school() -> DemoSchool {
    let mut config = crate::config::Config::default();
    config.notifications.smtp_host = Some("127.0.0.1".into());
    config.notifications.email_from = Some("ent@college.fr".into());
    DemoSchool::with_config(config)
}

#[test]
fn digests_gather_what_waits_for_people_with_an_address_and_go_once() {
    let school = relayed_school();
    let domain = &school.domain;
    let parent = school.account("parent.demo");
    let pupil = school.account("eleve.demo");
    assert!(parent.email.is_some() && pupil.email.is_none());
    // What the demo's own seeding left waiting goes first.
    for digest in domain.notification_digests().expect("gathers") {
        domain.digest_sent(&digest).expect("forgets");
    }
    domain
        .notify(
            &[parent.id, pupil.id],
            &notice("Conseil de classe", &school),
        )
        .expect("notifies");
    domain
        .notify(&[parent.id], &notice("Sortie", &school))
        .expect("notifies");
    let digests = domain.notification_digests().expect("gathers");
    assert_eq!(digests.len(), 1, "the pupil has no address: {digests:?}");
    let digest = &digests[0];
    assert_eq!(digest.owner, parent.id);
    assert_eq!(Some(&digest.email), parent.email.as_ref());
    let lines: Vec<&str> = digest
        .notifications
        .iter()
        .map(|n| n.title.as_str())
        .collect();
    assert_eq!(lines, ["Conseil de classe", "Sortie"], "oldest first");
    assert!(
        domain.notification_digests().expect("gathers").len() == 1,
        "waits until sent"
    );
    domain.digest_sent(digest).expect("forgets");
    assert!(domain.notification_digests().expect("gathers").is_empty());
    domain
        .notify(&[parent.id], &notice("Vue sur le site", &school))
        .expect("notifies");
    domain.mark_notifications_seen(&parent).expect("marks");
    assert!(
        domain.notification_digests().expect("gathers").is_empty(),
        "what was seen on the site is not e-mailed"
    );
}

#[test]
fn without_the_relay_nothing_waits_for_an_e_mail() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let parent = school.account("parent.demo");
    domain
        .notify(&[parent.id], &notice("Sortie", &school))
        .expect("notifies");
    assert!(domain.notification_digests().expect("gathers").is_empty());
    assert!(domain.tables().notifications_unmailed.is_empty());
}

#[test]
fn a_person_who_turns_the_digest_off_gets_none_and_no_backlog_when_back_on() {
    let school = relayed_school();
    let domain = &school.domain;
    let parent = school.account("parent.demo");
    let other = school.account("enseignant.demo");
    assert!(other.email.is_some());
    for digest in domain.notification_digests().expect("gathers") {
        domain.digest_sent(&digest).expect("forgets");
    }
    let unseen = domain.unseen_notifications(&parent).expect("counts");
    assert!(
        domain.wants_digest(&parent).expect("reads"),
        "on by default"
    );
    domain
        .notify(&[parent.id, other.id], &notice("Avant", &school))
        .expect("notifies");
    domain.set_wants_digest(&parent, false).expect("turns off");
    assert!(!domain.wants_digest(&parent).expect("reads"));
    assert!(domain.wants_digest(&other).expect("reads"), "theirs alone");
    domain
        .notify(&[parent.id, other.id], &notice("Pendant", &school))
        .expect("notifies");
    let owners: Vec<u64> = domain
        .notification_digests()
        .expect("gathers")
        .iter()
        .map(|digest| digest.owner)
        .collect();
    assert_eq!(owners, [other.id], "nothing for the parent who said no");
    domain.set_wants_digest(&parent, true).expect("turns on");
    domain
        .notify(&[parent.id], &notice("Après", &school))
        .expect("notifies");
    let digests = domain.notification_digests().expect("gathers");
    let mine = digests
        .iter()
        .find(|digest| digest.owner == parent.id)
        .expect("a digest again");
    let lines: Vec<&str> = mine
        .notifications
        .iter()
        .map(|n| n.title.as_str())
        .collect();
    assert_eq!(lines, ["Après"], "no backlog of the time it was off");
    assert_eq!(
        domain.unseen_notifications(&parent).expect("counts"),
        unseen + 3,
        "the feed itself is untouched by the choice"
    );
}
