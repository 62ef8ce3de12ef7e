//! Disk use of the data directory, part by part, and the free space of its file system.

use std::path::Path;

/// Bytes used by each part of the data directory, and what the file system has left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskUse {
    /// `data/db/`: the store.
    pub store: u64,
    /// `data/files/`: uploaded files.
    pub files: u64,
    /// `data/index/`: the search indexes (derived: rebuilt from the store).
    pub index: u64,
    /// `data/backups/`.
    pub backups: u64,
    /// Free for an unprivileged process (what the service may still write).
    pub available: u64,
    pub total: u64,
}

impl DiskUse {
    /// Blocking: walks each folder.
    pub fn measure(data: &Path) -> Result<Self, std::io::Error> {
        let space = rustix::fs::statvfs(data).map_err(std::io::Error::from)?;
        Ok(Self {
            store: folder_size(&data.join("db"))?,
            files: folder_size(&data.join("files"))?,
            index: folder_size(&data.join("index"))?,
            backups: folder_size(&crate::backup::folder(data))?,
            available: space.f_bavail.saturating_mul(space.f_frsize),
            total: space.f_blocks.saturating_mul(space.f_frsize),
        })
    }

    /// Free space in percent of the file system (100 when its size is unknown).
    pub fn available_percent(&self) -> u64 {
        if self.total == 0 {
            return 100;
        }
        let percent = u128::from(self.available) * 100 / u128::from(self.total);
        u64::try_from(percent).unwrap_or(100)
    }
}

/// Bytes of the regular files under `dir` (symbolic links are not followed); 0 when `dir` does
/// not exist yet.
pub fn folder_size(dir: &Path) -> Result<u64, std::io::Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    let mut total = 0u64;
    for entry in entries {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total = total.saturating_add(folder_size(&entry.path())?);
        } else if kind.is_file() {
            total = total.saturating_add(entry.metadata()?.len());
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_counts_its_own_files_and_a_missing_part_is_empty() {
        let data = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(data.path().join("files/ab")).expect("files");
        std::fs::write(data.path().join("files/ab/one"), [0u8; 1000]).expect("write");
        std::fs::write(data.path().join("files/two"), [0u8; 24]).expect("write");
        std::fs::create_dir_all(data.path().join("db")).expect("db");
        std::fs::write(data.path().join("db/conf"), [0u8; 7]).expect("write");
        let disk = DiskUse::measure(data.path()).expect("measured");
        assert_eq!(disk.files, 1024);
        assert_eq!(disk.store, 7);
        assert_eq!(disk.index, 0);
        assert_eq!(disk.backups, 0);
        assert!(disk.total >= disk.available && disk.total > 0);
        assert!(disk.available_percent() <= 100);
    }
}
