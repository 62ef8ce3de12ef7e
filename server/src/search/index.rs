//! The index on disk: opening (and recreating when stale or corrupt), writing, searching.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use super::analysis::{french_analyzer, query_terms, FRENCH};
use super::facets::FacetCollector;
use super::schema::{self, Fields, ID, SCHEMA_VERSION, UPDATED_AT};
use super::snippet::Highlighter;
use super::{Hit, SearchDoc, SearchError, SearchQuery, SearchResults, Sort};

/// The file next to the index that records which schema built it. It is written only once a
/// full rebuild has been committed, so an index that was never completely fed (first start, a
/// crash in the middle of a rebuild) is rebuilt at the next start.
const VERSION_FILE: &str = "preau-schema-version";

/// The long-lived writer takes one resource at a time: one indexing thread with tantivy's
/// smallest budget. A rebuild uses a bigger writer, dropped when it is done, so that the memory
/// of its threads goes back to the system instead of staying with idle threads (measured: about
/// 120 MiB of anonymous memory kept after a rebuild of 50,000 resources otherwise).
const WRITER_THREADS: usize = 1;
const WRITER_MEMORY_BYTES: usize = 15_000_000;
const BULK_WRITER_MEMORY_BYTES: usize = 50_000_000;

const MAX_PER_PAGE: usize = 100;

/// The search index of one establishment's resources.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    analyzer: TextAnalyzer,
    reader: IndexReader,
    /// One writer for the process; the lock serialises writes. `None` only between a rebuild
    /// and the next write.
    writer: Mutex<Option<IndexWriter>>,
    needs_rebuild: AtomicBool,
}

impl SearchIndex {
    /// Opens the index in `dir` (the data dir's `index/`), creating it. An index that is missing,
    /// unreadable or of another schema version is deleted and recreated empty, and
    /// [`needs_rebuild`](Self::needs_rebuild) then asks the caller to feed every resource.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        let (schema, fields) = schema::build();
        let analyzer = french_analyzer();
        let current = fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let opened = match current.as_deref().map(str::trim) {
            Some(SCHEMA_VERSION) => Self::open_existing(dir, &analyzer).ok(),
            _ => None,
        };
        let (index, reader, needs_rebuild) = match opened {
            Some((index, reader)) => (index, reader, false),
            None => {
                // Derived data only: wiping it loses nothing the store does not hold.
                fs::remove_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
                fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
                let index = Index::create_in_dir(dir, schema)?;
                index.tokenizers().register(FRENCH, analyzer.clone());
                let reader = Self::reader(&index)?;
                (index, reader, true)
            }
        };
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            analyzer,
            reader,
            writer: Mutex::new(None),
            needs_rebuild: AtomicBool::new(needs_rebuild),
        })
    }

    /// Opens an index of the current version; any error means it cannot be trusted.
    fn open_existing(dir: &Path, analyzer: &TextAnalyzer) -> tantivy::Result<(Index, IndexReader)> {
        let index = Index::open_in_dir(dir)?;
        index.tokenizers().register(FRENCH, analyzer.clone());
        // Opening the reader opens every segment: missing or truncated files fail here.
        let reader = Self::reader(&index)?;
        Ok((index, reader))
    }

    /// Reloaded by hand after each commit, so a write is searchable as soon as it returns.
    fn reader(index: &Index) -> tantivy::Result<IndexReader> {
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
    }

    /// Whether the index was recreated empty and must be fed every resource from the store
    /// (through [`rebuild`](Self::rebuild)).
    pub fn needs_rebuild(&self) -> bool {
        self.needs_rebuild.load(Ordering::Acquire)
    }

    /// Adds a resource or replaces the one with the same id; visible to the next search.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_term(Term::from_field_u64(self.fields.id, doc.id));
            writer.add_document(schema::to_document(&self.fields, doc))?;
            Ok(())
        })
    }

    /// Removes a resource (no-op when absent); visible to the next search.
    pub fn delete(&self, id: u64) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_term(Term::from_field_u64(self.fields.id, id));
            Ok(())
        })
    }

    /// Replaces the whole content with `docs`, then merges it into one segment, the fastest to
    /// search; the new content becomes visible at once, and the index is marked complete.
    pub fn rebuild(&self, docs: impl Iterator<Item = SearchDoc>) -> Result<(), SearchError> {
        let mut slot = self.lock_writer()?;
        // Only one writer may exist at a time: the small one goes first.
        drop(slot.take());
        let mut bulk = self.index.writer(BULK_WRITER_MEMORY_BYTES)?;
        // No background merges while loading: the one explicit merge below does it all.
        bulk.set_merge_policy(Box::new(NoMergePolicy));
        self.load_all(&mut bulk, docs)?;
        // Ends the bulk writer's threads; the next write opens the small writer again.
        bulk.wait_merging_threads()?;
        drop(slot);
        self.reader.reload()?;
        let version_path = self.dir.join(VERSION_FILE);
        let temporary = self.dir.join(format!("{VERSION_FILE}.tmp"));
        fs::write(&temporary, SCHEMA_VERSION).map_err(|e| SearchError::io(&temporary, e))?;
        fs::rename(&temporary, &version_path).map_err(|e| SearchError::io(&version_path, e))?;
        self.needs_rebuild.store(false, Ordering::Release);
        Ok(())
    }

    fn load_all(
        &self,
        writer: &mut IndexWriter,
        docs: impl Iterator<Item = SearchDoc>,
    ) -> Result<(), SearchError> {
        writer.delete_all_documents()?;
        for doc in docs {
            writer.add_document(schema::to_document(&self.fields, &doc))?;
        }
        writer.commit()?;
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        Ok(())
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::WriterPoisoned)
    }

    /// Runs `change` with the writer (opened on first use), commits, and makes it searchable.
    fn write(
        &self,
        change: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut slot = self.lock_writer()?;
        let writer = match &mut *slot {
            Some(writer) => writer,
            empty => empty.insert(
                self.index
                    .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES)?,
            ),
        };
        change(writer)?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Runs a search: one page of hits, the total and the facet counts, all limited to what the
    /// query's audiences may see.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let mut analyzer = self.analyzer.clone();
        let terms = query_terms(&mut analyzer, &query.text);
        let Some(tantivy_query) = super::query::build(&self.fields, &terms, query) else {
            return Ok(SearchResults::default());
        };
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let offset = (query.page.clamp(1, super::MAX_PAGE) - 1) * per_page;
        let top = TopDocs::with_limit(per_page).and_offset(offset);
        let searcher = self.reader.searcher();
        // Ties go to the higher id (the newer resource), whatever the documents' order in the
        // index, so that a page holds the same hits before and after a rebuild.
        let by_id = (SortByStaticFastValue::<u64>::for_field(ID), Order::Desc);
        // Without words there is no relevance to speak of: newest first.
        let (ranked, counts) = if terms.is_empty() || query.sort == Sort::Newest {
            let by_date = top.order_by((
                (
                    SortByStaticFastValue::<i64>::for_field(UPDATED_AT),
                    Order::Desc,
                ),
                by_id,
            ));
            let (docs, counts) = searcher.search(&*tantivy_query, &(by_date, FacetCollector))?;
            let docs: Vec<(f32, DocAddress)> =
                docs.into_iter().map(|(_, doc)| (0.0, doc)).collect();
            (docs, counts)
        } else {
            let by_score = top.order_by(((SortBySimilarityScore, Order::Desc), by_id));
            let (docs, counts) = searcher.search(&*tantivy_query, &(by_score, FacetCollector))?;
            let docs: Vec<(f32, DocAddress)> = docs
                .into_iter()
                .map(|((score, _), doc)| (score, doc))
                .collect();
            (docs, counts)
        };
        let mut highlighter = Highlighter::new(analyzer, &terms);
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address) in ranked {
            let stored: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let Some(id) = stored.get_first(self.fields.id).and_then(|v| v.as_u64()) else {
                continue;
            };
            hits.push(Hit {
                id,
                score,
                title_snippet: highlighter.title(self.fields.title, &text(self.fields.title)),
                description_snippet: highlighter
                    .description(self.fields.description, &text(self.fields.description)),
            });
        }
        Ok(SearchResults {
            total: counts.total,
            hits,
            facets: counts.facets,
        })
    }

    /// Bytes the index takes on disk (for operations and benchmarks).
    pub fn size_on_disk(&self) -> Result<u64, SearchError> {
        let mut total = 0;
        let entries = fs::read_dir(&self.dir).map_err(|e| SearchError::io(&self.dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| SearchError::io(&self.dir, e))?;
            let metadata = entry
                .metadata()
                .map_err(|e| SearchError::io(entry.path(), e))?;
            if metadata.is_file() {
                total += metadata.len();
            }
        }
        Ok(total)
    }
}
