//! `preau backup --out FILE.zip` and `preau restore FILE.zip`.
//!
//! Without a running server, `preau backup` opens the store itself, as every command does
//! (sled lets one process hold a store: while `preau serve` runs, the server takes the backup,
//! `crate::backup::write_to`).

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

pub fn backup(data: &Path, config: Config, args: BackupArgs) -> anyhow::Result<ExitCode> {
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
    match written {
        Ok(manifest) => {
            let size = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
            let records: u64 = manifest.trees.values().sum();
            println!(
                "sauvegarde écrite : {} ({} octets, schéma {}, {} enregistrement(s) dans {} arbre(s), {} fichier(s))",
                args.out.display(),
                size,
                manifest.schema_version,
                records,
                manifest.trees.len(),
                manifest.files
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            let french = error.downcast_ref::<BackupError>().map(BackupError::french);
            eprintln!(
                "preau: {}",
                french.unwrap_or_else(|| "la sauvegarde a échoué.".to_owned())
            );
            eprintln!("preau: ({error:#})");
            Ok(ExitCode::FAILURE)
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
