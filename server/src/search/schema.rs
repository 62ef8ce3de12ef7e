//! The index schema: which field holds what, and how a [`SearchDoc`] becomes a tantivy document.

use std::collections::BTreeSet;

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

use super::analysis::{FRENCH, WORDS};
use super::SearchDoc;

/// Written next to the index; bump it whenever the schema, the analysis or the audience terms
/// change, so that an index built the old way is recreated and rebuilt from the store instead of
/// answering wrongly (3: published resources carry the `publie` audience term; 4: the
/// unstemmed words of title, keywords and description, for typos, prefixes and phrases).
pub(crate) const SCHEMA_VERSION: &str = "4";

/// Names of the fast columns the facet collector and the date sort read.
pub(crate) const DISCIPLINE: &str = "discipline";
pub(crate) const LEVEL: &str = "level";
pub(crate) const THEME: &str = "theme";
pub(crate) const KIND: &str = "kind";
pub(crate) const UPDATED_AT: &str = "updated_at";
/// The resource id, a fast column too: it breaks ties, so that pages of equal scores come in
/// the same order whatever the order documents were indexed in.
pub(crate) const ID: &str = "id";

/// Handles on every field of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub keywords: Field,
    pub description: Field,
    pub body: Field,
    /// The same texts unstemmed (see [`WORDS`]): typos and prefixes are measured on them, and
    /// the title and description keep positions for phrases.
    pub title_words: Field,
    pub keywords_words: Field,
    pub description_words: Field,
    pub discipline: Field,
    pub level: Field,
    pub theme: Field,
    pub kind: Field,
    pub audience: Field,
    pub updated_at: Field,
}

impl Fields {
    /// The searchable text fields with their boosts: a word in the title says more about a
    /// resource than the same word in its keywords, its description or an attached file.
    pub fn weighted_text(&self) -> [(Field, f32); 4] {
        [
            (self.title, 4.0),
            (self.keywords, 3.0),
            (self.description, 2.0),
            (self.body, 1.0),
        ]
    }

    /// The unstemmed fields with the same order of importance.
    pub fn weighted_words(&self) -> [(Field, f32); 3] {
        [
            (self.title_words, 4.0),
            (self.keywords_words, 3.0),
            (self.description_words, 2.0),
        ]
    }
}

/// Builds the schema and the handles on its fields.
pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Frequencies without positions: ranking needs term frequencies; phrases are matched on
    // the unstemmed title and description.
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(FRENCH)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text = TextOptions::default().set_indexing_options(indexing);
    let stored_text = text.clone().set_stored();
    let words = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(record),
        )
    };
    let phrases = words(IndexRecordOption::WithFreqsAndPositions);
    let fields = Fields {
        id: builder.add_u64_field(ID, INDEXED | STORED | FAST),
        title: builder.add_text_field("title", stored_text.clone()),
        keywords: builder.add_text_field("keywords", text.clone()),
        description: builder.add_text_field("description", stored_text),
        body: builder.add_text_field("body", text),
        title_words: builder.add_text_field("title_words", phrases.clone()),
        keywords_words: builder
            .add_text_field("keywords_words", words(IndexRecordOption::WithFreqs)),
        description_words: builder.add_text_field("description_words", phrases),
        discipline: builder.add_text_field(DISCIPLINE, STRING | FAST),
        level: builder.add_text_field(LEVEL, STRING | FAST),
        theme: builder.add_text_field(THEME, STRING | FAST),
        kind: builder.add_text_field(KIND, STRING | FAST),
        audience: builder.add_text_field("audience", STRING),
        updated_at: builder.add_i64_field(UPDATED_AT, FAST),
    };
    (builder.build(), fields)
}

/// Converts a resource into a tantivy document.
pub(crate) fn to_document(fields: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_u64(fields.id, doc.id);
    out.add_text(fields.title, &doc.title);
    out.add_text(fields.title_words, &doc.title);
    out.add_text(fields.description, &doc.description);
    out.add_text(fields.description_words, &doc.description);
    for keyword in &doc.keywords {
        out.add_text(fields.keywords, keyword);
        out.add_text(fields.keywords_words, keyword);
    }
    if !doc.body.is_empty() {
        out.add_text(fields.body, &doc.body);
    }
    out.add_text(fields.kind, &doc.kind);
    for value in distinct(&doc.disciplines) {
        out.add_text(fields.discipline, value);
    }
    for value in distinct(&doc.levels) {
        out.add_text(fields.level, value);
    }
    // Every node of every path, once: the theme facet is hierarchical by construction, and a
    // filter on any node is a single term lookup.
    for node in distinct(doc.theme_paths.iter().flatten()) {
        out.add_text(fields.theme, node);
    }
    for value in distinct(&doc.audiences) {
        out.add_text(fields.audience, value);
    }
    out.add_i64(fields.updated_at, doc.updated_at);
    out
}

/// The distinct non-empty values, so that a document counts once per facet value.
fn distinct<'a>(values: impl IntoIterator<Item = &'a String>) -> BTreeSet<&'a str> {
    values
        .into_iter()
        .map(String::as_str)
        .filter(|value| !value.is_empty())
        .collect()
}
