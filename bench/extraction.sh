#!/usr/bin/env bash
# Side by side: wirecoder and trafilatura on the same pages, in one run, one thread each,
# so the speed ratio is honest on a noisy machine. trafilatura is installed from PyPI into a
# throwaway venv (removed at the end). Usage: bench/extraction.sh [SHARED_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
TRAF="$SHARED/eval/extraction/trafilatura-eval"
WCXB="$SHARED/eval/extraction/wcxb-dev"
VENV=$(mktemp -d)
trap 'rm -rf "$VENV"' EXIT

python3 -m venv "$VENV"
# lxml 6 moved the HTML cleaner that justext (a trafilatura dependency) imports.
"$VENV/bin/pip" install -q trafilatura lxml_html_clean
TRAF_VERSION=$("$VENV/bin/python" -c 'import trafilatura; print(trafilatura.__version__)')
cargo build -q --release -p wirecoder || {
    [ -x target/release/wirecoder ] || exit 1
    echo "warning: build failed; using the existing target/release/wirecoder" >&2
}
BIN=target/release/wirecoder

echo "== wirecoder $(git rev-parse --short HEAD 2>/dev/null || echo '?') (one thread)"
$BIN eval extraction --suite trafilatura "$TRAF"
$BIN eval extraction --suite wcxb "$WCXB"

echo "== trafilatura $TRAF_VERSION (one thread, same pages, same scoring)"
"$VENV/bin/python" - "$TRAF" "$WCXB" <<'PY'
import gzip, json, os, re, sys, time
from collections import Counter
import trafilatura

def decode(b):
    for enc in ("utf-8",):
        try:
            return b.decode(enc)
        except UnicodeDecodeError:
            pass
    m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', b[:2048])
    try:
        return b.decode(m.group(1).decode() if m else "cp1252", errors="replace")
    except LookupError:
        return b.decode("cp1252", errors="replace")

norm = lambda s: " ".join(s.split())
toks = lambda s: re.findall(r"\w+", s.lower())

def run(cases):
    t = time.perf_counter()
    outs = [trafilatura.extract(decode(c["html"]), url=c["url"]) or "" for c in cases]
    return outs, time.perf_counter() - t

def snippets(cases, outs):
    tp = fn = fp = 0
    for c, o in zip(cases, outs):
        o = norm(o)
        for s in c["with"]:
            if norm(s) in o: tp += 1
            else: fn += 1
        for s in c["without"]:
            if norm(s) in o: fp += 1
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0

traf, wcxb = sys.argv[1], sys.argv[2]
gold = json.load(open(os.path.join(traf, "evaldata.json")))
cases = []
for url, v in gold.items():
    for d in ("eval", "cache"):
        f = os.path.join(traf, d, v["file"] + ".gz")
        if os.path.exists(f):
            cases.append(dict(url=url, html=gzip.open(f).read(), **{k: v.get(k, []) for k in ("with", "without")}))
            break
outs, secs = run(cases)
p, r, f = snippets(cases, outs)
print(f"trafilatura-eval: pages {len(cases)}  precision {p:.3f} recall {r:.3f} f1 {f:.3f}  speed {len(cases)/secs:.1f} pages/s")

cases = []
for name in sorted(os.listdir(os.path.join(wcxb, "ground-truth"))):
    g = json.load(open(os.path.join(wcxb, "ground-truth", name)))
    h = os.path.join(wcxb, "html", name.replace(".json", ".html.gz"))
    if os.path.exists(h):
        gt = g["ground_truth"]
        cases.append(dict(url=g.get("url", ""), html=gzip.open(h).read(), text=gt.get("main_content") or "",
                          **{k: gt.get(k) or [] for k in ("with", "without")}))
outs, secs = run(cases)
P = R = F = 0
for c, o in zip(cases, outs):
    a, b = Counter(toks(o)), Counter(toks(c["text"]))
    na, nb = sum(a.values()), sum(b.values())
    common = sum((a & b).values())
    if na == 0 and nb == 0: p = r = 1.0
    else: p, r = (common / na if na else 0), (common / nb if nb else 0)
    P += p; R += r; F += 2 * p * r / (p + r) if p + r else 0
n = len(cases)
print(f"wcxb-dev: pages {n}  word-bag precision {P/n:.3f} recall {R/n:.3f} f1 {F/n:.3f}  speed {n/secs:.1f} pages/s")
PY
