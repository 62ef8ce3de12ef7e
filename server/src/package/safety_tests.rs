//! Hostile archives: each must be refused as a whole, with a message that names what is wrong.

use std::io::{Cursor, Write};

use zip::ZipWriter;

use super::tests::{deflated, inspect_zip, open_fixture, zip_of, PAGE};
use super::*;

const MIB: u64 = 1024 * 1024;

#[test]
fn zip_slip_refuses_the_whole_package_and_names_the_entry() {
    let error = inspect(open_fixture("zip-slip.zip"), &Limits::default()).expect_err("refused");
    assert_eq!(
        error,
        PackageError::UnsafePath {
            entry: "../../evil.html".to_owned(),
            problem: PathProblem::ParentDirectory
        }
    );
    assert_eq!(
        error.french(),
        "Le paquet est refusé\u{a0}: le fichier «\u{a0}../../evil.html\u{a0}» sort du dossier \
         du paquet (zip-slip)."
    );
}

#[test]
fn names_that_could_escape_on_extraction_are_refused() {
    let cases = [
        ("/etc/passwd", PathProblem::Absolute),
        ("C:/Windows/evil.html", PathProblem::DriveLetter),
        ("cours\\..\\..\\evil.html", PathProblem::Backslash),
        ("cours/../../evil.html", PathProblem::ParentDirectory),
        ("evil\0.html", PathProblem::Nul),
    ];
    for (name, problem) in cases {
        let zip = zip_of(&[("index.html", PAGE), (name, PAGE)]);
        let error = inspect_zip(&zip, &Limits::default()).expect_err(name);
        let expected = PackageError::UnsafePath {
            entry: name.to_owned(),
            problem,
        };
        assert_eq!(error, expected, "{name}");
    }
}

#[test]
fn a_symbolic_link_is_refused() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("index.html", deflated()).expect("entry");
    writer.write_all(PAGE).expect("content");
    writer
        .add_symlink("secret.html", "/etc/shadow", deflated())
        .expect("link");
    let zip = writer.finish().expect("zip").into_inner();
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert_eq!(
        error,
        PackageError::Symlink {
            entry: "secret.html".to_owned()
        }
    );
}

/// The offsets of the local and central headers of a one-entry zip, found by their signatures.
fn headers(zip: &[u8]) -> (usize, usize) {
    let central = zip
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central header");
    assert_eq!(&zip[..4], b"PK\x03\x04");
    (0, central)
}

#[test]
fn an_encrypted_entry_is_refused() {
    let mut zip = zip_of(&[("index.html", PAGE)]);
    let (local, central) = headers(&zip);
    // Bit 0 of the general purpose flags: "encrypted", in both headers.
    zip[local + 6] |= 1;
    zip[central + 8] |= 1;
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert_eq!(
        error,
        PackageError::Encrypted {
            entry: "index.html".to_owned()
        }
    );
}

#[test]
fn an_entry_compressed_with_an_unsupported_method_is_refused_by_name() {
    let mut zip = zip_of(&[("index.html", PAGE)]);
    let (local, central) = headers(&zip);
    let deflate64 = 9u16.to_le_bytes();
    zip[local + 8..local + 10].copy_from_slice(&deflate64);
    zip[central + 10..central + 12].copy_from_slice(&deflate64);
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert_eq!(
        error,
        PackageError::UnsupportedCompression {
            entry: "index.html".to_owned(),
            method: "Deflate64".to_owned()
        }
    );
}

#[test]
fn a_zip_bomb_is_refused_by_its_ratio_before_anything_is_unpacked() {
    // 50 MiB of zeros deflate to about 50 kB, a ratio near 1000: well under the total allowed,
    // far over the ratio.
    let zeros = vec![0; 50 * MIB as usize];
    let zip = zip_of(&[("index.html", PAGE), ("video.mp4", &zeros)]);
    assert!(zip.len() < 100_000, "{}", zip.len());
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert!(
        matches!(&error, PackageError::RatioTooHigh { entry, unpacked, limit: 200, .. }
            if entry == "video.mp4" && *unpacked == 50 * MIB),
        "{error:?}"
    );
    assert_eq!(
        error.french(),
        "Le paquet est refusé\u{a0}: le fichier «\u{a0}video.mp4\u{a0}» grossit plus de 200 fois \
         à la décompression (bombe zip)."
    );
}

#[test]
fn small_files_that_compress_well_are_not_taken_for_bombs() {
    let blank = vec![b' '; 512 * 1024];
    let zip = zip_of(&[("index.html", PAGE), ("blank.txt", &blank)]);
    assert!(inspect_zip(&zip, &Limits::default()).is_ok());
}

#[test]
fn a_package_that_unpacks_past_the_total_is_refused() {
    let limits = Limits {
        max_unpacked_bytes: 2 * MIB,
        ..Limits::default()
    };
    let noise: Vec<u8> = (0..MIB).map(|i| (i * 7919 % 251) as u8).collect();
    let zip = zip_of(&[("index.html", PAGE), ("a.bin", &noise), ("b.bin", &noise)]);
    let error = inspect_zip(&zip, &limits).expect_err("refused");
    assert!(
        matches!(error, PackageError::DeclaredTooLarge { declared, limit } if declared > 2 * MIB && limit == 2 * MIB),
        "{error:?}"
    );
    assert_eq!(
        error.french(),
        "Le paquet est refusé\u{a0}: il se décompresse en plus de 2\u{a0}Mio (bombe zip)."
    );
}

/// Headers that understate the unpacked size are the classic way around a check of declared
/// sizes. The zip crate already stops an entry at its declared size, and the error says so.
#[test]
fn a_bomb_whose_headers_lie_about_its_size_is_refused_while_unpacking() {
    let zeros = vec![0; 20 * MIB as usize];
    let mut zip = zip_of(&[("index.html", &zeros)]);
    let (local, central) = headers(&zip);
    let declared = 1_000u32.to_le_bytes();
    zip[local + 22..local + 26].copy_from_slice(&declared);
    zip[central + 24..central + 28].copy_from_slice(&declared);
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert!(
        matches!(&error, PackageError::Damaged { entry, reason }
            if entry == "index.html" && reason.contains("declared")),
        "{error:?}"
    );
}

#[test]
fn too_many_entries_are_refused_before_anything_is_read() {
    let limits = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let zip = zip_of(&[
        ("index.html", PAGE),
        ("a.css", b""),
        ("b.css", b""),
        ("c.css", b""),
    ]);
    let error = inspect_zip(&zip, &limits).expect_err("refused");
    assert_eq!(error, PackageError::TooManyEntries { count: 4, limit: 3 });
    let many = PackageError::TooManyEntries {
        count: 12_000,
        limit: 10_000,
    };
    assert_eq!(
        many.french(),
        "Le paquet est refusé\u{a0}: il contient 12\u{202f}000 fichiers, plus que les \
         10\u{202f}000 autorisés."
    );
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    for bytes in [&b"%PDF-1.7\n"[..], b"", b"PK\x03\x04 truncated"] {
        let error = inspect_zip(bytes, &Limits::default()).expect_err("refused");
        assert!(matches!(error, PackageError::NotZip { .. }), "{error:?}");
        assert_eq!(
            error.french(),
            "Ce fichier n’est pas une archive zip lisible."
        );
    }
}

#[test]
fn headers_that_put_a_file_beyond_its_data_are_refused() {
    // Found by the fuzz target package_zip (fuzz/regressions/package_zip/): inspect counts the
    // bytes an entry gives but never holds them against the sizes its central header declares.
    // A deflated entry whose compressed size is overstated (its stream ends first, its CRC
    // matches) or a stored entry whose size is overstated is accepted, and `EntryMap` then has
    // the server stream bytes beyond the entry: the next entries', or past the end of the file.
    let mut past_the_end = zip_of(&[("index.html", PAGE)]);
    let (_, central) = headers(&past_the_end);
    past_the_end[central + 20..central + 24].copy_from_slice(&1_000_000u32.to_le_bytes());

    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("index.html", stored).expect("entry");
    writer.write_all(PAGE).expect("content");
    writer.start_file("autre.txt", stored).expect("entry");
    writer
        .write_all(b"not part of index.html")
        .expect("content");
    let mut overstated = writer.finish().expect("zip").into_inner();
    let (_, central) = headers(&overstated);
    let size = u32::try_from(PAGE.len() + 100).expect("small");
    overstated[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());

    for (case, zip) in [("past the end", past_the_end), ("stored", overstated)] {
        let map =
            EntryMap::read(Cursor::new(&zip), &Limits::default()).map(|map| map.get("index.html"));
        assert!(
            inspect_zip(&zip, &Limits::default()).is_err(),
            "{case}: accepted, and served as {map:?} from a zip of {} bytes",
            zip.len()
        );
    }
}
