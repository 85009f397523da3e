#!/usr/bin/env python3
"""Build the demo sample corpus: data/sample/wikinews/*.txt.

Each output file is a plain-text page the way `wirecoder` reads one: the first line is the
title, then a blank line, then paragraphs separated by blank lines.

Sources (both Wikinews, text under CC BY 2.5; see ATTRIBUTION.md):
- GeoVirus (`eval/geoparsing/GeoVirus.xml`): 229 Wikinews excerpts; the title is the last part
  of the source URL with underscores as spaces; excerpts that share a URL are joined in order.
- GUM news (`eval/gum-news/*.conllu`): 24 Wikinews articles; the readable text is rebuilt from
  the `# text =` sentence lines, paragraphs from `# newpar` marks (the XML is tokenized, the
  CoNLL-U comments keep the original sentence strings).

Usage: python3 data/sample/make_sample.py [SHARED_DIR]   (default: ../shared from the repo root)
Writes data/sample/wikinews/ and data/sample/SOURCES.tsv (file, url) next to this script.
"""
import glob
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def slug(title, taken):
    s = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").lower()[:80] or "article"
    base, n = s, 2
    while s in taken:
        s = f"{base}_{n}"
        n += 1
    taken.add(s)
    return s


def title_from_url(url):
    last = urllib.parse.unquote(url.rstrip("/").rsplit("/", 1)[-1])
    return last.replace("_", " ").strip()


def clean(text):
    text = text.replace("\r", "")
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()


def geovirus(shared):
    path = os.path.join(shared, "eval", "geoparsing", "GeoVirus.xml")
    root = ET.parse(path).getroot()
    order, parts = [], {}
    for art in root.findall("article"):
        url = (art.findtext("source") or "").strip()
        text = clean(art.findtext("text") or "")
        if not url or not text:
            continue
        if url not in parts:
            order.append(url)
            parts[url] = []
        parts[url].append(text)
    for url in order:
        yield url, title_from_url(url), parts[url]


def gum(shared):
    for path in sorted(glob.glob(os.path.join(shared, "eval", "gum-news", "*.conllu"))):
        url, title, paras, cur = None, None, [], []
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("# meta::sourceURL = "):
                    url = line.split(" = ", 1)[1].strip()
                elif line.startswith("# meta::title = "):
                    title = line.split(" = ", 1)[1].strip()
                elif line == "# newpar" or line.startswith("# newpar "):
                    if cur:
                        paras.append(" ".join(cur))
                    cur = []
                elif line.startswith("# text = "):
                    cur.append(line.split(" = ", 1)[1].strip())
        if cur:
            paras.append(" ".join(cur))
        if not url or "wikinews.org" not in url or not paras:
            continue
        title = title or title_from_url(url)
        # The first paragraph is the headline itself; the title line already carries it.
        if paras and paras[0].strip() == title:
            paras = paras[1:]
        yield url, title, [clean(p) for p in paras if p.strip()]


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPO), "shared")
    out = os.path.join(HERE, "wikinews")
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "*.txt")):
        os.remove(old)
    taken, seen, rows = set(), set(), []
    for url, title, paras in list(gum(shared)) + list(geovirus(shared)):
        key = urllib.parse.unquote(url).lower()
        if key in seen:
            continue
        seen.add(key)
        name = slug(title, taken) + ".txt"
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + "\n\n".join(paras) + "\n")
        rows.append((name, url))
    with open(os.path.join(HERE, "SOURCES.tsv"), "w", encoding="utf-8") as f:
        f.write("file\turl\n")
        for name, url in rows:
            f.write(f"wikinews/{name}\t{url}\n")
    print(f"wrote {len(rows)} articles to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
