//! Random version-4 UUIDs for `urn:uuid:` fullUrls, without a dependency: std's randomly
//! seeded `RandomState` hashes a process-wide counter. Unique, not cryptographic.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh `urn:uuid:` with random version-4 bits.
pub fn new_urn() -> String {
    let state = RandomState::new();
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h = state.build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn urns_are_valid_and_distinct() {
        let a = super::new_urn();
        let b = super::new_urn();
        assert_ne!(a, b);
        assert!(crate::primitives::Uuid::parse(&a).is_ok(), "{a}");
    }
}
