//! Turns the bytes of a feed file into text, following the encoding its XML prolog declares.
//!
//! Académies export in UTF-8 or ISO-8859-15. ISO-8859-15 is not Latin-1: it has Œ œ € Š š Ž ž Ÿ
//! where Latin-1 has other signs, so decoding one as the other would corrupt names like `BŒUF`.

use std::borrow::Cow;

use encoding_rs::{Encoding, ISO_8859_15, UTF_8, WINDOWS_1252};

use super::error::{FeedError, Problem};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const SUPPORTED: &str = "UTF-8, ISO-8859-15, ISO-8859-1, windows-1252";

/// Decodes `bytes` as the encoding declared in the prolog (UTF-8 when none is declared).
pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, FeedError> {
    let unsupported = |label: &str| {
        FeedError::Encoding(Problem::new(
            file,
            format!("encodage « {label} » non pris en charge (encodages acceptés : {SUPPORTED})"),
        ))
    };
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xFF\xFE") {
        return Err(unsupported("UTF-16"));
    }
    let (body, has_bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(body) => (body, true),
        None => (bytes, false),
    };
    let encoding = match declared_encoding(body) {
        None => UTF_8,
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            // encoding_rs follows WHATWG: "ISO-8859-1", "latin1" and "US-ASCII" name windows-1252,
            // which agrees with them on every printable character.
            Some(found) if [UTF_8, ISO_8859_15, WINDOWS_1252].contains(&found) => found,
            _ => return Err(unsupported(&label)),
        },
    };
    if has_bom && encoding != UTF_8 {
        return Err(FeedError::Encoding(Problem::new(
            file,
            format!(
                "le fichier commence par une marque d'ordre des octets (BOM) UTF-8 mais déclare l'encodage « {} »",
                encoding.name()
            ),
        )));
    }
    if encoding == UTF_8 {
        return std::str::from_utf8(body)
            .map(Cow::Borrowed)
            .map_err(|error| {
                let offset = error.valid_up_to();
                let line = 1 + body[..offset].iter().filter(|&&b| b == b'\n').count();
                FeedError::Encoding(
                    Problem::new(
                        file,
                        format!(
                            "UTF-8 invalide à l'octet {offset} ; le fichier est peut-être dans un autre \
                             encodage que celui que déclare son prologue XML"
                        ),
                    )
                    .at_line(line as u64),
                )
            });
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(|| {
            FeedError::Encoding(Problem::new(
                file,
                format!(
                    "le fichier n'est pas valide en {} : il contient des octets hors de cet encodage",
                    encoding.name()
                ),
            ))
        })
}

/// The `encoding` pseudo-attribute of the XML declaration, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    if !rest.first()?.is_ascii_whitespace() {
        return None;
    }
    let end = rest.windows(2).position(|pair| pair == b"?>")?;
    let declaration = std::str::from_utf8(&rest[..end]).ok()?;
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prolog(encoding: &str, body: &[u8]) -> Vec<u8> {
        let mut bytes = format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n").into_bytes();
        bytes.extend_from_slice(body);
        bytes
    }

    #[test]
    fn iso_8859_15_is_decoded_with_its_own_signs_not_latin_1() {
        let bytes = prolog("ISO-8859-15", b"<sn>B\xBCUF \xA4 \xA6</sn>");
        let text = decode("p.xml", &bytes).unwrap();
        assert!(text.ends_with("<sn>BŒUF € Š</sn>"), "{text}");
    }

    #[test]
    fn utf_8_is_the_default_and_a_bom_is_skipped() {
        let text = decode("a.xml", "<a>é</a>".as_bytes()).unwrap();
        assert_eq!(text, "<a>é</a>");
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend(prolog("utf-8", "<a>é</a>".as_bytes()));
        assert!(decode("a.xml", &bytes).unwrap().starts_with("<?xml"));
    }

    #[test]
    fn latin_1_labels_are_accepted() {
        let bytes = prolog("ISO-8859-1", b"<a>\xE9</a>");
        assert!(decode("a.xml", &bytes).unwrap().ends_with("<a>é</a>"));
        let single_quoted = b"<?xml version='1.0' encoding = 'latin1' ?><a>\xE9</a>";
        assert!(decode("a.xml", single_quoted)
            .unwrap()
            .ends_with("<a>é</a>"));
    }

    #[test]
    fn an_unknown_or_unsupported_encoding_is_an_error() {
        for label in ["KLINGON-8", "Shift_JIS", "UTF-16"] {
            let error = decode("x.xml", &prolog(label, b"<a/>")).unwrap_err();
            assert_eq!(
                error,
                FeedError::Encoding(Problem::new(
                    "x.xml",
                    format!(
                        "encodage « {label} » non pris en charge (encodages acceptés : {SUPPORTED})"
                    )
                ))
            );
        }
        assert!(decode("x.xml", b"\xFF\xFE<\x00a\x00/\x00>\x00").is_err());
    }

    #[test]
    fn latin_1_bytes_in_a_file_declared_utf_8_are_an_error_with_their_line() {
        let bytes = prolog("UTF-8", b"<a>\n<b>B\xE9atrice</b>\n</a>");
        let error = decode("u.xml", &bytes).unwrap_err();
        let problem = error.problem();
        assert_eq!(problem.line, Some(3));
        assert!(
            problem.message.starts_with("UTF-8 invalide à l'octet "),
            "{problem}"
        );
    }

    #[test]
    fn a_bom_contradicting_the_declaration_is_an_error() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend(prolog("ISO-8859-15", b"<a/>"));
        assert!(matches!(
            decode("b.xml", &bytes),
            Err(FeedError::Encoding(_))
        ));
    }
}
