//! Small pieces of the learned models: a repeatable shuffle (the crisis
//! model's), the word-pair feature both use, and the per-process cache of
//! trained models.

use std::sync::{Arc, Mutex};

/// Models kept per kind: a teach builds the engine with the edit and the one
/// without it, then the reload builds the edited one again; with two kept,
/// each is trained once.
const KEPT: usize = 2;

/// Trained models of one kind, by a hash of what they were trained on.
pub type ModelCache<T> = Mutex<Vec<(u64, Arc<T>)>>;

/// The model trained on data hashing to `key`: from `cache` when one of the
/// last [`KEPT`] trained has that key, else `train()`, kept for next time.
/// Training is deterministic, so the same data gives the same model.
pub fn cached<T>(cache: &ModelCache<T>, key: u64, train: impl FnOnce() -> T) -> Arc<T> {
    let mut kept = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, model)) = kept.iter().find(|(k, _)| *k == key) {
        return Arc::clone(model);
    }
    let model = Arc::new(train());
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push((key, Arc::clone(&model)));
    model
}

/// Fisher–Yates with xorshift: repeatable without a dependency.
pub fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

/// A pair's feature: both words' hashes mixed so that ("a", "b") and
/// ("b", "a") and either word alone differ.
pub fn pair(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5bd1_e995
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_repeatable_permutation() {
        let mut a: Vec<usize> = (0..50).collect();
        let mut b = a.clone();
        let (mut s1, mut s2) = (7u64, 7u64);
        shuffle(&mut a, &mut s1);
        shuffle(&mut b, &mut s2);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(a, sorted);
    }

    #[test]
    fn the_cache_trains_once_per_key_and_keeps_two() {
        let cache: ModelCache<u64> = Mutex::new(Vec::new());
        let mut trained = 0;
        for key in [1, 2, 1, 2, 3, 1] {
            let m = cached(&cache, key, || {
                trained += 1;
                key * 10
            });
            assert_eq!(*m, key * 10);
        }
        // 1, 2, then 3 (dropping 1), then 1 again.
        assert_eq!(trained, 4);
    }

    #[test]
    fn pair_depends_on_order() {
        assert_ne!(pair(1, 2), pair(2, 1));
        assert_ne!(pair(1, 2), 1);
    }
}
