//! A learned second opinion on *which* entry a message asks, beside the
//! lexical score.
//!
//! The lexical score ([`super::Matcher::rank`]) compares a message with each
//! entry's phrasings word by word, and every shared word counts by its
//! rarity alone. On chat nobody had seen, most wrong answers were not
//! declines but the wrong entry chosen among close ones: "had my first
//! session last month and i dont see much yet, is that normal?" scored 0.59
//! for *what microneedling is* (it shares "first", "session") and 0.58 for
//! *patience*. Which words tell two close entries apart ("yet", "normal"
//! against "what", "exactly") is what a classifier trained on the
//! phrasings learns and a similarity does not.
//!
//! The model is a softmax regression over the terms of each entry's
//! phrasings and their adjacent pairs, trained when the knowledge loads, so
//! a moderator teaches it by adding a phrasing, as before. It never decides
//! alone whether to answer: [`super::Matcher::rank`] only lowers a
//! candidate's confidence by how much less likely the model finds it than
//! the candidates' favourite, so a confidence never rises above its lexical
//! score and declines stay the lexical score's.

use crate::learning::{cached, ModelCache};
use rustc_hash::FxHashMap as HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};

/// Passes over the phrasings. Between 4 and 20 passes, and for step sizes
/// and shrinkage ten times either way, the blind sets scored the same
/// within a few messages in 7,453; fewer passes load faster.
/// The most entries the model is trained for. Its weights are dense (one
/// per feature and entry, three such tables while training), so a
/// knowledge of 10,000 generated entries would need gigabytes; past this
/// many entries matching is on words alone, as it was before the model.
pub const MAX_ENTRIES: usize = 500;

const EPOCHS: usize = 6;
/// AdaGrad step size.
const RATE: f64 = 0.5;
/// L2 shrinkage per step: keeps one phrasing's odd word from deciding
/// alone, and makes the model depend less on the order it saw the
/// phrasings in. Adding one phrasing ("is it a fad or is it here to stay")
/// changed the outcome of 70 of 13,106 set lines at 1e-4 and 36 at 1e-3,
/// with the same accuracy; a moderator's teach then moves fewer questions.
const SHRINK: f64 = 1e-3;
/// Label smoothing: each phrasing is learned as 95 % its entry and the rest
/// spread over the others. Without it the model grew sure of its training
/// phrasings (0.9 and more for one entry on a single word like "hands"),
/// and one added phrasing flipped a dozen unrelated blind-set answers.
const SMOOTH: f64 = 0.05;
/// Seeds of the training orders, one model each, averaged. With orders
/// drawn from each phrasing's own key (see `train`), adding one phrasing
/// changed the outcome of 3 of 13,106 set lines; with a shuffle of
/// positions, 36.
const SEEDS: [u64; 4] = [
    0x9E37_79B9_7F4A_7C15,
    0xD1B5_4A32_D192_ED03,
    0x8CB9_2BA7_2F3D_8DD7,
    0xA076_1D64_78BD_642F,
];

/// The trained weights: per feature, one weight per entry.
#[derive(Debug, Clone, Default)]
pub struct EntryModel {
    weights: HashMap<u64, Box<[f32]>>,
    bias: Vec<f32>,
}

impl EntryModel {
    /// The model for these phrasings, trained on the first call and reused
    /// while they stay the same: a reload or a teach that leaves the
    /// entries alone (and every test engine over the shipped knowledge)
    /// does not train again.
    pub fn shared(examples: &[(Vec<String>, usize)], entries: usize) -> Arc<EntryModel> {
        static CACHE: ModelCache<EntryModel> = Mutex::new(Vec::new());
        let mut h = rustc_hash::FxHasher::default();
        h.write_usize(entries);
        for (terms, e) in examples {
            h.write_usize(*e);
            for t in terms {
                h.write(t.as_bytes());
                h.write_u8(0xff);
            }
            h.write_u8(0xfe);
        }
        cached(&CACHE, h.finish(), || EntryModel::train(examples, entries))
    }

    /// Trains on `(terms of a phrasing, its entry)` pairs for `entries`
    /// entries. Empty (no opinion) with fewer than two entries, or more
    /// than [`MAX_ENTRIES`].
    pub fn train(examples: &[(Vec<String>, usize)], entries: usize) -> EntryModel {
        if !(2..=MAX_ENTRIES).contains(&entries) || examples.is_empty() {
            return EntryModel::default();
        }
        let mut index: HashMap<u64, u32> = HashMap::default();
        // Each phrasing's own key, from its words: the order of training is
        // drawn from the keys, so a phrasing added or removed leaves the
        // others in the same order (a shuffle of positions would reorder
        // them all, and the model would move with it).
        let mut keys: Vec<u64> = Vec::with_capacity(examples.len());
        let data: Vec<(Vec<u32>, usize)> = examples
            .iter()
            .filter(|(_, e)| *e < entries)
            .map(|(terms, e)| {
                let mut h = rustc_hash::FxHasher::default();
                h.write_usize(*e);
                for t in terms {
                    h.write(t.as_bytes());
                    h.write_u8(0xff);
                }
                keys.push(h.finish());
                let ids = features(terms)
                    .into_iter()
                    .map(|f| {
                        let next = index.len() as u32;
                        *index.entry(f).or_insert(next)
                    })
                    .collect();
                (ids, *e)
            })
            .collect();
        let mut sum = vec![0.0f64; index.len() * entries];
        let mut bias_sum = vec![0.0f64; entries];
        for seed in SEEDS {
            let (w, b) = fit(&data, &keys, index.len(), entries, seed);
            sum.iter_mut().zip(w).for_each(|(s, x)| *s += x);
            bias_sum.iter_mut().zip(b).for_each(|(s, x)| *s += x);
        }
        let n = SEEDS.len() as f64;
        let weights = index
            .into_iter()
            .map(|(f, i)| {
                let row = &sum[i as usize * entries..(i as usize + 1) * entries];
                (f, row.iter().map(|x| (x / n) as f32).collect())
            })
            .collect();
        EntryModel {
            weights,
            bias: bias_sum.iter().map(|x| (x / n) as f32).collect(),
        }
    }

    /// Whether the model was trained.
    pub fn is_trained(&self) -> bool {
        !self.bias.is_empty()
    }

    /// Each entry's probability for a message's terms (empty when untrained).
    pub fn probabilities(&self, terms: &[String]) -> Vec<f32> {
        if !self.is_trained() {
            return Vec::new();
        }
        let mut z = self.bias.clone();
        for f in features(terms) {
            if let Some(row) = self.weights.get(&f) {
                z.iter_mut().zip(row.iter()).for_each(|(a, b)| *a += b);
            }
        }
        softmax(&mut z);
        z
    }
}

fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut total = 0.0;
    for x in z.iter_mut() {
        *x = (*x - max).exp();
        total += *x;
    }
    z.iter_mut().for_each(|x| *x /= total);
}

/// One model: AdaGrad softmax regression over the phrasings, each pass in
/// an order drawn from the phrasings' keys and `seed`. Returns the weights
/// (feature-major) and the biases.
fn fit(
    data: &[(Vec<u32>, usize)],
    keys: &[u64],
    features: usize,
    entries: usize,
    seed: u64,
) -> (Vec<f64>, Vec<f64>) {
    let mut w = vec![0.0f64; features * entries];
    let mut g2 = vec![1e-8f64; features * entries];
    let mut bias = vec![0.0f64; entries];
    let mut bias_g2 = vec![1e-8f64; entries];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut z = vec![0.0f64; entries];
    for epoch in 0..EPOCHS as u64 {
        order.sort_by_key(|&i| mix(keys[i] ^ seed ^ epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        for &i in &order {
            let (ids, entry) = &data[i];
            z.copy_from_slice(&bias);
            for &f in ids {
                let row = &w[f as usize * entries..(f as usize + 1) * entries];
                z.iter_mut().zip(row).for_each(|(a, b)| *a += b);
            }
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = z.iter().map(|x| (x - max).exp()).sum();
            for (c, zc) in z.iter().enumerate() {
                let p = (zc - max).exp() / total;
                let g = p - if c == *entry {
                    1.0 - SMOOTH
                } else {
                    SMOOTH / (entries as f64 - 1.0)
                };
                bias_g2[c] += g * g;
                bias[c] -= RATE * g / bias_g2[c].sqrt();
                for &f in ids {
                    let k = f as usize * entries + c;
                    let gf = g + SHRINK * w[k];
                    g2[k] += gf * gf;
                    w[k] -= RATE * gf / g2[k].sqrt();
                }
            }
        }
    }
    (w, bias)
}

/// SplitMix64's finalizer: a key's place in one pass's order.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Each term and each adjacent pair of terms, once.
fn features(terms: &[String]) -> Vec<u64> {
    let hashes: Vec<u64> = terms
        .iter()
        .map(|t| {
            let mut h = rustc_hash::FxHasher::default();
            h.write(t.as_bytes());
            h.finish()
        })
        .collect();
    let mut out = Vec::with_capacity(2 * hashes.len());
    out.extend_from_slice(&hashes);
    out.extend(hashes.windows(2).map(|p| crate::learning::pair(p[0], p[1])));
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn training_tells_close_entries_apart_by_their_distinguishing_words() {
        let examples = vec![
            (terms("what microneedl exactli"), 0),
            (terms("what microneedl procedur"), 0),
            (terms("session result yet normal"), 1),
            (terms("first session see result yet"), 1),
        ];
        let m = EntryModel::train(&examples, 2);
        let p = m.probabilities(&terms("first session see normal"));
        assert!(p[1] > p[0], "{p:?}");
        let p = m.probabilities(&terms("what exactli"));
        assert!(p[0] > p[1], "{p:?}");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert_eq!(
            p,
            EntryModel::train(&examples, 2).probabilities(&terms("what exactli"))
        );
    }

    #[test]
    fn one_entry_trains_nothing() {
        let m = EntryModel::train(&[(terms("a b"), 0)], 1);
        assert!(!m.is_trained());
        assert!(m.probabilities(&terms("a")).is_empty());
    }

    #[test]
    fn a_knowledge_past_the_cap_gets_no_model() {
        // Dense weights for thousands of entries would not fit in memory.
        let examples: Vec<(Vec<String>, usize)> = (0..=MAX_ENTRIES)
            .map(|e| (vec![format!("word{e}")], e))
            .collect();
        assert!(!EntryModel::train(&examples, MAX_ENTRIES + 1).is_trained());
        assert!(EntryModel::train(&examples[..3], 3).is_trained());
    }
}
