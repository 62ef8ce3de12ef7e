//! `preau backup --out FILE.zip` and `preau restore FILE.zip`.
//!
//! While `preau serve` runs, the server takes the backup into its `data/backups/` (asked over
//! its control socket) and this command copies it to `--out`, checks the copy whole, and
//! removes the server's file: the server's user may not write where the administrator asks.
//! Without a running server, `preau backup` opens the store itself, as every command does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::backup::{self, restore, BackupError, BackupKind};
use crate::config::Config;
use crate::files::BlobStore;

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The zip archive to write.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A backup written by `preau backup` (or found in `data/backups/`).
    pub archive: PathBuf,
}

/// What the server answered: the path of the backup it wrote.
#[derive(Default)]
struct Answer(String);

impl crate::control::commands::Output for Answer {
    fn print(&mut self, text: &str) {
        self.0.push_str(text);
    }
}

/// Copies the server's backup `written` to `out` (whole or not at all), checks the copy and
/// removes the server's file.
fn take_over(written: &Path, out: &Path) -> Result<backup::Manifest, BackupError> {
    let partial = out.with_extension("zip.partiel");
    let copied = std::fs::copy(written, &partial)
        .and_then(|_| std::fs::rename(&partial, out))
        .map_err(BackupError::io(format!(
            "copy {} to {}",
            written.display(),
            out.display()
        )));
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    let manifest = restore::verify(out)?;
    if let Err(error) = std::fs::remove_file(written) {
        tracing::warn!(%error, file = %written.display(), "cannot remove the server's copy");
    }
    Ok(manifest)
}

pub fn backup(data: &Path, config: Config, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let mut answer = Answer::default();
    let asked = crate::control::client::run(
        data,
        &crate::control::protocol::Command::Backup,
        &mut answer,
    )?;
    if let Some(code) = asked {
        if code != 0 {
            return Ok(ExitCode::from(code));
        }
        return Ok(report(
            take_over(Path::new(answer.0.trim()), &args.out).map_err(anyhow::Error::from),
            &args.out,
        ));
    }
    let config_file = config.source_file.clone();
    let domain = super::open_domain(data, config)?;
    let store = domain.tables().store();
    let written = store
        .gate()
        .try_close()
        .ok_or_else(|| anyhow::anyhow!("the store is being written"))
        .and_then(|closed| {
            Ok(backup::write_archive(
                store,
                &BlobStore::of(data),
                closed,
                config_file.as_deref(),
                &args.out,
                BackupKind::Manual,
                chrono::Utc::now(),
            )?)
        });
    Ok(report(written, &args.out))
}

/// Prints what was written, or why not.
fn report(written: anyhow::Result<backup::Manifest>, out: &Path) -> ExitCode {
    match written {
        Ok(manifest) => {
            let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            let records: u64 = manifest.trees.values().sum();
            println!(
                "sauvegarde écrite : {} ({} octets, schéma {}, {} enregistrement(s) dans {} arbre(s), {} fichier(s))",
                out.display(),
                size,
                manifest.schema_version,
                records,
                manifest.trees.len(),
                manifest.files
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            let french = error.downcast_ref::<BackupError>().map(BackupError::french);
            eprintln!(
                "preau: {}",
                french.unwrap_or_else(|| "la sauvegarde a échoué.".to_owned())
            );
            eprintln!("preau: ({error:#})");
            ExitCode::FAILURE
        }
    }
}

pub fn restore(data: &Path, config: Config, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    match restore::restore(&args.archive, data, &config) {
        Ok(manifest) => {
            let records: u64 = manifest.trees.values().sum();
            println!(
                "restauration terminée dans {} : sauvegarde du {} (Préau {}, schéma {}), {} enregistrement(s), {} fichier(s) ; index de recherche reconstruit",
                data.display(),
                manifest.created_at.format("%d/%m/%Y %H:%M UTC"),
                manifest.preau_version,
                manifest.schema_version,
                records,
                manifest.files
            );
            if data.join(restore::RESTORED_CONFIG).is_file() {
                println!(
                    "la configuration sauvegardée est dans {} : reprenez-la dans votre preau.toml si besoin",
                    data.join(restore::RESTORED_CONFIG).display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("preau: {}", error.french());
            eprintln!("preau: ({error})");
            Ok(ExitCode::FAILURE)
        }
    }
}
