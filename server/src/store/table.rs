use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{codec, StoreError};

/// A sled tree whose values are all of one type.
pub struct Table<V> {
    tree: sled::Tree,
    _value: PhantomData<fn() -> V>,
}

impl<V> Clone for Table<V> {
    fn clone(&self) -> Self {
        Self {
            tree: self.tree.clone(),
            _value: PhantomData,
        }
    }
}

impl<V: Serialize + DeserializeOwned> Table<V> {
    pub fn new(tree: sled::Tree) -> Self {
        Self {
            tree,
            _value: PhantomData,
        }
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

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }
}
