//! HTTPS: a certificate from files, or a self-signed one generated on first start and kept in
//! `data/tls/` (a school box on the LAN rarely has a public name to get a certificate for).

use std::path::{Path, PathBuf};

use axum_server::tls_rustls::RustlsConfig;

use crate::config::{TlsConfig, TlsMode};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot generate the self-signed certificate: {0}")]
    Generate(String),
    #[error("cannot load the certificate {cert} and key {key}: {source}")]
    Load {
        cert: String,
        key: String,
        source: std::io::Error,
    },
}

/// The rustls configuration to serve with, or `None` when TLS is off.
pub async fn server_config(
    config: &TlsConfig,
    data: &Path,
) -> Result<Option<RustlsConfig>, TlsError> {
    let Some((cert, key)) = pem_files(config, data)? else {
        return Ok(None);
    };
    RustlsConfig::from_pem_file(&cert, &key)
        .await
        .map(Some)
        .map_err(|source| TlsError::Load {
            cert: cert.display().to_string(),
            key: key.display().to_string(),
            source,
        })
}

/// Reads the certificate and key files again into the running server's configuration (on
/// SIGHUP: a renewed certificate without a restart). On error the served one stays.
pub async fn reload(
    served: &RustlsConfig,
    config: &TlsConfig,
    data: &Path,
) -> Result<Option<PathBuf>, TlsError> {
    let Some((cert, key)) = pem_files(config, data)? else {
        return Ok(None);
    };
    served
        .reload_from_pem_file(&cert, &key)
        .await
        .map_err(|source| TlsError::Load {
            cert: cert.display().to_string(),
            key: key.display().to_string(),
            source,
        })?;
    Ok(Some(cert))
}

/// The certificate and key files to serve (made first when self-signed), `None` when TLS is off.
pub fn pem_files(config: &TlsConfig, data: &Path) -> Result<Option<(PathBuf, PathBuf)>, TlsError> {
    match config.mode {
        TlsMode::Off => Ok(None),
        TlsMode::Files => Ok(match (&config.cert, &config.key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            // Config validation already refused this combination.
            _ => None,
        }),
        TlsMode::SelfSigned => ensure_self_signed(&data.join("tls"), &config.hostnames).map(Some),
    }
}

/// `dir/cert.pem` and `dir/key.pem`, generated once for `localhost`, 127.0.0.1 and `hostnames`.
pub fn ensure_self_signed(
    dir: &Path,
    hostnames: &[String],
) -> Result<(PathBuf, PathBuf), TlsError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    if cert_path.is_file() && key_path.is_file() {
        return Ok((cert_path, key_path));
    }
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    names.extend(hostnames.iter().cloned());
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| TlsError::Generate(e.to_string()))?;
    let write = |path: &Path, text: String| {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(path, text))
            .map_err(|source| TlsError::Write {
                path: path.display().to_string(),
                source,
            })
    };
    write(&key_path, certified.signing_key.serialize_pem())?;
    restrict(&key_path)?;
    write(&cert_path, certified.cert.pem())?;
    tracing::info!(path = %cert_path.display(), "generated a self-signed TLS certificate");
    Ok((cert_path, key_path))
}

/// The private key is readable by its owner only.
fn restrict(path: &Path) -> Result<(), TlsError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|source| {
        TlsError::Write {
            path: path.display().to_string(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tls = dir.path().join("tls");
        let (cert, key) = ensure_self_signed(&tls, &["ent.college.fr".to_owned()]).expect("made");
        let first = std::fs::read_to_string(&cert).expect("cert");
        assert!(first.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(std::fs::read_to_string(&key)
            .expect("key")
            .contains("PRIVATE KEY"));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        ensure_self_signed(&tls, &[]).expect("kept");
        assert_eq!(std::fs::read_to_string(&cert).expect("cert"), first);
    }
}
