#!/usr/bin/env python3
"""Builds the fuzz seed corpus (fuzz/corpus/<target>/) from the repository's fixtures.

Nothing large is stored in the repository: the seeds are cut from fixtures/ (the seed
document, the regression records, the first articles of fixtures/corpus) plus a few hand-made
edge cases, each at most 4 KB (libFuzzer's default -max_len). Run by fuzz/run.sh; idempotent.
"""
import gzip
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
MAX = 4000


def cut(text, n=MAX):
    """The start of `text`, at most n bytes of UTF-8, on a character boundary."""
    return text.encode("utf-8")[:n].decode("utf-8", "ignore")


def records():
    recs = []
    with open(os.path.join(ROOT, "fixtures/seed/seed.input.jsonl"), encoding="utf-8") as f:
        recs += [json.loads(l) for l in f if l.strip()]
    with open(os.path.join(ROOT, "fixtures/regressions/orangesum-entity-overlap.jsonl"),
              encoding="utf-8") as f:
        recs += [json.loads(l) for l in f if l.strip()][:3]
    with gzip.open(os.path.join(ROOT, "fixtures/corpus/orangesum-300.jsonl.gz"), "rt",
                   encoding="utf-8") as f:
        for i, l in enumerate(f):
            if i >= 12:
                break
            recs.append(json.loads(l))
    for r in recs:
        for k in ("text", "article"):
            if k in r:
                r[k] = cut(r[k], 1500)
    return recs


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data[:MAX]
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    recs = records()
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    small = [json.dumps({"id": r.get("id", i), "text": cut(r.get("text") or r.get("article") or "", 300)},
                        ensure_ascii=False) for i, r in enumerate(recs)]
    with open(os.path.join(ROOT, "fixtures/seed/sputnik-2022-08-camara.txt"), encoding="utf-8") as f:
        seed_doc = f.read()
    texts = [cut(r.get("text") or r.get("article") or "") for r in recs]
    edge_jsonl = [
        "\n".join(small[:4]) + "\n",
        small[0] + "\r\n\r\n" + small[1] + "\n   \n",
        '{"id": "a", "text": "Un."}\n{"id": "b", "text": \n[1, 2]\n{"text": "   "}\n',
        '{"id": 7, "text": "Un.", "title": null, "date": "14/08/2022", "tags": ["a", {"b": 1}]}\n',
        '{"text": "Il a dit \\"non\\" \\u00e9 \\ud83d\\ude00."}\n',
    ]
    for l in lines + edge_jsonl:
        write("jsonl", l + ("" if l.endswith("\n") else "\n"))
    edge_json = [
        "[" + ",\n".join(small[:3]) + "]",
        "\n".join(small[:3]),
        small[0],
        "[]",
        '[{"text": "Un."}, 42, "x", null, [], {"text": "Deux.",}]',
        '\ufeff[{"text": "a \\"]}\\" b", "x": [1, {"y": "}"}]}]',
        '[{"text": "Un."}',
    ]
    for j in edge_json:
        write("json", j)
    seeds = [
        seed_doc,
        'id camara-2022-08\ndate 2022-08 outlet Sputnik title "Un soutien constant"\nurl https://x.example/a\n\nCorps.',
        "date: 2022-08-14 lang fr author Dupont Le corps du texte.",
        'title "non fermé\n date 2022 corps',
        "date de la réunion: inconnue",
    ]
    for s in seeds:
        write("seed", s)
    for t in texts[:8] + ["Un texte.\n\nDeux paragraphes.", "\ufeffBOM puis texte", "a\0b"]:
        write("text", t)
    plain = lines[:4] + edge_json[:3] + seeds[:2] + texts[:3]
    for i, p in enumerate(plain):
        for sel in range(16):
            if (i + sel) % 4 == 0:
                write("read_bytes", bytes([sel]) + p.encode("utf-8"))
    specs = [
        "text,article,body;id,doc_id;title;date;outlet,source;url;lang",
        "article;guid;headline;published;media;link;language",
        ";;;;;;",
        "text;text;text;text;text;text;text",
    ]
    for s in specs:
        for j in range(0, 8, 2):
            write("field_map", s + "\n" + "\n".join(lines[j:j + 2]) + "\n")
    for t in texts + [seed_doc,
                      "« non fermé " * 20,
                      "Emmanuel Macron a déclaré que « la France restera ». Il a ajouté : « non ». " * 5,
                      "l'l'l'l'l'l'" * 10, "M." * 50, "\u201c" * 100]:
        write("analyze_one", t)
    print("seed corpus in", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
