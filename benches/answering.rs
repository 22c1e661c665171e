//! Speed of the answering engine.
//!
//! `cargo bench --bench answering` measures, with criterion:
//! - `answer/shipped`: one question on the shipped knowledge (the dev questions in turn);
//! - `answer/generated_10k`: the same on a generated 10,000-entry knowledge;
//! - `load/shipped`: loading and validating the shipped knowledge (quotes verified)
//!   and building the engine.
//!
//! It also prints per-question latency percentiles (median, p99) measured
//! question by question, which criterion's sample means do not show.

use criterion::{criterion_group, criterion_main, Criterion};
use microneedling_bot::{knowledge, Engine};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The allocator the binary uses (src/main.rs), so the figures are the bot's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

fn dev_questions() -> Vec<String> {
    include_str!("../tests/data/dev.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect()
}

fn engine(dir: &Path) -> Engine {
    let k = knowledge::load(dir).unwrap_or_else(|e| panic!("{e}"));
    Engine::new(Arc::new(k), Default::default())
}

/// A copy of the shipped knowledge plus `n` generated entries, each with
/// several questions over a wide vocabulary and a real quote.
fn generated(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", shipped().display()))
        .arg(dir.path())
        .status()
        .expect("cp");
    assert!(status.success());
    let words: Vec<String> = (0..4000).map(syllables).collect();
    let topics = [
        "procedure",
        "collagen",
        "uses",
        "scar_types",
        "results",
        "downtime",
        "aftercare",
        "safety",
    ];
    let quotes = [
        "The procedure itself is generally well tolerated with minimal downtime.",
        "Skin renewal takes time and microneedling is no exception.",
        "It’s a minimally invasive treatment that involves using tiny needles to create microscopic punctures in the skin.",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for file in 0..(n / 500).max(1) {
        let mut text = String::new();
        for j in 0..500.min(n) {
            let id = file * 500 + j;
            text.push_str(&format!(
                "[[entry]]\nid = \"gen-{id}\"\ntopic = \"{}\"\nquestions = [\n",
                topics[id % topics.len()]
            ));
            for _ in 0..4 {
                let q: Vec<&str> = (0..6)
                    .map(|_| words[(next() % words.len() as u64) as usize].as_str())
                    .collect();
                text.push_str(&format!("  \"how does {} work\",\n", q.join(" ")));
            }
            text.push_str(&format!(
                "]\nanswer = \"Generated entry {id}.\"\n[[entry.quote]]\nsource = \"skin-renewal\"\ntext = \"{}\"\n\n",
                quotes[id % quotes.len()].replace('"', "\\\"")
            ));
        }
        std::fs::write(
            dir.path().join(format!("entries/generated_{file:03}.toml")),
            text,
        )
        .expect("write");
    }
    dir
}

/// A pronounceable made-up word for index `i`.
fn syllables(mut i: usize) -> String {
    const S: [&str; 16] = [
        "ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "va", "be", "do", "fu", "gi", "ha", "ju",
        "ze",
    ];
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(S[i % 16]);
        i /= 16;
    }
    w.push_str(S[i % 16]);
    w
}

/// Median and p99 of single-question latencies, printed.
fn percentiles(name: &str, engine: &Engine, questions: &[String], rounds: usize) {
    let mut times: Vec<f64> = Vec::with_capacity(questions.len() * rounds);
    for _ in 0..rounds {
        for q in questions {
            let start = Instant::now();
            black_box(engine.answer(black_box(q)));
            times.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{name}: per question over {} answers: median {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn answering(c: &mut Criterion) {
    let questions = dev_questions();
    let small = engine(&shipped());
    percentiles("shipped", &small, &questions, 200);
    let mut i = 0;
    c.bench_function("answer/shipped", |b| {
        b.iter(|| {
            i = (i + 1) % questions.len();
            black_box(small.answer(black_box(&questions[i])))
        })
    });

    let dir = generated(10_000);
    let big = engine(dir.path());
    assert!(big.knowledge().entries.len() >= 10_000);
    percentiles("generated_10k", &big, &questions, 20);
    let mut j = 0;
    c.bench_function("answer/generated_10k", |b| {
        b.iter(|| {
            j = (j + 1) % questions.len();
            black_box(big.answer(black_box(&questions[j])))
        })
    });
}

fn loading(c: &mut Criterion) {
    let dir = shipped();
    c.bench_function("load/shipped", |b| b.iter(|| black_box(engine(&dir))));
}

criterion_group!(benches, answering, loading);
criterion_main!(benches);
