//! What every index of Préau does the same way on disk: the version file that says an index is
//! complete, one writer per process, a reader reloaded after each commit, and the rebuild.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Schema;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher};

use super::SearchError;

/// The file next to an index that records which schema built it. It is written only once a
/// full rebuild has been committed, and removed when a write fails, so that an index that was
/// never completely fed (first start, a crash in the middle of a rebuild) or that missed a write
/// is rebuilt at the next start.
const VERSION_FILE: &str = "preau-schema-version";

/// The long-lived writer takes one document at a time: one indexing thread with tantivy's
/// smallest budget. A rebuild uses a bigger writer, dropped when it is done, so that the memory
/// of its threads goes back to the system instead of staying with idle threads (measured: about
/// 120 MiB of anonymous memory kept after a rebuild of 50,000 resources otherwise).
const WRITER_THREADS: usize = 1;
const WRITER_MEMORY_BYTES: usize = 15_000_000;
const BULK_WRITER_MEMORY_BYTES: usize = 50_000_000;

/// One tantivy index in its own directory, derived from the store.
pub(crate) struct ManagedIndex {
    dir: PathBuf,
    version: &'static str,
    index: Index,
    reader: IndexReader,
    /// One writer for the process; the lock serialises writes. `None` only between a rebuild
    /// (or a failed write) and the next write.
    writer: Mutex<Option<IndexWriter>>,
    needs_rebuild: AtomicBool,
}

impl ManagedIndex {
    /// Opens the index of `schema` in `dir`, creating it. An index that is missing, unreadable
    /// or of another `version` is deleted and recreated empty, and
    /// [`needs_rebuild`](Self::needs_rebuild) then asks the caller to feed every document.
    pub fn open(
        dir: &Path,
        schema: Schema,
        version: &'static str,
        tokenizers: &[(&str, TextAnalyzer)],
    ) -> Result<ManagedIndex, SearchError> {
        fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        let current = fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let opened = match current.as_deref().map(str::trim) {
            Some(found) if found == version => Self::open_existing(dir, tokenizers).ok(),
            _ => None,
        };
        let (index, reader, needs_rebuild) = match opened {
            Some((index, reader)) => (index, reader, false),
            None => {
                wipe(dir)?;
                let index = Index::create_in_dir(dir, schema)?;
                register(&index, tokenizers);
                let reader = Self::reader(&index)?;
                (index, reader, true)
            }
        };
        Ok(ManagedIndex {
            dir: dir.to_path_buf(),
            version,
            index,
            reader,
            writer: Mutex::new(None),
            needs_rebuild: AtomicBool::new(needs_rebuild),
        })
    }

    /// Opens an index of the current version; any error means it cannot be trusted.
    fn open_existing(
        dir: &Path,
        tokenizers: &[(&str, TextAnalyzer)],
    ) -> tantivy::Result<(Index, IndexReader)> {
        let index = Index::open_in_dir(dir)?;
        register(&index, tokenizers);
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

    /// Whether the index was recreated empty and must be fed everything from the store.
    pub fn needs_rebuild(&self) -> bool {
        self.needs_rebuild.load(Ordering::Acquire)
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Replaces the whole content with what `load` adds, then merges it into one segment, the
    /// fastest to search; the new content becomes visible at once, and the index is marked
    /// complete.
    pub fn rebuild(
        &self,
        load: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut slot = self.lock_writer()?;
        // Only one writer may exist at a time: the small one goes first.
        drop(slot.take());
        let mut bulk = self.index.writer(BULK_WRITER_MEMORY_BYTES)?;
        // No background merges while loading: the one explicit merge below does it all.
        bulk.set_merge_policy(Box::new(NoMergePolicy));
        bulk.delete_all_documents()?;
        load(&mut bulk)?;
        bulk.commit()?;
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            bulk.merge(&segments).wait()?;
        }
        // Ends the bulk writer's threads; the next write opens the small writer again.
        bulk.wait_merging_threads()?;
        drop(slot);
        self.reader.reload()?;
        let version_path = self.dir.join(VERSION_FILE);
        let temporary = self.dir.join(format!("{VERSION_FILE}.tmp"));
        fs::write(&temporary, self.version).map_err(|e| SearchError::io(&temporary, e))?;
        fs::rename(&temporary, &version_path).map_err(|e| SearchError::io(&version_path, e))?;
        self.needs_rebuild.store(false, Ordering::Release);
        Ok(())
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::WriterPoisoned)
    }

    /// Runs `change` with the writer (opened on first use), commits, and makes it searchable.
    /// When that fails, the index lacks a change the store has: it is marked for a rebuild at
    /// the next start, and the writer is dropped so that the next write starts from a fresh one.
    pub fn write(
        &self,
        change: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut slot = self.lock_writer()?;
        let written = (|| {
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
        })();
        if written.is_err() {
            drop(slot.take());
            self.mark_incomplete();
        }
        written
    }

    /// Forgets that the index is complete, so that the next start rebuilds it from the store.
    pub fn mark_incomplete(&self) {
        let path = self.dir.join(VERSION_FILE);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                tracing::error!(path = %path.display(), %error, "cannot mark the search index for a rebuild");
            }
        }
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

/// Registers the analyzers the schema's text fields name.
fn register(index: &Index, tokenizers: &[(&str, TextAnalyzer)]) {
    for (name, analyzer) in tokenizers {
        index.tokenizers().register(name, analyzer.clone());
    }
}

/// Deletes the files of the index in `dir` (derived data only: wiping it loses nothing the store
/// does not hold). Subdirectories stay: the mail index lives in one under the resource index's
/// directory, and is not the resource index's to delete.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SearchError::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| SearchError::io(&path, e))?;
        if !kind.is_dir() {
            fs::remove_file(&path).map_err(|e| SearchError::io(&path, e))?;
        }
    }
    Ok(())
}
