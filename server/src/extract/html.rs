//! HTML and XHTML, through html5gum's WHATWG tokenizer.
//!
//! A tokenizer rather than quick-xml in lenient mode: uploaded pages are tag soup (unquoted
//! attributes, `<p>` never closed, `if (a<b)` in scripts) that an XML reader either rejects or
//! misreads, and HTML has some 2,000 named character references where XML has five. html5gum
//! has no dependency and knows all of them; a full parser (html5ever, behind html2text) would
//! build a DOM and a dozen crates for text we only need in document order.

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::encoding::decode;
use super::text::Text;

/// Elements whose content is no text a reader sees. The tokenizer reads `script`, `style` and
/// `noscript` as raw text, so a `<` inside them opens no tag.
const HIDDEN: &[&[u8]] = &[b"script", b"style", b"noscript", b"template"];

/// Elements that start or end a line in a browser.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"br",
    b"caption",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"figcaption",
    b"figure",
    b"footer",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hr",
    b"li",
    b"main",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"table",
    b"title",
    b"tr",
    b"ul",
];

/// Table cells sit side by side: a space keeps their words apart.
const CELLS: &[&[u8]] = &[b"td", b"th"];

/// Never fails: the tokenizer recovers from every error, as browsers do.
pub(super) fn extract(bytes: &[u8], text: &mut Text) {
    let html = decode(bytes);
    let mut emitter = DefaultEmitter::default();
    // Switches to raw text after `<script>`, `<style>`, `<title>`…, as a browser's tree builder
    // would; without it a script's `<` would be read as markup.
    emitter.naively_switch_states(true);
    let mut hidden: Option<Vec<u8>> = None;
    for Ok(token) in Tokenizer::new_with_emitter(html.as_ref(), emitter) {
        if text.is_full() {
            return;
        }
        match token {
            Token::StartTag(tag) if hidden.is_none() => {
                // `<script/>` opens a script all the same, for the tokenizer as for browsers.
                if HIDDEN.contains(&tag.name.as_slice()) {
                    hidden = Some(tag.name.0);
                } else {
                    separate(&tag.name, text);
                }
            }
            Token::EndTag(tag) => match &hidden {
                Some(name) if *name == tag.name.0 => hidden = None,
                Some(_) => {}
                None => separate(&tag.name, text),
            },
            Token::String(string) if hidden.is_none() => {
                text.push(&String::from_utf8_lossy(&string.value));
            }
            _ => {}
        }
    }
}

fn separate(name: &[u8], text: &mut Text) {
    if BLOCKS.contains(&name) {
        text.line_break();
    } else if CELLS.contains(&name) {
        text.space();
    }
}
