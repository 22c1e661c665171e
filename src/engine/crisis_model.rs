//! A learned second opinion on crisis, beside the crisis patterns and signs.
//!
//! Crisis told without the words ("everyone would have an easier time if I
//! wasn't here taking up space") does not converge by listing phrases: six
//! blind probes, each written after the previous one's phrases were added,
//! each found about half their messages unlisted. What those messages share
//! is spread over many small words (here, wasn't, anymore, everyone,
//! tonight, my stuff), which a weighted sum of words and word pairs learns
//! from examples better than a moderator can list them.
//!
//! The model is a logistic regression over the words, the adjacent word
//! pairs and the pairs one word apart ("want _ be", "not _ here") of a
//! message, trained when the knowledge loads from
//! `crisis_examples.jsonl` (messages marked crisis or not). Training is
//! deterministic, so the same examples always give the same model, and a
//! moderator teaches it by adding a line. It only ever adds crisis replies:
//! the patterns still decide on their own.
//!
//! The model depends on that file alone, so it is trained once per process
//! for the same examples ([`CrisisModel::shared`]): a teach or a reload that
//! changes other files reuses it.

use crate::knowledge::CrisisExample;
use crate::learning::{cached, ModelCache};
use rustc_hash::FxHashMap as HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};

/// Passes over the examples. The examples are few (thousands) and the
/// features sparse; more passes fit the examples, not new wording.
const EPOCHS: usize = 8;
/// Step size of AdaGrad, which scales each word's steps by how often it has
/// moved: rare words (most crisis wording) still learn.
const RATE: f64 = 0.3;
/// L2 shrinkage per step: keeps a word seen in one example from deciding alone.
const SHRINK: f64 = 1e-4;
/// Weight of a crisis example's error against an ordinary one's: crisis
/// examples are a few percent of all, and missing one costs more. At 8
/// (chosen when they were 3 %), the 2,000 crisis messages of the stored
/// probes taught everyday words ("my microneedling", "after") toward
/// crisis: a makeup artist's question about makeup after her session
/// scored 6.2. In cross-validation by set (`tools/crisis_cv.py`), 4 caught
/// more crisis messages at about the same false alarms (words and adjacent
/// pairs only: 1,663 with 47 false alarms, against 1,636 with 45 at 8).
const CRISIS_WEIGHT: f64 = 4.0;
/// How many times each crisis example is also learned joined to an
/// ordinary one ([`CrisisModel::train`]).
const JOINED: usize = 2;
/// Start of the bias: crisis is rare.
const START_BIAS: f64 = -3.0;
/// Seeds of the example shuffles, one model each, averaged: any fixed values
/// keep training repeatable. One model's scores moved by 1.3 on average
/// (up to 3) with the order it saw the examples in, so adding one unrelated
/// example could flip a message; the average of four moves about half as
/// much.
const SEEDS: [u64; 4] = [
    0x9E37_79B9_7F4A_7C15,
    0xD1B5_4A32_D192_ED03,
    0x8CB9_2BA7_2F3D_8DD7,
    0xA076_1D64_78BD_642F,
];

/// The trained weights. Empty (never a crisis) when there were no crisis
/// examples or no ordinary ones.
#[derive(Debug, Default)]
pub struct CrisisModel {
    weights: HashMap<u64, f32>,
    bias: f32,
}

impl CrisisModel {
    /// The model for `examples`, trained on the first call and reused while
    /// the examples stay the same.
    pub fn shared(examples: &[CrisisExample]) -> Arc<CrisisModel> {
        static CACHE: ModelCache<CrisisModel> = Mutex::new(Vec::new());
        let mut h = rustc_hash::FxHasher::default();
        for x in examples {
            h.write(x.text.as_bytes());
            h.write_u8(u8::from(x.crisis) + 2);
        }
        cached(&CACHE, h.finish(), || {
            CrisisModel::train(examples.iter().map(|x| (x.text.as_str(), x.crisis)))
        })
    }

    /// Trains on `examples`. Each crisis example is also learned joined to
    /// an ordinary one (before or after it): members hide a crisis inside
    /// an everyday question ("… anyway, how many sessions for boxcar
    /// scars?"), and without these the question's words outweighed it. In
    /// five-fold cross-validation by set, at 7 false alarms in about 8,900
    /// ordinary messages, the joined copies raised the crisis messages
    /// caught from 212 to 237 of 304.
    pub fn train<'a>(examples: impl IntoIterator<Item = (&'a str, bool)>) -> CrisisModel {
        let examples: Vec<(&str, bool)> = examples.into_iter().collect();
        let ordinary: Vec<&str> = examples.iter().filter(|x| !x.1).map(|x| x.0).collect();
        let joined: Vec<String> = if ordinary.is_empty() {
            Vec::new()
        } else {
            let crisis: Vec<&str> = examples.iter().filter(|x| x.1).map(|x| x.0).collect();
            (0..crisis.len() * JOINED)
                .map(|i| {
                    let text = crisis[i % crisis.len()];
                    let other = ordinary[(i * 7919 + 13) % ordinary.len()];
                    // Each copy on the other side of the ordinary message.
                    if (i + i / crisis.len()) % 2 == 0 {
                        format!("{text} {other}")
                    } else {
                        format!("{other} {text}")
                    }
                })
                .collect()
        };
        // Number the features once; training then works on plain vectors.
        let mut index: HashMap<u64, u32> = HashMap::default();
        let mut data: Vec<(Vec<u32>, bool)> = Vec::new();
        let all = examples
            .iter()
            .copied()
            .chain(joined.iter().map(|t| (t.as_str(), true)));
        for (text, crisis) in all {
            let ids = features(text)
                .into_iter()
                .map(|f| {
                    let next = index.len() as u32;
                    *index.entry(f).or_insert(next)
                })
                .collect();
            data.push((ids, crisis));
        }
        if !data.iter().any(|d| d.1) || data.iter().all(|d| d.1) {
            return CrisisModel::default();
        }
        // The shuffles are independent: one thread each (a load with some
        // 45,000 examples waits for the slowest, not the sum). Summed in
        // the order of SEEDS, so the model does not depend on which
        // finished first.
        let (data, width) = (&data, index.len());
        let fits: Vec<(Vec<f64>, f64)> = std::thread::scope(|scope| {
            let running: Vec<_> = SEEDS
                .iter()
                .map(|&seed| scope.spawn(move || fit(data, width, seed)))
                .collect();
            running
                .into_iter()
                .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut sum = vec![0.0f64; index.len()];
        let mut bias_sum = 0.0;
        for (w, bias) in fits {
            sum.iter_mut().zip(w).for_each(|(s, x)| *s += x);
            bias_sum += bias;
        }
        let n = SEEDS.len() as f64;
        let weights = index
            .into_iter()
            .map(|(f, i)| (f, (sum[i as usize] / n) as f32))
            .filter(|&(_, x)| x != 0.0)
            .collect();
        CrisisModel {
            weights,
            bias: (bias_sum / n) as f32,
        }
    }

    /// Whether the model was trained (it had both kinds of example).
    pub fn is_trained(&self) -> bool {
        !self.weights.is_empty()
    }

    /// The message's score: above the knowledge's threshold is a crisis.
    /// The log-odds of crisis, so 0 is even odds.
    pub fn score(&self, text: &str) -> f32 {
        if !self.is_trained() {
            return f32::NEG_INFINITY;
        }
        self.bias
            + features(text)
                .iter()
                .filter_map(|f| self.weights.get(f))
                .sum::<f32>()
    }

    /// The words and word pairs that weigh most toward crisis in `text`,
    /// heaviest first (for `explain`: what a moderator would add an example
    /// against).
    pub fn heaviest(&self, text: &str, n: usize) -> Vec<(String, f32)> {
        let mut seen = Vec::new();
        let mut out: Vec<(String, f32)> = Vec::new();
        for (f, name) in named_features(text) {
            if seen.contains(&f) {
                continue;
            }
            seen.push(f);
            if let Some(&x) = self.weights.get(&f) {
                if x > 0.0 {
                    out.push((name, x));
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(n);
        out
    }
}

/// One model: AdaGrad logistic regression over the examples in the order a
/// shuffle from `seed` gives. Returns the weights (by feature number) and
/// the bias.
fn fit(data: &[(Vec<u32>, bool)], features: usize, seed: u64) -> (Vec<f64>, f64) {
    let mut w = vec![0.0f64; features];
    let mut g2 = vec![1e-8f64; features];
    let (mut bias, mut bias_g2) = (START_BIAS, 1e-8f64);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed;
    for _ in 0..EPOCHS {
        crate::learning::shuffle(&mut order, &mut rng);
        for &i in &order {
            let (ids, crisis) = &data[i];
            let z = bias + ids.iter().map(|&f| w[f as usize]).sum::<f64>();
            let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
            let y = if *crisis { 1.0 } else { 0.0 };
            let g = (p - y) * if *crisis { CRISIS_WEIGHT } else { 1.0 };
            bias_g2 += g * g;
            bias -= RATE * g / bias_g2.sqrt();
            for &f in ids {
                let f = f as usize;
                let gf = g + SHRINK * w[f];
                g2[f] += gf * gf;
                w[f] -= RATE * gf / g2[f].sqrt();
            }
        }
    }
    (w, bias)
}

/// The message's words: ASCII letters, lowercased, apostrophes dropped
/// ("wasn't" is "wasnt", as members type it too). Its own reading, not the
/// analyzer's: typo correction and synonyms would blur the small words the
/// model leans on.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word of [`words`], in order, from one reused buffer:
/// scoring a message needs only the words' hashes, not a string per word.
fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() {
            word.push(c);
        } else if !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

fn hash_word(w: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(w.as_bytes());
    h.finish()
}

/// The feature of two words one apart ("dont _ to", "be _ anymore"): a
/// pair of its own, never equal to the adjacent pair of the same words.
fn skip_pair(a: u64, b: u64) -> u64 {
    crate::learning::pair(a.rotate_left(31) ^ 0x2545_F491_4F6C_DD1D, b)
}

/// Each word, each adjacent pair and each pair one word apart, once. The
/// pairs one apart carry what a word put between breaks ("dont want to
/// be", "not going to be here"). In cross-validation by set
/// (`tools/crisis_cv.py`: 2,269 crisis and 37,621 ordinary messages, each
/// scored by a model that never saw its set), they caught 1,721 crisis
/// messages with 39 false alarms at the shipped threshold, where words and
/// adjacent pairs alone caught 1,622 with 37.
fn features(text: &str) -> Vec<u64> {
    // A word, its pair with the one before and its pair with the one two
    // before take three slots, and a word and what parts it from the next
    // at least two bytes: never grown.
    let mut out: Vec<u64> = Vec::with_capacity(text.len() * 3 / 2 + 3);
    let mut previous: Option<u64> = None;
    let mut before: Option<u64> = None;
    // Words and pairs interleaved: the order does not matter once sorted.
    each_word(text, |w| {
        let h = hash_word(w);
        out.push(h);
        if let Some(b) = before {
            out.push(skip_pair(b, h));
        }
        before = previous;
        if let Some(p) = previous.replace(h) {
            out.push(crate::learning::pair(p, h));
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// Features with their words, for explaining a score.
fn named_features(text: &str) -> Vec<(u64, String)> {
    let ws = words(text);
    let h: Vec<u64> = ws.iter().map(|w| hash_word(w)).collect();
    let mut out: Vec<(u64, String)> = ws.iter().zip(&h).map(|(w, &x)| (x, w.clone())).collect();
    out.extend((1..ws.len()).map(|i| {
        (
            crate::learning::pair(h[i - 1], h[i]),
            format!("{} {}", ws[i - 1], ws[i]),
        )
    }));
    out.extend((2..ws.len()).map(|i| {
        (
            skip_pair(h[i - 2], h[i]),
            format!("{} _ {}", ws[i - 2], ws[i]),
        )
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> CrisisModel {
        let crisis = [
            "everyone would be fine if i wasnt here anymore",
            "i wont be here much longer, thanks for everything",
            "giving my things away, wont need them anymore",
            "nobody would notice if i was gone",
        ];
        let ordinary = [
            "how long does redness last after microneedling",
            "thanks for everything, see you at my next session",
            "does it hurt much",
            "can i go in the sun the day after",
            "my dog is here with me",
        ];
        CrisisModel::train(
            crisis
                .iter()
                .map(|t| (*t, true))
                .chain(ordinary.iter().map(|t| (*t, false))),
        )
    }

    #[test]
    fn words_drop_apostrophes_and_split_on_the_rest() {
        assert_eq!(words("I wasn't HERE—ok?"), ["i", "wasnt", "here", "ok"]);
        assert!(words("🙂 … ").is_empty());
    }

    #[test]
    fn training_separates_its_examples_and_is_repeatable() {
        let m = model();
        assert!(m.score("nobody would notice if i was gone") > 0.0);
        assert!(m.score("how long does redness last after microneedling") < 0.0);
        assert_eq!(
            m.score("wont be here anymore"),
            model().score("wont be here anymore")
        );
    }

    #[test]
    fn features_are_words_pairs_and_pairs_one_apart() {
        let f = features("not going anywhere");
        let (not, going, anywhere) = (hash_word("not"), hash_word("going"), hash_word("anywhere"));
        assert_eq!(f.len(), 6);
        assert!(f.contains(&skip_pair(not, anywhere)));
        assert!(f.contains(&crate::learning::pair(not, going)));
        assert_ne!(skip_pair(not, going), crate::learning::pair(not, going));
        let named: Vec<String> = named_features("not going anywhere")
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(
            named,
            [
                "not",
                "going",
                "anywhere",
                "not going",
                "going anywhere",
                "not _ anywhere"
            ]
        );
        assert_eq!(features("anywhere").len(), 1);
        assert!(features("").is_empty());
    }

    #[test]
    fn one_kind_of_example_trains_nothing() {
        let m = CrisisModel::train([("how long is the redness", false)]);
        assert!(!m.is_trained());
        assert_eq!(m.score("anything"), f32::NEG_INFINITY);
    }

    #[test]
    fn heaviest_names_words_that_point_to_crisis() {
        let m = model();
        let top = m.heaviest("i wont be here anymore", 3);
        assert!(!top.is_empty());
        assert!(top.windows(2).all(|p| p[0].1 >= p[1].1));
        assert!(top.iter().all(|(_, x)| *x > 0.0));
    }
}
