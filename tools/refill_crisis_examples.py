#!/usr/bin/env python3
"""Refills knowledge/crisis_examples.jsonl from the project's labelled sets.

Keeps every line the file has (hand-written examples included) and appends,
once each (compared trimmed and lowercased, as `check` compares them):
  - every line of every labelled set (tests/data/*.jsonl, the public dev
    sets in ../shared/eval/ when present, knowledge/tests.jsonl) that is not
    urgent, marked false;
  - every urgent line of a crisis probe (tests/data/blind_z*.jsonl, whose
    urgent lines are all crisis), marked true; other sets' urgent lines are
    left out, since a set does not say a complication from a crisis;
  - every entry's questions, marked false.

Run from the repository root: python3 tools/refill_crisis_examples.py
Then `cargo run --release -- check` (it warns about each example the whole
bot still gets wrong). Needs only python3 (3.11+, for tomllib).
"""
import glob
import json
import os
import re
import tomllib

KNOWLEDGE = "knowledge"
EXAMPLES = os.path.join(KNOWLEDGE, "crisis_examples.jsonl")


def key(q):
    return q.strip().lower()


def labelled(path):
    """A labelled set's lines as (message, crisis): a crisis probe's
    (blind_z*.jsonl) urgent lines are crisis, every line that is not urgent
    is not, and other sets' urgent lines (complications, or crisis: the set
    does not say) are left out."""
    probe = re.fullmatch(r"blind_z\d*|blind_zz", os.path.basename(path)[:-6]) is not None
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                x = json.loads(line)
                urgent = x["kind"] == "urgent"
                if probe or not urgent:
                    out.append((x["q"], urgent))
    return out


def main():
    with open(EXAMPLES, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    seen = {key(json.loads(l)["q"]) for l in lines}
    added = []

    def add(q, crisis):
        if key(q) and key(q) not in seen:
            seen.add(key(q))
            added.append({"q": q, "crisis": crisis})

    sets = sorted(glob.glob("tests/data/*.jsonl"))
    sets += [p for p in ("../shared/eval/dev.jsonl", "../shared/eval/dev2.jsonl") if os.path.exists(p)]
    sets.append(os.path.join(KNOWLEDGE, "tests.jsonl"))
    for path in sets:
        for q, crisis in labelled(path):
            add(q, crisis)
    for path in sorted(glob.glob(os.path.join(KNOWLEDGE, "entries", "*.toml"))):
        with open(path, "rb") as f:
            for entry in tomllib.load(f).get("entry", []):
                for q in entry.get("questions", []):
                    add(q, False)
    with open(EXAMPLES + ".tmp", "w", encoding="utf-8") as f:
        for l in lines:
            f.write(l + "\n")
        for x in added:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
    os.replace(EXAMPLES + ".tmp", EXAMPLES)
    print(f"{EXAMPLES}: {len(lines)} kept, {len(added)} added "
          f"({sum(x['crisis'] for x in added)} crisis)")


if __name__ == "__main__":
    main()
