//! Messagerie benchmark on the demo collège: a message from the vie scolaire to every family,
//! every pupil and the staff (one send, each a copy), the recipient search as one types, and a
//! folder's page.
//!
//! Run: `cargo bench -p preau-server --bench messages`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use preau_server::config::Config;
use preau_server::demo;
use preau_server::domain::accounts::account::{Account, ChildLink, Responsibility};
use preau_server::domain::accounts::profile::Profile;
use preau_server::domain::accounts::{InitialState, NewAccount};
use preau_server::domain::clock::SystemClock;
use preau_server::domain::messages::message::Folder;
use preau_server::domain::messages::recipients::{GroupId, RecipientId};
use preau_server::domain::messages::Composed;
use preau_server::domain::school::establishment::Target;
use preau_server::domain::tables::Tables;
use preau_server::domain::Domain;
use preau_server::files::BlobStore;

const SENDS: usize = 10;
const SEARCHES: usize = 200;

fn median(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

/// [`SENDS`] messages from `sender` to `to`, each flushed: the persons reached, and the median
/// and worst times.
fn time_sends(
    domain: &Domain,
    sender: &Account,
    to: &[String],
    subject: &str,
) -> (usize, Duration, Duration) {
    let mut times = Vec::with_capacity(SENDS);
    let mut reached = 0;
    for n in 0..SENDS {
        let started = Instant::now();
        let sent = domain
            .send_message(
                sender,
                Composed {
                    to: to.to_vec(),
                    subject: format!("{subject} n° {n}"),
                    body: "<p>Madame, Monsieur, les bulletins du trimestre sont en ligne.</p>"
                        .into(),
                    ..Composed::default()
                },
                None,
            )
            .expect("sent");
        domain.flush_blocking().expect("flush");
        times.push(started.elapsed());
        reached = sent.recipients.len();
    }
    let (typical, worst) = median(times);
    (reached, typical, worst)
}

fn account(domain: &Domain, login: &str) -> Account {
    domain
        .accounts()
        .by_login(login)
        .expect("store")
        .expect("demo account")
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = Config::default();
    let tables =
        Tables::open(&dir.path().join("db"), config.store.cache_size_mb << 20).expect("store");
    let mail_index =
        preau_server::search::MailIndex::open(&dir.path().join("index/mail")).expect("mail index");
    let domain = Domain::new(tables, Arc::new(config), Arc::new(SystemClock))
        .with_files(BlobStore::of(dir.path()))
        .with_mail_search(mail_index);
    let started = Instant::now();
    demo::seed_if_empty(&domain).expect("demo");
    println!(
        "demo collège seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let cpe = account(&domain, "cpe.demo");
    // Every family and every pupil of the collège, and the staff: the largest send there is.
    let mut every_class: Vec<String> = Vec::new();
    for class in &domain.establishment().expect("establishment").classes {
        let target = Target::Class(class.code.clone());
        every_class.push(RecipientId::Group(GroupId::Parents(target.clone())).code());
        every_class.push(RecipientId::Group(GroupId::Pupils(target)).code());
    }
    every_class.push(RecipientId::Group(GroupId::AllStaff).code());
    let (reached, median_send, worst_send) =
        time_sends(&domain, &cpe, &every_class, "Information aux familles");
    println!(
        "send to the parents and pupils of every class and the staff ({reached} persons, one \
         copy and one notification each, indexed once, flushed): median {:.1} ms, worst {:.1} ms \
         over {SENDS}",
        median_send.as_secs_f64() * 1e3,
        worst_send.as_secs_f64() * 1e3
    );

    // One group of exactly 1,000: the parents of one class, grown for the measure with accounts
    // made like the directory's (a real collège's largest group, a level's families, is about
    // 500).
    let class = domain.establishment().expect("establishment").classes[0]
        .code
        .clone();
    let pupil = domain
        .accounts()
        .all_shared()
        .expect("accounts")
        .into_iter()
        .find(|account| account.class() == Some(class.as_str()))
        .expect("a pupil in the class");
    let parents = GroupId::Parents(Target::Class(class.clone()));
    let group = vec![RecipientId::Group(parents).code()];
    let cpe_now = account(&domain, "cpe.demo");
    let already = domain
        .send_message(
            &cpe_now,
            Composed {
                to: group.clone(),
                subject: "Comptage".into(),
                body: "<p>Comptage.</p>".into(),
                ..Composed::default()
            },
            None,
        )
        .expect("sent")
        .recipients
        .len();
    for n in already..1_000 {
        domain
            .accounts()
            .create(NewAccount {
                login: None,
                first_name: format!("Parent{n}"),
                last_name: "Banc".into(),
                email: None,
                profile: Profile::Parent,
                is_admin: false,
                initial: InitialState::Active {
                    password_hash: String::new(),
                },
                jointure: None,
                pupil: None,
                children: vec![ChildLink {
                    pupil: pupil.id,
                    responsibility: Responsibility::Legal,
                }],
            })
            .expect("account");
    }
    let (reached, median_send, worst_send) =
        time_sends(&domain, &cpe_now, &group, "Réunion des parents");
    assert_eq!(reached, 1_000, "the group holds exactly 1,000 parents");
    println!(
        "send to one group of {reached} (the parents of {class}, grown for the measure): median \
         {:.1} ms, worst {:.1} ms over {SENDS}",
        median_send.as_secs_f64() * 1e3,
        worst_send.as_secs_f64() * 1e3
    );

    for (login, queries) in [
        ("parent.demo", ["mo", "moreau", "vie", ""]),
        ("cpe.demo", ["pa", "parents 4", "martin", ""]),
    ] {
        let viewer = account(&domain, login);
        for query in queries {
            let mut times = Vec::with_capacity(SEARCHES);
            let mut found = 0;
            for _ in 0..SEARCHES {
                let started = Instant::now();
                found = domain
                    .recipients_for(&viewer, query, 20)
                    .expect("recipients")
                    .len();
                times.push(started.elapsed());
            }
            let (typical, worst) = median(times);
            println!(
                "recipients of {login} for {query:?}: {found} found, median {:.2} ms, worst {:.2} ms",
                typical.as_secs_f64() * 1e3,
                worst.as_secs_f64() * 1e3
            );
        }
    }

    let parent = account(&domain, "parent.demo");
    let mut times = Vec::with_capacity(SEARCHES);
    let mut total = 0;
    for _ in 0..SEARCHES {
        let started = Instant::now();
        total = domain
            .folder(&parent, Folder::Inbox, 1)
            .expect("inbox")
            .total;
        times.push(started.elapsed());
    }
    let (typical, worst) = median(times);
    println!(
        "parent.demo's inbox ({total} messages): median {:.2} ms, worst {:.2} ms",
        typical.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
}
