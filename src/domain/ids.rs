//! Identifiers derived from their context instead of drawn at random, so `decide` stays a
//! pure function and a retried command produces the very same events.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A stable UUID (version 8) for `parts` under a parent id.
pub fn derive_id(parent: Uuid, parts: &[&str]) -> Uuid {
    let mut hasher = Sha256::new();
    hasher.update(parent.as_bytes());
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_context_gives_the_same_id_and_another_gives_another() {
        let parent = Uuid::now_v7();
        assert_eq!(
            derive_id(parent, &["task", "IRICA"]),
            derive_id(parent, &["task", "IRICA"])
        );
        assert_ne!(
            derive_id(parent, &["task", "IRICA"]),
            derive_id(parent, &["taskI", "RICA"])
        );
        assert_eq!(derive_id(parent, &["x"]).get_version_num(), 8);
    }
}
