//! The incremental scan for the CSRF token at the head of a `multipart/form-data` body
//! (`preau_server::http::csrf_scan`), which has to decide before an upload is streamed to disk.
//!
//! Input: one byte for the boundary's length (1 to 70), that many bytes for the boundary (mapped
//! onto the characters RFC 2046 allows), two bytes for the chunking (largest chunk, seed), then
//! the body. The body is fed three ways: whole, byte by byte, and in the derived chunks (empty
//! ones included). An incremental parser must not depend on chunking: the three outcomes (the
//! token found, the refusal, or the refusal `finish` gives) must be equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preau_server::http::csrf_scan::{CsrfScan, Scanned};

/// RFC 2046's `bchars` (space aside, which may not end a boundary).
const BCHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?";

/// Feeds `chunks` until the scan decides, then finishes it; checks that a decision sticks.
fn scan<'a>(boundary: &str, chunks: impl Iterator<Item = &'a [u8]>) -> Scanned {
    let mut scan = CsrfScan::new(boundary);
    let mut outcome = None;
    for chunk in chunks {
        let scanned = scan.feed(chunk);
        if scanned != Scanned::NeedMore {
            outcome = Some(scanned);
            break;
        }
    }
    let outcome = match outcome {
        Some(decided) => {
            assert_eq!(scan.feed(b"\r\n--more"), decided, "a decision changed");
            decided
        }
        None => scan.finish(),
    };
    assert_ne!(outcome, Scanned::NeedMore, "finish left the scan undecided");
    assert_eq!(scan.finish(), outcome, "finish changed the decision");
    outcome
}

/// Chunk lengths from 0 to `largest`, from a xorshift seeded by the input.
fn chunks(body: &[u8], largest: usize, seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed) | 0x9e37_7900;
    let mut rest = body;
    let mut out = Vec::new();
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let len = (state as usize % (largest + 1)).min(rest.len());
        let (chunk, tail) = rest.split_at(len);
        out.push(chunk);
        rest = tail;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&length, data)) = data.split_first() else {
        return;
    };
    let length = 1 + usize::from(length) % 70;
    if data.len() < length + 2 {
        return;
    }
    let (boundary, data) = data.split_at(length);
    let boundary: String = boundary
        .iter()
        .map(|&b| {
            if BCHARS.contains(&b) {
                b as char
            } else {
                BCHARS[usize::from(b) % BCHARS.len()] as char
            }
        })
        .collect();
    let (largest, seed, body) = (usize::from(data[0]) + 1, data[1], &data[2..]);

    let whole = scan(&boundary, std::iter::once(body));
    if let Scanned::Found(token) = &whole {
        assert!(token.len() <= preau_server::http::csrf_scan::MAX_TOKEN);
    }
    let bytewise = scan(&boundary, body.chunks(1));
    assert_eq!(whole, bytewise, "byte by byte differs from whole");
    let chunked = scan(&boundary, chunks(body, largest, seed).into_iter());
    assert_eq!(
        whole, chunked,
        "chunks up to {largest} (seed {seed}) differ from whole"
    );
});
