//! Small pieces of the learned models: a repeatable shuffle (the crisis
//! model's) and the word-pair feature both use.

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
    fn pair_depends_on_order() {
        assert_ne!(pair(1, 2), pair(2, 1));
        assert_ne!(pair(1, 2), 1);
    }
}
