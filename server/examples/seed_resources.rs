//! Fills a data directory with the demo collège and COUNT generated resources, for the search
//! benchmark through HTTP (`bench/search_http.sh`).
//!
//! Run: `cargo run --release -p preau-server --example seed_resources -- DATA_DIR 50000`, then
//! `preau serve --data DATA_DIR`, which builds the missing index from the store as it starts.
//!
//! The resources go straight into the store: `create_resource` commits the index once per
//! resource (≈9 ms each, over seven minutes for 50,000), and the index is derived data that the
//! server rebuilds in one pass anyway.

#[path = "../benches/common/words.rs"]
mod words;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, Utc};
use preau_server::config::Config;
use preau_server::demo;
use preau_server::domain::clock::SystemClock;
use preau_server::domain::resources::resource::{Audience, Content, Resource, ResourceKind};
use preau_server::domain::resources::vocabulary::Vocabulary;
use preau_server::domain::school::establishment::{Level, Target};
use preau_server::domain::school::indexed::IndexedEstablishment;
use preau_server::domain::tables::Tables;
use preau_server::domain::Domain;
use preau_server::files::BlobStore;
use preau_server::store::keys;
use rand::distributions::WeightedIndex;
use rand::prelude::Distribution;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 0x5EED_4E55;
/// Kinds a link can have (a package needs an uploaded zip), by how often teachers publish them.
const KINDS: [(ResourceKind, u32); 6] = [
    (ResourceKind::Document, 30),
    (ResourceKind::Exercise, 22),
    (ResourceKind::Link, 18),
    (ResourceKind::Video, 14),
    (ResourceKind::Image, 8),
    (ResourceKind::Audio, 8),
];
const LICENCES: [&str; 4] = [
    "CC BY-NC-SA 4.0",
    "CC BY-SA 4.0",
    "CC BY 4.0",
    "Tous droits réservés",
];
/// Resources are spread over the last two school years.
const SPAN_DAYS: i64 = 730;

fn main() -> anyhow::Result<()> {
    let (data, count) = arguments()?;
    let (tables, domain) = open_domain(&data)?;
    if demo::seed_if_empty(&domain)? {
        println!("demo collège seeded in {}", data.display());
    }
    let establishment = domain.establishment()?;
    let mut generator = Generator::new(&establishment, domain.clock().now())?;

    let start = Instant::now();
    for _ in 0..count {
        // Straight into the table: the domain's checks and indexing would take minutes for
        // 50,000, and `preau serve` rebuilds the index from the store at start.
        let id = tables.next_id()?;
        tables
            .resources
            .insert(keys::id(id), &generator.resource(id))?;
    }
    let written = start.elapsed();
    let start = Instant::now();
    tables.flush_blocking()?;
    println!(
        "{count} resources written in {written:.2?} ({:.0}/s), flushed in {:.2?}; {} in the store",
        count as f64 / written.as_secs_f64(),
        start.elapsed(),
        tables.resources.len()
    );
    if data.join("index").exists() {
        println!(
            "{} already holds an index: run `preau search reindex --data {}`",
            data.display(),
            data.display()
        );
    }
    Ok(())
}

fn arguments() -> anyhow::Result<(PathBuf, u64)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, count] = args.as_slice() else {
        bail!("usage: seed_resources DATA_DIR COUNT");
    };
    let count = count
        .parse()
        .with_context(|| format!("COUNT is not a number: {count}"))?;
    Ok((PathBuf::from(data), count))
}

/// The tables of the store of `data`, and the domain over them as `preau serve` opens it.
fn open_domain(data: &Path) -> anyhow::Result<(Tables, Domain)> {
    let config = Config::default();
    let db = data.join("db");
    let tables = Tables::open(&db, config.store.cache_size_mb << 20)
        .with_context(|| format!("cannot open the store in {}", db.display()))?;
    let domain = Domain::new(tables.clone(), Arc::new(config), Arc::new(SystemClock))
        .with_files(BlobStore::of(data));
    Ok((tables, domain))
}

/// A subject taught to a class or a group, which its teacher publishes to.
struct Teaching {
    teacher: u64,
    subject: String,
    level: Level,
    target: Target,
}

/// Resources as the establishment's teachers would publish them: on their subjects, for the
/// levels and classes they teach, on the programme's themes.
struct Generator<'a> {
    rng: ChaCha8Rng,
    establishment: &'a IndexedEstablishment,
    vocabulary: &'static Vocabulary,
    teachings: Vec<Teaching>,
    /// (teacher, subject, level) → its teachings: a teacher often publishes to all their
    /// classes of a level at once.
    by_level: BTreeMap<(u64, String, Level), Vec<usize>>,
    /// Which teaching the next resource comes from: some teachers publish ten times more than
    /// others.
    activity: WeightedIndex<f64>,
    kinds: WeightedIndex<u32>,
    /// (discipline, cycle) → the leaves of its programme tree.
    themes: HashMap<(String, String), Vec<String>>,
    now: DateTime<Utc>,
}

impl<'a> Generator<'a> {
    fn new(establishment: &'a IndexedEstablishment, now: DateTime<Utc>) -> anyhow::Result<Self> {
        let teachings: Vec<Teaching> = establishment
            .teachings
            .iter()
            .filter_map(|teaching| {
                Some(Teaching {
                    teacher: teaching.teacher,
                    subject: teaching.subject.clone(),
                    level: level_of(establishment, &teaching.target)?,
                    target: teaching.target.clone(),
                })
            })
            .collect();
        if teachings.is_empty() {
            bail!("the establishment has no teachings to publish from");
        }
        let mut by_level: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (index, teaching) in teachings.iter().enumerate() {
            by_level
                .entry((teaching.teacher, teaching.subject.clone(), teaching.level))
                .or_default()
                .push(index);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        let mut zeal: HashMap<u64, f64> = HashMap::new();
        let weights: Vec<f64> = teachings
            .iter()
            .map(|teaching| {
                *zeal
                    .entry(teaching.teacher)
                    .or_insert_with(|| rng.gen_range(0.3..3.0))
            })
            .collect();
        let vocabulary = Vocabulary::embedded();
        Ok(Self {
            rng,
            establishment,
            vocabulary,
            teachings,
            by_level,
            activity: WeightedIndex::new(weights)?,
            kinds: WeightedIndex::new(KINDS.map(|(_, weight)| weight))?,
            themes: theme_leaves(vocabulary),
            now,
        })
    }

    fn resource(&mut self, id: u64) -> Resource {
        let rng = &mut self.rng;
        let teaching = &self.teachings[self.activity.sample(rng)];
        let level = teaching
            .level
            .scolomfr()
            .trim_start_matches("scolomfr-voc-022-");
        let cycle = self.vocabulary.cycle_of(level).unwrap_or_default();
        // One theme mostly, sometimes two, sometimes none.
        let theme_count = match rng.gen_range(0..10) {
            0 => 0,
            1 => 2,
            _ => 1,
        };
        let themes: Vec<String> = self
            .themes
            .get(&(teaching.subject.clone(), cycle.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or_default()
            .choose_multiple(rng, theme_count)
            .cloned()
            .collect();
        let text = words::text(rng);
        let mut description = format!(
            "{}. {}, {}",
            text.description,
            self.establishment.subject_label(&teaching.subject),
            teaching.level.label()
        );
        if let Some(theme) = themes.first().and_then(|id| self.vocabulary.theme(id)) {
            description.push_str(" — ");
            description.push_str(theme.short_label());
        }
        description.push('.');
        let audience = if rng.gen_bool(0.12) {
            Audience::Establishment
        } else if rng.gen_bool(0.35) {
            let key = (teaching.teacher, teaching.subject.clone(), teaching.level);
            let same_level = self.by_level.get(&key).into_iter().flatten();
            Audience::Targets(
                same_level
                    .map(|index| self.teachings[*index].target.clone())
                    .collect(),
            )
        } else {
            Audience::Targets(vec![teaching.target.clone()])
        };
        let created_at = self.now - Duration::seconds(rng.gen_range(0..SPAN_DAYS * 86_400));
        let updated_at = if rng.gen_bool(0.3) {
            (created_at + Duration::seconds(rng.gen_range(0..60 * 86_400))).min(self.now)
        } else {
            created_at
        };
        Resource {
            id,
            title: text.title,
            description,
            kind: KINDS[self.kinds.sample(rng)].0,
            disciplines: vec![teaching.subject.clone()],
            levels: vec![level.to_owned(), cycle.to_owned()],
            themes,
            keywords: text.keywords,
            author: teaching.teacher,
            licence: words::pick(rng, &LICENCES).to_owned(),
            content: Content::Link {
                url: format!("https://ressources.exemple.fr/{}/{id}", teaching.subject),
            },
            audience,
            published: rng.gen_bool(0.95),
            created_at,
            updated_at,
        }
    }
}

fn level_of(establishment: &IndexedEstablishment, target: &Target) -> Option<Level> {
    match target {
        Target::Class(code) => establishment.class(code)?.level,
        // Option groups are named after their level: `4-ESP2`.
        Target::Group(code) => Level::ALL
            .into_iter()
            .find(|level| code.starts_with(&level.label()[..1])),
    }
}

/// (discipline, cycle level) → the leaves of the discipline's programme tree for that cycle.
fn theme_leaves(vocabulary: &Vocabulary) -> HashMap<(String, String), Vec<String>> {
    let mut leaves: HashMap<(String, String), Vec<String>> = HashMap::new();
    for root in vocabulary.disciplines_roots() {
        for cycle_node in vocabulary.children_of(&root.id) {
            let cycle = if cycle_node.label.contains("cycle 3") {
                "num-630"
            } else {
                "num-631"
            };
            let found = leaves
                .entry((root.discipline.clone(), cycle.to_owned()))
                .or_default();
            let mut pending = vec![cycle_node.id.clone()];
            while let Some(id) = pending.pop() {
                let children = vocabulary.children_of(&id);
                if children.is_empty() && id != cycle_node.id {
                    found.push(id);
                }
                pending.extend(children.into_iter().map(|child| child.id.clone()));
            }
        }
    }
    leaves
}
