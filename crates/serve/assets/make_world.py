#!/usr/bin/env python3
"""Builds world.json, the map's country outlines, from Natural Earth 1:110m admin-0 countries
(public domain), as shipped in the geopandas 0.14 wheel (`naturalearth_lowres`).

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne && cd /tmp/ne && unzip -o geopandas-*.whl
    python3 make_world.py /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres > world.json

Output: {"countries": [{"iso", "name", "c": [lon, lat], "p": [[lon, lat, lon, lat, ...], ...]}]}
with coordinates rounded to 0.1 degree (plenty for an equirectangular overview map) and `c` the
centre of the largest ring's bounding box, used to place events that only know their country.
Pure Python: reads the .shp/.dbf formats directly.
"""
import json
import struct
import sys


def read_dbf(path):
    with open(path, "rb") as f:
        data = f.read()
    n, hlen, rlen = struct.unpack("<IHH", data[4:12])
    fields = []
    off = 32
    while data[off] != 0x0D:
        name = data[off:off + 11].split(b"\0")[0].decode()
        flen = data[off + 16]
        fields.append((name, flen))
        off += 32
    rows = []
    for i in range(n):
        rec = data[hlen + i * rlen: hlen + (i + 1) * rlen]
        pos = 1
        row = {}
        for name, flen in fields:
            row[name] = rec[pos:pos + flen].decode("utf-8", "replace").strip()
            pos += flen
        rows.append(row)
    return rows


def read_shp(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 100
    shapes = []
    while off < len(data):
        _, clen = struct.unpack(">II", data[off:off + 8])
        rec = data[off + 8: off + 8 + clen * 2]
        off += 8 + clen * 2
        stype = struct.unpack("<i", rec[:4])[0]
        if stype != 5:
            shapes.append([])
            continue
        nparts, npoints = struct.unpack("<ii", rec[36:44])
        parts = list(struct.unpack("<%di" % nparts, rec[44:44 + 4 * nparts]))
        pts_off = 44 + 4 * nparts
        pts = [struct.unpack("<dd", rec[pts_off + 16 * k: pts_off + 16 * k + 16]) for k in range(npoints)]
        parts.append(npoints)
        shapes.append([pts[parts[k]:parts[k + 1]] for k in range(nparts)])
    return shapes


def main(base):
    rows = read_dbf(base + ".dbf")
    shapes = read_shp(base + ".shp")
    out = []
    for row, rings in zip(rows, shapes):
        polys = []
        best, best_area = None, -1.0
        for ring in rings:
            flat = []
            last = None
            for lon, lat in ring:
                p = (round(lon, 1), round(lat, 1))
                if p != last:
                    flat.extend(p)
                    last = p
            if len(flat) < 8:
                continue
            polys.append(flat)
            xs, ys = flat[0::2], flat[1::2]
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > best_area:
                best, best_area = (xs, ys), area
        if not polys:
            continue
        xs, ys = best
        c = [round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)]
        out.append({"iso": row.get("iso_a3", ""), "name": row.get("name", ""), "c": c, "p": polys})
    json.dump({"source": "Natural Earth 1:110m admin-0 countries (public domain)", "countries": out},
              sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
