#!/usr/bin/env python3
"""Compares the analyses of two `vigie` binaries on the reference inputs.

    python3 bench/compare.py OLD_VIGIE NEW_VIGIE [--os N] [--out DIR]

Runs `vigie analyze` with each binary on the fixtures (OrangeSum 300, the regressions, the
seed), the shared gold inputs (quotes fr dev and train, quotes en dev, stance fr dev, NER fr
dev), the first N OrangeSum articles (default 3,000) and English Wikinews, then reports per
input whether the outputs are byte-identical, and otherwise which documents and which fields
differ, with the first differences of each field. Inputs from ../shared are skipped with a
message when it is absent. Use it before and after a change that must leave the analysis
unchanged (issue 16: "analysis output unchanged on the fixtures and the shared gold, or every
change explained").
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def inputs(n_os):
    """(name, path or None, stdin bytes or None) of every reference input."""
    fx = os.path.join(ROOT, "fixtures")
    out = [
        ("orangesum-300", os.path.join(fx, "corpus", "orangesum-300.jsonl.gz"), None),
        ("regressions", os.path.join(fx, "regressions", "orangesum-entity-overlap.jsonl"), None),
        ("seed", os.path.join(fx, "seed", "sputnik-2022-08-camara.txt"), None),
    ]
    if not os.path.isdir(SHARED):
        print(f"compare: {SHARED} is absent: shared inputs skipped", file=sys.stderr)
        return out
    gold = os.path.join(SHARED, "gold")
    for f in ("quotes-fr-dev", "quotes-fr-train", "quotes-en-dev", "stance-fr-dev"):
        out.append((f, os.path.join(gold, f + ".input.jsonl"), None))
    out.append(("ner-fr-dev", os.path.join(gold, "ner-fr-dev.jsonl"), None))
    with gzip.open(os.path.join(SHARED, "corpora", "orangesum-fr.jsonl.gz"), "rb") as f:
        head = b"".join(line for _, line in zip(range(n_os), f))
    out.append((f"orangesum-{n_os}", None, head))
    out.append(("wikinews-en", os.path.join(SHARED, "corpora", "wikinews-en.jsonl.gz"), None))
    return out


def analyze(vigie, path, data, dest):
    args = [vigie, "analyze", path or "-", "-q", "-o", dest]
    subprocess.run(args, input=data, stderr=subprocess.DEVNULL, check=False)
    with open(dest, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--os", type=int, default=3000, help="OrangeSum articles (default 3000)")
    ap.add_argument("--out", help="keep the outputs in this directory")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="vigie-compare-")
    os.makedirs(out, exist_ok=True)
    changed = 0
    for name, path, data in inputs(args.os):
        a = analyze(args.old, path, data, os.path.join(out, name + ".old.jsonl"))
        b = analyze(args.new, path, data, os.path.join(out, name + ".new.jsonl"))
        if a == b:
            print(f"same  {name} ({len(a)} documents)")
            continue
        changed += 1
        docs = [(x, y) for x, y in zip(a, b) if x != y]
        print(f"DIFF  {name}: {len(docs)} of {len(a)} documents differ"
              + (f" ({len(a)} vs {len(b)} documents)" if len(a) != len(b) else ""))
        for x, y in docs[:5]:
            keys = [k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
            print(f"      {x.get('id')}: {', '.join(keys)}")
            for k in keys:
                xs, ys = x.get(k), y.get(k)
                if isinstance(xs, list) and isinstance(ys, list):
                    gone = [e for e in xs if e not in ys][:2]
                    new = [e for e in ys if e not in xs][:2]
                    for e in gone:
                        print(f"        - {k}: {json.dumps(e, ensure_ascii=False)[:160]}")
                    for e in new:
                        print(f"        + {k}: {json.dumps(e, ensure_ascii=False)[:160]}")
    print(f"outputs in {out}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
