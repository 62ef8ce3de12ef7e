//! Writing a backup: the store tree by tree while the write gate is closed, then the blobs and
//! the configuration file, then the manifest with every member's SHA-256.
//!
//! A tree member `store/<tree>` is its entries in key order, each as a 4-byte big-endian key
//! length, the key, a 4-byte big-endian value length and the value.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use super::manifest::{Manifest, MANIFEST};
use super::{BackupError, BackupKind};
use crate::files::{hex, BlobStore};
use crate::store::{Closed, Store};

/// The member prefix of the store's trees, of the uploaded files and of the configuration.
pub(super) const STORE_PREFIX: &str = "store/";
pub(super) const FILES_PREFIX: &str = "files/";
pub(super) const CONFIG_MEMBER: &str = "config/preau.toml";
/// The installation page's choices (`crate::installation`), which belong to the data directory
/// and come back into it.
pub(super) const INSTALLATION_MEMBER: &str = "config/installation.toml";

/// Writes the backup of `store` and `blobs` to `out` (through `out.part`, renamed once whole
/// and synced, so that `out` is never a half-written archive). `closed` is the shut write
/// gate: it is opened again as soon as the store is exported, before the files are copied.
pub fn write_archive(
    store: &Store,
    blobs: &BlobStore,
    closed: Closed,
    config_file: Option<&Path>,
    out: &Path,
    kind: BackupKind,
    now: DateTime<Utc>,
) -> Result<Manifest, BackupError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(BackupError::io(format!("create {}", parent.display())))?;
    }
    let partial = out.with_extension("zip.part");
    let result = write_parts(store, blobs, closed, config_file, &partial, kind, now);
    match result {
        Ok(manifest) => {
            std::fs::rename(&partial, out)
                .map_err(BackupError::io(format!("rename into {}", out.display())))?;
            Ok(manifest)
        }
        Err(error) => {
            // A failed backup leaves nothing that could be taken for one.
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

fn write_parts(
    store: &Store,
    blobs: &BlobStore,
    closed: Closed,
    config_file: Option<&Path>,
    partial: &Path,
    kind: BackupKind,
    now: DateTime<Utc>,
) -> Result<Manifest, BackupError> {
    let file =
        File::create(partial).map_err(BackupError::io(format!("create {}", partial.display())))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let mut manifest = Manifest::new(store.schema_version()?, now, kind);
    manifest.next_id = store.id_watermark()?;
    for name in store.tree_names() {
        let tree_name = String::from_utf8(name.to_vec())
            .map_err(|_| BackupError::Foreign("a tree name is not UTF-8".to_owned()))?;
        let tree = store.tree(&tree_name)?;
        let member = format!("{STORE_PREFIX}{tree_name}");
        let mut writer = Member::start(&mut zip, &member)?;
        let mut count = 0u64;
        for entry in tree.iter() {
            let (key, value) = entry.map_err(crate::store::StoreError::from)?;
            writer.record(&key)?;
            writer.record(&value)?;
            count += 1;
        }
        manifest.members.insert(member, writer.finish());
        manifest.trees.insert(tree_name, count);
    }
    // The store is exported: writers may go on. Removals of blobs wait until they are copied.
    drop(closed);
    let _held = blobs.hold_removals();
    for (hash, path) in blob_files(blobs.root())? {
        let member = format!("{FILES_PREFIX}{}/{hash}", &hash[..2]);
        let mut writer = Member::start(&mut zip, &member)?;
        let mut source =
            File::open(&path).map_err(BackupError::io(format!("open {}", path.display())))?;
        std::io::copy(&mut source, &mut writer)
            .map_err(BackupError::io(format!("copy {}", path.display())))?;
        manifest.members.insert(member, writer.finish());
        manifest.files += 1;
    }
    if let Some(config) = config_file {
        let bytes =
            std::fs::read(config).map_err(BackupError::io(format!("read {}", config.display())))?;
        let mut writer = Member::start(&mut zip, CONFIG_MEMBER)?;
        writer
            .write_all(&bytes)
            .map_err(BackupError::io("write the configuration"))?;
        manifest
            .members
            .insert(CONFIG_MEMBER.to_owned(), writer.finish());
    }
    // The files live in `data/files/`: the data directory is their parent.
    let installed = blobs
        .root()
        .parent()
        .map(crate::installation::settings_path)
        .filter(|path| path.is_file());
    if let Some(installed) = installed {
        let bytes = std::fs::read(&installed)
            .map_err(BackupError::io(format!("read {}", installed.display())))?;
        let mut writer = Member::start(&mut zip, INSTALLATION_MEMBER)?;
        writer
            .write_all(&bytes)
            .map_err(BackupError::io("write the installation's settings"))?;
        manifest
            .members
            .insert(INSTALLATION_MEMBER.to_owned(), writer.finish());
    }
    zip.start_file(MANIFEST, options())?;
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|error| BackupError::io("encode the manifest")(std::io::Error::other(error)))?;
    zip.write_all(&json)
        .map_err(BackupError::io("write the manifest"))?;
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|error| BackupError::io("flush the archive")(error.into_error()))?;
    file.sync_all()
        .map_err(BackupError::io(format!("sync {}", partial.display())))?;
    Ok(manifest)
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

/// Every blob of the folder, as (hash, path), in hash order; the staging folder is skipped.
fn blob_files(root: &Path) -> Result<Vec<(String, std::path::PathBuf)>, BackupError> {
    let mut found = Vec::new();
    let shards = match std::fs::read_dir(root) {
        Ok(shards) => shards,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(error) => return Err(BackupError::io(format!("list {}", root.display()))(error)),
    };
    for shard in shards {
        let shard = shard.map_err(BackupError::io(format!("list {}", root.display())))?;
        let shard_name = shard.file_name().to_string_lossy().into_owned();
        if shard_name.len() != 2 || !shard.path().is_dir() {
            continue;
        }
        for blob in std::fs::read_dir(shard.path())
            .map_err(BackupError::io(format!("list {}", shard.path().display())))?
        {
            let blob = blob.map_err(BackupError::io("list a blob folder"))?;
            let hash = blob.file_name().to_string_lossy().into_owned();
            if is_hash(&hash) && hash.starts_with(&shard_name) {
                found.push((hash, blob.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A SHA-256 in lowercase hex, as blobs are named.
pub(super) fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// One member being written, hashed as it goes.
struct Member<'a, W: Write + std::io::Seek> {
    zip: &'a mut ZipWriter<W>,
    hasher: Sha256,
}

impl<'a, W: Write + std::io::Seek> Member<'a, W> {
    fn start(zip: &'a mut ZipWriter<W>, name: &str) -> Result<Self, BackupError> {
        zip.start_file(name, options())?;
        Ok(Self {
            zip,
            hasher: Sha256::new(),
        })
    }

    /// A length-prefixed record of a tree member.
    fn record(&mut self, bytes: &[u8]) -> Result<(), BackupError> {
        let length = u32::try_from(bytes.len())
            .map_err(|_| BackupError::io("export a record")(std::io::Error::other("too long")))?;
        self.write_all(&length.to_be_bytes())
            .and_then(|()| self.write_all(bytes))
            .map_err(BackupError::io("write the archive"))
    }

    fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl<W: Write + std::io::Seek> Write for Member<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.zip.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.zip.flush()
    }
}

/// Reads the records of a tree member back: (key, value) pairs.
pub(super) fn read_records(
    mut reader: impl Read,
    mut each: impl FnMut(Vec<u8>, Vec<u8>) -> Result<(), BackupError>,
    member: &str,
) -> Result<(), BackupError> {
    let corrupt = |reason: &str| BackupError::Corrupt {
        member: member.to_owned(),
        reason: reason.to_owned(),
    };
    loop {
        let Some(key) = read_record(&mut reader, member)? else {
            return Ok(());
        };
        let value =
            read_record(&mut reader, member)?.ok_or_else(|| corrupt("a key without value"))?;
        each(key, value)?;
    }
}

fn read_record(reader: &mut impl Read, member: &str) -> Result<Option<Vec<u8>>, BackupError> {
    let corrupt = |reason: String| BackupError::Corrupt {
        member: member.to_owned(),
        reason,
    };
    let mut length = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match reader.read(&mut length[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(corrupt("a record length is cut".to_owned())),
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(corrupt(error.to_string())),
        }
    }
    let length = u32::from_be_bytes(length) as usize;
    // A record is never larger than what the archive holds: a length read from a damaged
    // member must not allocate gigabytes before the read fails.
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(length as u64)
        .read_to_end(&mut bytes)
        .map_err(|error| corrupt(error.to_string()))?;
    if bytes.len() != length {
        return Err(corrupt("a record is cut".to_owned()));
    }
    Ok(Some(bytes))
}
