//! A service that may sign people in through Préau's CAS server: its address, who may open it
//! and what it learns about them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::accounts::profile::Profile;

/// What a service may learn about the person signing in; the administrator chooses per service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CasAttribute {
    /// The Préau login (also the CAS `user`, always sent).
    Login,
    DisplayName,
    Email,
    /// The SDET profile code, `National_ELV`…
    Profile,
    /// The establishment's UAI.
    Uai,
    /// A pupil's class, or the classes a teacher teaches or leads.
    Classes,
    /// A pupil's groups.
    Groups,
    /// The académie's directory key, `ENTPersonJointure`.
    Jointure,
}

impl CasAttribute {
    /// The attribute's name in the validation answer.
    pub fn name(self) -> &'static str {
        match self {
            CasAttribute::Login => "login",
            CasAttribute::DisplayName => "displayName",
            CasAttribute::Email => "mail",
            CasAttribute::Profile => "profile",
            CasAttribute::Uai => "uai",
            CasAttribute::Classes => "classes",
            CasAttribute::Groups => "groups",
            CasAttribute::Jointure => "ENTPersonJointure",
        }
    }
}

/// A registered service, as the configuration file (`[[cas.services]]`) declares it or the
/// administrator registers it (`/admin/services`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CasService {
    pub name: String,
    /// An address prefix (see [`UrlPrefix`]).
    pub url: UrlPrefix,
    #[serde(default)]
    pub attributes: Vec<CasAttribute>,
    /// The profiles that may open it; absent: every profile.
    #[serde(
        default,
        deserialize_with = "profiles",
        serialize_with = "profile_codes"
    )]
    pub profiles: Option<Vec<Profile>>,
    /// Whether it is told by a SAML `LogoutRequest` when the person signs out of Préau.
    #[serde(default)]
    pub single_logout: bool,
    /// Whether the home page shows it as a tile to those who may open it.
    #[serde(default)]
    pub tile: bool,
    /// Whether it may get proxy-granting tickets, to reach other services in the person's name
    /// (a portal showing the timetable of the vie scolaire software, say).
    #[serde(default)]
    pub proxy: bool,
}

impl CasService {
    /// Whether `service` (the address a CAS client sends) belongs to this service.
    pub fn covers(&self, service: &str) -> bool {
        self.url.covers(service)
    }
}

/// An address prefix: `https://moodle.college.example/` covers
/// `https://moodle.college.example/login/index.php?x=1`. It names a scheme (`https`, or `http`)
/// and a host, and never holds a wildcard, so that no pattern can cover every service. A
/// prefix that does not end with `/` (`https://cdi.college.example/portail`) covers what
/// follows it only after a `/`, `?` or `#`, so that `https://a.example` does not cover
/// `https://a.example.evil.test/` nor `https://a.example@evil.test/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPrefix(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrefixProblem {
    #[error("{0:?} is not an http:// or https:// address")]
    Scheme(String),
    #[error("{0:?} names no host")]
    NoHost(String),
    #[error("{0:?} holds a wildcard, a space or a control character")]
    Wildcard(String),
}

impl UrlPrefix {
    pub fn parse(text: &str) -> Result<Self, PrefixProblem> {
        let text = text.trim();
        if text.contains('*') || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PrefixProblem::Wildcard(text.to_owned()));
        }
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| PrefixProblem::Scheme(text.to_owned()))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || authority.contains('@') || host.starts_with(':') {
            return Err(PrefixProblem::NoHost(text.to_owned()));
        }
        // A host name, an IPv4 or a bracketed IPv6 address, and a port: nothing else, so that
        // the origin can go into a header as it is (the sign-in page's `form-action`).
        if !authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            return Err(PrefixProblem::NoHost(text.to_owned()));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `scheme://host[:port]`, the origin of every address the prefix covers.
    pub fn origin(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |at| at + 3);
        let end = self.0[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(self.0.len(), |at| after_scheme + at);
        &self.0[..end]
    }

    /// The host, without the port: `127.0.0.1`, `[::1]`, `moodle.college.example`.
    pub fn host(&self) -> &str {
        let origin = self.origin();
        let authority = &origin[origin.find("://").map_or(0, |at| at + 3)..];
        match authority.rfind(':') {
            // A colon inside brackets belongs to an IPv6 address, not to a port.
            Some(colon) if !authority[colon..].contains(']') => &authority[..colon],
            _ => authority,
        }
    }

    pub fn covers(&self, service: &str) -> bool {
        let Some(rest) = service.strip_prefix(self.0.as_str()) else {
            return false;
        };
        if service.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return false;
        }
        self.0.ends_with(['/', '?', '#']) || rest.is_empty() || rest.starts_with(['/', '?', '#'])
    }
}

impl Serialize for UrlPrefix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for UrlPrefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        UrlPrefix::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Profiles as the directory writes them (`National_ELV`) or shortly (`ELV`).
pub fn parse_profile(code: &str) -> Option<Profile> {
    let code = code.trim();
    Profile::from_code(code).or_else(|| Profile::from_code(&format!("National_{code}")))
}

fn profile_codes<S: Serializer>(
    profiles: &Option<Vec<Profile>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    profiles
        .as_ref()
        .map(|profiles| profiles.iter().map(|p| p.code()).collect::<Vec<_>>())
        .serialize(serializer)
}

fn profiles<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<Profile>>, D::Error> {
    let codes = Option::<Vec<String>>::deserialize(deserializer)?;
    codes
        .map(|codes| {
            codes
                .iter()
                .map(|code| {
                    parse_profile(code).ok_or_else(|| {
                        serde::de::Error::custom(format!(
                            "unknown profile {code:?} (ELV, TUT, ENS, DOC, DIR, EVS or ETA)"
                        ))
                    })
                })
                .collect()
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_covers_its_own_addresses_only() {
        let moodle = UrlPrefix::parse("https://moodle.college.example/").expect("valid");
        assert!(moodle.covers("https://moodle.college.example/"));
        assert!(moodle.covers("https://moodle.college.example/login/index.php?x=1"));
        assert!(!moodle.covers("https://moodle.college.example.evil.test/"));
        assert!(!moodle.covers("http://moodle.college.example/"));
        assert!(!moodle.covers("https://moodle.college.example/\tx"));
        let bare = UrlPrefix::parse("https://cdi.college.example").expect("valid");
        assert!(bare.covers("https://cdi.college.example"));
        assert!(bare.covers("https://cdi.college.example/portail"));
        assert!(bare.covers("https://cdi.college.example?ticket=1"));
        assert!(!bare.covers("https://cdi.college.example.evil.test/"));
        assert!(!bare.covers("https://cdi.college.example@evil.test/"));
        assert!(!bare.covers("https://cdi.college.examples/"));
    }

    #[test]
    fn wildcards_and_hostless_prefixes_are_refused() {
        for text in [
            "*",
            "https://*",
            "https://*.college.example/",
            "https://",
            "https:///x",
        ] {
            assert!(UrlPrefix::parse(text).is_err(), "{text}");
        }
        assert_eq!(
            UrlPrefix::parse("moodle.college.example"),
            Err(PrefixProblem::Scheme("moodle.college.example".to_owned()))
        );
        assert!(UrlPrefix::parse("https://user@evil.test/").is_err());
        assert!(UrlPrefix::parse("https://a.example;script-src:*/").is_err());
        assert!(UrlPrefix::parse("https://a.example,b/").is_err());
        let prefix = UrlPrefix::parse("http://127.0.0.1:8080/app/?x").expect("valid");
        assert_eq!(prefix.origin(), "http://127.0.0.1:8080");
        assert_eq!(prefix.host(), "127.0.0.1");
        let bare = UrlPrefix::parse("https://[::1]").expect("valid");
        assert_eq!(bare.origin(), "https://[::1]");
        assert_eq!(bare.host(), "[::1]");
        let ported = UrlPrefix::parse("https://[::1]:8443/pgt").expect("valid");
        assert_eq!(ported.host(), "[::1]");
        let named = UrlPrefix::parse("https://moodle.college.example/").expect("valid");
        assert_eq!(named.host(), "moodle.college.example");
    }

    #[test]
    fn profiles_are_read_short_or_long() {
        assert_eq!(parse_profile("ELV"), Some(Profile::Eleve));
        assert_eq!(parse_profile("National_ENS"), Some(Profile::Enseignant));
        assert_eq!(parse_profile("PROF"), None);
    }
}
