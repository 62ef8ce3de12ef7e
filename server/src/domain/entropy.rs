//! Randomness as a parameter, as the clock is: session tokens, password salts and signing keys
//! come from here, so that a test can make them reproducible.

use rand::RngCore;

pub trait Entropy: Send + Sync {
    /// Fills `bytes` with unpredictable bytes.
    fn fill(&self, bytes: &mut [u8]);
}

/// The operating system's generator.
pub struct SystemEntropy;

impl Entropy for SystemEntropy {
    fn fill(&self, bytes: &mut [u8]) {
        rand::rngs::OsRng.fill_bytes(bytes);
    }
}

#[cfg(test)]
pub mod testing {
    use std::sync::Mutex;

    use rand::{RngCore, SeedableRng};

    use super::Entropy;

    /// The same bytes for the same seed, run after run.
    pub struct SeededEntropy(Mutex<rand_chacha::ChaCha8Rng>);

    impl SeededEntropy {
        pub fn new(seed: u64) -> Self {
            Self(Mutex::new(rand_chacha::ChaCha8Rng::seed_from_u64(seed)))
        }
    }

    impl Entropy for SeededEntropy {
        fn fill(&self, bytes: &mut [u8]) {
            self.0.lock().expect("entropy lock").fill_bytes(bytes);
        }
    }
}
