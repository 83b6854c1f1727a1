#!/usr/bin/env python3
"""Corpus store benchmark: ingest, size, memory, search, trends, quotes and reprints.

usage: python3 bench/store.py [CORPUS] [--store DIR] [--queries N] [--keep] [--json OUT]

CORPUS defaults to ../shared/corpora/orangesum-fr.jsonl.gz (36,152 OrangeSum articles, 76.3 MB
of text). The script
  1. builds the release binary and runs `vigie ingest CORPUS --store DIR` from an empty store
     (the whole analysis, the full-text index and the MinHash signatures), timing it and
     reading its peak memory (the child's maximum resident set size);
  2. measures the store on disk against the raw text (the UTF-8 bytes of the documents' text);
  3. runs `cargo bench -p vigie-store --bench queries -- DIR` (crates/vigie-store/benches/
     queries.rs): N one- to three-word queries sampled from the stored titles, each with a facet
     filter (language, actor, narrative, month; outlet when the corpus has outlets), timing the
     library call `Store::search` (top 10 ranked, snippets and facet counts), the same queries
     without a filter, monthly trends by narrative, actor, speaker and outlet over the whole
     store, quotes of the five most quoted speakers, and reprints over the whole store.
Targets (issue 6): ingest <= 120 s, store <= 4x the raw text, peak memory <= 2 GB, search p50
<= 10 ms and p95 <= 50 ms with a facet filter, trends <= 200 ms.
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time

from common import ROOT, corpus_or_skip, release_vigie


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="*")
    ap.add_argument("--store", help="store directory (default: a temporary one)")
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--keep", action="store_true", help="keep the store afterwards")
    ap.add_argument("--json", help="write every figure to this file")
    args = ap.parse_args()
    corpus = corpus_or_skip(args.corpus)
    vigie = release_vigie()
    store = args.store or os.path.join(tempfile.mkdtemp(prefix="vigie-bench-"), "store")
    shutil.rmtree(store, ignore_errors=True)

    t = time.perf_counter()
    run = subprocess.run([vigie, "ingest", corpus, "--store", store], capture_output=True, text=True)
    ingest_s = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = [l for l in run.stderr.splitlines() if l.startswith(("vigie ingest", "store "))]
    if run.returncode not in (0, 1):
        sys.exit(f"ingest failed ({run.returncode}):\n{run.stderr[-2000:]}")

    # Raw text: the documents' text bytes, as the store holds them (vigie export of documents
    # would also do; this reads the input directly).
    out = subprocess.run([vigie, "export", "--table", "documents", "--store", store],
                         capture_output=True, text=True, check=True).stdout
    raw = sum(len(json.loads(l)["text"].encode()) for l in out.splitlines())
    size = dir_size(store)

    bench = subprocess.run(["cargo", "bench", "-q", "-p", "vigie-store", "--bench", "queries", "--",
                            store, "--queries", str(args.queries)],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    q = json.loads(bench.stdout)
    fig = {
        "corpus": corpus, "documents": q["documents"], "ingest_seconds": round(ingest_s, 1),
        "ingest_mb_per_s": round(raw / 1e6 / ingest_s, 2), "peak_memory_mb": round(peak_mb),
        "raw_text_mb": round(raw / 1e6, 1), "store_mb": round(size / 1e6, 1),
        "store_ratio": round(size / raw, 2), "ingest_summary": summary, "queries": q,
    }
    s, tr = q["search_with_facet_filter"], q["trends_month"]
    print(f"corpus: {corpus} ({q['documents']} documents, {fig['raw_text_mb']} MB of text)")
    print(f"ingest: {fig['ingest_seconds']} s ({fig['ingest_mb_per_s']} MB/s), peak memory {fig['peak_memory_mb']} MB"
          f"   [targets: <= 120 s, <= 2048 MB]")
    print(f"store: {fig['store_mb']} MB on disk = {fig['store_ratio']}x the raw text   [target <= 4x]")
    print(f"search with a facet filter ({s['n']} queries): p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms,"
          f" p99 {s['p99_ms']:.1f} ms   [targets: p50 <= 10, p95 <= 50]")
    for name, v in q["search_by_filter"].items():
        print(f"    {name:10} p50 {v['p50_ms']:.1f} ms, p95 {v['p95_ms']:.1f} ms")
    w = q["search_without_filter"]
    print(f"search without a filter: p50 {w['p50_ms']:.1f} ms, p95 {w['p95_ms']:.1f} ms")
    print("trends by month over the whole store: " + ", ".join(
        f"{k} {v['max_ms']:.0f} ms" for k, v in tr.items()) + "   [target <= 200 ms, slowest of 5 runs]")
    qs = q["quotes_by_speaker"]
    print(f"quotes of a speaker (top 5 speakers): p50 {qs['p50_ms']:.0f} ms, max {qs['max_ms']:.0f} ms")
    r = q["reprints"]
    print(f"reprints over the whole store: {r['seconds']:.1f} s, {r['clusters']} clusters, {r['copies']} copies")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(fig, f, indent=2)
    if not args.keep and not args.store:
        shutil.rmtree(os.path.dirname(store), ignore_errors=True)


if __name__ == "__main__":
    main()
