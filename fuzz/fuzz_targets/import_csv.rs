//! The bulk import of resources: `ressources.csv` (encoding, separator, headers, cells) checked
//! line by line against the vocabularies and the classes, and the zip around it (vetting, finding
//! the CSV and each line's file), through `Domain::plan_import`, everything the import does
//! before it creates anything, for a teacher of the demo collège.
//!
//! Input that starts like a zip is the whole archive; anything else is `ressources.csv`, zipped
//! here with a few files its lines may name (one of them empty, one under an accented name).
//!
//! Invariants: hostile input is refused as import problems, never as a storage error; an
//! accepted plan is in the CSV's order, each line has content, and each draft passes the checks
//! that creating the resource makes (`Domain::checked`), so that the import cannot fail midway
//! on something a line problem should have said.
#![no_main]

use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use preau_server::config::Config;
use preau_server::demo::seed_if_empty;
use preau_server::domain::accounts::account::Account;
use preau_server::domain::clock::SystemClock;
use preau_server::domain::resources::resource_import::ImportLimits;
use preau_server::domain::resources::DraftSource;
use preau_server::domain::Domain;
use preau_server::files::BlobStore;
use preau_server::store::Store;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const PNG: &[u8] = include_bytes!("../../tests/fixtures/import/collection/images/repere.png");

/// The files that come with a fuzzed CSV.
const FILES: [(&str, &[u8]); 6] = [
    ("images/repere.png", PNG),
    ("cours/fractions.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("cours/fractions.odt", b"PK not really an odt"),
    ("cours/Fiche élève.txt", b"Bonjour"),
    ("cours/vide.txt", b""),
    (
        "activite.zip",
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    ),
];

struct School {
    domain: Domain,
    teacher: Account,
    limits: ImportLimits,
}

/// The demo collège, seeded once in a folder kept between runs (on tmpfs when there is one:
/// staging a file syncs it).
fn school() -> School {
    let dir = std::env::var_os("PREAU_FUZZ_SCHOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let shm = PathBuf::from("/dev/shm");
            let base = if shm.is_dir() {
                shm
            } else {
                std::env::temp_dir()
            };
            base.join("preau-fuzz-import-school")
        });
    std::fs::create_dir_all(&dir).expect("creates the school's folder");
    let store = Store::open(&dir.join("store"), 16 << 20).expect("opens the store");
    let domain = Domain::new(store, Arc::new(Config::default()), Arc::new(SystemClock))
        .with_files(BlobStore::of(&dir));
    seed_if_empty(&domain).expect("seeds the demo collège");
    let teacher = domain
        .accounts
        .by_login("enseignant.demo")
        .expect("reads the accounts")
        .expect("the demo teacher exists");
    let limits = ImportLimits::of(&domain.config.files);
    School {
        domain,
        teacher,
        limits,
    }
}

thread_local! {
    static SCHOOL: School = school();
}

fn collection(csv: &[u8]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let csv_entry: (&str, &[u8]) = ("ressources.csv", csv);
    for (name, bytes) in std::iter::once(csv_entry).chain(FILES) {
        zip.start_file(name, options).expect("starts an entry");
        zip.write_all(bytes).expect("writes an entry");
    }
    zip.finish().expect("finishes the zip").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let archive = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        collection(data)
    };
    SCHOOL.with(|school| {
        let plan = school
            .domain
            .plan_import(&school.teacher, Cursor::new(archive), &school.limits)
            .expect("a hostile archive is refused as import problems, not a storage error");
        let drafts = match plan {
            Ok(drafts) => drafts,
            Err(problems) => {
                assert!(!problems.is_empty(), "refused without a problem");
                return;
            }
        };
        let mut previous = 1;
        for (line, draft) in drafts {
            assert!(line > previous, "line {line} after line {previous}");
            previous = line;
            match &draft.source {
                DraftSource::Keep => panic!("line {line} has no content"),
                DraftSource::Link(url) => assert!(!url.is_empty()),
                DraftSource::Upload(staged) => {
                    assert!(staged.size > 0 && staged.size <= school.limits.max_file_bytes)
                }
            }
            let (domain, teacher) = (&school.domain, &school.teacher);
            if let Err(error) = domain.checked(teacher, draft, 1, teacher.id, domain.clock.now()) {
                panic!("line {line} passed the import's checks but creating it fails: {error:?}");
            }
        }
    });
});
