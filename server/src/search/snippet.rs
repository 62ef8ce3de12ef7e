//! Highlighted, HTML-escaped titles and descriptions for the hits of a query.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::{within_distance, words_analyzer};
use super::words::QueryWord;

/// Characters of description shown under a hit.
const DESCRIPTION_CHARS: usize = 200;
/// Long enough for any real title: a title is shown whole.
const TITLE_CHARS: usize = 1_000;

/// Builds the snippets of one hit.
pub(crate) struct Highlighter<'a> {
    analyzer: TextAnalyzer,
    folder: TextAnalyzer,
    words: &'a [QueryWord],
}

impl<'a> Highlighter<'a> {
    pub fn new(analyzer: TextAnalyzer, words: &'a [QueryWord]) -> Self {
        Highlighter {
            analyzer,
            folder: words_analyzer(),
            words,
        }
    }

    pub fn title(&mut self, field: Field, title: &str) -> String {
        self.highlight(field, title, TITLE_CHARS)
    }

    pub fn description(&mut self, field: Field, description: &str) -> String {
        self.highlight(field, description, DESCRIPTION_CHARS)
    }

    /// tantivy's generator highlights the terms it is given; it is given the words of this very
    /// text that the query matched, exactly, as a synonym, as the start of a word or within a
    /// typo, so that `fractoin` and `fract` highlight `fractions` too. A text that fits is shown whole (the generator's fragment would stop at
    /// the last word, dropping final punctuation); a longer one is cut to its best passage.
    fn highlight(&mut self, field: Field, text: &str, max_chars: usize) -> String {
        let matched = self.matched_terms(text);
        if !matched.is_empty() {
            let generator = SnippetGenerator::new(matched, self.analyzer.clone(), field, max_chars);
            let snippet = generator.snippet(text);
            if !snippet.is_empty() {
                if text.chars().count() > max_chars {
                    return snippet.to_html();
                }
                let start = snippet.fragment_range().start;
                let whole: Vec<Range<usize>> = snippet
                    .highlighted()
                    .iter()
                    .map(|range| range.start + start..range.end + start)
                    .collect();
                return render(text, &whole);
            }
        }
        render(truncate(text, max_chars), &[])
    }

    fn matched_terms(&mut self, text: &str) -> BTreeMap<String, f32> {
        let mut matched = BTreeMap::new();
        if self.words.is_empty() {
            return matched;
        }
        // The folded words are needed only for a prefix or a typo: most words of most queries
        // are found as typed, and then the text is not folded word by word for each hit.
        let by_letters = self
            .words
            .iter()
            .any(|word| word.prefix || word.with_typos());
        let folded = if by_letters {
            self.folded_words(text)
        } else {
            Vec::new()
        };
        let mut stream = self.analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            let stem = token.text.as_str();
            let written = folded
                .binary_search_by_key(&token.offset_from, |(offset, _)| *offset)
                .ok()
                .and_then(|at| folded.get(at))
                .map(|(_, word)| word.as_str());
            let hit = self.words.iter().any(|word| {
                word.stem == stem
                    || word
                        .alternatives
                        .iter()
                        .flatten()
                        .any(|other| other == stem)
                    || written.is_some_and(|written| {
                        (word.prefix && written.starts_with(&word.folded))
                            || (word.with_typos()
                                && (within_distance(&word.folded, written, word.max_distance)
                                    || within_distance(&word.stem, stem, word.max_distance)))
                    })
            });
            if hit {
                matched.insert(stem.to_owned(), 1.0);
            }
        }
        matched
    }

    /// Each word of `text` lower-cased and without accents, by its byte offset (the two
    /// analyzers cut words at the same places: the stemmed one only drops some).
    fn folded_words(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut stream = self.folder.token_stream(text);
        while let Some(token) = stream.next() {
            out.push((token.offset_from, token.text.clone()));
        }
        out
    }
}

/// The first `max_chars` characters, cut after a whole word when there is one.
fn truncate(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        None => text,
        Some((end, _)) => {
            let cut = &text[..end];
            cut.rfind(char::is_whitespace)
                .map_or(cut, |space| &cut[..space])
        }
    }
}

/// The text, HTML-escaped, with the byte ranges `highlighted` (in order, not overlapping) in
/// `<b>…</b>`.
fn render(text: &str, highlighted: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 7 * highlighted.len());
    let mut from = 0;
    for range in highlighted {
        let (Some(before), Some(word)) = (text.get(from..range.start), text.get(range.clone()))
        else {
            continue;
        };
        escape_into(&mut out, before);
        out.push_str("<b>");
        escape_into(&mut out, word);
        out.push_str("</b>");
        from = range.end;
    }
    escape_into(&mut out, text.get(from..).unwrap_or_default());
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::french_analyzer;
    use crate::search::schema;
    use crate::search::words::query_words;

    fn highlight_title(query: &str, title: &str) -> String {
        let (_, fields) = schema::build();
        let mut analyzer = french_analyzer();
        let words = query_words(&mut analyzer, query, &|_| false);
        Highlighter::new(analyzer, &words).title(fields.title, title)
    }

    #[test]
    fn matched_words_are_bold_and_markup_is_escaped() {
        assert_eq!(
            highlight_title("eleve", "Les élèves <script>"),
            "Les <b>élèves</b> &lt;script&gt;"
        );
    }

    #[test]
    fn typo_matches_are_highlighted() {
        assert_eq!(
            highlight_title("fractoin", "Les fractions égyptiennes"),
            "Les <b>fractions</b> égyptiennes"
        );
    }

    #[test]
    fn the_word_being_typed_highlights_the_words_it_starts() {
        assert_eq!(
            highlight_title("pythag", "Le théorème de Pythagore"),
            "Le théorème de <b>Pythagore</b>"
        );
    }

    #[test]
    fn a_word_found_as_typed_highlights_no_near_miss() {
        let (_, fields) = schema::build();
        let mut analyzer = french_analyzer();
        let mut words = query_words(&mut analyzer, "fraction", &|_| false);
        words[0].found = true;
        assert_eq!(
            Highlighter::new(analyzer, &words).title(fields.title, "La fractoin et les fractions"),
            "La fractoin et les <b>fractions</b>"
        );
    }

    #[test]
    fn text_without_match_is_escaped_whole() {
        assert_eq!(highlight_title("", "Rock & roll"), "Rock &amp; roll");
    }

    #[test]
    fn long_text_is_cut_after_a_whole_word() {
        assert_eq!(truncate("un deux trois", 9), "un deux");
        assert_eq!(truncate("court", 9), "court");
    }
}
