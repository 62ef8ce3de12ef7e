//! The visible text of a package's pages, for the search index, and the launch page's title.
//!
//! Pages are author-written HTML, often malformed, so this is a forgiving tag stripper rather
//! than a parser: it never fails, drops scripts and styles, and keeps words apart where the
//! markup separates them (`<p>un</p><p>deux</p>` gives `un deux`, `fran<b>ç</b>ais` stays one).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A page's title and visible text.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) title: Option<String>,
    pub(super) text: String,
}

/// Whether `path` names a web page whose text is indexed.
pub(super) fn is_page(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".html", ".htm", ".xhtml"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// Reads a page, keeping at most `max_chars` of its text.
pub(super) fn read_page(bytes: &[u8], max_chars: usize) -> Page {
    let html = decode(bytes);
    let mut text = Text::new(max_chars);
    let mut title = None;
    let mut rest: &str = &html;
    while let Some(start) = rest.find('<') {
        if text.is_full() {
            break;
        }
        text.push_escaped(&rest[..start]);
        rest = &rest[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some((name, closing, after)) = tag(rest) else {
            text.push_escaped("<");
            rest = &rest[1..];
            continue;
        };
        rest = after;
        match name.as_str() {
            "script" | "style" | "template" if !closing => rest = after_closing(rest, &name).1,
            "title" if !closing => {
                let (inside, after) = after_closing(rest, "title");
                let mut title_text = Text::new(max_chars);
                title_text.push_escaped(inside);
                if title.is_none() && !title_text.out.is_empty() {
                    title = Some(title_text.out);
                }
                // The title is shown too, in the tab; it words the page best.
                text.push_escaped(inside);
                text.space();
                rest = after;
            }
            // `<!DOCTYPE>`, `<?xml?>`: not elements.
            "" => {}
            name if INLINE.contains(&name) => {}
            _ => text.space(),
        }
    }
    text.push_escaped(rest);
    Page {
        title,
        text: text.out,
    }
}

/// Elements inside a line of text: they do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
    "wbr",
];

/// Decodes as the BOM, else the `charset` of a `<meta>` near the top, says; else UTF-8 when
/// valid, else windows-1252, the usual encoding of pages written on Windows.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding.decode_with_bom_removal(bytes).0;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let declared = find_ignoring_case(head, "charset=").and_then(|at| {
        let value = &head[at + "charset=".len()..];
        let value = value
            .strip_prefix(b"\"")
            .or(value.strip_prefix(b"'"))
            .unwrap_or(value);
        let end = value
            .iter()
            .position(|&b| {
                matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
            })
            .unwrap_or(value.len());
        Encoding::for_label(&value[..end])
    });
    let encoding = declared.unwrap_or(if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        WINDOWS_1252
    });
    encoding.decode_without_bom_handling(bytes).0
}

/// The tag at the start of `markup` (which starts with `<`): its lower-cased name (empty for
/// `<!DOCTYPE>` and `<?…?>`), whether it closes, and what follows it. `None` when the `<` opens
/// no tag and is text.
fn tag(markup: &str) -> Option<(String, bool, &str)> {
    let after_lt = markup.get(1..)?;
    let (closing, body) = match after_lt.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, after_lt),
    };
    let first = body.chars().next()?;
    if !(first.is_ascii_alphabetic() || (!closing && matches!(first, '!' | '?'))) {
        return None;
    }
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(body.len());
    let name = body[..name_end].to_ascii_lowercase();
    // A `>` inside a quoted attribute value does not end the tag.
    let mut quote = None;
    for (offset, c) in body[name_end..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (None, '>') => return Some((name, closing, &body[name_end + offset + 1..])),
            _ => {}
        }
    }
    Some((name, closing, ""))
}

/// What comes before `</name>` in `rest`, and what comes after it.
fn after_closing<'a>(rest: &'a str, name: &str) -> (&'a str, &'a str) {
    let Some(end) = find_ignoring_case(rest.as_bytes(), &format!("</{name}")) else {
        return (rest, "");
    };
    let after = &rest[end..];
    let after = after.find('>').map_or("", |gt| &after[gt + 1..]);
    (&rest[..end], after)
}

fn find_ignoring_case(haystack: &[u8], needle: &str) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Text being gathered: whitespace collapsed, character references decoded, up to a length.
struct Text {
    out: String,
    chars: usize,
    max_chars: usize,
    pending_space: bool,
}

impl Text {
    fn new(max_chars: usize) -> Self {
        Self {
            out: String::new(),
            chars: 0,
            max_chars,
            pending_space: false,
        }
    }

    fn is_full(&self) -> bool {
        self.chars >= self.max_chars
    }

    fn space(&mut self) {
        self.pending_space = !self.out.is_empty();
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            return self.space();
        }
        if self.pending_space && !self.is_full() {
            self.out.push(' ');
            self.chars += 1;
            self.pending_space = false;
        }
        if !self.is_full() {
            self.out.push(c);
            self.chars += 1;
        }
    }

    /// Pushes HTML text, decoding `&amp;`, `&#233;`, `&eacute;` and the like.
    fn push_escaped(&mut self, html: &str) {
        let mut rest = html;
        while let Some(amp) = rest.find('&') {
            rest[..amp].chars().for_each(|c| self.push(c));
            rest = &rest[amp..];
            match character_reference(rest) {
                Some((c, length)) => {
                    self.push(c);
                    rest = &rest[length..];
                }
                None => {
                    self.push('&');
                    rest = &rest[1..];
                }
            }
        }
        rest.chars().for_each(|c| self.push(c));
    }
}

/// The character a reference at the start of `text` stands for, and the reference's length.
fn character_reference(text: &str) -> Option<(char, usize)> {
    let end = text.get(..32.min(text.len())).unwrap_or(text).find(';')?;
    let name = &text[1..end];
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        named_character(name)?
    };
    Some((c, end + 1))
}

/// The named references French pages use; the others are left as written.
fn named_character(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "euro" => '€',
        "deg" => '°',
        "middot" => '·',
        "times" => '×',
        "copy" => '©',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "agrave" => 'à',
        "Agrave" => 'À',
        "acirc" => 'â',
        "Acirc" => 'Â',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "Egrave" => 'È',
        "ecirc" => 'ê',
        "Ecirc" => 'Ê',
        "euml" => 'ë',
        "icirc" => 'î',
        "Icirc" => 'Î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "Ocirc" => 'Ô',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        _ => return None,
    })
}

/// The text of a package's pages: the launch page's first, then the others in zip order, one
/// page a line, up to a length.
pub(super) struct PackageText {
    launch: Page,
    others: String,
    others_chars: usize,
    max_chars: usize,
}

impl PackageText {
    pub(super) fn new(max_chars: usize) -> Self {
        Self {
            launch: Page::default(),
            others: String::new(),
            others_chars: 0,
            max_chars,
        }
    }

    pub(super) fn add_launch_page(&mut self, bytes: &[u8]) {
        self.launch = read_page(bytes, self.max_chars);
    }

    pub(super) fn add_page(&mut self, bytes: &[u8]) {
        let room = self.max_chars.saturating_sub(self.others_chars);
        if room == 0 {
            return;
        }
        let page = read_page(bytes, room);
        if page.text.is_empty() {
            return;
        }
        if !self.others.is_empty() {
            self.others.push('\n');
        }
        self.others_chars += 1 + page.text.chars().count();
        self.others.push_str(&page.text);
    }

    /// The launch page's title, and the whole text.
    pub(super) fn finish(self) -> (Option<String>, String) {
        let mut text = self.launch.text;
        if !text.is_empty() && !self.others.is_empty() {
            text.push('\n');
        }
        text.push_str(&self.others);
        if let Some((cut, _)) = text.char_indices().nth(self.max_chars) {
            text.truncate(cut);
        }
        (self.launch.title, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_what_a_reader_sees_and_drops_code() {
        let html = "<!DOCTYPE html><html><head><title>Les  fractions</title>\
            <style>p { color: red; }</style><script>var a = '<p>non</p>';</script></head>\
            <body><!-- brouillon --><h1>Fractions</h1><p>Un quart&nbsp;: &frac14; ou 1&#x2F;4, \
            fran<b>ç</b>ais &amp; l&rsquo;élève</p><p>a < b</p><SCRIPT>alert(1)</SCRIPT>fin</body></html>";
        let page = read_page(html.as_bytes(), 1_000);
        assert_eq!(page.title.as_deref(), Some("Les fractions"));
        assert_eq!(
            page.text,
            "Les fractions Fractions Un quart : &frac14; ou 1/4, français & l’élève a < b fin"
        );
    }

    #[test]
    fn text_follows_the_declared_charset_and_stops_at_the_limit() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>\xe9l\xe8ve</p>";
        assert_eq!(read_page(latin1, 100).text, "élève");
        assert_eq!(read_page("<p>abcdef</p>".as_bytes(), 3).text, "abc");
    }
}
