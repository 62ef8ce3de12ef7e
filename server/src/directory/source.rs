//! Where the directory sync takes the feed from (`[directory] source`): the data directory's
//! inbox, another folder, or a URL.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use reqwest::Url;

/// The configured source of the directory feed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SyncSource {
    /// `data/inbox/`, where an administrator or a transfer drops the académie's files.
    #[default]
    Inbox,
    /// Another folder whose XML files and zip archives are taken.
    Folder(PathBuf),
    /// A URL the feed (one XML file or zip archive) is downloaded from. HTTPS, except on a
    /// loopback address, where nothing travels over a network (a local relay, the tests).
    Url(Url),
}

/// Why a text is not a source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("directory source {0:?} is empty: give a folder or an https:// URL")]
    Empty(String),
    #[error("directory source {text:?} is not a URL: {reason}")]
    Url { text: String, reason: String },
    #[error(
        "directory source {0:?}: only https:// URLs are accepted (plain http:// only on a \
         loopback address)"
    )]
    Insecure(String),
}

impl FromStr for SyncSource {
    type Err = SourceError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(SourceError::Empty(text.to_owned()));
        }
        if !trimmed.contains("://") {
            return Ok(Self::Folder(PathBuf::from(trimmed)));
        }
        let url = Url::parse(trimmed).map_err(|error| SourceError::Url {
            text: text.to_owned(),
            reason: error.to_string(),
        })?;
        match url.scheme() {
            "https" => Ok(Self::Url(url)),
            "http" if is_loopback(&url) => Ok(Self::Url(url)),
            _ => Err(SourceError::Insecure(text.to_owned())),
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // An IPv6 host is written in brackets in a URL.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

impl fmt::Display for SyncSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Inbox => f.write_str("the inbox"),
            Self::Folder(path) => write!(f, "folder {}", path.display()),
            Self::Url(url) => write!(f, "{url}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_a_folder_and_an_https_address_a_url() {
        assert_eq!(
            "/srv/aaf".parse(),
            Ok(SyncSource::Folder(PathBuf::from("/srv/aaf")))
        );
        assert_eq!(
            "annuaire".parse(),
            Ok(SyncSource::Folder(PathBuf::from("annuaire")))
        );
        let url: SyncSource = "https://aaf.ac-lyon.fr/export/0691234A.zip"
            .parse()
            .expect("a URL");
        assert!(
            matches!(&url, SyncSource::Url(u) if u.host_str() == Some("aaf.ac-lyon.fr")),
            "{url:?}"
        );
    }

    #[test]
    fn plain_http_is_accepted_on_loopback_addresses_only() {
        for local in [
            "http://127.0.0.1:8080/aaf.zip",
            "http://localhost/aaf.zip",
            "http://[::1]/aaf.zip",
        ] {
            assert!(matches!(local.parse(), Ok(SyncSource::Url(_))), "{local}");
        }
        for remote in [
            "http://aaf.ac-lyon.fr/aaf.zip",
            "http://10.0.0.1/aaf.zip",
            "ftp://aaf.ac-lyon.fr/aaf.zip",
        ] {
            let error = remote.parse::<SyncSource>().expect_err(remote);
            assert!(error.to_string().contains("https://"), "{error}");
        }
        assert!(matches!(
            "https://".parse::<SyncSource>(),
            Err(SourceError::Url { .. })
        ));
        assert!(matches!(
            " ".parse::<SyncSource>(),
            Err(SourceError::Empty(_))
        ));
    }
}
