#!/usr/bin/env python3
"""Cross-validates the learned crisis model by set: how it does on crisis
told by authors whose messages it never saw.

A replica in Python of src/engine/crisis_model.rs (the same words, pairs,
pairs one apart, joined copies and AdaGrad; one shuffle instead of four, and
Python's shuffle, so its scores differ a little from the bot's). The stored
sets are split into four folds by set; for each fold the model learns from
knowledge/crisis_examples.jsonl, less every line of the fold, plus the
other folds' lines, and scores the fold's lines. Lines are labelled by
tools/refill_crisis_examples.py's `labelled`.

Run from the repository root (about a minute per setting):
  python3 tools/crisis_cv.py                      # as shipped
  python3 tools/crisis_cv.py --no-skip --weight 8 # the thirtieth session's features and weight
Prints crisis messages caught and false alarms at several thresholds.
"""
import argparse
import glob
import json
import math
import os
import random
import re

from refill_crisis_examples import labelled

EPOCHS, RATE, SHRINK, JOINED, START = 8, 0.3, 1e-4, 2, -3.0


def words(t):
    return re.findall(r"[a-z]+", t.replace("'", "").replace("\u2019", "").lower())


def features(t, skip):
    w = words(t)
    f = set(w)
    f.update(a + " " + b for a, b in zip(w, w[1:]))
    if skip:
        f.update(a + " _ " + b for a, b in zip(w, w[2:]))
    return f


def train(examples, skip, weight, seed=1):
    ordinary = [t for t, c in examples if not c]
    crisis = [t for t, c in examples if c]
    joined = []
    for i in range(len(crisis) * JOINED):
        t, o = crisis[i % len(crisis)], ordinary[(i * 7919 + 13) % len(ordinary)]
        joined.append((f"{t} {o}" if (i + i // len(crisis)) % 2 == 0 else f"{o} {t}", True))
    index, data = {}, []
    for t, c in examples + joined:
        data.append(([index.setdefault(f, len(index)) for f in features(t, skip)], c))
    w, g2 = [0.0] * len(index), [1e-8] * len(index)
    bias, bias_g2 = START, 1e-8
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            ids, c = data[i]
            z = max(-30.0, min(30.0, bias + sum(w[f] for f in ids)))
            g = (1 / (1 + math.exp(-z)) - (1.0 if c else 0.0)) * (weight if c else 1.0)
            bias_g2 += g * g
            bias -= RATE * g / math.sqrt(bias_g2)
            for f in ids:
                gf = g + SHRINK * w[f]
                g2[f] += gf * gf
                w[f] -= RATE * gf / math.sqrt(g2[f])
    names = {i: f for f, i in index.items()}
    return {names[i]: x for i, x in enumerate(w) if x}, bias


def score(model, t, skip):
    w, bias = model
    return bias + sum(w.get(f, 0.0) for f in features(t, skip))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--no-skip", action="store_true", help="no pairs one word apart")
    p.add_argument("--weight", type=float, default=4.0, help="crisis weight (shipped: 4)")
    p.add_argument("--folds", type=int, default=4)
    a = p.parse_args()
    skip = not a.no_skip
    sets = {os.path.basename(p)[:-6]: labelled(p) for p in sorted(glob.glob("tests/data/*.jsonl"))}
    with open("knowledge/crisis_examples.jsonl", encoding="utf-8") as f:
        shipped = [(x["q"], x["crisis"]) for x in map(json.loads, filter(str.strip, f))]
    fold = {s: sum(map(ord, s)) % a.folds for s in sets}
    scored = []
    for k in range(a.folds):
        held = {t.strip().lower() for s in sets if fold[s] == k for t, _ in sets[s]}
        learn = [x for x in shipped if x[0].strip().lower() not in held]
        seen = {t.strip().lower() for t, _ in learn}
        for s in sets:
            if fold[s] != k:
                for t, c in sets[s]:
                    if t.strip().lower() not in seen:
                        seen.add(t.strip().lower())
                        learn.append((t, c))
        model = train(learn, skip, a.weight)
        scored += [(score(model, t, skip), c) for s in sets if fold[s] == k for t, c in sets[s]]
    pos = [x for x, c in scored if c]
    neg = [x for x, c in scored if not c]
    print(f"{len(pos)} crisis and {len(neg)} ordinary messages, each scored by a model that never saw its set")
    for t in (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0):
        print(f"  threshold {t:+.1f}: caught {sum(x > t for x in pos)}, false alarms {sum(x > t for x in neg)}")


if __name__ == "__main__":
    main()
