#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/TARGET/seed-*): small synthetic inputs, plus two
short Wikinews pages from data/sample (CC BY 2.5, see data/sample/ATTRIBUTION.md).
Run from the repository root: python3 fuzz/make_seeds.py"""
import gzip, json, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus"

def put(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / f"seed-{name}").write_bytes(data)

wikinews = [root / "data/sample/wikinews/bird_flu_kills_40th_indonesian.txt",
            root / "data/sample/wikinews/sudan_reports_first_bird_flu_case.txt"]
pages = [p.read_text(encoding="utf-8") for p in wikinews if p.exists()]

html = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Russia accuses Ukraine of drone strike - Example News</title>
<meta property="og:title" content="Russia accuses Ukraine of drone strike">
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2024-01-09T08:00:00Z">
<link rel="canonical" href="https://news.example.com/2024/01/09/drone">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Russia accuses Ukraine","datePublished":"2024-01-09"}</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Russia accuses Ukraine of drone strike</h1><p class="byline">By Jane Doe</p>
<p>MOSCOW, Jan 9 (Example) - Russia on Tuesday accused Ukraine of launching a drone strike on an oil depot in Belgorod, saying two people were killed.</p>
<h2>Kyiv denies</h2><p>"We did not attack civilian targets," a Ukrainian official said on Monday, adding that talks would resume next week.</p>
<ul><li>one<li>two</ul><table><tr><td>a<td>b</table></article>
<footer>Copyright 2024. <a href="/about">About us</a></footer></body></html>"""
put("extract_html", "article.html", html)
put("extract_html", "minimal.html", "<p>Police arrested 12 protesters in Paris on 3 March 2023.</p>")
put("extract_html", "nested.html", "<div>" * 40 + "<p>Deep text in Berlin.</p>" + "</div>" * 40)
put("extract_html", "latin1.html", b"<html><head><meta charset=iso-8859-1></head><body><p>Caf\xe9 owners protested in M\xfcnchen.</p></body></html>")
put("html_nesting", "article", b"\x05" + html.encode())
put("html_nesting", "tricky", b"\x02<<b>div><script>'<div>'</script><!-- <div> --><div a='>'><p>x</div></div>")

for i, p in enumerate(pages):
    put("text_page", f"wikinews{i}.txt", p)
    put("annotate", f"wikinews{i}.txt", p)
put("text_page", "cp1252.txt", b"Title\n\nThe minister said \x93no\x94 to the deal in Z\xfcrich.")
put("text_page", "utf16.txt", "\ufeffTitle\n\nSeoul protested.".encode("utf-16-le"))
put("annotate", "events.txt", "Russia accused Ukraine of shelling Donetsk on Monday, killing 3 people and wounding 12. "
    "The United Nations called for a ceasefire. \"We will respond,\" said Dmitry Peskov on 9 January 2024.\n\n"
    "France and Germany met in Paris last week to discuss sanctions against Iran.")

def warc_record(kind, uri, ctype, block):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2024-01-09T08:00:00Z\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"

body = b"<html><body><p>Iran condemned Israel on Tuesday.</p></body></html>"
resp = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
gz = gzip.compress(body, mtime=0)
resp_gz = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(gz):x}\r\n".encode() + gz + b"\r\n0\r\n\r\n")
warc = (warc_record("warcinfo", "", "application/warc-fields", b"software: seed\r\n")
        + warc_record("response", "https://example.com/a", "application/http; msgtype=response", resp)
        + warc_record("response", "https://example.com/b", "application/http; msgtype=response", resp_gz)
        + warc_record("conversion", "https://example.com/c", "text/plain", b"China protested.\n"))
put("warc", "three.warc", warc)
put("warc", "cut.warc", warc[: len(warc) // 2])

rss = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Example</title>
<item><title>Strike in Gaza</title><link>https://example.com/1</link><pubDate>Tue, 09 Jan 2024 08:00:00 GMT</pubDate>
<description><![CDATA[<p>Israel struck Gaza on Tuesday.</p>]]></description><author>a@example.com (Ann)</author></item>
<item><title>Talks</title><description>Russia and China met in Beijing.</description></item></channel></rss>"""
atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ex</title><id>urn:x</id><updated>2024-01-09T00:00:00Z</updated>
<entry><title>Vote</title><id>urn:1</id><updated>2024-01-09T00:00:00Z</updated><content type="html">&lt;p&gt;Parliament voted.&lt;/p&gt;</content></entry></feed>"""
jf = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [
    {"id": "1", "content_html": "<p>Kenya protested.</p>", "date_published": "2024-01-09T00:00:00Z"}]})
put("feed", "rss.xml", rss)
put("feed", "atom.xml", atom)
put("feed", "jsonfeed.json", jf)
put("feed", "entities.xml", """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>
<rss><channel><title>&b;</title><item><description>&b;</description></item></channel></rss>""")

lines = [json.dumps({"id": "d1", "url": "https://example.com/1", "title": "Clashes", "published": "2024-01-09",
                     "text": "Police clashed with protesters in Nairobi on Monday."}),
         json.dumps({"id": 2, "html": "<p>Turkey shelled Kurdish positions.</p>"}),
         '{"id": "broken", "text": "unterminated',
         "[1,2,3]", "", json.dumps({"title": "no text"})]
put("jsonl", "docs.jsonl", "\n".join(lines) + "\n")

conllu = """# sent_id = s1
# text = Russia accused Ukraine.
1\tRussia\tRussia\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\taccused\taccuse\tVERB\tVBD\t_\t0\troot\t_\t_
3\tUkraine\tUkraine\tPROPN\tNNP\t_\t2\tobj\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# sent_id = s2
1-2\tcan't\t_\t_\t_\t_\t_\t_\t_\t_
1\tca\tcan\tAUX\tMD\t_\t3\taux\t_\t_
2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_
3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_
3.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t3:conj\t_

"""
put("conllu", "two.conllu", conllu)

for i, q in enumerate(["actor=RUS&root=19&since=2024-01-01", "dyad=RUS-UKR&limit=10&cursor=5",
                       "bbox=-10,35,40,70&modality=alleged&country=ukr", "code=1902&root=19&until=2024-02&format=csv",
                       "place=Kharkiv&min_sources=2&article=7&plover=ACCUSE", "q=%E2%82%AC&x=%ZZ"]):
    put("api_params", f"q{i}", q)

for i, t in enumerate(["On 9 January 2024, three days later, last Monday", "next week, in March, 2023-09, 2024-W01, the 1990s",
                       "Tuesday morning, 2 weeks ago, yesterday at 8 p.m., mid-2023", "Jan. 10th, 2024 08:00"]):
    put("dates", f"d{i}", b"\x10\x6b" + t.encode())
print("seeds written to", out)
