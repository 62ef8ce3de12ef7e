//! The messagerie on the demo collège.

use chrono::Duration;

use super::message::Folder;
use super::recipients::{GroupId, RecipientId};
use super::rules::{CommunicationRules, Reach, Sender};
use super::{Composed, MessageProblem};
use crate::demo::testing::DemoSchool;
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::DomainError;

fn to(ids: &[RecipientId]) -> Vec<String> {
    ids.iter().map(RecipientId::code).collect()
}

fn message(recipients: &[RecipientId], subject: &str) -> Composed {
    Composed {
        to: to(recipients),
        subject: subject.to_owned(),
        body: "<p>Bonjour,</p><script>alert(1)</script>".to_owned(),
        ..Composed::default()
    }
}

fn person(account: &Account) -> RecipientId {
    RecipientId::Person(account.id)
}

/// A pupil of 4B other than eleve.demo, and a pupil of another class.
fn pupils(school: &DemoSchool) -> (Account, Account) {
    let mut classmate = None;
    let mut other = None;
    for account in school.domain.accounts().all() {
        let account = account.expect("account");
        if account.profile != Profile::Eleve || account.login == "eleve.demo" {
            continue;
        }
        match account.class() {
            Some("4B") if classmate.is_none() => classmate = Some(account),
            Some(class) if class != "4B" && other.is_none() => other = Some(account),
            _ => {}
        }
    }
    (
        classmate.expect("a classmate"),
        other.expect("another pupil"),
    )
}

fn of_profile(school: &DemoSchool, profile: Profile, except: &[&str]) -> Account {
    school
        .domain
        .accounts()
        .all()
        .map(|account| account.expect("account"))
        .find(|account| account.profile == profile && !except.contains(&account.login.as_str()))
        .expect("an account of that profile")
}

#[test]
fn a_pupil_writes_to_their_teachers_vie_scolaire_and_direction_and_to_classmates_only_when_allowed()
{
    let school = DemoSchool::new();
    let domain = &school.domain;
    let pupil = school.account("eleve.demo");
    let teacher = school.account("enseignant.demo");
    let cpe = school.account("cpe.demo");
    let head = of_profile(&school, Profile::Direction, &[]);
    let librarian = of_profile(&school, Profile::Documentaliste, &[]);
    let (classmate, other) = pupils(&school);
    let sent = domain
        .send_message(
            &pupil,
            message(&[person(&teacher), person(&cpe), person(&head)], "Absence"),
            None,
        )
        .expect("to their teacher, vie scolaire and direction");
    assert_eq!(sent.body, "<p>Bonjour,</p>", "cleaned");
    assert_eq!(sent.recipients.len(), 3);
    for refused in [&classmate, &other, &librarian] {
        let before = domain.tables().content();
        match domain.send_message(&pupil, message(&[person(refused)], "Salut"), None) {
            Err(DomainError::RecipientsRefused(names)) => {
                assert_eq!(names.len(), 1, "{names:?}");
                assert_eq!(names[0].0, person(refused).code());
            }
            other => panic!("{} refused, got {other:?}", refused.login),
        }
        assert!(before == domain.tables().content(), "nothing written");
    }
    // A group reaches everyone or no one: the class's pupils are classmates.
    let class = RecipientId::Group(GroupId::Pupils(Target::Class("4B".into())));
    assert!(matches!(
        domain.send_message(
            &pupil,
            message(std::slice::from_ref(&class), "Sortie"),
            None
        ),
        Err(DomainError::RecipientsRefused(_))
    ));
    let listed = |query: &str| {
        domain
            .recipients_for(&pupil, query, 50)
            .expect("recipients")
            .into_iter()
            .map(|candidate| candidate.id)
            .collect::<Vec<_>>()
    };
    assert!(
        listed("").contains(&person(&teacher)),
        "their teachers first"
    );
    assert!(listed(&classmate.last_name)
        .iter()
        .all(|id| *id != person(&classmate)));
    // The administrator lets pupils write to their classmates.
    let admin = school.account("admin.demo");
    let mut rules = CommunicationRules::default();
    rules.allowed.push((Sender::Pupil, Reach::Classmate));
    assert!(matches!(
        domain.set_communication_rules(&pupil, rules.clone()),
        Err(DomainError::Forbidden)
    ));
    domain
        .set_communication_rules(&admin, rules)
        .expect("the administrator's");
    domain
        .send_message(&pupil, message(&[person(&classmate)], "Devoir"), None)
        .expect("now allowed");
    domain
        .send_message(&pupil, message(&[class], "Sortie"), None)
        .expect("the whole class, themselves included");
    assert!(listed(&classmate.first_name).contains(&person(&classmate)));
    assert!(matches!(
        domain.send_message(&pupil, message(&[person(&other)], "Salut"), None),
        Err(DomainError::RecipientsRefused(_))
    ));
}

#[test]
fn parents_of_a_class_reaches_exactly_its_pupils_parents_each_with_an_unread_copy() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let parent = school.account("parent.demo");
    let group = RecipientId::Group(GroupId::Parents(Target::Class("4B".into())));
    let sent = domain
        .send_message(
            &teacher,
            message(&[group], "Réunion parents-professeurs"),
            None,
        )
        .expect("a teacher to the parents of their class");
    let accounts: Vec<Account> = domain
        .accounts()
        .all()
        .map(|account| account.expect("account"))
        .collect();
    let in_4b: Vec<u64> = accounts
        .iter()
        .filter(|account| account.class() == Some("4B"))
        .map(|account| account.id)
        .collect();
    let mut expected: Vec<u64> = accounts
        .iter()
        .filter(|account| {
            account.profile == Profile::Parent
                && account
                    .children
                    .iter()
                    .any(|child| in_4b.contains(&child.pupil))
        })
        .map(|account| account.id)
        .collect();
    let mut reached = sent.recipients.clone();
    expected.sort_unstable();
    reached.sort_unstable();
    assert!(!expected.is_empty());
    assert_eq!(reached, expected);
    assert_eq!(sent.to[0].label, "Parents de 4e B");
    let before = domain.unread_count(&parent).expect("count");
    assert!(before >= 1);
    let inbox = domain.folder(&parent, Folder::Inbox, 1).expect("inbox");
    let entry = inbox
        .entries
        .iter()
        .find(|entry| entry.message == sent.id)
        .expect("received");
    assert!(!entry.read);
    let opened = domain.open_message(&parent, sent.id).expect("opens");
    assert_eq!(opened.message.subject, "Réunion parents-professeurs");
    assert_eq!(domain.unread_count(&parent).expect("count"), before - 1);
    domain
        .set_message_read(&parent, sent.id, false)
        .expect("unread again");
    assert_eq!(domain.unread_count(&parent).expect("count"), before);
    // The sender's copy is in their sent folder, read.
    let sent_folder = domain.folder(&teacher, Folder::Sent, 1).expect("sent");
    assert!(sent_folder
        .entries
        .iter()
        .any(|entry| entry.message == sent.id && entry.read));
    // A parent of another class holds nothing.
    let outsider = accounts
        .iter()
        .find(|account| account.profile == Profile::Parent && !expected.contains(&account.id))
        .expect("a parent of another class");
    assert!(matches!(
        domain.open_message(outsider, sent.id),
        Err(DomainError::UnknownMessage(_))
    ));
}

#[test]
fn an_answer_joins_the_conversation_and_a_sender_may_always_be_answered() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let pupil = school.account("eleve.demo");
    let librarian = of_profile(&school, Profile::Documentaliste, &[]);
    let first = domain
        .send_message(
            &librarian,
            message(&[person(&pupil)], "Livre en retard"),
            None,
        )
        .expect("staff write to everyone");
    assert!(matches!(
        domain.send_message(&pupil, message(&[person(&librarian)], "Re"), None),
        Err(DomainError::RecipientsRefused(_))
    ));
    let answer = domain
        .send_message(
            &pupil,
            Composed {
                in_reply_to: Some(first.id),
                ..message(&[person(&librarian)], "RE: Livre en retard")
            },
            None,
        )
        .expect("answering the sender");
    assert_eq!(answer.thread, first.thread);
    let opened = domain.open_message(&librarian, answer.id).expect("opens");
    assert_eq!(
        opened.conversation.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![first.id]
    );
}

#[test]
fn drafts_trash_and_the_thirty_days() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let parent = school.account("parent.demo");
    let teacher = school.account("enseignant.demo");
    let sent_before = domain.folder(&parent, Folder::Sent, 1).expect("sent").total;
    let draft = domain
        .save_draft(
            &parent,
            Composed {
                to: vec![person(&teacher).code()],
                subject: "Rendez-vous".into(),
                body: String::new(),
                ..Composed::default()
            },
            None,
        )
        .expect("a draft needs no text");
    assert_eq!(
        domain
            .folder(&parent, Folder::Drafts, 1)
            .expect("drafts")
            .total,
        1
    );
    assert!(matches!(
        domain.send_message(
            &parent,
            Composed {
                draft: Some(draft.id),
                ..message(&[], "Rendez-vous")
            },
            None
        ),
        Err(DomainError::InvalidMessage(MessageProblem::NoRecipient))
    ));
    let sent = domain
        .send_message(
            &parent,
            Composed {
                draft: Some(draft.id),
                ..message(&[person(&teacher)], "Rendez-vous")
            },
            None,
        )
        .expect("the draft sent");
    assert_eq!(sent.id, draft.id);
    assert_eq!(
        domain
            .folder(&parent, Folder::Drafts, 1)
            .expect("drafts")
            .total,
        0
    );
    assert_eq!(
        domain.folder(&parent, Folder::Sent, 1).expect("sent").total,
        sent_before + 1
    );
    domain.trash_message(&teacher, sent.id).expect("trashed");
    assert_eq!(
        domain
            .folder(&teacher, Folder::Trash, 1)
            .expect("trash")
            .total,
        1
    );
    domain.restore_message(&teacher, sent.id).expect("restored");
    assert!(domain
        .folder(&teacher, Folder::Inbox, 1)
        .expect("inbox")
        .entries
        .iter()
        .any(|entry| entry.message == sent.id));
    domain
        .trash_message(&teacher, sent.id)
        .expect("trashed again");
    school.clock.advance(Duration::days(29));
    assert_eq!(domain.purge_trash().expect("purge"), 0);
    school.clock.advance(Duration::days(1));
    assert_eq!(domain.purge_trash().expect("purge"), 1);
    assert!(matches!(
        domain.open_message(&teacher, sent.id),
        Err(DomainError::UnknownMessage(_))
    ));
    // The parent still holds it; once they delete it too, it is gone from the store.
    domain.trash_message(&parent, sent.id).expect("trashed");
    assert_eq!(domain.empty_trash(&parent).expect("emptied"), 1);
    assert!(domain
        .tables()
        .messages
        .get(crate::store::keys::id(sent.id))
        .expect("read")
        .is_none());
}

#[test]
fn a_departed_person_is_no_recipient_but_their_conversations_stay() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let cpe = school.account("cpe.demo");
    let parent = school.account("parent.demo");
    let sent = domain
        .send_message(
            &teacher,
            message(&[person(&cpe), person(&parent)], "Conseil de classe"),
            None,
        )
        .expect("sent");
    let mut gone = school.account("cpe.demo");
    gone.state = AccountState::Deactivated {
        since: chrono::Utc::now(),
    };
    domain.accounts().save(&mut gone).expect("deactivated");
    let opened = domain
        .open_message(&parent, sent.id)
        .expect("still readable");
    assert!(opened.message.recipients.contains(&cpe.id));
    match domain.send_message(&teacher, message(&[person(&cpe)], "Suite"), None) {
        Err(DomainError::RecipientsRefused(names)) => {
            assert!(names[0].1.contains("a quitté l'établissement"), "{names:?}")
        }
        other => panic!("refused, got {other:?}"),
    }
    let vie_scolaire = domain
        .send_message(
            &teacher,
            message(&[RecipientId::Group(GroupId::VieScolaire)], "Suite"),
            None,
        )
        .expect("the group without who left");
    assert!(!vie_scolaire.recipients.contains(&cpe.id));
}

#[test]
fn recipient_ids_read_back_as_written() {
    for id in [
        RecipientId::Person(42),
        RecipientId::Group(GroupId::Parents(Target::Class("4B".into()))),
        RecipientId::Group(GroupId::Pupils(Target::Group("4-ESP2".into()))),
        RecipientId::Group(GroupId::Teachers(Target::Class("3:A".into()))),
        RecipientId::Group(GroupId::Team("5C".into())),
        RecipientId::Group(GroupId::AllStaff),
        RecipientId::Group(GroupId::AllTeachers),
        RecipientId::Group(GroupId::VieScolaire),
        RecipientId::Group(GroupId::Direction),
    ] {
        assert_eq!(RecipientId::parse(&id.code()), Some(id));
    }
    for bad in [
        "",
        "personne:",
        "personne:x",
        "parents:classe:",
        "eleves:salle:4B",
        "tous",
    ] {
        assert_eq!(RecipientId::parse(bad), None, "{bad}");
    }
}
