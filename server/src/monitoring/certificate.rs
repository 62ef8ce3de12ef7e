//! The served certificate as the administrator checks it: its SHA-256 fingerprint (to compare
//! with what a browser shows), its names and when it expires.

use std::path::Path;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use x509_parser::extensions::GeneralName;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    /// `AB:CD:…`, 32 bytes in upper-case hexadecimal, as browsers show it.
    pub fingerprint: String,
    pub not_after: DateTime<Utc>,
    /// DNS names and addresses it is valid for.
    pub names: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} holds no PEM certificate")]
    NotPem { path: String },
    #[error("{path} is not an X.509 certificate: {reason}")]
    NotX509 { path: String, reason: String },
}

impl CertificateInfo {
    /// The first certificate of a PEM file (the server's own; a chain's others follow it).
    pub fn from_pem_file(path: &Path) -> Result<Self, CertificateError> {
        let shown = || path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| CertificateError::Read {
            path: shown(),
            source,
        })?;
        let (_, pem) = x509_parser::pem::parse_x509_pem(&bytes)
            .map_err(|_| CertificateError::NotPem { path: shown() })?;
        let certificate = pem
            .parse_x509()
            .map_err(|error| CertificateError::NotX509 {
                path: shown(),
                reason: error.to_string(),
            })?;
        let not_after = DateTime::from_timestamp(certificate.validity().not_after.timestamp(), 0)
            .ok_or_else(|| CertificateError::NotX509 {
            path: shown(),
            reason: "expiry out of range".to_owned(),
        })?;
        let names = match certificate.subject_alternative_name() {
            Ok(Some(extension)) => extension
                .value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                    GeneralName::IPAddress(bytes) => address(bytes),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let digest = Sha256::digest(&pem.contents);
        let fingerprint = digest
            .iter()
            .map(|byte| format!("{byte:02X}"))
            .collect::<Vec<_>>()
            .join(":");
        Ok(Self {
            fingerprint,
            not_after,
            names,
        })
    }

    /// Whole days left before expiry (negative once expired).
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        (self.not_after - now).num_days()
    }
}

fn address(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes)
            .ok()
            .map(|v4| std::net::IpAddr::from(v4).to_string()),
        16 => <[u8; 16]>::try_from(bytes)
            .ok()
            .map(|v6| std::net::IpAddr::from(v6).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_certificate_shows_its_names_fingerprint_and_expiry() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cert, _) = crate::tls::ensure_self_signed(dir.path(), &["ent.college.fr".to_owned()])
            .expect("made");
        let info = CertificateInfo::from_pem_file(&cert).expect("read");
        assert_eq!(info.fingerprint.len(), 32 * 3 - 1);
        assert!(info.names.contains(&"ent.college.fr".to_owned()));
        assert!(info.names.contains(&"127.0.0.1".to_owned()));
        assert!(info.days_left(Utc::now()) > 300, "{:?}", info.not_after);
        let pem = std::fs::read_to_string(&cert).expect("pem");
        let der = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            pem.lines()
                .filter(|line| !line.starts_with("-----"))
                .collect::<String>(),
        )
        .expect("base64");
        let expected = Sha256::digest(&der);
        assert!(info
            .fingerprint
            .starts_with(&format!("{:02X}:", expected[0])));
    }

    #[test]
    fn a_file_without_a_certificate_is_refused_with_its_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cert.pem");
        std::fs::write(&path, "pas un certificat").expect("write");
        let error = CertificateInfo::from_pem_file(&path).expect_err("refused");
        assert!(error.to_string().contains("cert.pem"), "{error}");
    }
}
