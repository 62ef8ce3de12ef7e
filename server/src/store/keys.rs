//! Key layouts. Integer ids are big-endian so that sled's byte order is numeric order.

/// The single key of the establishment tree.
pub const ESTABLISHMENT: &[u8] = b"establishment";

pub fn id(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn parse_id(bytes: &[u8]) -> Option<u64> {
    let array: [u8; 8] = bytes.try_into().ok()?;
    Some(u64::from_be_bytes(array))
}

/// `account id ‖ suffix`: every entry of an account sorts together, so a prefix scan finds them.
pub fn owned(owner: u64, suffix: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(8 + suffix.len());
    key.extend_from_slice(&owner.to_be_bytes());
    key.extend_from_slice(suffix);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_numerically_as_bytes() {
        assert!(id(2) < id(10));
        assert!(id(255) < id(256));
        assert_eq!(parse_id(&id(42)), Some(42));
        assert_eq!(parse_id(b"short"), None);
    }

    #[test]
    fn owned_keys_share_their_owner_prefix() {
        let key = owned(7, b"abc");
        assert!(key.starts_with(&id(7)));
        assert_eq!(&key[8..], b"abc");
    }
}
