//! The routes of the server's router, read from its source: every
//! `.route("path", get(..).post(..))` under `server/src/http`, so that the authorization matrix
//! test can fail when a route has no row. axum's `Router` does not list its routes, and the
//! source is what a new route is added to.

use std::path::{Path, PathBuf};

/// `(METHOD, path)` of every route registered under `server/src/http`, test-only routes and
/// [`EXEMPT`] files aside.
pub fn routes() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src/http");
    rust_files(&root)
        .iter()
        .flat_map(|file| {
            let name = file.strip_prefix(&root).expect("under http/");
            let source = std::fs::read_to_string(file).expect("source");
            routes_in(&name.to_string_lossy(), &source)
        })
        .collect()
}

/// Source files whose routes are not in the table, with the reason.
const EXEMPT: &[(&str, &str)] = &[(
    "assets.rs",
    "static assets: one GET per embedded file, registered in a loop, public by design",
)];

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("server/src/http") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The `(METHOD, path)` pairs of every `.route("path", get(..).post(..))` of a source file,
/// `#[cfg(test)]` items aside.
fn routes_in(file: &str, source: &str) -> Vec<(String, String)> {
    let mut code = masked(source);
    drop_test_items(&mut code);
    let exempt = EXEMPT.iter().any(|(name, _)| *name == file);
    let mut routes = Vec::new();
    let mut from = 0;
    while let Some(found) = find(&code, b".route(", from) {
        let mut at = skip_space(&code, found + b".route(".len());
        from = at;
        if code[at] != b'"' {
            assert!(exempt, "{file}: a route whose path is not a literal");
            continue;
        }
        let end = at + 1 + find(&code[at + 1..], b"\"", 0).expect("the path's end");
        let path = &source[at + 1..end];
        at = skip_space(&code, end + 1);
        assert_eq!(
            code[at], b',',
            "{file}: {path}: a method router after the path"
        );
        let methods = methods_of(&code, at + 1);
        assert!(
            !methods.is_empty(),
            "{file}: {path}: no get/post/put/delete/patch found"
        );
        routes.extend(methods.into_iter().map(|m| (m, path.to_owned())));
        from = end;
    }
    routes
}

/// The methods named at the top level of the method router expression starting at `from`
/// (`get(a).post(b).layer(c)`, `axum::routing::put(a).delete(b)`), up to the `)` that closes
/// `.route(`.
fn methods_of(code: &[u8], from: usize) -> Vec<String> {
    let mut methods = Vec::new();
    let mut depth = 0usize;
    let mut at = from;
    while at < code.len() {
        let byte = code[at];
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            _ if depth == 0 && (byte.is_ascii_alphabetic() || byte == b'_') => {
                let start = at;
                while at < code.len() && (code[at].is_ascii_alphanumeric() || code[at] == b'_') {
                    at += 1;
                }
                let word = String::from_utf8_lossy(&code[start..at]).into_owned();
                let called = code.get(skip_space(code, at)) == Some(&b'(');
                assert!(
                    !(called
                        && ["any", "on", "get_service", "any_service"].contains(&word.as_str())),
                    "`{word}(` in a route: add its methods to this scanner"
                );
                if called && METHODS.contains(&word.as_str()) {
                    methods.push(word.to_uppercase());
                }
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    methods
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|position| from + position)
}

fn skip_space(code: &[u8], mut at: usize) -> usize {
    while at < code.len() && code[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The source with the inside of comments, strings and character literals blanked (same byte
/// offsets), so that brackets and words are those of the code.
fn masked(source: &str) -> Vec<u8> {
    let bytes = source.as_bytes();
    let mut code = bytes.to_vec();
    let blank = |code: &mut [u8], from: usize, to: usize| {
        code[from..to.min(bytes.len())].fill(b' ');
    };
    let mut at = 0;
    while at < bytes.len() {
        let next = bytes.get(at + 1).copied();
        let after_word = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        match bytes[at] {
            b'/' if next == Some(b'/') => {
                let end = find(bytes, b"\n", at).unwrap_or(bytes.len());
                blank(&mut code, at, end);
                at = end;
            }
            b'/' if next == Some(b'*') => {
                let end = find(bytes, b"*/", at + 2).map_or(bytes.len(), |end| end + 2);
                blank(&mut code, at, end);
                at = end;
            }
            b'r' if !after_word && matches!(next, Some(b'"' | b'#')) => {
                let hashes = bytes[at + 1..].iter().take_while(|b| **b == b'#').count();
                let open = at + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    at += 1;
                    continue;
                }
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let end = find(bytes, &close, open + 1).unwrap_or(bytes.len());
                blank(&mut code, open + 1, end);
                at = end + close.len();
            }
            b'"' => {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                blank(&mut code, at + 1, end);
                at = end + 1;
            }
            b'\'' => {
                // A character literal ('x', '\n', 'é'), or a lifetime ('a) left as it is.
                let rest = &source[at + 1..];
                let end = if rest.starts_with('\\') {
                    rest.get(2..)
                        .and_then(|escaped| escaped.find('\''))
                        .map(|end| at + 3 + end)
                } else {
                    rest.chars()
                        .next()
                        .map(char::len_utf8)
                        .filter(|len| rest[*len..].starts_with('\''))
                        .map(|len| at + 1 + len)
                };
                match end {
                    Some(end) => {
                        blank(&mut code, at + 1, end);
                        at = end + 1;
                    }
                    None => at += 1,
                }
            }
            _ => at += 1,
        }
    }
    code
}

/// Blanks every item marked `#[cfg(test)]` (a test module, a test-only function): its routes
/// never reach the router.
fn drop_test_items(code: &mut [u8]) {
    while let Some(start) = find(code, b"#[cfg(test)]", 0) {
        let body = start
            + code[start..]
                .iter()
                .position(|b| *b == b'{' || *b == b';')
                .expect("the item after #[cfg(test)]");
        let mut end = body + 1;
        if code[body] == b'{' {
            let mut depth = 1;
            while depth > 0 && end < code.len() {
                match code[end] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
                end += 1;
            }
        }
        code[start..end].fill(b' ');
    }
}
