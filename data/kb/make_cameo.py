#!/usr/bin/env python3
"""Build data/kb/cameo.tsv and data/kb/cameo2plover.tsv from ../shared/kb (run from the repo root).

cameo.tsv:        code, name, goldstein, quad_class, root   (sources: andybega/icews cameo-codes.csv for
                  names, GDELT tables for quad class and Goldstein; both MIT)
cameo2plover.tsv: cameo, plover type, mode, context          (source: PLOVER CAMEO2PLOVER-2021.txt,
                  CC BY-SA 4.0); codes the table lacks fall back to their root code's mapping.
"""
import csv, json, os, sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared/kb"
OUT = os.path.dirname(os.path.abspath(__file__))

codes = json.load(open(f"{SHARED}/cameo/cameo-codes.gdelt.json", encoding="utf-8"))
gold = json.load(open(f"{SHARED}/cameo/cameo-goldstein.gdelt.json", encoding="utf-8"))
names = {}
with open(f"{SHARED}/cameo/cameo-codes.csv", encoding="utf-8", errors="replace") as f:
    for row in csv.DictReader(f):
        names[row["code"]] = row["name"].strip()

def clean(s):
    return " ".join(s.replace("\t", " ").split())

rows = []
for code in sorted(codes):
    c = codes[code]
    name = clean(names.get(code) or c.get("name") or "")
    g = gold.get(code, {}).get("value")
    if g is None:
        continue
    root = code[:2]
    rows.append((code, name, g, c.get("quad_class", 0), root))

with open(f"{OUT}/cameo.tsv", "w", encoding="utf-8") as f:
    f.write("# CAMEO event codes. Sources: andybega/icews cameo-codes.csv, GDELT CAMEO tables (MIT). Built by make_cameo.py\n")
    f.write("#code\tname\tgoldstein\tquad_class\troot\n")
    for r in rows:
        f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\n")

# CAMEO -> PLOVER
plover = {}
for line in open(f"{SHARED}/plover/CAMEO2PLOVER-2021.txt", encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if ":" not in line or not line[0].isdigit():
        continue
    code, rest = line.split(":", 1)
    parts = [p.strip() for p in rest.split(",")]
    typ = parts[0] if parts else ""
    mode = parts[1] if len(parts) > 1 else ""
    ctx = parts[2] if len(parts) > 2 else ""
    if typ:
        plover.setdefault(code.strip(), (typ, mode, ctx))
# The 2021 table predates the codebook's ASSAULT/aerial mode (PLOVER_structured_codebook_updated.csv).
plover["195"] = ("ASSAULT", "aerial", "military")

with open(f"{OUT}/cameo2plover.tsv", "w", encoding="utf-8") as f:
    f.write("# CAMEO -> PLOVER. Source: openeventdata/PLOVER CAMEO2PLOVER-2021.txt (CC BY-SA 4.0); root fallback applied. Built by make_cameo.py\n")
    f.write("#cameo\tplover\tmode\tcontext\n")
    for code in sorted(codes):
        m = plover.get(code)
        if m is None:
            # Fall back to the nearest mapped ancestor: 3-digit parent, then its x0 base, then root.
            for anc in (code[:3], code[:2] + "0", code[:2]):
                if anc in plover and plover[anc][0]:
                    m = (plover[anc][0], "", plover[anc][2] if anc == code[:3] else "")
                    break
        if m is None:
            continue
        f.write(f"{code}\t{m[0]}\t{m[1]}\t{m[2]}\n")
print(len(rows), "cameo codes")
