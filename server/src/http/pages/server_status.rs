//! The « État du serveur » card of `/admin`, in French words, with what needs attention first.

use chrono::{DateTime, Utc};
use preau_app::admin::model::{CertificateLine, ProblemEntry, ServerStatus, SyncRun, SyncStatus};

use super::format;
use crate::domain::Domain;
use crate::monitoring::health::Health;

/// A certificate that expires within this many days is flagged.
const CERTIFICATE_WARNING_DAYS: i64 = 30;
/// Without a backup for this long, the administrator is told (the nightly one runs daily).
const BACKUP_WARNING_HOURS: i64 = 48;

pub(super) fn of(health: &Health, domain: &Domain, sync: &SyncStatus) -> ServerStatus {
    let now = domain.clock().now();
    let config = domain.config();
    let warning_percent = config.monitoring.disk_warning_percent;
    let disk_low = health.disk_is_low(warning_percent);
    let mut alerts = Vec::new();
    if disk_low {
        alerts.push(format!(
            "Il reste moins de {warning_percent}\u{a0}% d'espace libre sur le disque des données."
        ));
    }
    if let Some(run) = &health.last_nightly {
        if let Some(failure) = &run.failure {
            alerts.push(format!(
                "La dernière sauvegarde automatique ({}) a échoué\u{a0}: {failure}",
                format::long_date_time(run.at)
            ));
        }
    }
    // A box started today has had no night yet: only a box up for long enough is expected to
    // have a recent backup.
    let expected_by_now = health.uptime.as_secs() >= BACKUP_WARNING_HOURS as u64 * 3600;
    let backup_is_old = match &health.newest_backup {
        Some(newest) => (now - newest.created_at).num_hours() >= BACKUP_WARNING_HOURS,
        None => expected_by_now,
    };
    if backup_is_old && config.backup.schedule != crate::directory::schedule::Schedule::Off {
        alerts.push(format!(
            "Aucune sauvegarde depuis plus de {BACKUP_WARNING_HOURS}\u{a0}heures."
        ));
    }
    if sync.last_run.as_ref().is_some_and(|run| !run.ok) {
        alerts.push("La dernière synchronisation de l'annuaire n'a pas abouti.".to_owned());
    }
    let certificate = health.certificate.as_ref().map(|info| {
        let days = info.days_left(now);
        if days < CERTIFICATE_WARNING_DAYS {
            alerts.push(if days < 0 {
                "Le certificat HTTPS a expiré.".to_owned()
            } else {
                format!("Le certificat HTTPS expire dans {days}\u{a0}jour(s).")
            });
        }
        CertificateLine {
            fingerprint: info.fingerprint.clone(),
            expires: format::long_date(info.not_after),
            expiring: days < CERTIFICATE_WARNING_DAYS,
            names: info.names.join(", "),
        }
    });
    let (disk, free) = match &health.disk {
        Some(disk) => (
            vec![
                ("Base de données".to_owned(), format::size_label(disk.store)),
                (
                    "Fichiers déposés".to_owned(),
                    format::size_label(disk.files),
                ),
                (
                    "Index de recherche".to_owned(),
                    format::size_label(disk.index),
                ),
                ("Sauvegardes".to_owned(), format::size_label(disk.backups)),
            ],
            format!(
                "{} libres sur {} ({}\u{a0}%)",
                format::size_label(disk.available),
                format::size_label(disk.total),
                disk.available_percent()
            ),
        ),
        None => (Vec::new(), "inconnu (voir le journal)".to_owned()),
    };
    ServerStatus {
        alerts,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        uptime: duration_in_words(health.uptime),
        started: format::long_date_time(health.started_at),
        disk,
        free,
        disk_low,
        last_backup: health.newest_backup.as_ref().map(|file| SyncRun {
            when: format::long_date_time(file.created_at),
            outcome: file.kind.label().to_owned(),
            ok: true,
            detail: format::size_label(file.size),
        }),
        certificate,
        sessions: health.sessions,
        problems: health
            .recent_problems
            .iter()
            .map(|problem| ProblemEntry {
                when: time_of(problem.at),
                level: if problem.error {
                    "erreur"
                } else {
                    "avertissement"
                }
                .to_owned(),
                error: problem.error,
                text: format!("{} — {}", problem.target, problem.text),
            })
            .collect(),
    }
}

fn time_of(at: DateTime<Utc>) -> String {
    format::long_date_time(at)
}

/// « 2 j 3 h », « 4 h 12 min », « 38 min », « moins d'une minute ».
fn duration_in_words(duration: std::time::Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let (days, hours, minutes) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => "moins d'une minute".to_owned(),
        (0, 0, m) => format!("{m}\u{a0}min"),
        (0, h, m) => format!("{h}\u{a0}h {m}\u{a0}min"),
        (d, h, _) => format!("{d}\u{a0}j {h}\u{a0}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_reads_in_the_largest_units() {
        let minutes = |m: u64| std::time::Duration::from_secs(m * 60);
        assert_eq!(duration_in_words(minutes(0)), "moins d'une minute");
        assert_eq!(duration_in_words(minutes(38)), "38\u{a0}min");
        assert_eq!(
            duration_in_words(minutes(4 * 60 + 12)),
            "4\u{a0}h 12\u{a0}min"
        );
        assert_eq!(
            duration_in_words(minutes(2 * 24 * 60 + 3 * 60 + 5)),
            "2\u{a0}j 3\u{a0}h"
        );
    }
}
