//! Messages in the mail index: what is indexed, kept in step with every message written and
//! every copy deleted, and searched within the viewer's own mailbox only.

use std::sync::Arc;

use super::message::{MailboxEntry, Message};
use crate::domain::access;
use crate::domain::accounts::account::Account;
use crate::domain::logbook::content;
use crate::domain::{Domain, DomainError};
use crate::search::{MailDoc, MailIndex};
use crate::store::{keys, StoreError};

impl Domain {
    /// Attaches the mail index; every message written and every copy deleted then keep it in
    /// step.
    pub fn with_mail_search(mut self, index: MailIndex) -> Self {
        self.mail_search = Some(Arc::new(index));
        self
    }

    /// The copies `viewer` holds (in any folder, the trash included) of the messages that best
    /// match `query`, best first, at most `limit` (and
    /// [`MAX_MAIL_HITS`](crate::search::MAX_MAIL_HITS)). An empty query finds nothing; what is
    /// typed is taken as words, never as a query syntax.
    ///
    /// Nobody ever gets another person's mail, twice over: the index query itself only matches
    /// messages whose holders include the viewer, and every hit must still be a copy in the
    /// viewer's mailbox (the store is the truth; the index may lag behind a copy just deleted).
    pub fn search_messages(
        &self,
        viewer: &Account,
        query: &str,
        limit: usize,
    ) -> Result<Vec<MailboxEntry>, DomainError> {
        if !access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        if query.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let index = self
            .mail_search
            .as_deref()
            .ok_or(DomainError::NoSearchIndex)?;
        let now = self.clock().now();
        let mut found = Vec::new();
        for id in index.search(viewer.id, query, limit)? {
            match self.mailbox_entry(viewer.id, id)? {
                // What the trash lets go of is no longer shown, as in the folder itself.
                Some(entry) if !entry.trash_expired(now) => found.push(entry),
                _ => {}
            }
        }
        Ok(found)
    }

    /// Rebuilds the mail index from the store (the store is the source of truth); returns the
    /// count of messages indexed. Messages stream from the store into the index.
    pub fn reindex_messages(&self) -> Result<usize, DomainError> {
        let index = self
            .mail_search
            .as_deref()
            .ok_or(DomainError::NoSearchIndex)?;
        let mut count = 0;
        let mut failure = None;
        let docs = self.tables().messages.values().filter_map(|message| {
            let doc = message.map_err(DomainError::from).and_then(|message| {
                let holders = self.holders_of(message.id)?;
                if holders.is_empty() {
                    return Ok(None);
                }
                self.mail_doc(&message, holders).map(Some)
            });
            match doc {
                Ok(Some(doc)) => {
                    count += 1;
                    Some(doc)
                }
                Ok(None) => None,
                Err(error) => {
                    failure.get_or_insert(error);
                    None
                }
            }
        });
        index.rebuild(docs)?;
        match failure {
            Some(error) => {
                // The rebuild went on without a message it could not read: not complete.
                index.mark_incomplete();
                Err(error)
            }
            None => Ok(count),
        }
    }

    /// Indexes `message`, just written with a copy for each of `holders`.
    pub(super) fn index_message(&self, message: &Message, holders: &[u64]) {
        self.keep_mail_index_in_step(|index| {
            let doc = self.mail_doc(message, holders.to_vec())?;
            Ok(index.update(&[doc], &[])?)
        });
    }

    /// Indexes the messages `ids` as the store holds them now: with their remaining holders, or
    /// removed once nobody holds them.
    pub(super) fn refresh_mail_index(&self, ids: &[u64]) {
        self.keep_mail_index_in_step(|index| {
            let mut docs = Vec::new();
            let mut gone = Vec::new();
            for &id in ids {
                let holders = self.holders_of(id)?;
                match self.tables().messages.get(keys::id(id))? {
                    Some(message) if !holders.is_empty() => {
                        docs.push(self.mail_doc(&message, holders)?);
                    }
                    _ => gone.push(id),
                }
            }
            Ok(index.update(&docs, &gone)?)
        });
    }

    /// Runs `change` on the mail index, when there is one (the command line and most tests run
    /// without). A failure is logged, not returned: the store already holds the change, and
    /// telling a sender that a message sent was not would have them send it again. The index
    /// is rebuilt at the next start instead, and until then the mailbox check of
    /// [`search_messages`](Self::search_messages) keeps a stale document from showing anything
    /// that is not the viewer's.
    fn keep_mail_index_in_step(&self, change: impl FnOnce(&MailIndex) -> Result<(), DomainError>) {
        let Some(index) = self.mail_search.as_deref() else {
            return;
        };
        if let Err(error) = change(index) {
            index.mark_incomplete();
            tracing::error!(%error, "the mail index missed a change: it is rebuilt at the next start");
        }
    }

    /// Who holds a copy of message `id`.
    fn holders_of(&self, id: u64) -> Result<Vec<u64>, DomainError> {
        let mut holders = Vec::new();
        for key in self.tables().mail_holders.scan_prefix(keys::id(id)).keys() {
            let key = key.map_err(StoreError::from)?;
            if let Some(owner) = key.get(8..).and_then(keys::parse_id) {
                holders.push(owner);
            }
        }
        Ok(holders)
    }

    /// The index's view of `message`, held by `holders`.
    fn mail_doc(&self, message: &Message, holders: Vec<u64>) -> Result<MailDoc, DomainError> {
        let sender = self
            .accounts()
            .get_shared(message.from)?
            .map(|account| account.display_name())
            .unwrap_or_default();
        Ok(MailDoc {
            id: message.id,
            holders,
            subject: message.subject.clone(),
            body: content::text(&message.body),
            sender,
            recipients: message.to.iter().map(|to| to.label.clone()).collect(),
            attachments: message
                .attachments
                .iter()
                .map(|file| file.name.clone())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use crate::demo::testing::DemoSchool;
    use crate::domain::accounts::account::Account;
    use crate::domain::messages::message::Folder;
    use crate::domain::messages::recipients::{GroupId, RecipientId};
    use crate::domain::messages::Composed;
    use crate::domain::school::establishment::Target;
    use crate::domain::{Domain, DomainError};
    use crate::search::MailIndex;

    /// The demo school's domain with a mail index of its own, fed from the store.
    fn indexed(school: &DemoSchool) -> (tempfile::TempDir, Domain) {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = MailIndex::open(&dir.path().join("mail")).expect("index opens");
        assert!(index.needs_rebuild(), "a new index asks to be fed");
        let domain = school.domain.clone().with_mail_search(index);
        domain.reindex_messages().expect("indexes");
        (dir, domain)
    }

    fn compose(to: &[&Account], subject: &str, body: &str) -> Composed {
        Composed {
            to: to
                .iter()
                .map(|account| RecipientId::Person(account.id).code())
                .collect(),
            subject: subject.to_owned(),
            body: body.to_owned(),
            ..Composed::default()
        }
    }

    fn found(domain: &Domain, viewer: &Account, query: &str) -> Vec<u64> {
        domain
            .search_messages(viewer, query, 20)
            .expect("searches")
            .into_iter()
            .map(|entry| entry.message)
            .collect()
    }

    // The demo school has messages of its own: the words searched here are in none of them.

    #[test]
    fn a_word_of_the_subject_or_of_the_body_is_found_whatever_its_ending_and_accents() {
        let school = DemoSchool::new();
        let (_dir, domain) = indexed(&school);
        let parent = school.account("parent.demo");
        let teacher = school.account("enseignant.demo");
        let sent = domain
            .send_message(
                &parent,
                compose(
                    &[&teacher],
                    "Réunion de la chorale",
                    "<p>Les <strong>carillons</strong> de l'orphéon &amp; le xylophone.</p>",
                ),
                None,
            )
            .expect("sent");
        let other = domain
            .send_message(&parent, compose(&[&teacher], "Cornemuse", "Menu"), None)
            .expect("sent");
        for query in [
            "réunions chorale",
            "REUNION CHORALES",
            "carillon",
            "orpheons",
            "Xylophones",
        ] {
            assert_eq!(found(&domain, &teacher, query), [sent.id], "{query:?}");
            assert_eq!(found(&domain, &parent, query), [sent.id], "{query:?}");
        }
        assert!(found(&domain, &teacher, "réunions").contains(&sent.id));
        assert!(
            found(&domain, &teacher, "strong chorale").is_empty(),
            "tags are not text"
        );
        let by_sender: Vec<u64> = found(&domain, &teacher, &parent.last_name)
            .into_iter()
            .filter(|id| [sent.id, other.id].contains(id))
            .collect();
        assert_eq!(
            by_sender,
            [other.id, sent.id],
            "the sender's name; ties go to the newer message"
        );
        let entries = domain
            .search_messages(&teacher, "chorale", 20)
            .expect("searches");
        assert_eq!(entries[0].folder, Folder::Inbox, "the viewer's own copy");
        assert!(!entries[0].read);
        assert_eq!(
            domain
                .search_messages(&parent, "chorale", 20)
                .expect("searches")[0]
                .folder,
            Folder::Sent
        );
    }

    #[test]
    fn a_message_the_viewer_does_not_hold_is_never_found_even_when_it_matches() {
        let school = DemoSchool::new();
        let (_dir, domain) = indexed(&school);
        let parent = school.account("parent.demo");
        let teacher = school.account("enseignant.demo");
        let sent = domain
            .send_message(
                &parent,
                compose(&[&teacher], "Zygomorphie", "Zygomorphie des fleurs"),
                None,
            )
            .expect("sent");
        assert_eq!(found(&domain, &teacher, "zygomorphie"), [sent.id]);
        for login in ["admin.demo", "cpe.demo", "eleve.demo"] {
            let outsider = school.account(login);
            assert!(
                found(&domain, &outsider, "zygomorphie").is_empty(),
                "{login} found someone else's mail"
            );
        }
        // A draft is its author's alone, even for the recipient it names; once sent, theirs too.
        let draft = domain
            .save_draft(&teacher, compose(&[&parent], "Quetzal", "Brouillon"), None)
            .expect("draft");
        assert_eq!(found(&domain, &teacher, "quetzal"), [draft.id]);
        assert!(found(&domain, &parent, "quetzal").is_empty());
        domain
            .send_message(
                &teacher,
                Composed {
                    draft: Some(draft.id),
                    ..compose(&[&parent], "Quetzal", "Envoyé")
                },
                None,
            )
            .expect("the draft sent");
        assert_eq!(found(&domain, &parent, "quetzal"), [draft.id]);
    }

    #[test]
    fn a_copy_deleted_for_good_is_found_by_the_other_holder_only_then_by_nobody() {
        let school = DemoSchool::new();
        let (_dir, domain) = indexed(&school);
        let parent = school.account("parent.demo");
        let teacher = school.account("enseignant.demo");
        let sent = domain
            .send_message(&parent, compose(&[&teacher], "Bilboquet", "Perdu"), None)
            .expect("sent");
        domain.trash_message(&teacher, sent.id).expect("trashed");
        let in_trash = domain
            .search_messages(&teacher, "bilboquet", 20)
            .expect("searches");
        assert_eq!(in_trash.len(), 1, "the trash is searched too");
        assert_eq!(in_trash[0].folder, Folder::Trash);
        domain.delete_message(&teacher, sent.id).expect("deleted");
        assert!(found(&domain, &teacher, "bilboquet").is_empty());
        assert_eq!(found(&domain, &parent, "bilboquet"), [sent.id]);
        domain.trash_message(&parent, sent.id).expect("trashed");
        school
            .clock
            .advance(Duration::days(super::super::TRASH_DAYS));
        assert!(
            found(&domain, &parent, "bilboquet").is_empty(),
            "due to leave the trash: no longer shown, before any purge"
        );
        assert!(domain.purge_trash().expect("purges") >= 1);
        let index = domain.mail_search.as_deref().expect("an index");
        for holder in [parent.id, teacher.id] {
            assert!(
                index
                    .search(holder, "bilboquet", 20)
                    .expect("searches")
                    .is_empty(),
                "the document is gone with the message"
            );
        }
    }

    #[test]
    fn a_message_to_a_group_is_one_document_found_by_every_member() {
        let school = DemoSchool::new();
        let (_dir, domain) = indexed(&school);
        let teacher = school.account("enseignant.demo");
        let group = RecipientId::Group(GroupId::Parents(Target::Class("4B".into())));
        let sent = domain
            .send_message(
                &teacher,
                Composed {
                    to: vec![group.code()],
                    subject: "Kermesse de printemps".into(),
                    body: "Tombola".into(),
                    ..Composed::default()
                },
                None,
            )
            .expect("sent");
        assert!(sent.recipients.len() > 1);
        for recipient in &sent.recipients {
            let account = domain
                .accounts()
                .get_shared(*recipient)
                .expect("reads")
                .expect("exists");
            assert_eq!(found(&domain, &account, "tombola"), [sent.id]);
            assert_eq!(
                found(&domain, &account, "kermesse parents 4e"),
                [sent.id],
                "the group's label"
            );
        }
    }

    #[test]
    fn a_rebuild_from_the_store_finds_the_same() {
        let school = DemoSchool::new();
        let (_dir, domain) = indexed(&school);
        let demo_messages = domain.reindex_messages().expect("indexes");
        let parent = school.account("parent.demo");
        let teacher = school.account("enseignant.demo");
        let cpe = school.account("cpe.demo");
        for (subject, to) in [
            ("Ornithorynque de lundi", vec![&teacher, &cpe]),
            ("Ornithorynques répétés", vec![&cpe]),
            ("Cornemuse", vec![&teacher]),
        ] {
            domain
                .send_message(&parent, compose(&to, subject, "Merci"), None)
                .expect("sent");
        }
        let dropped = domain
            .send_message(
                &parent,
                compose(&[&teacher], "Ornithorynque perdu", "Merci"),
                None,
            )
            .expect("sent");
        domain.trash_message(&teacher, dropped.id).expect("trashed");
        domain.empty_trash(&teacher).expect("emptied");
        domain
            .save_draft(&parent, compose(&[&cpe], "Ornithorynque prévu", ""), None)
            .expect("draft");
        let searches = |domain: &Domain| {
            let mut answers = Vec::new();
            for viewer in [&parent, &teacher, &cpe] {
                for query in ["ornithorynque", "cornemuses", "merci", "absence"] {
                    answers.push(found(domain, viewer, query));
                }
            }
            answers
        };
        let before = searches(&domain);
        assert_eq!(
            before[0].len(),
            4,
            "the parent's three sent and their draft"
        );
        assert_eq!(before[4].len(), 1, "the teacher's one left");
        let dir = tempfile::tempdir().expect("temp dir");
        let rebuilt = school
            .domain
            .clone()
            .with_mail_search(MailIndex::open(dir.path()).expect("opens"));
        assert_eq!(
            rebuilt.reindex_messages().expect("rebuilds"),
            demo_messages + 5
        );
        assert_eq!(searches(&rebuilt), before);
        let reopened = MailIndex::open(dir.path()).expect("reopens");
        assert!(!reopened.needs_rebuild(), "a complete index is kept");
    }

    #[test]
    fn empty_or_odd_queries_find_nothing_without_error_and_no_index_is_an_error() {
        let school = DemoSchool::new();
        let parent = school.account("parent.demo");
        let teacher = school.account("enseignant.demo");
        assert!(matches!(
            school.domain.search_messages(&parent, "cornemuse", 20),
            Err(DomainError::NoSearchIndex)
        ));
        school
            .domain
            .send_message(&parent, compose(&[&teacher], "Cornemuse", "Merci"), None)
            .expect("sent without an index");
        let (_dir, domain) = indexed(&school);
        for query in ["", "  \t ", "\"((", "subject:", "le la des"] {
            assert!(found(&domain, &parent, query).is_empty(), "{query:?}");
        }
        assert_eq!(found(&domain, &parent, "cornemuse)\"").len(), 1);
        assert!(domain
            .search_messages(&parent, "cornemuse", 0)
            .expect("searches")
            .is_empty());
    }
}
