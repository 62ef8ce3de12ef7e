//! The backups folder: names (`preau-20261201-013000-quotidienne.zip`), listing, pruning of
//! the nightly ones (the newest of each of the last `keep_daily` days and of the last
//! `keep_weekly` weeks are kept; manual and pre-upgrade backups are never pruned), and the
//! result of the last nightly run (`last-nightly.json`), which the administration page shows.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{stamp, BackupError, BackupKind};

/// One backup in a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFile {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub kind: BackupKind,
    pub size: u64,
}

/// The result of the last nightly backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRun {
    pub at: DateTime<Utc>,
    /// The file written, when the backup was.
    pub file: Option<String>,
    /// Why it failed (the French message), when it did; a failed copy counts.
    pub failure: Option<String>,
}

const LAST_RUN: &str = "last-nightly.json";

pub fn file_name(created_at: DateTime<Utc>, kind: BackupKind) -> String {
    format!("preau-{}-{}.zip", stamp(created_at), kind.slug())
}

/// What a backup's file name says; `None` for any other name (an address cannot name
/// anything else in the folder through this).
pub fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let rest = name.strip_prefix("preau-")?.strip_suffix(".zip")?;
    let (time, slug) = (rest.get(..15)?, rest.get(16..)?);
    if rest.as_bytes().get(15) != Some(&b'-') {
        return None;
    }
    let kind = BackupKind::ALL
        .into_iter()
        .find(|kind| kind.slug() == slug)?;
    let time = NaiveDateTime::parse_from_str(time, "%Y%m%d-%H%M%S").ok()?;
    Some((time.and_utc(), kind))
}

/// Removes what a backup stopped mid-way (power cut, `kill -9`) left in `folder`: files named
/// like a backup with `.part` after, which no listing shows and no restore accepts. Called at
/// start, when no backup can be under way. Returns how many went.
pub fn remove_partials(folder: &Path) -> Result<usize, BackupError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(BackupError::io(format!("list {}", folder.display()))(error)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(BackupError::io(format!("list {}", folder.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(backup) = name.strip_suffix(".part") else {
            continue;
        };
        if parse_name(backup).is_some() {
            std::fs::remove_file(entry.path())
                .map_err(BackupError::io(format!("remove {name}")))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The backups in `folder`, newest first; an absent folder holds none.
pub fn list(folder: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(BackupError::io(format!("list {}", folder.display()))(error)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(BackupError::io(format!("list {}", folder.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, kind)) = parse_name(&name) else {
            continue;
        };
        let size = entry
            .metadata()
            .map_err(BackupError::io(format!("read {name}")))?
            .len();
        found.push(BackupFile {
            name,
            created_at,
            kind,
            size,
        });
    }
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.name.cmp(&a.name)));
    Ok(found)
}

/// The nightly backups of `backups` (newest first) that retention no longer keeps.
pub fn to_prune(backups: &[BackupFile], keep_daily: usize, keep_weekly: usize) -> Vec<String> {
    let mut days = BTreeSet::new();
    // Weeks that already have a kept backup (a daily one counts), and weekly ones kept.
    let mut covered_weeks = BTreeSet::new();
    let mut weekly = 0;
    let mut pruned = Vec::new();
    for backup in backups.iter().filter(|b| b.kind == BackupKind::Nightly) {
        let day = backup.created_at.date_naive();
        let week = day.iso_week();
        let keep = if days.len() < keep_daily && !days.contains(&day) {
            days.insert(day);
            covered_weeks.insert(week);
            true
        } else if weekly < keep_weekly && !covered_weeks.contains(&week) {
            covered_weeks.insert(week);
            weekly += 1;
            true
        } else {
            false
        };
        if !keep {
            pruned.push(backup.name.clone());
        }
    }
    pruned
}

/// Deletes the nightly backups of `folder` that retention no longer keeps; returns how many.
pub fn prune(folder: &Path, keep_daily: usize, keep_weekly: usize) -> Result<usize, BackupError> {
    let pruned = to_prune(&list(folder)?, keep_daily, keep_weekly);
    for name in &pruned {
        let path = folder.join(name);
        std::fs::remove_file(&path)
            .map_err(BackupError::io(format!("remove {}", path.display())))?;
    }
    Ok(pruned.len())
}

pub fn record_last_run(folder: &Path, run: &LastRun) -> Result<(), BackupError> {
    std::fs::create_dir_all(folder)
        .map_err(BackupError::io(format!("create {}", folder.display())))?;
    let json = serde_json::to_vec_pretty(run)
        .map_err(|error| BackupError::io("encode the last run")(std::io::Error::other(error)))?;
    let partial = folder.join(format!("{LAST_RUN}.part"));
    std::fs::write(&partial, json).map_err(BackupError::io(format!("write {LAST_RUN}")))?;
    std::fs::rename(&partial, folder.join(LAST_RUN))
        .map_err(BackupError::io(format!("write {LAST_RUN}")))
}

/// The last nightly run, if any was recorded (an unreadable record counts as none).
pub fn last_run(folder: &Path) -> Option<LastRun> {
    let bytes = std::fs::read(folder.join(LAST_RUN)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn only_the_unfinished_backups_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let whole = file_name(Utc::now(), BackupKind::Nightly);
        let cut = format!("{}.part", file_name(Utc::now(), BackupKind::Manual));
        for name in [
            whole.as_str(),
            cut.as_str(),
            "notes.part",
            "last-nightly.json",
        ] {
            std::fs::write(dir.path().join(name), b"x").expect("write");
        }
        assert_eq!(remove_partials(dir.path()).expect("removed"), 1);
        assert!(!dir.path().join(&cut).exists());
        for kept in [whole.as_str(), "notes.part", "last-nightly.json"] {
            assert!(dir.path().join(kept).exists(), "{kept} kept");
        }
        assert_eq!(
            remove_partials(&dir.path().join("absent")).expect("none"),
            0
        );
    }

    fn nightly(day: u32, hour: u32) -> BackupFile {
        let created_at = Utc
            .with_ymd_and_hms(2026, 11, day, hour, 30, 0)
            .single()
            .expect("a date");
        BackupFile {
            name: file_name(created_at, BackupKind::Nightly),
            created_at,
            kind: BackupKind::Nightly,
            size: 1,
        }
    }

    #[test]
    fn a_name_says_its_time_and_kind_and_nothing_else_is_a_backup() {
        let when = Utc
            .with_ymd_and_hms(2026, 12, 1, 1, 30, 5)
            .single()
            .expect("a date");
        let name = file_name(when, BackupKind::PreUpgrade);
        assert_eq!(name, "preau-20261201-013005-avant-mise-a-jour.zip");
        assert_eq!(parse_name(&name), Some((when, BackupKind::PreUpgrade)));
        for other in [
            "../preau-20261201-013005-manuelle.zip",
            "preau-20261201-013005-manuelle.zip.part",
            "preau-20261301-013005-manuelle.zip",
            "preau-20261201-013005-autre.zip",
            "last-nightly.json",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }

    #[test]
    fn retention_keeps_seven_days_then_one_a_week_for_four_weeks_and_never_manual_ones() {
        // Thirty nights of November, two backups on the 30th; newest first as `list` gives.
        let mut backups: Vec<BackupFile> = (1..=30).rev().map(|day| nightly(day, 1)).collect();
        backups.insert(0, nightly(30, 13));
        let mut manual = nightly(2, 9);
        manual.kind = BackupKind::Manual;
        manual.name = file_name(manual.created_at, BackupKind::Manual);
        backups.push(manual);
        let pruned = to_prune(&backups, 7, 4);
        let kept: Vec<&BackupFile> = backups
            .iter()
            .filter(|b| !pruned.contains(&b.name))
            .collect();
        let kept_days: Vec<String> = kept
            .iter()
            .map(|b| b.created_at.format("%d %H").to_string())
            .collect();
        // 24–30 November daily (the newest of the 30th); then the newest of the weeks before:
        // ISO weeks 47 (16–22 → 22), 46 (→ 15), 45 (→ 8), 44 (→ 1); and the manual one.
        assert_eq!(
            kept_days,
            [
                "30 13", "29 01", "28 01", "27 01", "26 01", "25 01", "24 01", "22 01", "15 01",
                "08 01", "01 01", "02 09"
            ]
        );
    }
}
