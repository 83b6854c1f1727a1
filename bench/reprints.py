#!/usr/bin/env python3
"""Near-duplicate ("reprint") benchmark: `vigie reprints` against datasketch MinHash LSH.

usage: python3 bench/reprints.py [CORPUS] [--seed N] [--sources N] [--candidates N]
                                 [--threshold T] [--thresholds 0.5,0.6,0.7,0.8,0.9]
                                 [--vigie PATH | --no-vigie] [--ingest-layers LAYER]
                                 [--python PYTHON] [--runs N] [--out-dir DIR] [--json OUT]

e.g.  python3 bench/reprints.py --python /tmp/reprints-venv/bin/python \
          --vigie target/release/vigie --thresholds 0.5,0.6,0.7,0.8,0.9 --json /tmp/reprints.json

CORPUS defaults to ../shared/corpora/orangesum-fr.jsonl.gz (OrangeSum, French news articles from
Orange Actu, CC BY-SA 4.0; see ../shared/corpora/orangesum-LICENSE.txt). The benchmark documents
are derived from it, so they fall under the same licence.

The benchmark (written to --out-dir, default /tmp/reprints-bench, and rebuilt identically from
the same corpus and --seed):
  - `--sources` (default 300) source articles sampled from OrangeSum (seeded), each published by
    a synthetic agency or paper (`agence-a.example`...) on its OrangeSum date, its lede and body
    cut into paragraphs of 2-4 sentences, with or without a credit line (`(AFP) - `, `Avec AFP`);
  - for each source, 1-3 copies by OTHER synthetic sites, 0-5 days later, each with a random mix
    of the edits copy sites make (the tags used in the report):
      title        a new title (the title is not part of the text, so invisible to shingles);
      credit       the credit line removed, or one added when the source had none;
      boilerplate  the site's header and footer (site name, "Lire aussi : ...", cookie and
                   subscription notices; 20-60 words);
      drop         paragraphs dropped (one to 30% of them, never the first);
      reorder      one or two paragraphs moved;
      reword       up to 5% of the words replaced by a synonym (a déclaré -> a affirmé, selon ->
                   d'après...) or, for adverbs, dropped;
    a copy with none of the text edits is tagged `verbatim`;
  - hard negatives: for each source, the article sharing the most rare words with it among
    --candidates (default 8000) other OrangeSum articles (idf-weighted overlap of title and body
    words, title words counting double), published by its own synthetic outlet (often a
    follow-up story of the same event reusing background sentences). Sources and negatives are
    all distinct: an article whose word 3-gram Jaccard similarity with any already chosen one
    exceeds 0.3 is skipped (OrangeSum holds some true duplicates).
Files: bench.jsonl (id, title, text, date, outlet, url; shuffled, neutral ids), gold-pairs.tsv
(every pair of documents derived from the same source: source-copy and copy-copy pairs) and
docs-meta.jsonl (role, group, OrangeSum id, edits, exact Jaccard and overlap with the source).

What it measures, at --threshold (default 0.8) or at each of --thresholds:
  - Vigie: `vigie ingest bench.jsonl --store DIR --quiet` (the whole analysis, MinHash signatures
    included; `--ingest-layers segment` times the cheapest ingest) then `vigie reprints --store
    DIR --threshold T --format json`; predicted pairs = every pair inside one cluster (the
    original and its copies). Vigie's threshold applies to the overlap of word 3-grams,
    |A∩B| / min(|A|, |B|), not to their Jaccard similarity: the same T is laxer for Vigie;
  - datasketch: the same shingles as Vigie (lower-cased runs of letters and digits, word
    3-grams), MinHash with 128 permutations, MinHashLSH at the same threshold; "raw" pairs = LSH
    candidates whose estimated Jaccard is >= T, "clustered" pairs = every pair inside the
    connected components (union-find) of the raw pairs.
For each: pair precision, recall and F1 against the gold pairs; wall time (Vigie: ingest and
reprints separately; datasketch: signatures (shingling included), LSH insertion, queries with
the Jaccard check), documents/s and the speed ratio; the best of --runs runs (default 3).
Recall of source-copy pairs is broken down by edit type and by the exact Jaccard and overlap of
the pair (a copy whose exact value of the tool's measure is below T cannot be found by it), the
missed copies (by combination of edits) and the false pairs are listed (all of them, with the
exact similarities, in --json OUT). For Vigie, how often the source is named the original.
Timings are wall-clock and noisy on a loaded machine: compare runs made side by side.

datasketch is needed: `python3 -m venv /tmp/reprints-venv && /tmp/reprints-venv/bin/pip install
datasketch`, then run the script with that Python or pass `--python /tmp/reprints-venv/bin/python`.
Without --vigie the release binary is built first (cargo build --release -p vigie-cli); with
--vigie PATH that binary is used as is. Only the standard library and datasketch are used.
"""
import argparse, datetime, gzip, importlib.util, json, math, os, random, re, shutil, subprocess, sys, time
from collections import Counter, defaultdict
from itertools import combinations

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import corpus_or_skip, release_vigie  # noqa: E402

NUM_PERM = 128
SHINGLE = 3
MIN_WORDS, MAX_WORDS = 150, 1200  # article lengths eligible as sources or negatives
DISTINCT_MAX_JACCARD = 0.3        # above this, two OrangeSum articles count as one story

# ---------------------------------------------------------------------------------------------
# Text helpers

WORD = re.compile(r"[^\W_]+")


def words(text):
    """Lower-cased runs of letters and digits, as Vigie's shingler reads them."""
    return WORD.findall(text.lower())


def shingles(text):
    w = words(text)
    return {" ".join(w[i:i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def jaccard(a, b):
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if a or b else 0.0


def overlap(a, b):
    """|A ∩ B| / min(|A|, |B|): high for a copy that only dropped or added paragraphs."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


# OrangeSum bodies run sentences together ("jeudi.Le gouvernement"): a sentence ends at . ! ? …
# (and a closing quote) before a capital or an opening quote, unless the dot closes an
# abbreviation or an initial (M. Delevoye, J. Biden).
SENTENCE_END = re.compile(r"([.!?…]+[\"»”]?)\s*(?=[\"«“]?\s*[A-ZÀ-ÖØ-Þ])")
ABBREVIATIONS = {"M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "Me", "Mgr", "St", "Ste", "cf", "etc"}


def sentences(text):
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        last = re.split(r"[\s(\"«'’-]", text[start:m.start()])[-1]
        if m.group(1) == "." and (last in ABBREVIATIONS or (len(last) == 1 and last.isupper())):
            continue
        out.append(text[start:m.end(1)].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def paragraphs(text, rng):
    """Sentences grouped into paragraphs of 2-4."""
    sents, out = sentences(text), []
    while sents:
        n = rng.randint(2, 4)
        out.append(" ".join(sents[:n]))
        sents = sents[n:]
    return out


def slug(title):
    return "-".join(words(title)[:8]) or "article"


# ---------------------------------------------------------------------------------------------
# Synthetic outlets and the edits copy sites make

SOURCE_OUTLETS = ["agence-a.example", "agence-b.example", "agence-c.example",
                  "quotidien-d.example", "quotidien-e.example"]
COPY_OUTLETS = ["actu-direct.example", "info-matin.example", "le-veilleur.example",
                "portail-news.example", "gazette-libre.example", "flash-infos.example",
                "regard-monde.example", "l-eclaireur.example", "vox-populi.example",
                "hebdo-24.example", "nouvelles-du-jour.example", "la-depeche-web.example"]
AGENCIES = ["AFP", "Reuters", "AP", "Sputnik", "Belga"]
CREDIT_STYLES = ["prefix", "avec", "source"]

HEADERS = [
    "{site} - L'actualité en continu, France et monde",
    "Publié le {date} à {hh}h{mm}, mis à jour à {hh2}h{mm}",
    "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre "
    "navigation, vous acceptez leur utilisation.",
    "Abonnez-vous à {site} pour lire tous nos articles sans publicité, dès 1 euro le premier mois.",
    "Accueil > Actualités > {section}",
]
FOOTERS = [
    "Lire aussi : {other}",
    "Cet article vous a plu ? Partagez-le sur les réseaux sociaux et inscrivez-vous à notre "
    "newsletter quotidienne.",
    "© {site} {year}. Tous droits réservés. Toute reproduction est interdite sans autorisation.",
    "Suivez toute l'actualité sur l'application {site}, disponible gratuitement.",
    "Vous souhaitez réagir ? Connectez-vous ou créez un compte pour commenter cet article.",
    "À lire également sur {site} : {other}",
]
SECTIONS = ["France", "Monde", "Politique", "Société", "Économie", "Faits divers"]

# Light rewording: a word or phrase and its replacement ("a": both ways), and adverbs a copy
# editor drops.
SYNONYM_PAIRS = [
    ("déclaré", "affirmé", "a"), ("indiqué", "précisé", "a"), ("expliqué", "détaillé", "a"),
    ("déclare", "affirme", "a"), ("indique", "précise", "a"), ("estime", "juge", "a"),
    ("estimé", "jugé", "a"), ("ajouté", "poursuivi", ">"), ("rappelé", "souligné", ">"),
    ("décidé", "choisi", ">"), ("tenté", "essayé", "a"), ("interpellé", "arrêté", ">"),
    ("selon", "d'après", "a"), ("également", "aussi", ">"), ("cependant", "néanmoins", "a"),
    ("pourtant", "cependant", ">"), ("toutefois", "cependant", ">"), ("mais", "toutefois", ">"),
    ("en revanche", "par contre", "a"), ("afin de", "pour", ">"), ("lors de", "au cours de", ">"),
    ("alors que", "tandis que", ">"), ("ainsi que", "et", ">"), ("en raison de", "à cause de", "a"),
    ("concernant", "au sujet de", ">"), ("en outre", "de plus", "a"), ("environ", "près de", "a"),
    ("actuellement", "aujourd'hui", ">"), ("désormais", "dorénavant", "a"), ("ensuite", "puis", ">"),
    ("seulement", "uniquement", "a"), ("surtout", "principalement", ">"), ("car", "parce que", ">"),
    ("immédiatement", "aussitôt", "a"), ("rapidement", "vite", ">"), ("beaucoup", "énormément", ">"),
    ("hausse", "augmentation", "a"), ("baisse", "diminution", "a"), ("enquête", "investigation", ">"),
    ("gouvernement", "exécutif", ">"), ("voiture", "automobile", "a"), ("policier", "agent", ">"),
    ("policiers", "agents", ">"), ("personnes", "individus", ">"), ("important", "majeur", "a"),
    ("importante", "majeure", "a"), ("nombreux", "multiples", ">"), ("nombreuses", "multiples", ">"),
    ("souhaite", "veut", "a"), ("souhaitent", "veulent", "a"), ("notamment", "en particulier", ">"),
    ("ville", "commune", ">"), ("début", "commencement", ">"), ("lorsque", "quand", ">"),
    ("a annoncé", "a fait savoir", "a"), ("ont annoncé", "ont fait savoir", "a"),
    ("de nouveau", "à nouveau", "a"), ("en effet", "effectivement", ">"), ("face à", "devant", ">"),
    ("puisque", "comme", ">"), ("décédé", "mort", ">"), ("l'année dernière", "l'an dernier", "a"),
    ("homme", "individu", ">"), ("hommes", "individus", ">"), ("dernièrement", "récemment", ">"),
    ("président de la République", "chef de l'État", ">"),
    ("Premier ministre", "chef du gouvernement", ">"), ("M.", "Monsieur", ">"),
    ("deux", "2", ">"), ("trois", "3", ">"), ("quatre", "4", ">"), ("cinq", "5", ">"),
    ("six", "6", ">"), ("sept", "7", ">"), ("huit", "8", ">"), ("dix", "10", ">"),
]
SYNONYMS = {}
for _a, _b, _way in SYNONYM_PAIRS:
    SYNONYMS.setdefault(_a, _b)
    if _way == "a":
        SYNONYMS.setdefault(_b, _a)
DROPPABLE = ["notamment", "également", "toutefois", "déjà", "très", "particulièrement", "donc",
             "actuellement", "d'ailleurs", "vraiment", "totalement", "largement", "récemment",
             "finalement", "plutôt", "entre autres"]
REWORDABLE = re.compile(r"(?<![\w'’-])(" + "|".join(
    sorted(map(re.escape, set(SYNONYMS) | set(DROPPABLE)), key=len, reverse=True)) + r")(?![\w'’-])")
REWORD_RATE = 0.05

TEXT_EDITS = ["credit", "boilerplate", "drop", "reorder", "reword"]
EDIT_PROBABILITY = {"title": 0.7, "credit": 0.4, "boilerplate": 0.5, "drop": 0.35,
                    "reorder": 0.3, "reword": 0.4}


def site_name(outlet):
    return " ".join(p.capitalize() for p in outlet.split(".")[0].split("-"))


class Outlet:
    """A synthetic site: its own header and footer pieces, the same on every article it runs."""

    def __init__(self, domain, seed):
        self.domain, self.name = domain, site_name(domain)
        rng = random.Random(f"{seed}:{domain}")
        self.headers = rng.sample(HEADERS, rng.randint(1, 2))
        self.footers = rng.sample(FOOTERS, rng.randint(1, 3))

    def boilerplate(self, rng, date, other_titles):
        """A header and a footer of 20-60 words between them."""
        for _ in range(20):
            fill = dict(site=self.name, date=date.strftime("%d/%m/%Y"), year=date.year,
                        hh=(hh := rng.randint(6, 20)), hh2=hh + rng.randint(1, 3), mm=f"{rng.randint(0, 59):02d}",
                        section=rng.choice(SECTIONS), other=rng.choice(other_titles))
            header = [h.format(**fill) for h in self.headers]
            footer = [f.format(**fill) for f in self.footers]
            n = len(words(" ".join(header + footer)))
            if 20 <= n <= 60:
                break
        return header, footer


def credit_text(agency, style):
    return {"prefix": f"({agency}) - ", "avec": f"Avec {agency}", "source": f"Source : {agency}"}[style]


def render(paras, credit=None, header=(), footer=()):
    """The document text: header, body paragraphs (credit prefix or footer line), footer."""
    body = list(paras)
    if credit:
        agency, style = credit
        if style == "prefix":
            body[0] = credit_text(agency, style) + body[0]
        else:
            body.append(credit_text(agency, style))
    return "\n\n".join([*header, *body, *footer])


def reword(paras, rng):
    """Replaces or drops up to REWORD_RATE of the words; returns the paragraphs and the count."""
    budget = max(1, round(REWORD_RATE * sum(len(words(p)) for p in paras)))
    spots = [(i, m) for i, p in enumerate(paras) for m in REWORDABLE.finditer(p)]
    chosen = sorted(rng.sample(spots, min(budget, len(spots))), key=lambda s: (s[0], -s[1].start()))
    paras, touched = list(paras), set()
    for i, m in chosen:  # from the end of each paragraph, so the earlier offsets still hold
        w = m.group(1)
        new = "" if w in DROPPABLE and (w not in SYNONYMS or rng.random() < 0.5) else SYNONYMS[w]
        paras[i] = paras[i][:m.start()] + new + paras[i][m.end():]
        touched.add(i)
    for i in touched:  # the spaces and commas a dropped word leaves
        paras[i] = re.sub(r"\s+([,.])", r"\1", re.sub(r",\s*,", ",", re.sub(r"  +", " ", paras[i])))
    return paras, len(chosen)


def new_title(src, rng):
    kind = rng.randrange(3)
    if kind == 0:
        return rng.choice(["VIDÉO. ", "INFO - ", "DIRECT - ", "Actualité : ", "EXCLUSIF - "]) + src["title"]
    lede = sentences(src["heading"])[0] if src["heading"] else src["title"]
    if kind == 1 and lede:
        w = lede.split()
        return " ".join(w[:12]) + ("…" if len(w) > 12 else "")
    if ":" in src["title"]:
        a, b = src["title"].split(":", 1)
        return f"{b.strip().rstrip('.')} : {a.strip()}"
    return src["title"] + " : ce que l'on sait"


def make_copy(src, paras, credit, outlet, rng, other_titles):
    """One copy of a source: its edits, title, paragraphs and credit."""
    edits = [e for e in ["title", *TEXT_EDITS] if rng.random() < EDIT_PROBABILITY[e]]
    n = len(paras)
    if "drop" in edits and n < 4:
        edits.remove("drop")
    if "reorder" in edits and n < 3:
        edits.remove("reorder")
    title = new_title(src, rng) if "title" in edits else src["title"]
    paras, reworded = list(paras), 0
    if "drop" in edits:
        k = rng.randint(1, max(1, int(0.3 * n)))
        gone = set(rng.sample(range(1, n), k))
        paras = [p for i, p in enumerate(paras) if i not in gone]
    if "reorder" in edits:
        for _ in range(rng.randint(1, 2)):
            p = paras.pop(rng.randrange(1, len(paras)))
            paras.insert(rng.randrange(1, len(paras) + 1), p)
    if "reword" in edits:
        paras, reworded = reword(paras, rng)
        if not reworded:
            edits.remove("reword")
    if "credit" in edits:
        credit = None if credit else (rng.choice(AGENCIES), rng.choice(CREDIT_STYLES))
    header = footer = ()
    if "boilerplate" in edits:
        header, footer = outlet.boilerplate(rng, src["_date"], other_titles)
    if not set(edits) & set(TEXT_EDITS):
        edits.append("verbatim")
    return dict(title=title, text=render(paras, credit, header, footer), edits=edits,
                reworded_words=reworded)


# ---------------------------------------------------------------------------------------------
# Building the benchmark


def load_corpus(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    for d in docs:
        d["_words"] = len(d["article"].split())
        d["_date"] = datetime.date.fromisoformat(d["date"][:10])
    return docs


class DistinctSet:
    """Chosen articles, indexed by shingle, to refuse one too close to any already chosen."""

    def __init__(self):
        self.sets, self.index = [], defaultdict(list)

    def is_distinct(self, sh):
        shared = Counter(j for s in sh for j in self.index.get(s, ()))
        return all(c / (len(sh) + len(self.sets[j]) - c) <= DISTINCT_MAX_JACCARD for j, c in shared.items())

    def add(self, sh):
        for s in sh:
            self.index[s].append(len(self.sets))
        self.sets.append(sh)


def rare_word_index(docs):
    """idf of every word, and each document's rare words (title words kept apart): words of at
    least 3 letters in 2 to 1% of the documents."""
    df = Counter()
    bags = []
    for d in docs:
        title, body = set(words(d["title"])), set(words(d["article"]))
        bags.append((title, body))
        df.update(title | body)
    n = len(docs)
    idf = {w: math.log(n / c) for w, c in df.items()}
    most = max(2, n // 100)
    rare = lambda ws: {w for w in ws if len(w) > 2 and 2 <= df[w] <= most and not w.isdigit()}  # noqa: E731
    keys = [(rare(t), rare(b)) for t, b in bags]
    postings = defaultdict(list)
    for i, (t, b) in enumerate(keys):
        for w in t | b:
            postings[w].append(i)
    return idf, keys, postings


def topical_neighbours(i, idf, keys, postings):
    """Other articles by decreasing idf-weighted overlap of rare words (title words count double)."""
    title, body = keys[i]
    score = Counter()
    for w in title | body:
        weight = idf[w] * (2 if w in title else 1)
        for j in postings[w]:
            if j != i:
                score[j] += weight * (2 if w in keys[j][0] else 1)
    return [j for j, _ in score.most_common(200)]


def build_benchmark(corpus_docs, n_sources, n_candidates, seed, out_dir):
    rng = random.Random(seed)
    eligible = [i for i, d in enumerate(corpus_docs) if MIN_WORDS <= d["_words"] <= MAX_WORDS]
    rng.shuffle(eligible)
    chosen = DistinctSet()
    sources = []
    for i in eligible:
        sh = shingles(f"{corpus_docs[i]['heading']}\n{corpus_docs[i]['article']}")
        if chosen.is_distinct(sh):
            chosen.add(sh)
            sources.append(i)
            if len(sources) == n_sources:
                break
    # Hard negatives: each source's nearest neighbour among the candidates, a seeded sample of
    # the other eligible articles.
    used = set(sources)
    pool = sources + [i for i in eligible if i not in used][:n_candidates]
    idf, keys, postings = rare_word_index([corpus_docs[i] for i in pool])
    negatives = []
    for k, i in enumerate(sources):
        for j in (pool[n] for n in topical_neighbours(k, idf, keys, postings)):
            if j in used:
                continue
            sh = shingles(f"{corpus_docs[j]['heading']}\n{corpus_docs[j]['article']}")
            if chosen.is_distinct(sh):
                chosen.add(sh)
                used.add(j)
                negatives.append((j, k))
                break
    other_titles = [corpus_docs[i]["title"] for i in rng.sample(range(len(corpus_docs)), 2000)
                    if i not in used]
    outlets = {d: Outlet(d, seed) for d in SOURCE_OUTLETS + COPY_OUTLETS}

    docs, meta = [], []

    def publish(title, text, date, outlet, info):
        docs.append(dict(title=title, text=text, date=date.isoformat(), outlet=outlet))
        meta.append(dict(info, outlet=outlet, date=date.isoformat()))

    for group, i in enumerate(sources):
        src = corpus_docs[i]
        paras = ([src["heading"]] if src["heading"].strip() else []) + paragraphs(src["article"], rng)
        credit = (rng.choice(AGENCIES), rng.choice(CREDIT_STYLES)) if rng.random() < 0.5 else None
        src_outlet = rng.choice(SOURCE_OUTLETS)
        publish(src["title"], render(paras, credit), src["_date"], src_outlet,
                dict(role="source", group=group, orangesum_id=src["id"], edits=[], credited=bool(credit)))
        for outlet in rng.sample(COPY_OUTLETS, rng.randint(1, 3)):
            lag = rng.randint(0, 5)
            c = make_copy(src, paras, credit, outlets[outlet], rng, other_titles)
            publish(c["title"], c["text"], src["_date"] + datetime.timedelta(days=lag), outlet,
                    dict(role="copy", group=group, orangesum_id=src["id"], edits=c["edits"],
                         lag_days=lag, reworded_words=c["reworded_words"]))
    for j, group in negatives:
        d = corpus_docs[j]
        outlet = rng.choice(SOURCE_OUTLETS + COPY_OUTLETS)
        paras = ([d["heading"]] if d["heading"].strip() else []) + paragraphs(d["article"], rng)
        header = footer = ()
        if outlet in COPY_OUTLETS and rng.random() < 0.5:
            header, footer = outlets[outlet].boilerplate(rng, d["_date"], other_titles)
        publish(d["title"], render(paras, None, header, footer), d["_date"], outlet,
                dict(role="negative", group=None, orangesum_id=d["id"], edits=[],
                     neighbour_group=group))

    # Neutral ids in a shuffled order: neither the id nor the position tells the role.
    order = list(range(len(docs)))
    rng.shuffle(order)
    for rank, k in enumerate(order):
        doc_id = f"doc-{rank + 1:05d}"
        docs[k]["id"] = meta[k]["id"] = doc_id
        docs[k]["url"] = f"https://{docs[k]['outlet']}/{docs[k]['date']}/{slug(docs[k]['title'])}-{rank + 1}"
    sets = {docs[k]["id"]: shingles(docs[k]["text"]) for k in range(len(docs))}
    by_group = defaultdict(list)
    for m in meta:
        if m["group"] is not None:
            by_group[m["group"]].append(m)
    gold = {}
    for members in by_group.values():
        src = next(m for m in members if m["role"] == "source")
        for m in members:
            if m["role"] == "copy":
                m["jaccard_to_source"] = round(jaccard(sets[m["id"]], sets[src["id"]]), 4)
                m["overlap_to_source"] = round(overlap(sets[m["id"]], sets[src["id"]]), 4)
        for m in meta:
            if m.get("neighbour_group") == src["group"]:
                m["jaccard_to_neighbour"] = round(jaccard(sets[m["id"]], sets[src["id"]]), 4)
        for a, b in combinations(sorted(members, key=lambda m: m["id"]), 2):
            gold[(a["id"], b["id"])] = "source-copy" if "source" in (a["role"], b["role"]) else "copy-copy"

    os.makedirs(out_dir, exist_ok=True)
    bench = os.path.join(out_dir, "bench.jsonl")
    with open(bench, "w", encoding="utf-8") as f:
        for k in order:
            d = docs[k]
            f.write(json.dumps({key: d[key] for key in ["id", "title", "text", "date", "outlet", "url"]},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "gold-pairs.tsv"), "w", encoding="utf-8") as f:
        f.write("doc_a\tdoc_b\tkind\texact_jaccard\n")
        for (a, b), kind in sorted(gold.items()):
            f.write(f"{a}\t{b}\t{kind}\t{jaccard(sets[a], sets[b]):.4f}\n")
    with open(os.path.join(out_dir, "docs-meta.jsonl"), "w", encoding="utf-8") as f:
        for k in order:
            f.write(json.dumps(meta[k], ensure_ascii=False) + "\n")
    texts = {docs[k]["id"]: docs[k]["text"] for k in order}
    return bench, texts, sets, {m["id"]: m for m in meta}, gold


# ---------------------------------------------------------------------------------------------
# The two tools


def cluster_pairs(clusters):
    return {tuple(sorted(p)) for c in clusters for p in combinations(sorted(set(c)), 2)}


def union_find_clusters(pairs):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return list(groups.values())


def run_datasketch(texts, thresholds, runs):
    from datasketch import MinHash, MinHashLSH
    best_sig, sigs = None, None
    for _ in range(runs):
        t0 = time.perf_counter()
        s = {}
        for doc_id, text in texts.items():
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([x.encode("utf-8") for x in shingles(text)])
            s[doc_id] = m
        elapsed = time.perf_counter() - t0
        if best_sig is None or elapsed < best_sig:
            best_sig, sigs = elapsed, s
    out = {}
    for t in thresholds:
        best = None
        for _ in range(runs):
            t0 = time.perf_counter()
            lsh = MinHashLSH(threshold=t, num_perm=NUM_PERM)
            for doc_id, m in sigs.items():
                lsh.insert(doc_id, m)
            t1 = time.perf_counter()
            raw = set()
            for doc_id, m in sigs.items():
                for other in lsh.query(m):
                    if other > doc_id and m.jaccard(sigs[other]) >= t:
                        raw.add((doc_id, other))
            t2 = time.perf_counter()
            r = dict(lsh_s=t1 - t0, query_s=t2 - t1, raw=raw, bands=lsh.b, rows=lsh.r)
            if best is None or r["lsh_s"] + r["query_s"] < best["lsh_s"] + best["query_s"]:
                best = r
        best["clustered"] = cluster_pairs(union_find_clusters(best["raw"]))
        best["signature_s"] = best_sig
        best["total_s"] = best_sig + best["lsh_s"] + best["query_s"]
        out[t] = best
    return out


def vigie_has(vigie, command):
    return subprocess.run([vigie, command, "--help"], capture_output=True).returncode == 0


def parse_clusters(out):
    """Document ids per cluster, from `vigie reprints --format json` (unknown fields ignored)."""
    data = json.loads(out)
    if isinstance(data, dict):
        data = data.get("clusters", [])
    doc_id = lambda d: str(d.get("doc_id", d.get("id")))  # noqa: E731
    clusters, originals = [], []
    for c in data:
        ids = [doc_id(c["original"])] + [doc_id(x) for x in c.get("copies", [])]
        clusters.append(ids)
        originals.append(ids[0])
    return clusters, originals


def run_vigie(vigie, bench, store, thresholds, runs, layers):
    ingest = None
    extra = ["--layers", layers] if layers else []
    for _ in range(runs):
        shutil.rmtree(store, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([vigie, "ingest", bench, "--store", store, "--quiet", *extra], check=True)
        elapsed = time.perf_counter() - t0
        ingest = elapsed if ingest is None else min(ingest, elapsed)
    out = {}
    for t in thresholds:
        best, stdout = None, None
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run([vigie, "reprints", "--store", store, "--threshold", str(t), "--format", "json"],
                               capture_output=True, text=True, check=True)
            elapsed = time.perf_counter() - t0
            if best is None or elapsed < best:
                best, stdout = elapsed, p.stdout
        clusters, originals = parse_clusters(stdout)
        out[t] = dict(ingest_layers=f"layers {layers}" if layers else "whole analysis",
                      ingest_s=ingest, reprints_s=best, total_s=ingest + best, clusters=clusters,
                      originals=originals, pairs=cluster_pairs(clusters))
    return out


# ---------------------------------------------------------------------------------------------
# Scoring


def band(x):
    low = min(max(math.floor(x * 10) / 10, 0.4), 0.9)
    return "< 0.5" if low < 0.5 else ">= 0.9" if low >= 0.9 else f"{low:.1f}-{low + 0.1:.1f}"


def recall_table(counts):
    return {b: dict(found=f, total=n, recall=round(f / n, 4))
            for b, (f, n) in sorted(counts.items(), key=lambda x: x[0].lstrip("<>= "))}


def score(pred, gold, meta, sets, threshold, measure):
    """Pair precision, recall and F1, and where the misses and false pairs are. `measure` is the
    similarity the tool's threshold applies to (`jaccard` or `overlap`): a missed copy whose
    exact value is below the threshold could not be found by that measure."""
    tp = pred & set(gold)
    p = len(tp) / len(pred) if pred else 0.0
    r = len(tp) / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    kinds = Counter(gold.values())
    recall_by_kind = {k: round(sum(1 for g in tp if gold[g] == k) / n, 4) for k, n in kinds.items()}
    # Source-copy pairs: recall by edit type and by band of exact similarity; the misses.
    by_edit, by_jaccard, by_overlap = (defaultdict(lambda: [0, 0]) for _ in range(3))
    missed = []
    for pair, kind in gold.items():
        if kind != "source-copy":
            continue
        copy = next(meta[x] for x in pair if meta[x]["role"] == "copy")
        found = pair in pred
        j, o = copy["jaccard_to_source"], copy["overlap_to_source"]
        for counts, key in [*((by_edit, e) for e in copy["edits"]), (by_jaccard, band(j)), (by_overlap, band(o))]:
            counts[key][0] += found
            counts[key][1] += 1
        if not found:
            missed.append(dict(copy=copy["id"], source=next(x for x in pair if x != copy["id"]),
                               edits=copy["edits"], exact_jaccard=j, exact_overlap=o,
                               below_threshold=(j if measure == "jaccard" else o) < threshold))
    false_pairs = []
    for a, b in sorted(pred - set(gold)):
        ma, mb = meta[a], meta[b]
        false_pairs.append(dict(a=a, b=b, roles="-".join(sorted([ma["role"], mb["role"]])),
                                same_outlet=ma["outlet"] == mb["outlet"],
                                exact_jaccard=round(jaccard(sets[a], sets[b]), 4),
                                exact_overlap=round(overlap(sets[a], sets[b]), 4)))
    return dict(measure=measure, pairs=len(pred), true_pairs=len(tp), precision=round(p, 4),
                recall=round(r, 4), f1=round(f1, 4), recall_by_kind=recall_by_kind,
                recall_by_edit=recall_table(by_edit), recall_by_exact_jaccard=recall_table(by_jaccard),
                recall_by_exact_overlap=recall_table(by_overlap),
                missed_copies=sorted(missed, key=lambda m: m["exact_" + measure]), false_pairs=false_pairs)


def original_accuracy(clusters, originals, meta):
    """Among clusters holding a source, how often the source is named the original (ties of
    date excluded: a copy published the same day may legitimately come first)."""
    right = total = 0
    for ids, orig in zip(clusters, originals):
        src = [x for x in ids if meta.get(x, {}).get("role") == "source"]
        if not src or any(meta[x]["date"] == meta[src[0]]["date"] for x in ids if x != src[0]):
            continue
        total += 1
        right += orig == src[0]
    return dict(right=right, total=total)


# ---------------------------------------------------------------------------------------------
# Report


def print_report(n_docs, gold, results, threshold):
    kinds = Counter(gold.values())
    print(f"\n{n_docs} documents, {len(gold)} gold pairs ({kinds['source-copy']} source-copy, "
          f"{kinds['copy-copy']} copy-copy); Vigie's threshold applies to the overlap |A∩B|/min(|A|,|B|) "
          f"of word 3-grams, datasketch's to the Jaccard similarity\n")
    print(f"{'T':>4}  {'tool':<24} {'pairs':>6} {'prec':>6} {'recall':>6} {'F1':>6}   time")
    for t, tools in results.items():
        for name, r in tools.items():
            s = r["score"]
            print(f"{t:>4}  {name:<24} {s['pairs']:>6} {s['precision']:>6.3f} {s['recall']:>6.3f} "
                  f"{s['f1']:>6.3f}   {r['time']}")

    main = results[threshold]
    print(f"\nspeed at T={threshold} ({n_docs} documents, best of the runs):")
    ds = main["datasketch LSH clustered"]
    print(f"  datasketch: signatures {ds['signature_s']:.3f} s, LSH {ds['lsh_s']:.3f} s, queries "
          f"{ds['query_s']:.3f} s = {ds['total_s']:.3f} s, {n_docs / ds['total_s']:.0f} docs/s "
          f"(LSH {ds['bands']} bands x {ds['rows']} rows)")
    if "vigie reprints" in main:
        v = main["vigie reprints"]
        print(f"  vigie: ingest {v['ingest_s']:.3f} s ({v['ingest_layers']}, {n_docs / v['ingest_s']:.0f} docs/s), "
              f"reprints {v['reprints_s']:.3f} s ({n_docs / v['reprints_s']:.0f} docs/s)")
        print(f"  speed ratio, datasketch time / Vigie time (> 1: Vigie faster): vigie reprints alone "
              f"{ds['total_s'] / v['reprints_s']:.1f}, vigie ingest + reprints {ds['total_s'] / v['total_s']:.2f}")
        o = v["original"]
        if o["total"]:
            print(f"  vigie names the source as the original in {o['right']}/{o['total']} clusters "
                  f"(clusters with a copy dated the source's day left out)")

    names = list(main)
    for title, key in [("edit (a copy counts under each of its edits)", "recall_by_edit"),
                       ("exact Jaccard", "recall_by_exact_jaccard"), ("exact overlap", "recall_by_exact_overlap")]:
        print(f"\nrecall of source-copy pairs at T={threshold} by {title}:")
        print(f"  {'':<12} {'copies':>6}  " + "  ".join(f"{n:>24}" for n in names))
        for row, v in main[names[0]]["score"][key].items():
            print(f"  {row:<12} {v['total']:>6}  " + "  ".join(
                f"{main[n]['score'][key][row]['recall']:>24.3f}" for n in names))

    for n in names:
        s = main[n]["score"]
        missed, measure = s["missed_copies"], s["measure"]
        below = sum(m["below_threshold"] for m in missed)
        print(f"\n{n} at T={threshold}: {len(missed)} copies missed ({below} with an exact {measure} "
              f"below T), {len(s['false_pairs'])} false pairs")
        for combo, c in Counter("+".join(m["edits"]) for m in missed).most_common(12):
            print(f"  missed {c:>3}  {combo}")
        for m in [m for m in missed if not m["below_threshold"]][-10:]:
            print(f"  missed above T: {m['copy']} (source {m['source']}) Jaccard {m['exact_jaccard']:.2f} "
                  f"overlap {m['exact_overlap']:.2f}  {'+'.join(m['edits'])}")
        for f in sorted(s["false_pairs"], key=lambda f: -f["exact_overlap"])[:10]:
            print(f"  false pair {f['a']} {f['b']} ({f['roles']}{', same outlet' if f['same_outlet'] else ''}) "
                  f"Jaccard {f['exact_jaccard']:.2f} overlap {f['exact_overlap']:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--candidates", type=int, default=8000,
                    help="articles sampled as candidate hard negatives (default 8000)")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--thresholds", help="comma-separated thresholds, e.g. 0.5,0.6,0.7,0.8,0.9")
    ap.add_argument("--vigie", help="the vigie binary to use as is (default: build the release binary)")
    ap.add_argument("--no-vigie", action="store_true", help="datasketch only")
    ap.add_argument("--ingest-layers", help="`vigie ingest --layers` (default: the whole analysis; "
                    "`segment` is the cheapest, enough for the signatures)")
    ap.add_argument("--python", help="a Python with datasketch to run this script under")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out-dir", default="/tmp/reprints-bench")
    ap.add_argument("--json", help="write every figure (with the missed copies and false pairs) here")
    args = ap.parse_args()

    if importlib.util.find_spec("datasketch") is None and args.python:
        argv, skip = [], False
        for a in sys.argv[1:]:
            if skip or a == "--python" or a.startswith("--python="):
                skip = a == "--python"
                continue
            argv.append(a)
        os.execv(args.python, [args.python, os.path.abspath(__file__), *argv])
    if importlib.util.find_spec("datasketch") is None:
        sys.exit("datasketch is missing: python3 -m venv /tmp/reprints-venv && "
                 "/tmp/reprints-venv/bin/pip install datasketch, then rerun with "
                 "--python /tmp/reprints-venv/bin/python")

    corpus = corpus_or_skip([args.corpus] if args.corpus else [])
    thresholds = sorted({args.threshold, *(float(t) for t in (args.thresholds or "").split(",") if t)})

    t0 = time.perf_counter()
    bench, texts, sets, meta, gold = build_benchmark(load_corpus(corpus), args.sources, args.candidates,
                                                     args.seed, args.out_dir)
    roles = Counter(m["role"] for m in meta.values())
    copies = [m for m in meta.values() if m["role"] == "copy"]
    print(f"benchmark: {bench} ({roles['source']} sources, {roles['copy']} copies, {roles['negative']} "
          f"negatives; built in {time.perf_counter() - t0:.1f} s)")
    print("  copies by edit: " + ", ".join(f"{e} {c}" for e, c in
                                           Counter(e for m in copies for e in m["edits"]).most_common()))
    reworded = [m["reworded_words"] / len(words(texts[m["id"]])) for m in copies if "reword" in m["edits"]]
    print(f"  reworded copies: {100 * sum(reworded) / max(1, len(reworded)):.1f}% of their words on average")
    js = sorted(m["jaccard_to_source"] for m in copies)
    print(f"  exact Jaccard copy-source: median {js[len(js) // 2]:.2f}, "
          f"{sum(j >= args.threshold for j in js)}/{len(js)} >= {args.threshold}")
    jn = sorted(m["jaccard_to_neighbour"] for m in meta.values() if m["role"] == "negative")
    print(f"  exact Jaccard negative-source (its topical neighbour): median {jn[len(jn) // 2]:.3f}, "
          f"max {jn[-1]:.3f}")

    vigie = None
    if not args.no_vigie:
        vigie = args.vigie or release_vigie()
        if not (vigie_has(vigie, "ingest") and vigie_has(vigie, "reprints")):
            print(f"  {vigie} has no `ingest` / `reprints` command yet: datasketch only")
            vigie = None

    results = {t: {} for t in thresholds}
    if vigie:
        for t, v in run_vigie(vigie, bench, os.path.join(args.out_dir, "store"), thresholds, args.runs,
                               args.ingest_layers).items():
            results[t]["vigie reprints"] = dict(
                v, score=score(v["pairs"], gold, meta, sets, t, "overlap"), original=original_accuracy(v["clusters"], v["originals"], meta),
                time=f"ingest {v['ingest_s']:.2f} s + reprints {v['reprints_s']:.3f} s")
    for t, d in run_datasketch(texts, thresholds, args.runs).items():
        timing = f"signatures {d['signature_s']:.2f} s + LSH {d['lsh_s']:.3f} s + queries {d['query_s']:.3f} s"
        for kind in ["raw", "clustered"]:
            results[t][f"datasketch LSH {kind}"] = dict(d, score=score(d[kind], gold, meta, sets, t, "jaccard"), time=timing)

    print_report(len(texts), gold, results, args.threshold)

    if args.json:
        drop = {"raw", "clustered", "pairs", "clusters", "originals", "time"}
        report = dict(corpus=os.path.abspath(corpus), seed=args.seed, benchmark=bench, documents=len(texts),
                      roles=dict(roles), gold_pairs=dict(Counter(gold.values())), vigie=vigie,
                      results={str(t): {n: {k: v for k, v in r.items() if k not in drop} for n, r in tools.items()}
                               for t, tools in results.items()})
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
