use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{codec, StoreError};

/// A sled tree whose values are all of one type.
///
/// Pages read the same few values over and over (the establishment, the viewer, a class's
/// teachers): [`Table::get_shared`] keeps the decoded value next to the bytes it came from and
/// decodes again only when the stored bytes differ. Whoever writes, through whatever path, the
/// cache cannot serve a stale value.
pub struct Table<V> {
    tree: sled::Tree,
    decoded: Arc<RwLock<Cache<V>>>,
}

/// foldhash rather than SipHash: the lookup is on every read of every page, and its keys are
/// record identifiers the store already holds.
type Cache<V> = HashMap<sled::IVec, Decoded<V>, foldhash::fast::RandomState>;

struct Decoded<V> {
    bytes: sled::IVec,
    value: Arc<V>,
}

/// Past this many cached values the cache starts over (a full import touches every account).
const CACHE_LIMIT: usize = 20_000;

/// sled often hands back the very buffer it cached: then no byte needs comparing.
fn same_bytes(cached: &sled::IVec, stored: &sled::IVec) -> bool {
    let (a, b) = (cached.as_ref(), stored.as_ref());
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

impl<V> Clone for Table<V> {
    fn clone(&self) -> Self {
        Self {
            tree: self.tree.clone(),
            decoded: self.decoded.clone(),
        }
    }
}

impl<V: Serialize + DeserializeOwned> Table<V> {
    pub fn new(tree: sled::Tree) -> Self {
        Self {
            tree,
            decoded: Arc::new(RwLock::new(Cache::default())),
        }
    }

    /// The value under `key`, decoded at most once for the same stored bytes.
    pub fn get_shared(&self, key: impl AsRef<[u8]>) -> Result<Option<Arc<V>>, StoreError> {
        let key = key.as_ref();
        let Some(bytes) = self.tree.get(key)? else {
            return Ok(None);
        };
        if let Ok(cache) = self.decoded.read() {
            if let Some(hit) = cache.get(key).filter(|hit| same_bytes(&hit.bytes, &bytes)) {
                return Ok(Some(hit.value.clone()));
            }
        }
        let value = Arc::new(codec::decode::<V>(&self.name(), &bytes)?);
        if let Ok(mut cache) = self.decoded.write() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(
                sled::IVec::from(key),
                Decoded {
                    bytes,
                    value: value.clone(),
                },
            );
        }
        Ok(Some(value))
    }

    pub fn tree(&self) -> &sled::Tree {
        &self.tree
    }

    fn name(&self) -> String {
        String::from_utf8_lossy(&self.tree.name()).into_owned()
    }

    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<V>, StoreError> {
        match self.tree.get(key)? {
            Some(bytes) => Ok(Some(codec::decode(&self.name(), &bytes)?)),
            None => Ok(None),
        }
    }

    pub fn insert(&self, key: impl AsRef<[u8]>, value: &V) -> Result<(), StoreError> {
        self.tree.insert(key.as_ref(), codec::encode(value)?)?;
        Ok(())
    }

    pub fn remove(&self, key: impl AsRef<[u8]>) -> Result<(), StoreError> {
        self.tree.remove(key)?;
        Ok(())
    }

    /// Every value, in key order.
    pub fn values(&self) -> impl Iterator<Item = Result<V, StoreError>> + '_ {
        let name = self.name();
        self.tree.iter().map(move |entry| {
            let (_, bytes) = entry?;
            codec::decode(&name, &bytes)
        })
    }

    /// The values whose keys are in `range`, in key order.
    pub fn range<K: AsRef<[u8]>>(
        &self,
        range: std::ops::Range<K>,
    ) -> impl Iterator<Item = Result<V, StoreError>> + '_ {
        let name = self.name();
        self.tree.range(range).map(move |entry| {
            let (_, bytes) = entry?;
            codec::decode(&name, &bytes)
        })
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_value_follows_every_write_to_the_tree() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::open(dir.path()).expect("opens");
        let table: Table<String> = Table::new(db.open_tree("t").expect("tree"));
        table.insert("k", &"première".to_owned()).expect("writes");
        let first = table.get_shared("k").expect("reads").expect("present");
        let again = table.get_shared("k").expect("reads").expect("present");
        assert!(
            Arc::ptr_eq(&first, &again),
            "decoded once for the same bytes"
        );
        // A write that bypasses the table (a transaction, another handle) is still seen.
        db.open_tree("t")
            .expect("tree")
            .insert("k", codec::encode(&"seconde".to_owned()).expect("encodes"))
            .expect("writes");
        assert_eq!(
            *table.get_shared("k").expect("reads").expect("present"),
            "seconde"
        );
        table.remove("k").expect("removes");
        assert!(table.get_shared("k").expect("reads").is_none());
    }
}
