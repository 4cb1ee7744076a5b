//! Record ids: UUID-shaped strings drawn from a seeded generator, so that a
//! seeded dataset (and the records a scripted test creates) get the same ids
//! on every run.

use rand::Rng;

/// A random version-4-shaped UUID string from `rng`.
pub fn new_id(rng: &mut impl Rng) -> String {
    let bits: u128 = rng.random();
    // Set the version (4) and variant (10xx) nibbles like a real v4 UUID.
    let bits = (bits & !(0xf << 76)) | (0x4 << 76);
    let bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn ids_look_like_v4_uuids() {
        let id = new_id(&mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn same_seed_gives_same_ids() {
        let a = new_id(&mut ChaCha8Rng::seed_from_u64(7));
        let b = new_id(&mut ChaCha8Rng::seed_from_u64(7));
        assert_eq!(a, b);
    }
}
