//! The logo of a registered service, shown on its home tile and on `/admin/services`.
//!
//! Only raster images the browser draws without running anything: PNG, JPEG and WebP, told by
//! their first bytes (the name and the declared type of an upload can say anything). SVG is
//! refused by name: it may hold script, and it is served from Préau's own origin. Each logo is
//! a record of its own (`cas_logos`, by service id), so that reading the registry, which every
//! home page does, never reads an image.

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use super::registry::{CasRegistry, REGISTRY_KEY};
use crate::domain::{Domain, DomainError};

/// The largest logo taken: a tile shows it at 48 px.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoFormat {
    Png,
    Jpeg,
    Webp,
}

impl LogoFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Jpeg => "image/jpeg",
            LogoFormat::Webp => "image/webp",
        }
    }
}

/// Why a logo is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogoProblem {
    #[error("empty file")]
    Empty,
    #[error("{0} bytes, more than the {MAX_LOGO_BYTES} allowed")]
    TooLarge(usize),
    #[error("an SVG image (it may hold script)")]
    Svg,
    #[error("not a PNG, JPEG or WebP image")]
    NotAnImage,
}

/// A stored logo: its format, its bytes and their SHA-256 (the version in its address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    pub format: LogoFormat,
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// The format `bytes` are in, from their signature.
pub fn format_of(bytes: &[u8]) -> Result<LogoFormat, LogoProblem> {
    if bytes.is_empty() {
        return Err(LogoProblem::Empty);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoProblem::TooLarge(bytes.len()));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(LogoFormat::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(LogoFormat::Jpeg);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(LogoFormat::Webp);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    if head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
        && head.contains("<svg")
    {
        return Err(LogoProblem::Svg);
    }
    Err(LogoProblem::NotAnImage)
}

fn to_base64<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(deserializer)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(serde::de::Error::custom)
}

fn key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

impl Domain {
    /// Gives the registered service `id` the logo `bytes`, in place of the one it had.
    pub fn cas_set_logo(
        &self,
        viewer: &crate::domain::accounts::account::Account,
        id: u64,
        bytes: Vec<u8>,
    ) -> Result<(), DomainError> {
        let (mut registry, at) = self.registry_to_change(viewer, id)?;
        let format = format_of(&bytes).map_err(DomainError::CasLogo)?;
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        // The image first: until the registry names it, nobody asks for it.
        self.tables().cas_logos.insert(
            key(id),
            &Logo {
                format,
                bytes,
                sha256: sha256.clone(),
            },
        )?;
        registry.services[at].logo = Some(sha256);
        self.tables().cas_registry.insert(REGISTRY_KEY, &registry)?;
        Ok(())
    }

    /// The administrator's registry, to change, and where the registered service `id` is in it.
    fn registry_to_change(
        &self,
        viewer: &crate::domain::accounts::account::Account,
        id: u64,
    ) -> Result<(CasRegistry, usize), DomainError> {
        Self::administer(viewer)?;
        let registry = (*self.cas_registry()?).clone();
        let at = registry
            .services
            .iter()
            .position(|stored| stored.id == id)
            .ok_or(DomainError::CasUnknownEntry(id))?;
        Ok((registry, at))
    }

    /// Takes the logo of the registered service `id` away.
    pub fn cas_remove_logo(
        &self,
        viewer: &crate::domain::accounts::account::Account,
        id: u64,
    ) -> Result<(), DomainError> {
        let (mut registry, at) = self.registry_to_change(viewer, id)?;
        registry.services[at].logo = None;
        self.tables().cas_registry.insert(REGISTRY_KEY, &registry)?;
        self.tables().cas_logos.remove(key(id))?;
        Ok(())
    }

    /// The logo of the registered service `id`, if it has one. Anyone signed in may see it:
    /// it is the service's, not a person's.
    pub fn cas_logo(&self, id: u64) -> Result<Option<Logo>, DomainError> {
        let named = self
            .cas_registry()?
            .services
            .iter()
            .any(|stored| stored.id == id && stored.logo.is_some());
        if !named {
            return Ok(None);
        }
        Ok(self.tables().cas_logos.get(key(id))?)
    }

    /// Forgets the logo of a service being removed.
    pub(super) fn cas_forget_logo(&self, id: u64) -> Result<(), DomainError> {
        Ok(self.tables().cas_logos.remove(key(id))?)
    }
}

/// The address a logo is served at; its version makes a new logo show at once.
pub fn logo_href(id: u64, sha256: &str) -> String {
    // Préau writes it in hex; a value edited in the store by hand gets no slicing panic.
    let version: String = sha256
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(16)
        .collect();
    format!("/services/{id}/logo?v={version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_jpeg_and_webp_are_told_by_their_first_bytes() {
        assert_eq!(
            format_of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(LogoFormat::Png)
        );
        assert_eq!(
            format_of(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok(LogoFormat::Jpeg)
        );
        assert_eq!(format_of(b"RIFF\x24\0\0\0WEBPVP8 "), Ok(LogoFormat::Webp));
        assert_eq!(
            format_of(b"RIFF\x24\0\0\0WAVEfmt "),
            Err(LogoProblem::NotAnImage)
        );
        assert_eq!(format_of(b"GIF89a"), Err(LogoProblem::NotAnImage));
        assert_eq!(format_of(b""), Err(LogoProblem::Empty));
    }

    #[test]
    fn svg_is_refused_whatever_it_starts_with() {
        for svg in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
            b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<SVG></SVG>",
            b"  \n<!-- logo -->\n<svg/>",
        ] {
            assert_eq!(format_of(svg), Err(LogoProblem::Svg));
        }
        assert_eq!(format_of(b"<html></html>"), Err(LogoProblem::NotAnImage));
    }

    #[test]
    fn a_logo_over_256_kb_is_refused() {
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES, 0);
        assert_eq!(format_of(&big), Ok(LogoFormat::Png));
        big.push(0);
        assert_eq!(
            format_of(&big),
            Err(LogoProblem::TooLarge(MAX_LOGO_BYTES + 1))
        );
    }

    #[test]
    fn the_address_carries_the_start_of_the_hash_whatever_the_stored_text() {
        let hex = "67c6ee5f838e71372b0f";
        assert_eq!(logo_href(7, hex), "/services/7/logo?v=67c6ee5f838e7137");
        assert_eq!(logo_href(7, "é\"<ab"), "/services/7/logo?v=ab");
    }

    #[test]
    fn a_logo_is_stored_as_base64_and_read_back() {
        let logo = Logo {
            format: LogoFormat::Webp,
            bytes: vec![0, 1, 2, 255],
            sha256: "ab".to_owned(),
        };
        let json = serde_json::to_string(&logo).expect("encodes");
        assert!(json.contains("\"AAEC/w==\""), "{json}");
        assert_eq!(serde_json::from_str::<Logo>(&json).expect("decodes"), logo);
    }
}
