//! The store's trees and the forward migrations that bring an older store to this binary's
//! version ([`crate::store::schema`] runs them).
//!
//! | version | change |
//! |---|---|
//! | 1 | accounts, logins, sessions, account_sessions, establishment |
//! | 2 | jointures: the directory key (`ENTPersonJointure`) of each account that has one |
//! | 3 | resources (created empty) |
//! | 4 | files (blob metadata by hash) and resource_texts (text extracted from uploads), created empty |
//! | 5 | activation codes hashed: `to_activate` accounts keep a salted hash and an issue date |
//! | 6 | timetable, session_changes, ics_generations (created empty) |
//! | 7 | cahier de textes: lesson_entries, logbook_by_target, homework_due, homework_entries, homework_done, hand_ins, the agenda's events and events_by_day, and news (created empty); pupils' schooling gains `since` and `past` (read as absent) |
//! | 8 | messagerie: messages, mailboxes, mail_holders, mail_files, mail_rules; notifications, notifications_unseen, notifications_unmailed, news_announced (created empty) |
//! | 9 | cas_registry: the CAS services and home links the administrator registers (created empty) |
//!
//! `tests/fixtures/store-v1/` to `store-v8/` hold stores written by those versions, opened by the
//! tests below to prove that every older store still comes up to date;
//! `tests/fixtures/README.md` says which commit wrote each and how.

use chrono::{DateTime, Utc};

use crate::store::schema::Migration;
use crate::store::{codec, keys, StoreError};

pub mod trees {
    pub const META: &str = crate::store::schema::META;
    pub const ACCOUNTS: &str = "accounts";
    pub const LOGINS: &str = "logins";
    pub const SESSIONS: &str = "sessions";
    pub const ACCOUNT_SESSIONS: &str = "account_sessions";
    pub const ESTABLISHMENT: &str = "establishment";
    pub const JOINTURES: &str = "jointures";
    pub const RESOURCES: &str = "resources";
    pub const FILES: &str = "files";
    pub const RESOURCE_TEXTS: &str = "resource_texts";
    pub const TIMETABLE: &str = "timetable";
    pub const SESSION_CHANGES: &str = "session_changes";
    pub const ICS_GENERATIONS: &str = "ics_generations";
    pub const LESSON_ENTRIES: &str = "lesson_entries";
    pub const LOGBOOK_BY_TARGET: &str = "logbook_by_target";
    pub const HOMEWORK_DUE: &str = "homework_due";
    pub const HOMEWORK_ENTRIES: &str = "homework_entries";
    pub const HOMEWORK_DONE: &str = "homework_done";
    pub const HAND_INS: &str = "hand_ins";
    pub const EVENTS: &str = "events";
    pub const EVENTS_BY_DAY: &str = "events_by_day";
    pub const NEWS: &str = "news";
    pub const MESSAGES: &str = "messages";
    pub const MAILBOXES: &str = "mailboxes";
    pub const MAIL_HOLDERS: &str = "mail_holders";
    pub const MAIL_FILES: &str = "mail_files";
    pub const MAIL_RULES: &str = "mail_rules";
    pub const NOTIFICATIONS: &str = "notifications";
    pub const NOTIFICATIONS_UNSEEN: &str = "notifications_unseen";
    pub const NOTIFICATIONS_UNMAILED: &str = "notifications_unmailed";
    pub const NEWS_ANNOUNCED: &str = "news_announced";
    /// Added without a schema step: an empty tree is what every store had before.
    pub const DIGEST_OPT_OUTS: &str = "digest_opt_outs";
    pub const CAS_REGISTRY: &str = "cas_registry";
    /// Added without a schema step, like `DIGEST_OPT_OUTS`.
    pub const CAS_LOGOS: &str = "cas_logos";
}

/// The version this binary writes.
pub const CURRENT: u32 = crate::store::schema::latest(ALL);

/// Every step, in order.
pub const ALL: &[Migration] = &[
    // Version 0 is an empty store: nothing to transform, trees are created on first use.
    Migration {
        to: 1,
        run: |_, _| Ok(()),
    },
    Migration {
        to: 2,
        run: |db, _| index_jointures(db),
    },
    // The resources tree starts empty: nothing to transform.
    Migration {
        to: 3,
        run: |_, _| Ok(()),
    },
    // Uploads start with this version: no resource has a file yet.
    Migration {
        to: 4,
        run: |_, _| Ok(()),
    },
    Migration {
        to: 5,
        run: hash_activation_codes,
    },
    // The timetable, its session changes and the calendar subscriptions start empty: nothing
    // to transform.
    Migration {
        to: 6,
        run: |_, _| Ok(()),
    },
    // The cahier de textes and the agenda start empty; the new fields of a pupil's schooling default to
    // « since always » and « no past class ».
    Migration {
        to: 7,
        run: |_, _| Ok(()),
    },
    // The messagerie and the notifications start empty, under the default communication rules.
    Migration {
        to: 8,
        run: |_, _| Ok(()),
    },
    // The CAS registry starts empty: the services of the configuration file need no store.
    Migration {
        to: 9,
        run: |_, _| Ok(()),
    },
];

/// Builds the `jointures` index from the accounts, so that the directory import finds a person
/// by their académie key whatever their name has become.
fn index_jointures(db: &sled::Db) -> Result<(), StoreError> {
    #[derive(serde::Deserialize)]
    struct WithJointure {
        id: u64,
        jointure: Option<String>,
    }
    let accounts = db.open_tree(trees::ACCOUNTS)?;
    let jointures = db.open_tree(trees::JOINTURES)?;
    let mut batch = sled::Batch::default();
    for entry in accounts.iter() {
        let (_, bytes) = entry?;
        let account: WithJointure = codec::decode(trees::ACCOUNTS, &bytes)?;
        if let Some(jointure) = account.jointure {
            batch.insert(jointure.as_bytes(), &keys::id(account.id));
        }
    }
    jointures.apply_batch(batch)?;
    Ok(())
}

/// Replaces each activation code kept in clear by its salted hash (see
/// [`ActivationCode`](crate::domain::accounts::activation::ActivationCode)). The old codes had no date:
/// they count as issued by this migration, so that they still work for a full lifetime and then
/// expire like any other. A code that is already hashed (a migration cut short) is left alone.
fn hash_activation_codes(db: &sled::Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    use crate::domain::accounts::activation::ActivationCode;
    let accounts = db.open_tree(trees::ACCOUNTS)?;
    let mut batch = sled::Batch::default();
    for entry in accounts.iter() {
        let (key, bytes) = entry?;
        let mut account: serde_json::Value = codec::decode(trees::ACCOUNTS, &bytes)?;
        let Some(clear) = account["state"]["code"].as_str() else {
            continue;
        };
        let hashed = ActivationCode::of(clear, &mut rand::rngs::OsRng, now);
        account["state"]["code"] =
            serde_json::to_value(hashed).map_err(|e| StoreError::Encode(e.to_string()))?;
        batch.insert(key, codec::encode(&account)?);
    }
    accounts.apply_batch(batch)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::{migrate, version};

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("opens");
        (dir, db)
    }

    #[test]
    fn a_new_store_is_brought_to_the_current_version() {
        let (_dir, db) = temp_db();
        assert_eq!(version(&db).expect("reads"), 0);
        migrate(&db, ALL, Utc::now()).expect("migrates");
        assert_eq!(version(&db).expect("reads"), CURRENT);
    }

    /// A copy of the committed store `tests/fixtures/{name}`, to migrate without changing it.
    fn fixture(name: &str) -> tempfile::TempDir {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in std::fs::read_dir(fixture).expect("fixture exists") {
            let entry = entry.expect("entry");
            let target = dir.path().join(entry.file_name());
            if entry.path().is_dir() {
                std::fs::create_dir_all(&target).expect("copies");
            } else {
                std::fs::copy(entry.path(), target).expect("copies");
            }
        }
        dir
    }

    /// `tests/fixtures/store-v1` was written by the version-1 code: two directory accounts (a
    /// pupil and her parent, with jointures), an administrator, a session and the establishment.
    #[test]
    fn a_version_1_store_opens_migrated_with_its_data_intact() {
        let dir = fixture("store-v1");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 1);
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("migrates");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let accounts: Vec<_> = store
            .accounts
            .values()
            .collect::<Result<_, _>>()
            .expect("accounts decode");
        assert_eq!(accounts.len(), 3);
        let pupil = accounts
            .iter()
            .find(|a| a.login == "emma.martin")
            .expect("pupil");
        assert_eq!(pupil.class(), Some("6A"));
        assert!(crate::domain::accounts::password::verify(
            "ancien-mot",
            pupil.password_hash.as_deref().expect("hash")
        ));
        let parent = accounts
            .iter()
            .find(|a| a.login == "sophie.martin")
            .expect("parent");
        assert!(parent.is_parent_of(pupil.id));
        assert_eq!(
            store.jointures.get("3000006").expect("reads").as_deref(),
            Some(&crate::store::keys::id(pupil.id)[..])
        );
        assert_eq!(
            store.jointures.get("3000013").expect("reads").as_deref(),
            Some(&crate::store::keys::id(parent.id)[..])
        );
        assert_eq!(
            store.jointures.len(),
            2,
            "the administrator has no jointure"
        );
        assert_eq!(store.sessions.len(), 1);
        let establishment = store
            .establishment
            .get(crate::store::keys::ESTABLISHMENT)
            .expect("reads")
            .expect("present");
        assert_eq!(establishment.uai, "0130042X");
    }

    /// A clock stopped at one moment.
    struct At(DateTime<Utc>);

    impl crate::domain::clock::Clock for At {
        fn now(&self) -> DateTime<Utc> {
            self.0
        }
    }

    /// Whether some value of `tree` holds `text` (a secret that must not be left in clear).
    fn holds(tree: &sled::Tree, text: &str) -> bool {
        tree.iter().values().any(|value| {
            let value = value.expect("reads");
            String::from_utf8_lossy(&value).contains(text)
        })
    }

    /// The four people of the version-2 and version-3 fixtures, as their writers created them: a
    /// teacher, a pupil and her parent, each with a login and a jointure, and the administrator
    /// `admin.college`, without one. Every active account's password is `ancien-mot`; the parent
    /// waits for activation with a code those versions kept in clear; the administrator has the
    /// one session, opened when the fixture was written.
    struct People<'a> {
        /// When the writer's clock stood (every account's creation, the session's opening).
        written: DateTime<Utc>,
        /// `(login, jointure)` of the teacher, the pupil and the parent.
        teacher: (&'a str, &'a str),
        pupil: (&'a str, &'a str),
        parent: (&'a str, &'a str),
        /// The pupil's class.
        class: &'a str,
        /// The parent's activation code.
        code: &'a str,
        /// The administrator's session token, as the writer printed it.
        token: &'a str,
    }

    struct Found {
        teacher: crate::domain::accounts::account::Account,
        pupil: crate::domain::accounts::account::Account,
        admin: crate::domain::accounts::account::Account,
    }

    /// Checks that the people of a migrated fixture kept their meaning through today's services:
    /// logins and jointures lead to them, passwords verify, the parent is the pupil's legal
    /// guardian and her code is now a hash of the same code issued by the migration (between
    /// `migrated` and now), and the administrator's session still signs them in ten minutes
    /// after it was opened.
    fn people_intact(
        store: &crate::domain::tables::Tables,
        people: &People,
        migrated: DateTime<Utc>,
    ) -> Found {
        use crate::domain::accounts::account::{AccountState, Responsibility};
        use crate::domain::accounts::password::verify;
        use crate::domain::accounts::profile::Profile;
        use crate::store::keys;

        let clock = At(people.written + chrono::TimeDelta::minutes(10));
        let domain = crate::domain::Domain::new(
            store.clone(),
            std::sync::Arc::new(crate::config::Config::default()),
            std::sync::Arc::new(clock),
        );
        let accounts = domain.accounts();
        assert_eq!(store.accounts.len(), 4);
        assert_eq!(store.logins.len(), 4);
        let by = |(login, jointure): (&str, &str)| {
            let account = accounts.by_login(login).expect("reads").expect(login);
            assert_eq!(account.created_at, people.written, "{login}");
            assert_eq!(
                account.jointure.as_deref(),
                Some(jointure),
                "{login} keeps its jointure"
            );
            let found = accounts.by_jointure(jointure).expect("reads");
            assert_eq!(
                found.map(|a| a.id),
                Some(account.id),
                "the jointure index leads to {login}"
            );
            account
        };
        let teacher = by(people.teacher);
        let pupil = by(people.pupil);
        let parent = by(people.parent);
        assert_eq!(
            store.jointures.len(),
            3,
            "the administrator has no jointure"
        );
        let admin = accounts
            .by_login("admin.college")
            .expect("reads")
            .expect("admin");
        assert!(admin.is_admin && admin.jointure.is_none());
        assert_eq!(teacher.profile, Profile::Enseignant);
        assert_eq!(pupil.profile, Profile::Eleve);
        assert_eq!(pupil.class(), Some(people.class));
        for account in [&teacher, &pupil, &admin] {
            assert!(account.is_active(), "{}", account.login);
            assert!(
                verify(
                    "ancien-mot",
                    account.password_hash.as_deref().expect("hash")
                ),
                "{}",
                account.login
            );
        }

        assert_eq!(parent.profile, Profile::Parent);
        assert!(parent.is_parent_of(pupil.id));
        assert_eq!(parent.children[0].responsibility, Responsibility::Legal);
        let AccountState::ToActivate { code } = &parent.state else {
            panic!("the parent still waits for activation: {:?}", parent.state);
        };
        assert!(code.matches(people.code), "the old code is still hers");
        assert!(
            (migrated..=Utc::now()).contains(&code.issued_at),
            "dated by the migration: {}",
            code.issued_at
        );
        assert!(
            !holds(store.accounts.tree(), people.code),
            "no code in clear"
        );

        assert_eq!(store.sessions.len(), 1);
        assert_eq!(store.account_sessions.len(), 1);
        let signed_in = domain
            .sessions()
            .resolve(people.token)
            .expect("reads")
            .expect("the session still signs in");
        assert_eq!(signed_in.account.id, admin.id);
        assert_eq!(signed_in.session.created_at, people.written);
        assert!(
            store
                .account_sessions
                .scan_prefix(keys::id(admin.id))
                .next()
                .is_some(),
            "the session is filed under its account"
        );
        Found {
            teacher,
            pupil,
            admin,
        }
    }

    /// `tests/fixtures/store-v2` was written by the version-2 code (commit f5b1b54, the last at
    /// schema 2) with its own `Accounts::create`, establishment table and `Sessions::open`, its
    /// clock stopped at 2026-09-14 07:30 UTC: Collège Jean Moulin (UAI `0691234S`, académie de
    /// Lyon) with class 5B (5e) and group 5-ESP2; the teacher `claire.dubois` (jointure 4100107),
    /// who teaches mathematics (061300) in 5B and is its professeur principal; the pupil
    /// `lea.bernard` (4100021) of 5B and 5-ESP2; her parent `nicolas.bernard` (4100052), waiting
    /// for activation with the code `P3MXR-7KDWA` in clear; `admin.college` with one session.
    /// Version 2 kept the jointure index itself: the migration must leave it whole.
    #[test]
    fn a_version_2_store_opens_migrated_with_its_data_intact() {
        use crate::domain::school::establishment::{Level, Target};

        let dir = fixture("store-v2");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 2);
            let accounts = raw.open_tree(trees::ACCOUNTS).expect("tree");
            assert!(holds(&accounts, "P3MXR-7KDWA"), "a code in clear");
        }
        let migrated = Utc::now();
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("migrates");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let written = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 9, 14, 7, 30, 0)
            .single()
            .expect("valid date");
        let found = people_intact(
            &store,
            &People {
                written,
                teacher: ("claire.dubois", "4100107"),
                pupil: ("lea.bernard", "4100021"),
                parent: ("nicolas.bernard", "4100052"),
                class: "5B",
                code: "P3MXR-7KDWA",
                token: "kFKk_AYIZnmGSCVYCiqIqgHysRYF2og5MIAwYOOq9ig",
            },
            migrated,
        );
        assert_eq!(found.pupil.display_name(), "Léa Bernard");
        let schooling = found.pupil.pupil.as_ref().expect("schooling");
        assert_eq!(schooling.groups, ["5-ESP2"]);
        assert_eq!(
            schooling.birth_date,
            chrono::NaiveDate::from_ymd_opt(2014, 3, 18)
        );
        assert_eq!(schooling.ine.as_deref(), Some("1234567890A"));
        assert_eq!(
            found.teacher.email.as_deref(),
            Some("claire.dubois@ac-lyon.fr")
        );

        let establishment = store
            .establishment
            .get(crate::store::keys::ESTABLISHMENT)
            .expect("reads")
            .expect("present");
        assert_eq!(establishment.uai, "0691234S");
        assert_eq!(establishment.name, "Collège Jean Moulin");
        assert_eq!(
            establishment.class("5B").and_then(|class| class.level),
            Some(Level::Cinquieme)
        );
        assert_eq!(establishment.groups[0].code, "5-ESP2");
        assert_eq!(
            establishment.taught_by(found.teacher.id),
            [Target::Class("5B".into())]
        );
        assert_eq!(establishment.principals[0].teacher, found.teacher.id);
        assert!(store.resources.is_empty() && store.files.is_empty());
        assert!(store.resource_texts.is_empty());
        assert!(
            store.next_id().expect("draws") > found.admin.id,
            "new ids stay clear of the stored ones"
        );
    }

    /// `tests/fixtures/store-v3` was written by the version-3 code (commit 2dbbac7, the last at
    /// schema 3) with its own `Accounts::create`, establishment table, `Domain::create_resource`
    /// and `Sessions::open`, its clock stopped at 2026-10-05 07:30 UTC: Collège Louise Michel
    /// (UAI `0330987U`, académie de Bordeaux) with class 4A (4e); the teacher `karim.benali`
    /// (jointure 5200314), who teaches mathematics in 4A and is its professeur principal; the
    /// pupil `chloe.petit` (5200088) of 4A; her parent `isabelle.petit` (5200095), waiting for
    /// activation with the code `T6NVE-K2RHB` in clear; `admin.college` with one session; and
    /// three link resources: « Le théorème de Pythagore en vidéo » (the teacher's, published to
    /// 4A), « Puissances de dix : exercices d'entraînement » (the teacher's draft, aimed at 4A)
    /// and « Le siècle des Lumières : frise chronologique » (the administrator's, published to
    /// the whole establishment).
    #[test]
    fn a_version_3_store_opens_migrated_with_its_data_and_resources_intact() {
        use crate::domain::resources::resource::{Audience, Content, ResourceKind};
        use crate::domain::school::establishment::{Level, Target};
        use crate::domain::DomainError;

        let dir = fixture("store-v3");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 3);
            let accounts = raw.open_tree(trees::ACCOUNTS).expect("tree");
            assert!(holds(&accounts, "T6NVE-K2RHB"), "a code in clear");
        }
        let migrated = Utc::now();
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("migrates");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let written = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 10, 5, 7, 30, 0)
            .single()
            .expect("valid date");
        let found = people_intact(
            &store,
            &People {
                written,
                teacher: ("karim.benali", "5200314"),
                pupil: ("chloe.petit", "5200088"),
                parent: ("isabelle.petit", "5200095"),
                class: "4A",
                code: "T6NVE-K2RHB",
                token: "EASvfrOoHosINmFE19F9jfsW1pYLzDQ1LmiqnBSpXJk",
            },
            migrated,
        );
        assert_eq!(found.pupil.display_name(), "Chloé Petit");

        let establishment = store
            .establishment
            .get(crate::store::keys::ESTABLISHMENT)
            .expect("reads")
            .expect("present");
        assert_eq!(establishment.uai, "0330987U");
        assert_eq!(
            establishment.class("4A").and_then(|class| class.level),
            Some(Level::Quatrieme)
        );
        assert_eq!(
            establishment.taught_by(found.teacher.id),
            [Target::Class("4A".into())]
        );

        let resources: Vec<_> = store
            .resources
            .values()
            .collect::<Result<_, _>>()
            .expect("resources decode as today's Resource");
        assert_eq!(resources.len(), 3);
        let titled = |title: &str| {
            resources
                .iter()
                .find(|r| r.title == title)
                .unwrap_or_else(|| panic!("{title}"))
                .clone()
        };
        let video = titled("Le théorème de Pythagore en vidéo");
        assert_eq!(video.kind, ResourceKind::Video);
        assert_eq!(video.author, found.teacher.id);
        assert!(video.published);
        assert_eq!(
            video.audience,
            Audience::Targets(vec![Target::Class("4A".into())])
        );
        assert_eq!(
            video.content,
            Content::Link {
                url: "https://www.lumni.fr/video/le-theoreme-de-pythagore".into()
            }
        );
        assert_eq!(video.disciplines, ["061300"]);
        assert_eq!(video.levels, ["num-021"]);
        assert_eq!(video.themes, ["num-963"]);
        assert_eq!(video.keywords, ["Pythagore", "triangle rectangle"]);
        assert_eq!(video.licence, "CC BY-NC-SA 4.0");
        assert_eq!(
            video.description,
            "Cinq minutes pour revoir la propriété et sa réciproque."
        );
        assert_eq!(video.created_at, written);
        let draft = titled("Puissances de dix : exercices d'entraînement");
        assert_eq!(draft.kind, ResourceKind::Exercise);
        assert_eq!(draft.author, found.teacher.id);
        assert!(!draft.published);
        let timeline = titled("Le siècle des Lumières : frise chronologique");
        assert_eq!(timeline.kind, ResourceKind::Document);
        assert_eq!(timeline.author, found.admin.id);
        assert!(timeline.published);
        assert_eq!(timeline.audience, Audience::Establishment);

        // Today's rules read them as their authors meant: the pupil of 4A finds both published
        // resources and not the draft, which its author still opens.
        let domain = crate::domain::Domain::new(
            store.clone(),
            std::sync::Arc::new(crate::config::Config::default()),
            std::sync::Arc::new(At(written)),
        );
        for published in [&video, &timeline] {
            assert_eq!(
                domain
                    .resource_for(&found.pupil, published.id)
                    .expect("the pupil sees it")
                    .title,
                published.title
            );
        }
        assert!(matches!(
            domain.resource_for(&found.pupil, draft.id),
            Err(DomainError::UnknownResource(_))
        ));
        assert!(domain.resource_for(&found.teacher, draft.id).is_ok());
        assert!(store.files.is_empty() && store.resource_texts.is_empty());
        let last = resources.iter().map(|r| r.id).max().expect("some");
        assert!(
            store.next_id().expect("draws") > last,
            "new ids stay clear of the stored ones"
        );
    }

    /// `tests/fixtures/store-v5` was written by the version-5 code from the sample directory
    /// feed (`tests/fixtures/aaf/sample`): 111 accounts, 8 classes, 3 groups, 13 subjects. It
    /// comes through with every record and an empty timetable, which a file then fills.
    #[test]
    fn a_version_5_store_keeps_its_directory_and_takes_a_timetable() {
        use crate::config::Config;
        use crate::domain::accounts::profile::Profile;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::Domain;

        let dir = fixture("store-v5");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 5);
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let domain = Domain::new(
            store,
            std::sync::Arc::new(Config::default()),
            std::sync::Arc::new(ManualClock::default()),
        );
        let establishment = domain.establishment().expect("reads");
        assert_eq!(
            (
                establishment.classes.len(),
                establishment.groups.len(),
                establishment.subjects.len()
            ),
            (8, 3, 13)
        );
        let accounts: Vec<_> = domain
            .accounts()
            .all()
            .collect::<Result<_, _>>()
            .expect("reads");
        assert_eq!(accounts.len(), 111);
        assert!(domain.timetable().expect("reads").courses.is_empty());
        let teacher = establishment
            .teachings
            .first()
            .and_then(|teaching| accounts.iter().find(|a| a.id == teaching.teacher))
            .expect("a teacher who teaches");
        assert_eq!(teacher.profile, Profile::Enseignant);
        let class = &establishment.classes[0];
        let subject = &establishment.subjects[0];
        let csv = format!(
            "classe_ou_groupe;matiere;enseignants;salle;jour;debut;fin\n{};{};{};B1;lundi;08:00;08:55\n",
            class.code, subject.label, teacher.login
        );
        let courses = domain.read_timetable(csv.as_bytes()).expect("a valid file");
        assert_eq!(courses.len(), 1);
        assert_eq!(courses[0].subject, subject.code);
        assert_eq!(courses[0].teachers, [teacher.id]);
    }

    /// `tests/fixtures/store-v6` was written by the version-6 code (8644ae4) from the sample
    /// directory feed: its pupils come through with no recorded class change, so that a change
    /// made now starts their history, and the cahier de textes starts empty.
    #[test]
    fn a_version_6_store_reads_its_pupils_as_never_moved_and_records_the_next_move() {
        use crate::config::Config;
        use crate::domain::accounts::profile::Profile;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::Domain;

        let dir = fixture("store-v6");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 6);
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        assert!(store.lesson_entries.is_empty() && store.homework_due.is_empty());
        let domain = Domain::new(
            store,
            std::sync::Arc::new(Config::default()),
            std::sync::Arc::new(ManualClock::default()),
        );
        let pupils: Vec<_> = domain
            .accounts()
            .all()
            .collect::<Result<Vec<_>, _>>()
            .expect("reads")
            .into_iter()
            .filter(|account| account.profile == Profile::Eleve)
            .collect();
        assert_eq!(pupils.len(), 32);
        let schooling = pupils[0].pupil.clone().expect("schooling");
        assert_eq!((schooling.since, schooling.past.len()), (None, 0));
        let mut moved = schooling.clone();
        moved.class = Some("autre".into());
        let on = "2026-11-30".parse().expect("date");
        let after = schooling.moved_to(&moved, on);
        assert_eq!(after.since, Some(on));
        assert_eq!(after.past[0].class, schooling.class);
    }

    /// `tests/fixtures/store-v7` was written by the version-7 code (3fa2a42) from the sample
    /// directory feed: its accounts and establishment come through, the messagerie's trees
    /// start empty and the communication rules are the defaults.
    #[test]
    fn a_version_7_store_keeps_its_directory_and_starts_an_empty_messagerie_under_default_rules() {
        use crate::config::Config;
        use crate::domain::accounts::profile::Profile;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::messages::rules::CommunicationRules;
        use crate::domain::Domain;

        let messagerie = [
            trees::MESSAGES,
            trees::MAILBOXES,
            trees::MAIL_HOLDERS,
            trees::MAIL_FILES,
            trees::MAIL_RULES,
        ];
        let dir = fixture("store-v7");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 7);
            let names = raw.tree_names();
            for tree in messagerie {
                assert!(!names.iter().any(|name| name == tree.as_bytes()), "{tree}");
            }
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        assert!(store.messages.is_empty() && store.mailboxes.is_empty());
        assert!(store.mail_holders.is_empty() && store.mail_files.is_empty());
        assert!(store.mail_rules.is_empty());
        let domain = Domain::new(
            store,
            std::sync::Arc::new(Config::default()),
            std::sync::Arc::new(ManualClock::default()),
        );
        let establishment = domain.establishment().expect("reads");
        assert_eq!(establishment.uai, "0691234A");
        assert_eq!(
            (
                establishment.classes.len(),
                establishment.groups.len(),
                establishment.subjects.len()
            ),
            (8, 3, 13)
        );
        let accounts: Vec<_> = domain
            .accounts()
            .all()
            .collect::<Result<_, _>>()
            .expect("reads");
        let count = |profile: Profile| accounts.iter().filter(|a| a.profile == profile).count();
        assert_eq!(accounts.len(), 111);
        assert_eq!((count(Profile::Eleve), count(Profile::Parent)), (32, 56));
        assert_eq!(
            *domain.communication_rules().expect("reads"),
            CommunicationRules::default()
        );
        drop(domain);
        let raw = sled::open(dir.path()).expect("opens raw");
        let names = raw.tree_names();
        for tree in messagerie {
            assert!(names.iter().any(|name| name == tree.as_bytes()), "{tree}");
        }
    }

    /// `tests/fixtures/store-v8` was written by the version-8 code (b6e223b) from the sample
    /// directory feed: its accounts come through and the CAS registry starts empty.
    #[test]
    fn a_version_8_store_keeps_its_directory_and_starts_an_empty_cas_registry() {
        use crate::config::Config;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::Domain;

        let dir = fixture("store-v8");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 8);
            let names = raw.tree_names();
            assert!(!names
                .iter()
                .any(|name| name == trees::CAS_REGISTRY.as_bytes()));
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        assert!(store.cas_registry.is_empty());
        let domain = Domain::new(
            store,
            std::sync::Arc::new(Config::default()),
            std::sync::Arc::new(ManualClock::default()),
        );
        assert_eq!(domain.establishment().expect("reads").uai, "0691234A");
        let accounts = domain.accounts().all().count();
        assert_eq!(accounts, 111);
        assert_eq!(*domain.cas_registry().expect("reads"), Default::default());
        assert_eq!(
            domain
                .cas_service("https://moodle.example/")
                .expect("reads"),
            None
        );
    }

    /// `tests/fixtures/store-v4` was written by the version-4 code: a pupil (`ines.da-silva`,
    /// code `KQ7RM-T4XWZ`) and her parent (`marc.da-silva`, code `H8PNA-WX3QZ`) waiting for
    /// activation with their codes in clear, and an active administrator.
    #[test]
    fn a_version_4_store_keeps_only_hashes_of_its_activation_codes_which_still_work_then_expire() {
        use crate::domain::accounts::account::AccountState;
        use crate::domain::accounts::password::PasswordPolicy;
        use crate::domain::accounts::Accounts;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::clock::Clock;
        use crate::domain::DomainError;

        let dir = fixture("store-v4");
        let clock = std::sync::Arc::new(ManualClock::default());
        let migrated_at = clock.now();
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 4);
            let accounts = raw.open_tree(trees::ACCOUNTS).expect("tree");
            let clear = |accounts: &sled::Tree| {
                accounts.iter().values().any(|value| {
                    let value = value.expect("reads");
                    String::from_utf8_lossy(&value).contains("KQ7RM-T4XWZ")
                })
            };
            assert!(clear(&accounts), "the fixture holds a code in clear");
            migrate(&raw, ALL, migrated_at).expect("migrates");
            assert!(!clear(&accounts), "no code is left in clear");
            raw.flush().expect("flushes");
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let accounts = Accounts::new(store, clock.clone(), PasswordPolicy { min_length: 8 });
        for login in ["ines.da-silva", "marc.da-silva"] {
            let account = accounts.by_login(login).expect("reads").expect("kept");
            let AccountState::ToActivate { code } = &account.state else {
                panic!("{login} still waits for activation: {:?}", account.state);
            };
            assert_eq!(code.issued_at, migrated_at, "{login}");
        }
        let admin = accounts
            .by_login("admin.college")
            .expect("reads")
            .expect("kept");
        assert!(admin.is_active());
        assert!(crate::domain::accounts::password::verify(
            "ancien-mot",
            admin.password_hash.as_deref().expect("hash")
        ));
        let lifetime = std::time::Duration::from_secs(90 * 86_400);
        clock.advance(chrono::TimeDelta::days(89));
        let pupil = accounts
            .activate(
                "ines.da-silva",
                "kq7rm-t4xwz",
                "un bon mot",
                "un bon mot",
                lifetime,
            )
            .expect("the old code works until it expires");
        assert!(pupil.is_active());
        clock.advance(chrono::TimeDelta::days(1));
        assert!(matches!(
            accounts.activate(
                "marc.da-silva",
                "H8PNA-WX3QZ",
                "un bon mot",
                "un bon mot",
                lifetime
            ),
            Err(DomainError::ActivationExpired)
        ));
    }
}
