//! The mail index: one document per message (sent or draft), whoever holds it, found only by
//! the persons who hold a copy. Beside the resource index, in its own directory (the data dir's
//! `index/mail/`), derived from the store and rebuilt from it like the resource index.
//!
//! A message sent to a thousand parents is one document with a thousand `holder` terms: a send
//! costs one write and one commit whatever the number of recipients.

use std::collections::BTreeSet;
use std::path::Path;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Order, TantivyDocument, Term};

use super::analysis::{french_analyzer, query_terms, FRENCH};
use super::managed::ManagedIndex;
use super::SearchError;

/// Written next to the index; bump it whenever the schema or the analysis change, so that an
/// index built the old way is recreated and rebuilt from the store.
const MAIL_SCHEMA_VERSION: &str = "1";

/// The message id, a fast column: hits are read from it without stored documents, and it
/// breaks ties in favour of the newer message.
const ID: &str = "id";

/// The most hits one search returns: the collector allocates for its limit, so a caller's huge
/// limit must not reach it, and nobody reads further than this in a list of messages.
pub const MAX_MAIL_HITS: usize = 200;

/// One message as the index sees it: plain data built by the messagerie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDoc {
    pub id: u64,
    /// The accounts that hold a copy (the sender's included): only they find it.
    pub holders: Vec<u64>,
    pub subject: String,
    /// The text of the body, without its tags.
    pub body: String,
    /// The sender's name.
    pub sender: String,
    /// The recipients as the sender chose them (persons and groups), by their labels.
    pub recipients: Vec<String>,
    /// The names of the attached files.
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    holder: Field,
    subject: Field,
    sender: Field,
    recipients: Field,
    attachments: Field,
    body: Field,
}

impl Fields {
    /// The searchable text fields with their boosts: a word of the subject says more about a
    /// message than a name or a file name, and those more than a word somewhere in the text.
    fn weighted_text(&self) -> [(Field, f32); 5] {
        [
            (self.subject, 4.0),
            (self.sender, 2.0),
            (self.recipients, 2.0),
            (self.attachments, 2.0),
            (self.body, 1.0),
        ]
    }
}

fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Frequencies without positions, as for resources: no query uses phrases. Nothing is
    // stored: a hit is read from the id column, the message itself from the store.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: builder.add_u64_field(ID, INDEXED | FAST),
        holder: builder.add_u64_field("holder", INDEXED),
        subject: builder.add_text_field("subject", text.clone()),
        sender: builder.add_text_field("sender", text.clone()),
        recipients: builder.add_text_field("recipients", text.clone()),
        attachments: builder.add_text_field("attachments", text.clone()),
        body: builder.add_text_field("body", text),
    };
    (builder.build(), fields)
}

fn to_document(fields: &Fields, doc: &MailDoc) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_u64(fields.id, doc.id);
    for holder in doc.holders.iter().collect::<BTreeSet<_>>() {
        out.add_u64(fields.holder, *holder);
    }
    out.add_text(fields.subject, &doc.subject);
    out.add_text(fields.sender, &doc.sender);
    for label in &doc.recipients {
        out.add_text(fields.recipients, label);
    }
    for name in &doc.attachments {
        out.add_text(fields.attachments, name);
    }
    if !doc.body.is_empty() {
        out.add_text(fields.body, &doc.body);
    }
    out
}

/// The search index of the establishment's messages.
pub struct MailIndex {
    managed: ManagedIndex,
    fields: Fields,
    analyzer: TextAnalyzer,
}

impl MailIndex {
    /// Opens the index in `dir` (the data dir's `index/mail/`), creating it. An index that is
    /// missing, unreadable or of another schema version is deleted and recreated empty, and
    /// [`needs_rebuild`](Self::needs_rebuild) then asks the caller to feed every message.
    pub fn open(dir: &Path) -> Result<MailIndex, SearchError> {
        let (schema, fields) = build_schema();
        let analyzer = french_analyzer();
        let managed = ManagedIndex::open(
            dir,
            schema,
            MAIL_SCHEMA_VERSION,
            &[(FRENCH, analyzer.clone())],
        )?;
        Ok(MailIndex {
            managed,
            fields,
            analyzer,
        })
    }

    /// Whether the index was recreated empty and must be fed every message from the store
    /// (through [`rebuild`](Self::rebuild)).
    pub fn needs_rebuild(&self) -> bool {
        self.managed.needs_rebuild()
    }

    /// Adds or replaces `docs` and removes the messages `gone`, in one commit: emptying a trash
    /// of a hundred messages is one write. Visible to the next search.
    pub fn update(&self, docs: &[MailDoc], gone: &[u64]) -> Result<(), SearchError> {
        self.managed.write(|writer| {
            for id in gone {
                writer.delete_term(Term::from_field_u64(self.fields.id, *id));
            }
            for doc in docs {
                writer.delete_term(Term::from_field_u64(self.fields.id, doc.id));
                writer.add_document(to_document(&self.fields, doc))?;
            }
            Ok(())
        })
    }

    /// Replaces the whole content with `docs`; the index is then marked complete.
    pub fn rebuild(&self, docs: impl Iterator<Item = MailDoc>) -> Result<(), SearchError> {
        self.managed.rebuild(|writer| {
            for doc in docs {
                writer.add_document(to_document(&self.fields, &doc))?;
            }
            Ok(())
        })
    }

    /// Makes the next start rebuild the index: for a change of the store the index could not
    /// be told about.
    pub fn mark_incomplete(&self) {
        self.managed.mark_incomplete();
    }

    /// The ids of the messages held by `holder` that contain every word of `text` (French
    /// analysis: accents and case aside, plurals and other endings too, a typo forgiven in short
    /// queries), best first, at most `limit` (and [`MAX_MAIL_HITS`]). Words are taken as words:
    /// no query syntax, so nothing typed is an error. Without a searchable word (empty, stop
    /// words only), nothing.
    pub fn search(&self, holder: u64, text: &str, limit: usize) -> Result<Vec<u64>, SearchError> {
        let mut analyzer = self.analyzer.clone();
        let terms = query_terms(&mut analyzer, text);
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let weighted = self.fields.weighted_text();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|term| (Occur::Must, super::query::word(&weighted, term)))
            .collect();
        // The holder filter is part of the query itself: another person's message is never a
        // candidate, whatever its score.
        let holds = TermQuery::new(
            Term::from_field_u64(self.fields.holder, holder),
            IndexRecordOption::Basic,
        );
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(holds), 0.0)),
        ));
        let query = BooleanQuery::new(clauses);
        let top = TopDocs::with_limit(limit.min(MAX_MAIL_HITS)).order_by((
            (SortBySimilarityScore, Order::Desc),
            (SortByStaticFastValue::<u64>::for_field(ID), Order::Desc),
        ));
        let ranked = self.managed.searcher().search(&query, &top)?;
        Ok(ranked.into_iter().filter_map(|((_, id), _)| id).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: u64, holders: &[u64], subject: &str, body: &str) -> MailDoc {
        MailDoc {
            id,
            holders: holders.to_vec(),
            subject: subject.to_owned(),
            body: body.to_owned(),
            sender: "Mme Martin".to_owned(),
            recipients: vec!["Parents de 4B".to_owned()],
            attachments: vec!["sortie-scolaire.pdf".to_owned()],
        }
    }

    fn index_with(docs: Vec<MailDoc>) -> (tempfile::TempDir, MailIndex) {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = MailIndex::open(&dir.path().join("mail")).expect("opens");
        assert!(index.needs_rebuild(), "a new index is empty");
        index.rebuild(docs.into_iter()).expect("rebuilds");
        (dir, index)
    }

    #[test]
    fn only_a_holder_finds_a_message_and_every_word_must_match() {
        let (_dir, index) = index_with(vec![
            doc(
                1,
                &[10, 11],
                "Conseil de classe",
                "Le conseil aura lieu jeudi.",
            ),
            doc(2, &[12], "Conseil de classe", "Le conseil aura lieu jeudi."),
        ]);
        assert_eq!(index.search(11, "conseil", 10).expect("searches"), [1]);
        assert_eq!(index.search(12, "conseil", 10).expect("searches"), [2]);
        assert!(index
            .search(13, "conseil", 10)
            .expect("searches")
            .is_empty());
        assert!(index
            .search(10, "conseil vendredi", 10)
            .expect("searches")
            .is_empty());
        assert_eq!(
            index.search(10, "Martin sortie 4B", 10).expect("searches"),
            [1],
            "sender, attachment names and recipients are searched"
        );
    }

    #[test]
    fn query_syntax_stop_words_and_a_zero_limit_find_nothing_without_error() {
        let (_dir, index) = index_with(vec![doc(1, &[10], "Réunion", "Texte")]);
        for text in ["", "   ", "le la les", "\"(((", "AND OR NOT", "subject:"] {
            assert!(
                index.search(10, text, 10).expect("no error").is_empty(),
                "{text:?}"
            );
        }
        assert_eq!(index.search(10, "réunion)\"", 10).expect("searches"), [1]);
        assert!(index.search(10, "réunion", 0).expect("searches").is_empty());
    }

    #[test]
    fn an_index_that_missed_a_change_is_rebuilt_at_the_next_start() {
        let (dir, index) = index_with(vec![doc(1, &[10], "Piscine", "")]);
        drop(index);
        let reopened = MailIndex::open(&dir.path().join("mail")).expect("reopens");
        assert!(!reopened.needs_rebuild(), "a complete index is kept");
        reopened.mark_incomplete();
        drop(reopened);
        let again = MailIndex::open(&dir.path().join("mail")).expect("reopens");
        assert!(again.needs_rebuild());
        assert!(again
            .search(10, "piscine", 10)
            .expect("searches")
            .is_empty());
    }

    #[test]
    fn an_update_replaces_holders_and_removes_messages_in_one_write() {
        let (_dir, index) = index_with(vec![
            doc(1, &[10, 11], "Piscine", ""),
            doc(2, &[10], "Piscine", ""),
        ]);
        index
            .update(&[doc(1, &[11], "Piscine", "")], &[2])
            .expect("updates");
        assert!(index
            .search(10, "piscine", 10)
            .expect("searches")
            .is_empty());
        assert_eq!(index.search(11, "piscine", 10).expect("searches"), [1]);
    }
}
