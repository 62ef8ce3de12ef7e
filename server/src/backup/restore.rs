//! `preau restore FILE.zip`: into an empty (or absent) data directory only, all or nothing.
//!
//! The archive is read into a temporary sibling of the target (same file system, so the last
//! step is one rename): every member is checked against the manifest's SHA-256 as it is
//! written, the store is filled and brought to this binary's schema, the search indexes are
//! rebuilt; only then does the sibling become the data directory. Any failure removes the
//! sibling and leaves the target as it was.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::archive::{
    is_hash, read_records, CONFIG_MEMBER, FILES_PREFIX, INSTALLATION_MEMBER, STORE_PREFIX,
};
use super::manifest::{Manifest, FORMAT, FORMAT_VERSION, MANIFEST};
use super::BackupError;
use crate::config::Config;
use crate::domain::clock::SystemClock;
use crate::domain::migrations;
use crate::domain::tables::Tables;
use crate::domain::Domain;
use crate::store::schema::latest;
use crate::store::Store;

/// Where a restored configuration file is put: the data directory's configuration is the
/// administrator's to choose, so the restored one waits next to the data.
pub const RESTORED_CONFIG: &str = "preau.toml.restored";

/// Restores `archive` into `data`, which must be empty or absent; `config` sizes the store's
/// cache. Returns the manifest of what was restored.
pub fn restore(archive: &Path, data: &Path, config: &Config) -> Result<Manifest, BackupError> {
    if !is_empty_or_absent(data)? {
        return Err(BackupError::TargetNotEmpty(data.to_owned()));
    }
    let staging = staging_dir(data);
    let result = restore_into(archive, &staging, config);
    let result = result.and_then(|manifest| {
        // rename(2) replaces an empty directory; an absent one is simply created.
        std::fs::rename(&staging, data).map_err(BackupError::io(format!(
            "rename {} to {}",
            staging.display(),
            data.display()
        )))?;
        Ok(manifest)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn is_empty_or_absent(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(BackupError::io(format!("read {}", dir.display()))(error)),
    }
}

fn staging_dir(data: &Path) -> PathBuf {
    let name = data
        .file_name()
        .map_or_else(|| "data".into(), |n| n.to_string_lossy().into_owned());
    let parent = data
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.restauration-{}", std::process::id()))
}

/// Reads and checks the manifest of an opened archive.
fn read_manifest<R: Read + std::io::Seek>(
    zip: &mut ZipArchive<R>,
) -> Result<Manifest, BackupError> {
    let mut member = zip
        .by_name(MANIFEST)
        .map_err(|_| BackupError::Foreign(format!("no {MANIFEST}")))?;
    let mut bytes = Vec::new();
    member
        .by_ref()
        .take(1 << 24)
        .read_to_end(&mut bytes)
        .map_err(|error| BackupError::Corrupt {
            member: MANIFEST.to_owned(),
            reason: error.to_string(),
        })?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|error| BackupError::Foreign(format!("{MANIFEST}: {error}")))?;
    if manifest.format != FORMAT {
        return Err(BackupError::Foreign(format!(
            "format {:?}",
            manifest.format
        )));
    }
    if manifest.format_version != FORMAT_VERSION {
        return Err(BackupError::UnknownLayout(manifest.format_version));
    }
    let known = latest(migrations::ALL);
    if manifest.schema_version > known {
        return Err(BackupError::TooNew {
            found: manifest.schema_version,
            known,
        });
    }
    Ok(manifest)
}

/// Checks `archive` whole (manifest, versions, every member's SHA-256) without writing
/// anything: what the administration page could offer before a restore, and what tests use.
pub fn verify(archive: &Path) -> Result<Manifest, BackupError> {
    let mut zip = open(archive)?;
    let manifest = read_manifest(&mut zip)?;
    let mut seen = BTreeMap::new();
    for index in 0..zip.len() {
        let mut member = zip
            .by_index(index)
            .map_err(|error| BackupError::Unreadable(error.to_string()))?;
        let name = member_name(&member)?;
        if name == MANIFEST {
            continue;
        }
        let hash = hash_of(&mut member, &name, &mut std::io::sink())?;
        seen.insert(name, hash);
    }
    check_members(&manifest, &seen)?;
    Ok(manifest)
}

fn open(archive: &Path) -> Result<ZipArchive<BufReader<File>>, BackupError> {
    let file =
        File::open(archive).map_err(BackupError::io(format!("open {}", archive.display())))?;
    ZipArchive::new(BufReader::new(file))
        .map_err(|error| BackupError::Unreadable(error.to_string()))
}

fn restore_into(archive: &Path, staging: &Path, config: &Config) -> Result<Manifest, BackupError> {
    let mut zip = open(archive)?;
    let manifest = read_manifest(&mut zip)?;
    std::fs::create_dir_all(staging)
        .map_err(BackupError::io(format!("create {}", staging.display())))?;
    let store = Store::open_unmigrated(&staging.join("db"), config.store.cache_size_mb << 20)?;
    let mut seen = BTreeMap::new();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for index in 0..zip.len() {
        let mut member = zip
            .by_index(index)
            .map_err(|error| BackupError::Unreadable(error.to_string()))?;
        let name = member_name(&member)?;
        if name == MANIFEST {
            continue;
        }
        if !manifest.members.contains_key(&name) {
            return Err(BackupError::Foreign(format!(
                "member {name} is not in the manifest"
            )));
        }
        let hash = if let Some(tree_name) = name.strip_prefix(STORE_PREFIX) {
            let tree = store.tree(tree_name)?;
            let mut hashing = Hashing::new(&mut member);
            let mut count = 0u64;
            read_records(
                &mut hashing,
                |key, value| {
                    tree.insert(key, value)
                        .map_err(crate::store::StoreError::from)?;
                    count += 1;
                    Ok(())
                },
                &name,
            )?;
            counts.insert(tree_name.to_owned(), count);
            hashing.finish()
        } else if let Some(blob) = name.strip_prefix(FILES_PREFIX) {
            let path = blob_path(staging, blob, &name)?;
            let mut file = File::create(&path)
                .map_err(BackupError::io(format!("create {}", path.display())))?;
            let hash = hash_of(&mut member, &name, &mut file)?;
            file.sync_all()
                .map_err(BackupError::io(format!("sync {}", path.display())))?;
            hash
        } else if name == CONFIG_MEMBER {
            let path = staging.join(RESTORED_CONFIG);
            let mut file = File::create(&path)
                .map_err(BackupError::io(format!("create {}", path.display())))?;
            hash_of(&mut member, &name, &mut file)?
        } else if name == INSTALLATION_MEMBER {
            let path = crate::installation::settings_path(staging);
            let mut file = private_file(&path)?;
            hash_of(&mut member, &name, &mut file)?
        } else {
            return Err(BackupError::Foreign(format!("unexpected member {name}")));
        };
        seen.insert(name, hash);
    }
    check_members(&manifest, &seen)?;
    if counts != manifest.trees {
        return Err(BackupError::Corrupt {
            member: STORE_PREFIX.to_owned(),
            reason: "the entries per tree differ from the manifest".to_owned(),
        });
    }
    store.raise_ids_to(manifest.next_id)?;
    // A backup taken before an upgrade is of an older schema: it comes up to this one here.
    store.migrate(migrations::ALL)?;
    store.flush_blocking()?;
    rebuild_indexes(Tables::of(store)?, staging, config)?;
    Ok(manifest)
}

/// A member's name as text; zip may refuse one that is not valid UTF-8, then the archive is
/// not ours.
fn member_name<R: Read>(member: &zip::read::ZipFile<'_, R>) -> Result<String, BackupError> {
    member
        .name()
        .map(|name| name.into_owned())
        .map_err(|error| BackupError::Foreign(format!("a member's name: {error}")))
}

/// Every member the manifest names was there, with the bytes it names.
fn check_members(manifest: &Manifest, seen: &BTreeMap<String, String>) -> Result<(), BackupError> {
    for (name, expected) in &manifest.members {
        match seen.get(name) {
            None => {
                return Err(BackupError::Corrupt {
                    member: name.clone(),
                    reason: "missing".to_owned(),
                })
            }
            Some(found) if found != expected => {
                return Err(BackupError::Corrupt {
                    member: name.clone(),
                    reason: format!("SHA-256 {found}, the manifest says {expected}"),
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Where the blob member `files/ab/<hash>` goes; any other shape of name is refused, so that a
/// crafted archive cannot write outside the staging directory.
fn blob_path(staging: &Path, blob: &str, member: &str) -> Result<PathBuf, BackupError> {
    let foreign = || BackupError::Foreign(format!("member {member} is not a file's name"));
    let (shard, hash) = blob.split_once('/').ok_or_else(foreign)?;
    if !is_hash(hash) || !hash.starts_with(shard) || shard.len() != 2 {
        return Err(foreign());
    }
    let dir = staging.join("files").join(shard);
    std::fs::create_dir_all(&dir).map_err(BackupError::io(format!("create {}", dir.display())))?;
    Ok(dir.join(hash))
}

/// Copies `member` into `out` and returns its SHA-256; a read error (zip's own CRC check, a
/// cut stream) is a damaged member.
fn hash_of(
    member: &mut impl Read,
    name: &str,
    out: &mut impl Write,
) -> Result<String, BackupError> {
    let mut hashing = Hashing::new(member);
    std::io::copy(&mut hashing, out).map_err(|error| BackupError::Corrupt {
        member: name.to_owned(),
        reason: error.to_string(),
    })?;
    Ok(hashing.finish())
}

struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
        }
    }

    fn finish(self) -> String {
        crate::files::hex(&self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        Ok(read)
    }
}

/// Builds the search indexes from the restored store.
fn rebuild_indexes(tables: Tables, staging: &Path, config: &Config) -> Result<(), BackupError> {
    let index = |error: &dyn std::fmt::Display| BackupError::Index(error.to_string());
    let dir = staging.join("index");
    let resources = crate::search::SearchIndex::open(&dir).map_err(|e| index(&e))?;
    let mail = crate::search::MailIndex::open(&dir.join("mail")).map_err(|e| index(&e))?;
    let domain = Domain::new(tables, Arc::new(config.clone()), Arc::new(SystemClock))
        .with_search(resources)
        .with_mail_search(mail);
    domain.reindex_resources().map_err(|e| index(&e))?;
    domain.reindex_messages().map_err(|e| index(&e))?;
    domain.flush_blocking().map_err(|e| index(&e))?;
    super::upgrade::record_version(staging, latest(migrations::ALL))?;
    Ok(())
}

/// Owner-only, as the installation page writes it: it names the certificate's key file.
fn private_file(path: &Path) -> Result<File, BackupError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(BackupError::io(format!("create {}", path.display())))
}
