//! The text of a lesson: what the teacher's editor sends is never trusted. It is cleaned on the
//! server by ammonia down to a small set of formatting tags, and plain text (a form without an
//! editor) becomes paragraphs.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The longest lesson text kept, in bytes of cleaned HTML.
pub const MAX_CONTENT: usize = 20_000;

/// What may stay in a lesson's text: paragraphs, emphasis, lists, headings, quotes, code and
/// links (opened in a new tab, without the referrer or the opener).
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "p",
            "br",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "s",
            "sub",
            "sup",
            "ul",
            "ol",
            "li",
            "h3",
            "h4",
            "blockquote",
            "code",
            "pre",
            "a",
        ]
        .into_iter()
        .collect();
        let mut builder = ammonia::Builder::default();
        builder
            .tags(tags)
            .generic_attributes(HashSet::new())
            .tag_attributes(std::iter::once(("a", std::iter::once("href").collect())).collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"))
            .set_tag_attribute_value("a", "target", "_blank");
        builder
    })
}

/// The lesson text as it is stored and shown: cleaned HTML. Text without any tag is taken as
/// plain text: a blank line starts a paragraph, a line break stays one.
pub fn clean(input: &str) -> String {
    let input = input.trim();
    if input.is_empty() {
        return String::new();
    }
    let looks_like_html = input.contains('<') && input.contains('>');
    let html = if looks_like_html {
        input.to_owned()
    } else {
        plain_to_html(input)
    };
    cleaner().clean(&html).to_string()
}

fn plain_to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut html = String::with_capacity(text.len() + 16);
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for (index, line) in paragraph.lines().enumerate() {
            if index > 0 {
                html.push_str("<br>");
            }
            html.push_str(&ammonia::clean_text(line));
        }
        html.push_str("</p>");
    }
    html
}

/// The text of cleaned HTML without its tags, cut to `max_chars`, for a one-line summary (a
/// week's list, the calendar file).
pub fn summary(html: &str, max_chars: usize) -> String {
    let text = text(html);
    if text.chars().count() <= max_chars {
        return text;
    }
    let mut short: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// The whole text of cleaned HTML without its tags, words separated by single spaces (what the
/// mail index reads of a message).
pub fn text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                if !text.ends_with(' ') {
                    text.push(' ');
                }
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    )
}

/// The entities ammonia writes back: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;`.
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_styles_are_removed_and_links_are_made_safe() {
        let cleaned = clean(
            r#"<p onclick="steal()">Voir <a href="javascript:alert(1)">ceci</a> et <a href="https://fr.wikipedia.org/wiki/Fraction" style="color:red">cela</a></p><script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>"#,
        );
        assert!(!cleaned.contains("script"), "{cleaned}");
        assert!(
            !cleaned.contains("onclick") && !cleaned.contains("onerror"),
            "{cleaned}"
        );
        assert!(
            !cleaned.contains("javascript:") && !cleaned.contains("style="),
            "{cleaned}"
        );
        assert!(
            !cleaned.contains("<img") && !cleaned.contains("<iframe"),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r#"href="https://fr.wikipedia.org/wiki/Fraction""#),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r#"rel="noopener noreferrer nofollow""#),
            "{cleaned}"
        );
    }

    #[test]
    fn plain_text_becomes_paragraphs_and_is_escaped() {
        assert_eq!(
            clean("Exercice 3 p. 42\nsauf le c)\n\nRelire la leçon : a < b"),
            "<p>Exercice 3 p. 42<br>sauf le c)</p><p>Relire la leçon : a &lt; b</p>"
        );
        assert_eq!(clean("   "), "");
    }

    #[test]
    fn a_summary_drops_tags_and_shortens() {
        let html =
            clean("<p>Les <strong>fractions</strong> &amp; les décimaux</p><ul><li>un</li></ul>");
        assert_eq!(summary(&html, 100), "Les fractions & les décimaux un");
        assert_eq!(summary(&html, 8), "Les fra…");
    }
}
