//! Search benchmark: 50,000 generated resources, indexing throughput, size on disk, then 1,000
//! mixed queries with facets as a pupil (audience filter) and as an administrator.
//!
//! Run: `cargo bench -p preau-server --bench search`.

use std::time::{Duration, Instant};

#[path = "common/words.rs"]
mod words;

use preau_server::search::{SearchDoc, SearchIndex, SearchQuery, Sort};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use words::{pick, sentence, ADJECTIVES, FILLER, FORMS, NOUNS};

const DOCS: u64 = 50_000;
const QUERIES: usize = 1_000;

const DISCIPLINES: &[&str] = &[
    "020700", "061300", "043700", "043800", "030201", "030602", "030102", "062300", "062900",
    "070800", "090100", "081300", "100100", "020100",
];
const LEVELS: &[&str] = &["num-018", "num-020", "num-021", "num-023"];
const KINDS: &[&str] = &[
    "document", "link", "video", "audio", "image", "package", "exercise",
];
const CLASSES: [&str; 12] = [
    "6A", "6B", "6C", "5A", "5B", "5C", "4A", "4B", "4C", "3A", "3B", "3C",
];

fn generate(rng: &mut ChaCha8Rng, id: u64) -> SearchDoc {
    let discipline = pick(rng, DISCIPLINES).to_owned();
    let level_index = rng.gen_range(0..LEVELS.len());
    let cycle = if level_index == 0 {
        "num-630"
    } else {
        "num-631"
    };
    // Programme nodes: one cycle node per discipline and cycle, five themes under it, three
    // sub-themes under each theme.
    let discipline_rank = DISCIPLINES
        .iter()
        .position(|d| *d == discipline)
        .unwrap_or(0);
    let cycle_node = format!(
        "num-{}",
        1000 + discipline_rank * 100 + usize::from(cycle == "num-631") * 50
    );
    let theme = rng.gen_range(0..5);
    let theme_node = format!("num-{}", 1000 + discipline_rank * 100 + theme * 10 + 1);
    let sub_node = format!(
        "num-{}",
        1000 + discipline_rank * 100 + theme * 10 + rng.gen_range(2..5)
    );
    let audiences = if rng.gen_bool(0.6) {
        vec!["etablissement".to_owned()]
    } else {
        vec![
            format!("classe:{}", pick(rng, &CLASSES)),
            format!("auteur:{}", rng.gen_range(1..40)),
        ]
    };
    let text = words::text(rng);
    SearchDoc {
        id,
        title: text.title,
        description: text.description,
        keywords: text.keywords,
        body: if rng.gen_bool(0.3) {
            sentence(rng, 200)
        } else {
            String::new()
        },
        kind: pick(rng, KINDS).to_owned(),
        disciplines: vec![discipline.clone()],
        levels: vec![LEVELS[level_index].to_owned(), cycle.to_owned()],
        theme_paths: vec![vec![discipline, cycle_node, theme_node, sub_node]],
        audiences,
        updated_at: 1_700_000_000 + rng.gen_range(0..30_000_000),
    }
}

fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() > 4 {
        chars.swap(2, 3);
    }
    chars.into_iter().collect()
}

fn random_query(rng: &mut ChaCha8Rng, audiences: Option<Vec<String>>) -> SearchQuery {
    let text = match rng.gen_range(0..10) {
        0..=1 => String::new(),
        2..=4 => pick(rng, NOUNS).to_owned(),
        5 => typo(pick(rng, NOUNS)),
        6 => deunicode::deunicode(pick(rng, NOUNS)),
        7 => format!("{} {}", pick(rng, NOUNS), pick(rng, ADJECTIVES)),
        _ => format!(
            "{} {} {}",
            pick(rng, FORMS),
            pick(rng, NOUNS),
            pick(rng, FILLER)
        ),
    };
    let mut query = SearchQuery {
        text,
        audiences,
        page: if rng.gen_bool(0.8) {
            1
        } else {
            rng.gen_range(2..4)
        },
        per_page: 20,
        sort: if rng.gen_bool(0.2) {
            Sort::Newest
        } else {
            Sort::Relevance
        },
        ..SearchQuery::default()
    };
    if rng.gen_bool(0.4) {
        query.disciplines = vec![pick(rng, DISCIPLINES).to_owned()];
    }
    if rng.gen_bool(0.3) {
        query.levels = vec![pick(rng, LEVELS).to_owned()];
    }
    if rng.gen_bool(0.1) {
        query.kinds = vec![pick(rng, KINDS).to_owned(), pick(rng, KINDS).to_owned()];
    }
    query
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn run_queries(
    index: &SearchIndex,
    rng: &mut ChaCha8Rng,
    role: &str,
    audiences: Option<Vec<String>>,
) {
    let mut times = Vec::with_capacity(QUERIES);
    let mut hits = 0;
    for _ in 0..QUERIES {
        let query = random_query(rng, audiences.clone());
        let start = Instant::now();
        let results = index.search(&query).expect("search");
        times.push(start.elapsed());
        hits += results.total;
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{role:<6} {QUERIES} queries: p50 {:?}  p99 {:?}  max {:?}  mean {:?}  (avg total {})",
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times[times.len() - 1],
        mean,
        hits / QUERIES
    );
}

fn main() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let docs: Vec<SearchDoc> = (1..=DOCS).map(|id| generate(&mut rng, id)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(&dir.path().join("index")).expect("open");

    let start = Instant::now();
    index.rebuild(docs.into_iter()).expect("rebuild");
    let elapsed = start.elapsed();
    println!(
        "indexing {DOCS} docs (rebuild, commit + merge): {:.2?}, {:.0} docs/s",
        elapsed,
        DOCS as f64 / elapsed.as_secs_f64()
    );
    let size = index.size_on_disk().expect("size");
    println!("index size on disk: {:.1} MB", size as f64 / 1_000_000.0);

    let start = Instant::now();
    for id in 1..=20 {
        index.upsert(&generate(&mut rng, id)).expect("upsert");
    }
    println!("upsert (commit + reload): {:?} each", start.elapsed() / 20);

    // Warm the page cache and the lazily built fuzzy automata.
    for _ in 0..100 {
        index
            .search(&random_query(&mut rng, None))
            .expect("warm-up");
    }
    let pupil = vec![
        "etablissement".to_owned(),
        "classe:4B".to_owned(),
        "groupe:4-ESP2".to_owned(),
        "auteur:17".to_owned(),
    ];
    run_queries(&index, &mut rng, "pupil", Some(pupil));
    run_queries(&index, &mut rng, "admin", None);
}
