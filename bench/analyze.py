#!/usr/bin/env python3
"""Throughput benchmark of `vigie analyze`: the first layer alone (reading + normalisation +
language + segmentation, `--layers segment`, target >= 20 MB/s per core) and the whole pipeline
(entities, actors, quotes: `--layers quotes`, target >= 5 MB/s per core).

usage: python3 bench/analyze.py [CORPUS] [--runs N]

CORPUS defaults to ../shared/corpora/orangesum-fr.jsonl.gz. Builds the release binary, runs
`vigie analyze CORPUS -o /dev/null` with 1 thread and with all cores, and reports documents/s,
MB/s of text, and MB/s per core = MB of text / CPU seconds (user + system, every thread of the
process counted, reader thread included), the figure the issue targets (>= 20 MB/s per core).
The best of N runs (default 3) is kept.
"""
import os, re, resource, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
argv = sys.argv[1:]
runs = 3
if "--runs" in argv:
    i = argv.index("--runs")
    runs = int(argv[i + 1])
    del argv[i:i + 2]
corpus = argv[0] if argv else os.path.join(ROOT, "..", "shared", "corpora", "orangesum-fr.jsonl.gz")
if not os.path.exists(corpus):
    print(f"skip: {corpus} not found (the shared corpora are not beside this clone)")
    sys.exit(0)

subprocess.run(["cargo", "build", "--release", "-q", "-p", "vigie-cli"], cwd=ROOT, check=True)
vigie = os.path.join(ROOT, "target", "release", "vigie")
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
for layers in ["segment", "quotes"]:
    for t in sorted({1, cores}):
        r = run(t, layers)
        print(f"{r['layers']:>8} {r['threads']:>7} {r['docs']:>7} {r['skipped']:>7} {r['mb']:>6.1f} {r['wall']:>7.2f} "
              f"{r['cpu']:>7.2f} {r['docs'] / r['wall']:>8.0f} {r['mb'] / r['wall']:>7.1f} {r['mb'] / r['cpu']:>9.1f}")
print("MB/s/core = MB of text / CPU seconds of the whole process (targets: segment >= 20, quotes >= 5)")
