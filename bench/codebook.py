#!/usr/bin/env python3
"""Codebook scaling benchmark: does a codebook of 200 narratives cost more than twice one of 10?

usage: python3 bench/codebook.py [CORPUS] [--docs N] [--runs R]

Generates two codebooks with the shape of the built-in one (each narrative: a NEAR rule over
term alternatives, an AND rule with an actor constraint, a phrase rule), 10 and 200 narratives,
with distinct terms drawn from the corpus' own vocabulary (so the automaton really grows), checks
them with `vigie codebook check`, then runs `vigie analyze` on the first N documents (default
4000) of CORPUS (default ../shared/corpora/orangesum-fr.jsonl.gz) with one thread: without a
codebook, with the built-in one, with 10 and with 200 narratives. Reports CPU seconds, MB/s per
core, the codebook's own cost (time minus the run without codebook) and the ratios 200/10.
The best of R runs (default 3) is kept.
"""
import collections, gzip, json, os, random, re, resource, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import corpus_or_skip, release_vigie  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
argv = sys.argv[1:]
ndocs, runs = 4000, 3
for flag in ["--docs", "--runs"]:
    if flag in argv:
        i = argv.index(flag)
        v = int(argv[i + 1])
        del argv[i:i + 2]
        ndocs, runs = (v, runs) if flag == "--docs" else (ndocs, v)
corpus = corpus_or_skip(argv)
vigie = release_vigie()
SUMMARY = re.compile(r"([\d.]+) MB of text")

tmp = tempfile.mkdtemp(prefix="vigie-cb-")
sample = os.path.join(tmp, "sample.jsonl")
words = collections.Counter()
opener = gzip.open if corpus.endswith(".gz") else open
with opener(corpus, "rt", encoding="utf-8") as f, open(sample, "w", encoding="utf-8") as out:
    for n, line in enumerate(f):
        if n >= ndocs:
            break
        out.write(line)
        d = json.loads(line)
        text = d.get("text") or d.get("article") or ""
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{5,}", text))
# Content words of middling frequency: each narrative gets its own.
vocab = [w for w, c in words.most_common(6000)[300:]]
random.Random(7).shuffle(vocab)
countries = ["RU", "FR", "ML", "US", "CN", "UA", "DE", "BF", "NE", "DZ"]


def codebook(n):
    parts = ['[codebook]\nname = "synthetic-%d"\n' % n]
    it = iter(vocab)
    for k in range(n):
        t = [next(it) for _ in range(9)]
        parts.append(f'''
[[narratives]]
id = "n{k}"
labels = {{ fr = "récit {k}", en = "narrative {k}" }}
description = "synthetic narrative {k}"

[[narratives.rules]]
lang = "fr"
match = '({t[0]} OR {t[1]} OR {t[2]}*) NEAR/8 ({t[3]} OR "{t[4]} {t[5]}")'

[[narratives.rules]]
lang = "fr"
weight = 0.5
match = 'actor({countries[k % len(countries)]}) AND ({t[6]} OR {t[7]})'

[[narratives.rules]]
lang = "fr"
scope = "paragraph"
match = '"{t[8]} {t[0]}" NOT {t[3]}'
''')
    path = os.path.join(tmp, f"synthetic-{n}.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))
    subprocess.run([vigie, "codebook", "check", path], check=True, stdout=subprocess.DEVNULL)
    return path


def run(codebook):
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([vigie, "analyze", sample, "-o", os.devnull, "-j", "1", "--codebook", codebook],
                           stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        mb = float(SUMMARY.search(p.stderr.splitlines()[-1]).group(1))
        if best is None or cpu < best[0]:
            best = (cpu, wall, mb)
    return best


rows = [("none", "none"), ("built-in (6)", "builtin"), ("10 narratives", codebook(10)),
        ("200 narratives", codebook(200))]
res = {}
print(f"{ndocs} documents of {corpus}, one thread, best of {runs}")
print(f"{'codebook':>16} {'cpu s':>7} {'MB/s/core':>9} {'codebook cost s':>15}")
for name, path in rows:
    cpu, wall, mb = run(path)
    res[name] = cpu
    cost = cpu - res["none"]
    print(f"{name:>16} {cpu:>7.2f} {mb / cpu:>9.2f} {cost:>15.2f}")
c10 = res["10 narratives"] - res["none"]
c200 = res["200 narratives"] - res["none"]
print(f"ratio 200/10, whole analysis: {res['200 narratives'] / res['10 narratives']:.2f} (target <= 2)")
if c10 > 0.05:
    print(f"ratio 200/10, codebook cost alone: {c200 / c10:.2f}")
else:
    print(f"codebook cost alone: 10 narratives {c10:+.2f} s (within noise), 200 narratives {c200:+.2f} s "
          f"({1000 * c200 / ndocs:.3f} ms per document, start-up included)")
