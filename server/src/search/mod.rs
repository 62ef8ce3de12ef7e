//! The search indexes (tantivy): pedagogical resources ([`SearchIndex`]) and messages
//! ([`MailIndex`]).
//!
//! The indexes are derived data: sled is the source of truth, and an index can be deleted and
//! rebuilt at any time from the store. [`SearchIndex::open`] says through
//! [`SearchIndex::needs_rebuild`] when the caller must feed every resource again (and the mail
//! index likewise for messages).
//!
//! Every write is committed and visible to the next search at once, because a teacher who
//! publishes a resource expects to find it immediately. Writes block on disk I/O: async callers
//! run them in `spawn_blocking`.
//!
//! Facet counts are computed over exactly the documents the query returns: text, every filter
//! and the caller's audiences. A facet's own filter is *not* left out of its own counts: with
//! `disciplines = ["061300"]` the discipline facet shows only `061300`. One pass over the matching
//! documents then yields hits, total and all facets, which keeps a search under the latency
//! budget; the UI shows the selected values of a facet as removable chips instead.

mod analysis;
mod error;
mod facets;
mod index;
mod mail;
mod managed;
mod query;
mod ranking;
mod schema;
mod snippet;
mod suggest;
#[cfg(test)]
mod tests;
mod words;

use std::collections::BTreeMap;

pub use error::SearchError;
pub use index::SearchIndex;
pub use mail::{MailDoc, MailIndex, MAX_MAIL_HITS};

/// One resource as the index sees it: plain data built by the resource domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// Extra text (e.g. extracted from an uploaded file); may be empty.
    pub body: String,
    /// "document" | "link" | "video" | "audio" | "image" | "package" | "exercise".
    pub kind: String,
    /// BCN codes, e.g. "061300".
    pub disciplines: Vec<String>,
    /// ScoLOMFR 022 ids, e.g. "num-021" (4e), "num-631" (cycle 4).
    pub levels: Vec<String>,
    /// Programme themes as full paths discipline → cycle node → theme node(s), e.g.
    /// `["061300", "num-947", "num-948", "num-951"]`: every node of a path counts in the theme
    /// facet and matches a theme filter.
    pub theme_paths: Vec<Vec<String>>,
    /// Who may see it: "auteur:17" (its author), and once published "publie", "etablissement"
    /// (everyone), "classe:4B", "groupe:4-ESP2".
    pub audiences: Vec<String>,
    /// Last update, unix seconds.
    pub updated_at: i64,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// The last page a search may ask for: past it, the collector would allocate for a huge offset
/// and nobody browses that far (500 pages of 20 is every resource of a large library).
pub const MAX_PAGE: usize = 500;

/// A search as the caller asks it. Filters are AND between facet kinds and OR within one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// Free text; empty lists everything matching the filters, newest first.
    pub text: String,
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    /// One theme node id (any node of a theme path, including its discipline root).
    pub theme: Option<String>,
    pub kinds: Vec<String>,
    /// None: every document (tools and benchmarks); Some(list): only documents having one of
    /// these audiences, as the domain always asks.
    pub audiences: Option<Vec<String>>,
    pub sort: Sort,
    /// The viewer's own audience terms (`classe:4B`) and levels: their resources rank a little
    /// higher among equally good matches.
    pub own_audiences: Vec<String>,
    pub own_levels: Vec<String>,
    /// 1-based; 0 is read as 1, more than [`MAX_PAGE`] as [`MAX_PAGE`].
    pub page: usize,
    /// Clamped to 1..=100.
    pub per_page: usize,
}

/// One page of hits, the number of matching documents and the facet counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// When nothing matched: the query with each unknown word replaced by the closest word of
    /// the index, offered only when it finds something for the same caller and filters.
    pub suggestion: Option<String>,
}

/// One matching resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u64,
    /// Relevance score; 0 when the hits are ordered by date.
    pub score: f32,
    /// The title as HTML: escaped, matched words in `<b>…</b>`.
    pub title_snippet: String,
    /// The best passage of the description as HTML: escaped, matched words in `<b>…</b>`.
    pub description_snippet: String,
}

/// Number of matching documents per facet value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    pub discipline: BTreeMap<String, u64>,
    pub level: BTreeMap<String, u64>,
    /// Per theme node id, hierarchical: a document in num-951 also counts for num-948, num-947
    /// and its discipline root (each once per document).
    pub theme: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
}
