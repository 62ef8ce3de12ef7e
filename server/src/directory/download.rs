//! Fetching the feed from a URL source into the inbox, where the sync then takes it like a file
//! dropped there.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Url;

/// The largest feed accepted: the zip limit of the reader for a whole académie.
const MAX_BYTES: u64 = 2048 * 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole académie's export over a slow school line still fits.
const TIMEOUT: Duration = Duration::from_secs(30 * 60);

impl DownloadError {
    /// The reason in French, for the administrator.
    pub fn french(&self) -> String {
        match self {
            Self::Request { url, detail } => {
                format!("impossible de télécharger l'export depuis {url} ({detail})")
            }
            Self::Status { url, status } => {
                format!("le serveur de l'export {url} a répondu {status}")
            }
            Self::TooLarge { url } => {
                format!("l'export à l'adresse {url} dépasse {MAX_BYTES} octets")
            }
            Self::Write { path, source } => {
                format!("impossible d'enregistrer l'export téléchargé dans {path} ({source})")
            }
        }
    }
}

/// Why the feed could not be downloaded.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("cannot download the directory feed from {url}: {detail}")]
    Request { url: Url, detail: String },
    #[error("the directory feed at {url} answered {status}")]
    Status {
        url: Url,
        status: reqwest::StatusCode,
    },
    #[error("the directory feed at {url} is larger than {MAX_BYTES} bytes")]
    TooLarge { url: Url },
    #[error("cannot write the downloaded directory feed to {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Downloads `url` into `folder` and returns the file, named after the URL (or, when the URL
/// does not name an XML file or a zip archive, `aaf-<time>.zip` or `.xml` by its content).
///
/// The body goes to a dot-file first, which the sync does not take, and is renamed once
/// complete: a run never sees half a download.
pub fn download(url: &Url, folder: &Path, now: DateTime<Utc>) -> Result<PathBuf, DownloadError> {
    let request = |error: reqwest::Error| DownloadError::Request {
        url: url.clone(),
        detail: chain(&error),
    };
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .build()
        .map_err(request)?;
    let response = client.get(url.clone()).send().map_err(request)?;
    if !response.status().is_success() {
        return Err(DownloadError::Status {
            url: url.clone(),
            status: response.status(),
        });
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let partial = folder.join(format!(".download-{stamp}.part"));
    let write = |path: &Path| {
        let path = path.display().to_string();
        move |source| DownloadError::Write { path, source }
    };
    std::fs::create_dir_all(folder).map_err(write(folder))?;
    let mut file = std::fs::File::create(&partial).map_err(write(&partial))?;
    let copied = std::io::copy(&mut response.take(MAX_BYTES + 1), &mut file);
    let written = match copied {
        Ok(written) => written,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            // reqwest reports a body cut short as an I/O error wrapping its own.
            return Err(DownloadError::Request {
                url: url.clone(),
                detail: chain(&error),
            });
        }
    };
    if written > MAX_BYTES {
        let _ = std::fs::remove_file(&partial);
        return Err(DownloadError::TooLarge { url: url.clone() });
    }
    file.sync_all().map_err(write(&partial))?;
    let name = match url_file_name(url) {
        Some(name) => name,
        None if starts_like_zip(&partial) => format!("aaf-{stamp}.zip"),
        None => format!("aaf-{stamp}.xml"),
    };
    let target = folder.join(name);
    std::fs::rename(&partial, &target).map_err(write(&target))?;
    Ok(target)
}

/// The last segment of the URL's path, when it names an XML file or a zip archive.
fn url_file_name(url: &Url) -> Option<String> {
    let name = url.path_segments()?.next_back()?;
    let lower = name.to_ascii_lowercase();
    let safe = !name.starts_with('.') && !name.contains(['/', '\\']);
    (safe && (lower.ends_with(".xml") || lower.ends_with(".zip"))).then(|| name.to_owned())
}

fn starts_like_zip(path: &Path) -> bool {
    let mut head = [0_u8; 4];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok()
        && head.starts_with(b"PK")
}

/// An error and its causes on one line: reqwest's own message alone ("error sending request")
/// does not say whether the name, the connection or the certificate failed.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_after_the_url_when_it_names_a_feed_file() {
        let name = |url: &str| url_file_name(&Url::parse(url).expect("URL"));
        assert_eq!(
            name("https://aaf.ac-lyon.fr/export/0691234A.ZIP?token=1").as_deref(),
            Some("0691234A.ZIP")
        );
        assert_eq!(name("https://aaf.ac-lyon.fr/export/").as_deref(), None);
        assert_eq!(name("https://aaf.ac-lyon.fr/export?uai=1").as_deref(), None);
        assert_eq!(name("https://aaf.ac-lyon.fr/.hidden.xml").as_deref(), None);
    }
}
