//! The answering loop that speed work is measured and checked with.
//!
//! `N=10 cargo run --release --example answer_loop` answers the 80 dev
//! questions N times (run it under `valgrind --tool=callgrind` or
//! `cachegrind` with N=0 and N=10: the difference over 800 is the cost of one
//! answer). `DIGEST=1` then prints a digest of the answers to every question
//! stored under `tests/data`: a change meant only for speed must leave it
//! the same, with the same knowledge.

use anyhow::{Context, Result};
use microneedling_bot::{knowledge, Engine};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

fn questions(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let k = knowledge::load(&root.join("knowledge")).map_err(|e| anyhow::anyhow!("{e}"))?;
    let engine = Engine::new(Arc::new(k), Default::default());
    let dev: Vec<String> = questions(include_str!("../tests/data/dev.jsonl")).collect();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for _ in 0..n {
        for q in &dev {
            std::hint::black_box(engine.answer(q));
        }
    }
    if std::env::var_os("DIGEST").is_some() {
        let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/data"))
            .context("reading tests/data")?
            .filter_map(|d| d.ok().map(|d| d.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        paths.sort();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut count = 0;
        for p in paths {
            let text =
                std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            for q in questions(&text) {
                format!("{:?}", engine.answer(&q)).hash(&mut h);
                count += 1;
            }
        }
        println!("digest {:x} over {count} answers", h.finish());
    }
    Ok(())
}
