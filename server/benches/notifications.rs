//! Notifications benchmark on the demo collège: one notification to 1,000 people (one row each,
//! one batch per tree, no fsync: the write that caused it flushes), the header's unseen count
//! that every signed-in page reads (a prefix count) for a person with a full feed, and the
//! first page of that feed.
//!
//! Run: `cargo bench -p preau-server --bench notifications`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use preau_server::config::Config;
use preau_server::demo;
use preau_server::domain::clock::SystemClock;
use preau_server::domain::notifications::notification::{Notification, NotificationKind};
use preau_server::domain::notifications::KEEP_PER_PERSON;
use preau_server::domain::tables::Tables;
use preau_server::domain::Domain;
use preau_server::files::BlobStore;

const NOTIFIES: usize = 20;
const COUNTS: usize = 20_000;
const PAGES: usize = 2_000;

fn median(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = Config::default();
    let tables =
        Tables::open(&dir.path().join("db"), config.store.cache_size_mb << 20).expect("store");
    let domain = Domain::new(tables, Arc::new(config), Arc::new(SystemClock))
        .with_files(BlobStore::of(dir.path()));
    demo::seed_if_empty(&domain).expect("demo");
    let parent = domain
        .accounts()
        .by_login("parent.demo")
        .expect("store")
        .expect("demo account");
    let notification = |n: usize| Notification {
        kind: NotificationKind::Message,
        title: format!("Nouveau message de Marc Durand\u{a0}: Sortie au musée n°{n}"),
        href: "/messagerie/messages/1".to_owned(),
        date: chrono::Utc::now(),
    };

    // A thousand people: the parent and 999 more (ids that need no account to hold a feed).
    let mut owners: Vec<u64> = (10_000_000..10_000_999).collect();
    owners.push(parent.id);
    let mut times = Vec::with_capacity(NOTIFIES);
    for n in 0..NOTIFIES {
        let started = Instant::now();
        domain.notify(&owners, &notification(n)).expect("notifies");
        times.push(started.elapsed());
    }
    let (median_notify, worst_notify) = median(times);
    println!(
        "notify 1,000 people: median {:.2} ms, worst {:.2} ms ({NOTIFIES} runs)",
        median_notify.as_secs_f64() * 1e3,
        worst_notify.as_secs_f64() * 1e3
    );

    // The parent's feed full and all unseen: the header's worst case.
    for n in NOTIFIES..KEEP_PER_PERSON {
        domain
            .notify(&[parent.id], &notification(n))
            .expect("notifies");
    }
    let counted = |label: &str| {
        let unseen = domain.unseen_notifications(&parent).expect("counts");
        let started = Instant::now();
        for _ in 0..COUNTS {
            assert_eq!(
                domain.unseen_notifications(&parent).expect("counts"),
                unseen
            );
        }
        let each = started.elapsed() / COUNTS as u32;
        println!(
            "header count, {label} ({unseen} unseen): {:.1} µs each ({COUNTS} runs)",
            each.as_secs_f64() * 1e6
        );
    };
    counted("a full feed never opened");
    let started = Instant::now();
    for _ in 0..PAGES {
        domain.notifications(&parent, 1).expect("reads");
    }
    let per_page = started.elapsed() / PAGES as u32;
    println!(
        "first page of that feed: {:.1} µs each ({PAGES} runs)",
        per_page.as_secs_f64() * 1e6
    );
    domain.mark_notifications_seen(&parent).expect("marks");
    for n in 0..3 {
        domain
            .notify(&[parent.id], &notification(n))
            .expect("notifies");
    }
    counted("a feed opened lately");
}
