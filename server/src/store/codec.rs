//! How values are written: a tag byte, then the value as JSON.
//!
//! JSON keeps stored values readable and lets a migration rewrite them as plain
//! `serde_json::Value`s; the tag leaves room for a denser encoding later without ambiguity.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

const JSON_TAG: u8 = b'J';

pub fn encode<V: Serialize>(value: &V) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![JSON_TAG];
    serde_json::to_writer(&mut bytes, value).map_err(|e| StoreError::Encode(e.to_string()))?;
    Ok(bytes)
}

pub fn decode<V: DeserializeOwned>(tree: &str, bytes: &[u8]) -> Result<V, StoreError> {
    let fail = |message: String| StoreError::Decode {
        tree: tree.to_owned(),
        message,
    };
    match bytes.split_first() {
        Some((&JSON_TAG, json)) => serde_json::from_slice(json).map_err(|e| fail(e.to_string())),
        Some((tag, _)) => Err(fail(format!("unknown codec tag {tag:#04x}"))),
        None => Err(fail("empty value".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sample {
        name: String,
        n: u32,
    }

    #[test]
    fn a_value_round_trips() {
        let value = Sample {
            name: "Élodie d'Arc".into(),
            n: 7,
        };
        let bytes = encode(&value).expect("encodes");
        assert_eq!(bytes[0], b'J');
        assert_eq!(decode::<Sample>("t", &bytes).expect("decodes"), value);
    }

    #[test]
    fn an_unknown_tag_is_refused_with_the_tree_name() {
        let error = decode::<Sample>("accounts", b"X{}").expect_err("must fail");
        assert!(error.to_string().contains("accounts"));
        assert!(error.to_string().contains("0x58"));
    }

    #[test]
    fn an_empty_or_truncated_value_is_refused() {
        assert!(decode::<Sample>("t", b"").is_err());
        assert!(decode::<Sample>("t", b"J{\"name\":\"a\"").is_err());
    }
}
