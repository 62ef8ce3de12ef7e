//! The CSRF token of a `multipart/form-data` body, read incrementally from its head.
//!
//! A form that works without JavaScript cannot send its token in a header, so our upload forms
//! carry it as their first field. The token has to be checked before an upload of hundreds of
//! megabytes is streamed to disk, from the first bytes of the body. The scan:
//! - looks at each received byte once (no re-parsing of what came before),
//! - keeps at most [`MAX_HEAD`] bytes, and refuses a token longer than [`MAX_TOKEN`] as soon as
//!   it is known to be longer,
//! - gives the same answer however the body is cut into chunks (the fuzz target checks it).

/// Bytes of the body examined for the token: the token's part comes first in our forms, small
/// text fields before it are tolerated, a file before it is not.
pub const MAX_HEAD: usize = 64 << 10;
/// Our tokens are 43 characters; anything this long is not one of ours.
pub const MAX_TOKEN: usize = 256;

const FIELD: &str = "csrf";

/// What the scan knows so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scanned {
    /// Not decided yet: feed the next chunk (or [`CsrfScan::finish`] at the end of the body).
    NeedMore,
    /// The value of the first `csrf` text field.
    Found(String),
    Refused(ScanRefusal),
}

/// Why no token came out of the head of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanRefusal {
    /// The body ended, or its parts ended, without a `csrf` field.
    Missing,
    /// The `csrf` field is longer than [`MAX_TOKEN`].
    TooLong,
    /// No `csrf` field within the first [`MAX_HEAD`] bytes.
    HeadTooLarge,
    /// Not a multipart body with this boundary.
    Malformed,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// Before the first delimiter.
    Preamble,
    /// Right after `--boundary`: `--` closes the body, otherwise padding and CRLF.
    AfterDelimiter,
    /// A part's header lines, up to the empty line.
    Headers,
    /// A part's content, up to the next delimiter; `csrf` when it is the token's.
    Content { csrf: bool },
}

/// An incremental scan of one body.
pub struct CsrfScan {
    /// `\r\n--boundary`: what ends a part's content.
    delimiter: Vec<u8>,
    /// The head received so far, at most `MAX_HEAD + 1` bytes.
    head: Vec<u8>,
    /// Where parsing stands in `head`.
    pos: usize,
    /// Where the pending search for a delimiter resumes, so that no byte is searched twice.
    search_from: usize,
    state: State,
    outcome: Option<Scanned>,
}

impl CsrfScan {
    pub fn new(boundary: &str) -> Self {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        Self {
            delimiter,
            head: Vec::new(),
            pos: 0,
            search_from: 0,
            state: State::Preamble,
            outcome: None,
        }
    }

    /// Feeds the next chunk of the body.
    pub fn feed(&mut self, chunk: &[u8]) -> Scanned {
        if let Some(outcome) = &self.outcome {
            return outcome.clone();
        }
        // Past the head nothing can change the answer: keep one byte more than the head, to know
        // that the body went past it.
        let room = (MAX_HEAD + 1).saturating_sub(self.head.len());
        self.head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let scanned = self.advance();
        if scanned == Scanned::NeedMore && self.head.len() > MAX_HEAD {
            return self.decide(Scanned::Refused(ScanRefusal::HeadTooLarge));
        }
        scanned
    }

    /// The body ended.
    pub fn finish(&mut self) -> Scanned {
        match &self.outcome {
            Some(outcome) => outcome.clone(),
            None => self.decide(Scanned::Refused(ScanRefusal::Missing)),
        }
    }

    fn decide(&mut self, outcome: Scanned) -> Scanned {
        self.outcome = Some(outcome.clone());
        outcome
    }

    /// Parses as far as the bytes received allow.
    fn advance(&mut self) -> Scanned {
        loop {
            let step = match self.state {
                State::Preamble => self.preamble(),
                State::AfterDelimiter => self.after_delimiter(),
                State::Headers => self.headers(),
                State::Content { csrf } => self.content(csrf),
            };
            match step {
                Step::Continue => {}
                Step::Wait => return Scanned::NeedMore,
                Step::Done(outcome) => return self.decide(outcome),
            }
        }
    }

    fn preamble(&mut self) -> Step {
        // The first delimiter may open the body without the CRLF that precedes later ones.
        let opening = &self.delimiter[2..];
        let rest = &self.head[self.pos..];
        if rest.len() < opening.len() && opening.starts_with(rest) {
            return Step::Wait;
        }
        if rest.starts_with(opening) {
            self.pos += opening.len();
            self.state = State::AfterDelimiter;
            return Step::Continue;
        }
        match self.find_delimiter() {
            Some(at) => {
                self.pos = at + self.delimiter.len();
                self.state = State::AfterDelimiter;
                Step::Continue
            }
            None => Step::Wait,
        }
    }

    fn after_delimiter(&mut self) -> Step {
        let rest = &self.head[self.pos..];
        let padding = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let line = &rest[padding..];
        if padding == 0 && line.starts_with(b"--") {
            return Step::Done(Scanned::Refused(ScanRefusal::Missing));
        }
        if line.len() < 2 {
            let could_be = line.is_empty() || line == b"\r" || (padding == 0 && line == b"-");
            return if could_be {
                Step::Wait
            } else {
                Step::Done(Scanned::Refused(ScanRefusal::Malformed))
            };
        }
        if !line.starts_with(b"\r\n") {
            return Step::Done(Scanned::Refused(ScanRefusal::Malformed));
        }
        self.pos += padding + 2;
        self.state = State::Headers;
        Step::Continue
    }

    fn headers(&mut self) -> Step {
        let rest = &self.head[self.pos..];
        if rest.len() < 2 {
            return Step::Wait;
        }
        let (block, content_start) = if rest.starts_with(b"\r\n") {
            (&rest[..0], self.pos + 2)
        } else {
            let from = self.search_from.max(self.pos);
            match find(&self.head[from..], b"\r\n\r\n") {
                Some(at) => {
                    let end = from + at;
                    (&self.head[self.pos..end], end + 4)
                }
                None => {
                    self.search_from = self.head.len().saturating_sub(3).max(self.pos);
                    return Step::Wait;
                }
            }
        };
        let csrf = is_token_field(block);
        self.pos = content_start;
        self.search_from = content_start;
        self.state = State::Content { csrf };
        Step::Continue
    }

    fn content(&mut self, csrf: bool) -> Step {
        let Some(at) = self.find_delimiter() else {
            // The delimiter may already have begun in the last bytes received.
            let seen = self.head.len() - self.pos;
            if csrf && seen.saturating_sub(self.delimiter.len() - 1) > MAX_TOKEN {
                return Step::Done(Scanned::Refused(ScanRefusal::TooLong));
            }
            return Step::Wait;
        };
        if csrf {
            let value = &self.head[self.pos..at];
            if value.len() > MAX_TOKEN {
                return Step::Done(Scanned::Refused(ScanRefusal::TooLong));
            }
            return Step::Done(match std::str::from_utf8(value) {
                Ok(token) => Scanned::Found(token.to_owned()),
                Err(_) => Scanned::Refused(ScanRefusal::Malformed),
            });
        }
        self.pos = at + self.delimiter.len();
        self.search_from = self.pos;
        self.state = State::AfterDelimiter;
        Step::Continue
    }

    /// The next `\r\n--boundary` at or after the parse position, resuming where the last search
    /// of it stopped.
    fn find_delimiter(&mut self) -> Option<usize> {
        let from = self.search_from.max(self.pos);
        match find(&self.head[from..], &self.delimiter) {
            Some(at) => Some(from + at),
            None => {
                self.search_from = self
                    .head
                    .len()
                    .saturating_sub(self.delimiter.len() - 1)
                    .max(self.pos);
                None
            }
        }
    }
}

enum Step {
    Continue,
    Wait,
    Done(Scanned),
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// True when a part's header block names a text field `csrf` (a file part never carries a
/// token, whatever its name).
fn is_token_field(block: &[u8]) -> bool {
    let block = String::from_utf8_lossy(block);
    block.split("\r\n").any(|line| {
        let Some((name, value)) = line.split_once(':') else {
            return false;
        };
        if !name.trim().eq_ignore_ascii_case("content-disposition") {
            return false;
        }
        let mut params = value.split(';').map(str::trim);
        if !params
            .next()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("form-data"))
        {
            return false;
        }
        let mut named = false;
        for param in params {
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "name" => named = value == FIELD,
                "filename" | "filename*" => return false,
                _ => {}
            }
        }
        named
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "----preau7";

    fn body(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (headers, content) in parts {
            out.extend_from_slice(
                format!("--{BOUNDARY}\r\n{headers}\r\n\r\n{content}\r\n").as_bytes(),
            );
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    fn field(name: &str) -> String {
        format!("Content-Disposition: form-data; name=\"{name}\"")
    }

    fn scan_in_chunks(body: &[u8], size: usize) -> Scanned {
        let mut scan = CsrfScan::new(BOUNDARY);
        for chunk in body.chunks(size) {
            let scanned = scan.feed(chunk);
            if scanned != Scanned::NeedMore {
                return scanned;
            }
        }
        scan.finish()
    }

    fn every_chunking(body: &[u8]) -> Scanned {
        let whole = scan_in_chunks(body, body.len().max(1));
        for size in [1, 2, 3, 7, 64, 4096] {
            assert_eq!(scan_in_chunks(body, size), whole, "chunks of {size}");
        }
        whole
    }

    #[test]
    fn the_token_of_the_first_field_is_found_however_the_body_arrives() {
        let token = "k3yZ_0123456789abcdefghijklmnopqrstuvwxyzAB";
        let body = body(&[(&field("csrf"), token), (&field("titre"), "Les volcans")]);
        assert_eq!(every_chunking(&body), Scanned::Found(token.to_owned()));
    }

    #[test]
    fn small_fields_before_the_token_are_skipped_but_a_file_named_csrf_is_no_token() {
        let file = "Content-Disposition: form-data; name=\"csrf\"; filename=\"csrf.txt\"";
        let body = body(&[
            (&field("titre"), "Les volcans"),
            (file, "not-a-token"),
            (&field("csrf"), "jeton"),
        ]);
        assert_eq!(every_chunking(&body), Scanned::Found("jeton".to_owned()));
    }

    #[test]
    fn a_body_without_token_is_refused_at_its_closing_delimiter() {
        let body = body(&[(&field("titre"), "Les volcans")]);
        assert_eq!(
            every_chunking(&body),
            Scanned::Refused(ScanRefusal::Missing)
        );
    }

    #[test]
    fn an_oversized_token_is_refused_as_soon_as_it_is_too_long() {
        let huge = "a".repeat(1 << 20);
        let body = body(&[(&field("csrf"), &huge)]);
        assert_eq!(
            every_chunking(&body),
            Scanned::Refused(ScanRefusal::TooLong)
        );
        let mut scan = CsrfScan::new(BOUNDARY);
        let start = format!("--{BOUNDARY}\r\n{}\r\n\r\n", field("csrf"));
        assert_eq!(scan.feed(start.as_bytes()), Scanned::NeedMore);
        let mut fed = 0;
        while scan.feed(b"aaaa") == Scanned::NeedMore {
            fed += 4;
        }
        assert!(
            fed <= MAX_TOKEN + 4 + BOUNDARY.len() + 4,
            "refused after {fed} bytes"
        );
    }

    #[test]
    fn a_file_before_the_token_exhausts_the_head() {
        let file = "Content-Disposition: form-data; name=\"fichier\"; filename=\"a.bin\"";
        let big = "x".repeat(MAX_HEAD);
        let body = body(&[(file, &big), (&field("csrf"), "jeton")]);
        assert_eq!(
            every_chunking(&body),
            Scanned::Refused(ScanRefusal::HeadTooLarge)
        );
    }

    #[test]
    fn the_head_kept_stays_bounded_whatever_is_fed() {
        let mut scan = CsrfScan::new(BOUNDARY);
        let chunk = vec![b'z'; 1 << 16];
        for _ in 0..16 {
            scan.feed(&chunk);
        }
        assert!(scan.head.len() <= MAX_HEAD + 1);
        assert_eq!(scan.finish(), Scanned::Refused(ScanRefusal::HeadTooLarge));
    }

    #[test]
    fn a_preamble_and_a_truncated_body_are_handled() {
        let mut with_preamble = b"ignored preamble\r\n".to_vec();
        with_preamble.extend(body(&[(&field("csrf"), "jeton")]));
        assert_eq!(
            every_chunking(&with_preamble),
            Scanned::Found("jeton".to_owned())
        );
        let truncated = format!("--{BOUNDARY}\r\n{}\r\n\r\njet", field("csrf"));
        assert_eq!(
            every_chunking(truncated.as_bytes()),
            Scanned::Refused(ScanRefusal::Missing)
        );
        assert_eq!(
            every_chunking(format!("--{BOUNDARY}garbage").as_bytes()),
            Scanned::Refused(ScanRefusal::Malformed)
        );
    }
}
