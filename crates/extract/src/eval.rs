//! Scoring extraction against gold sets: trafilatura's evaluation set (must-contain and
//! must-not-contain snippets) and WCXB (reviewed main text and metadata).
//!
//! The data is not shipped; [`load_suite`] reads it from a folder and [`evaluate`] runs
//! [`extract_html`] on every page, single-threaded, and scores it.

use crate::{extract_html, Article};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which gold set a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// trafilatura's `evaldata.json` with `eval/` and `cache/` folders of gzipped pages.
    Trafilatura,
    /// WCXB: `html/NNNN.html.gz` and `ground-truth/NNNN.json`.
    Wcxb,
}

/// Errors reading a gold set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A gold file is not the JSON expected.
    #[error("{path}: {reason}")]
    BadGold {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// One gold page.
#[derive(Debug, Clone, Default)]
pub struct EvalCase {
    /// File name (for reports).
    pub name: String,
    /// The page's URL.
    pub url: String,
    /// Raw page bytes (decompressed).
    pub html: Vec<u8>,
    /// Snippets the output must contain.
    pub with: Vec<String>,
    /// Snippets the output must not contain.
    pub without: Vec<String>,
    /// Reviewed main text (WCXB).
    pub text: Option<String>,
    /// Gold title (WCXB).
    pub title: Option<String>,
    /// Gold author (WCXB).
    pub author: Option<String>,
    /// Gold publication date, `YYYY-MM-DD` (WCXB).
    pub date: Option<String>,
}

/// Scores of one run. Metadata accuracies are `None` when the suite has no such gold.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Pages scored.
    pub pages: usize,
    /// Wall-clock seconds spent decoding and extracting (one thread).
    pub seconds: f64,
    /// CPU seconds of the extracting thread (Linux; `None` elsewhere): steadier than wall
    /// time on a shared machine.
    pub cpu_seconds: Option<f64>,
    /// Snippet counts: must-contain found / missed, must-not-contain found / absent.
    pub snippets: (usize, usize, usize, usize),
    /// Snippet precision, recall, F1 (trafilatura's scoring).
    pub snippet_prf: (f64, f64, f64),
    /// Word-bag precision, recall (averaged over pages) and F1 averaged over pages (WCXB).
    pub word_prf: Option<(f64, f64, f64)>,
    /// 4-token shingle precision and recall averaged over pages, F1 from the averages.
    pub shingle_prf: Option<(f64, f64, f64)>,
    /// Date accuracy (day) over pages with a gold date.
    pub date_acc: Option<(usize, usize)>,
    /// Title accuracy (relaxed) over pages with a gold title.
    pub title_acc: Option<(usize, usize)>,
    /// Author accuracy (relaxed) over pages with a gold author.
    pub author_acc: Option<(usize, usize)>,
    /// Per-page lines for `--verbose`: misses, junk, low scores, metadata errors.
    pub details: Vec<String>,
}

impl EvalReport {
    /// Pages per second of wall-clock time.
    pub fn pages_per_sec(&self) -> f64 {
        self.pages as f64 / self.seconds.max(1e-9)
    }

    /// Pages per CPU second of the extracting thread, when known.
    pub fn pages_per_cpu_sec(&self) -> Option<f64> {
        self.cpu_seconds.map(|c| self.pages as f64 / c.max(1e-9))
    }
}

/// User + system CPU seconds of the calling thread, from `/proc/thread-self/stat`.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // Linux reports in USER_HZ, which is 100 on every mainstream architecture.
    Some(ticks / 100.0)
}

fn read(path: &Path) -> Result<Vec<u8>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.display().to_string(),
        source,
    };
    let raw = std::fs::read(path).map_err(io)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(io)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

fn json(path: &Path) -> Result<serde_json::Value, EvalError> {
    serde_json::from_slice(&read(path)?).map_err(|e| EvalError::BadGold {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str())
        .map(str::to_string)
        .collect()
}

fn opt_str(v: &serde_json::Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Read a gold set from `dir`. Pages whose HTML is missing are left out.
pub fn load_suite(suite: Suite, dir: &Path) -> Result<Vec<EvalCase>, EvalError> {
    let mut cases = Vec::new();
    match suite {
        Suite::Trafilatura => {
            let gold = json(&dir.join("evaldata.json"))?;
            let obj = gold.as_object().ok_or_else(|| EvalError::BadGold {
                path: dir.join("evaldata.json").display().to_string(),
                reason: "not a JSON object".into(),
            })?;
            for (url, v) in obj {
                let file = v["file"].as_str().unwrap_or_default();
                let path = ["eval", "cache"]
                    .iter()
                    .map(|d| dir.join(d).join(format!("{file}.gz")))
                    .find(|p| p.exists());
                let Some(path) = path else { continue };
                cases.push(EvalCase {
                    name: file.to_string(),
                    url: url.clone(),
                    html: read(&path)?,
                    with: strings(&v["with"]),
                    without: strings(&v["without"]),
                    ..EvalCase::default()
                });
            }
        }
        Suite::Wcxb => {
            let gt = dir.join("ground-truth");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&gt)
                .map_err(|source| EvalError::Io {
                    path: gt.display().to_string(),
                    source,
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for f in files {
                let v = json(&f)?;
                let id = f
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let html = dir.join("html").join(format!("{id}.html.gz"));
                if !html.exists() {
                    continue;
                }
                let g = &v["ground_truth"];
                cases.push(EvalCase {
                    name: id,
                    url: v["url"].as_str().unwrap_or_default().to_string(),
                    html: read(&html)?,
                    with: strings(&g["with"]),
                    without: strings(&g["without"]),
                    text: opt_str(&g["main_content"]),
                    title: opt_str(&g["title"]),
                    author: opt_str(&g["author"]),
                    date: opt_str(&g["publish_date"]),
                });
            }
        }
    }
    Ok(cases)
}

/// Bytes to text for scoring: BOM, UTF-8, a `<meta charset>` in the first 2 KiB, else
/// windows-1252 (the eval pages are all HTML).
pub fn decode_page(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    // Not UTF-8, so a `charset="utf-8"` (an archive's toolbar script, say) is not the page's:
    // the first other declared charset in the first 8 KiB is, as the ingest decoder reads it.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]).to_ascii_lowercase();
    let declared: Vec<&'static encoding_rs::Encoding> = head
        .match_indices("charset=")
        .filter_map(|(i, _)| {
            let label: String = head[i + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect();
            encoding_rs::Encoding::for_label(label.as_bytes())
        })
        .collect();
    // Only UTF-8 declared: a UTF-8 page with a stray bad byte.
    let enc = declared
        .iter()
        .copied()
        .find(|e| *e != encoding_rs::UTF_8)
        .or_else(|| declared.first().copied())
        .unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `\w+` tokens, lowercased.
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn bag<T: std::hash::Hash + Eq>(items: impl Iterator<Item = T>) -> HashMap<T, usize> {
    let mut m = HashMap::new();
    for i in items {
        *m.entry(i).or_insert(0) += 1;
    }
    m
}

/// Precision and recall of two multisets. Two empty sides score (1, 1).
fn bag_pr<T: std::hash::Hash + Eq>(
    pred: &HashMap<T, usize>,
    gold: &HashMap<T, usize>,
) -> (f64, f64) {
    let np: usize = pred.values().sum();
    let ng: usize = gold.values().sum();
    if np == 0 && ng == 0 {
        return (1.0, 1.0);
    }
    let common: usize = pred
        .iter()
        .map(|(k, n)| (*n).min(gold.get(k).copied().unwrap_or(0)))
        .sum();
    let p = if np == 0 {
        0.0
    } else {
        common as f64 / np as f64
    };
    let r = if ng == 0 {
        0.0
    } else {
        common as f64 / ng as f64
    };
    (p, r)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Word-bag precision and recall of `pred` against `gold` (`\w+` tokens, lowercased).
///
/// ```
/// let (p, r) = wirecoder_extract::word_prf("Kim met Putin. Share this", "Kim met Putin.");
/// assert_eq!((p, r), (0.6, 1.0));
/// ```
pub fn word_prf(pred: &str, gold: &str) -> (f64, f64) {
    bag_pr(
        &bag(tokens(pred).into_iter()),
        &bag(tokens(gold).into_iter()),
    )
}

/// 4-token shingle precision and recall (Zyte's article-extraction-benchmark scoring);
/// texts shorter than 4 tokens make one shingle.
pub fn shingle_prf(pred: &str, gold: &str) -> (f64, f64) {
    let sh = |s: &str| {
        let t = tokens(s);
        if t.is_empty() {
            return HashMap::new();
        }
        if t.len() < 4 {
            return bag(std::iter::once(t.join(" ")));
        }
        bag(t.windows(4).map(|w| w.join(" ")))
    };
    bag_pr(&sh(pred), &sh(gold))
}

/// Lowercased alphanumerics and single spaces, for metadata comparison.
fn loose(s: &str) -> String {
    tokens(s).join(" ")
}

/// Title match, relaxed: one contains the other once a " | Site" suffix is stripped.
pub fn title_matches(pred: &str, gold: &str) -> bool {
    let strip = |s: &str| -> String {
        let mut t = s.to_string();
        for sep in [" | ", " - ", " – ", " — ", " :: ", " » "] {
            if let Some(i) = t.rfind(sep) {
                if i > 10 {
                    t.truncate(i);
                }
            }
        }
        loose(&t)
    };
    let (p, g) = (strip(pred), strip(gold));
    let (pf, gf) = (loose(pred), loose(gold));
    !p.is_empty()
        && !g.is_empty()
        && (p.contains(&g) || g.contains(&p) || pf.contains(&g) || gf.contains(&p))
}

/// Author match, relaxed: one contains the other, case and punctuation ignored; for lists
/// of names ("A, B, and C" against "A, B, C"), every name of one side is contained in a
/// name of the other.
pub fn author_matches(pred: &str, gold: &str) -> bool {
    let (p, g) = (loose(pred), loose(gold));
    if p.is_empty() || g.is_empty() {
        return false;
    }
    if p.contains(&g) || g.contains(&p) {
        return true;
    }
    let names = |s: &str| -> Vec<String> {
        s.split([',', ';', '&'])
            .flat_map(|x| x.split(" and "))
            .map(loose)
            .filter(|n| !n.is_empty())
            .collect()
    };
    let (pn, gn) = (names(pred), names(gold));
    let within = |a: &[String], b: &[String]| {
        a.iter().all(|x| {
            b.iter()
                .any(|y| x.contains(y.as_str()) || y.contains(x.as_str()))
        })
    };
    !pn.is_empty() && !gn.is_empty() && (within(&pn, &gn) || within(&gn, &pn))
}

/// Extract every page (one thread, timed) and score it.
pub fn evaluate(cases: &[EvalCase], verbose: bool) -> EvalReport {
    let mut rep = EvalReport::default();
    let start = Instant::now();
    let cpu0 = thread_cpu_seconds();
    let arts: Vec<Article> = cases
        .iter()
        .map(|c| extract_html(&decode_page(&c.html), Some(&c.url)))
        .collect();
    rep.seconds = start.elapsed().as_secs_f64();
    rep.cpu_seconds = cpu0.and_then(|a| thread_cpu_seconds().map(|b| b - a));
    rep.pages = cases.len();
    let (mut tp, mut fn_, mut fp, mut tn) = (0, 0, 0, 0);
    let (mut wp, mut wr, mut wf, mut sp, mut sr, mut nt) = (0.0, 0.0, 0.0, 0.0, 0.0, 0usize);
    let (mut dates, mut titles, mut authors) = ((0, 0), (0, 0), (0, 0));
    for (c, a) in cases.iter().zip(&arts) {
        let text = norm_ws(&a.text);
        for s in &c.with {
            if text.contains(&norm_ws(s)) {
                tp += 1;
            } else {
                fn_ += 1;
                if verbose {
                    rep.details.push(format!("MISS {}: {s}", c.name));
                }
            }
        }
        for s in &c.without {
            if text.contains(&norm_ws(s)) {
                fp += 1;
                if verbose {
                    rep.details.push(format!("JUNK {}: {s}", c.name));
                }
            } else {
                tn += 1;
            }
        }
        if let Some(gold) = &c.text {
            let (p, r) = word_prf(&a.text, gold);
            let (p4, r4) = shingle_prf(&a.text, gold);
            if verbose && f1(p, r) < 0.9 {
                rep.details
                    .push(format!("LOW {}: p {p:.2} r {r:.2} {}", c.name, c.url));
            }
            wp += p;
            wr += r;
            wf += f1(p, r);
            sp += p4;
            sr += r4;
            nt += 1;
        }
        if let Some(g) = &c.date {
            dates.1 += 1;
            let ok = a.meta.published.as_deref() == g.get(..10);
            dates.0 += ok as usize;
            if verbose && !ok {
                rep.details.push(format!(
                    "DATE {}: {:?} gold {g} {}",
                    c.name, a.meta.published, c.url
                ));
            }
        }
        if let Some(g) = &c.title {
            titles.1 += 1;
            let ok = a.meta.title.as_deref().is_some_and(|t| title_matches(t, g));
            titles.0 += ok as usize;
            if verbose && !ok {
                rep.details
                    .push(format!("TITLE {}: {:?} gold {g}", c.name, a.meta.title));
            }
        }
        if let Some(g) = &c.author {
            authors.1 += 1;
            let ok = a
                .meta
                .author
                .as_deref()
                .is_some_and(|t| author_matches(t, g));
            authors.0 += ok as usize;
            if verbose && !ok {
                rep.details
                    .push(format!("AUTHOR {}: {:?} gold {g}", c.name, a.meta.author));
            }
        }
    }
    rep.snippets = (tp, fn_, fp, tn);
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    rep.snippet_prf = (p, r, f1(p, r));
    if nt > 0 {
        let n = nt as f64;
        rep.word_prf = Some((wp / n, wr / n, wf / n));
        rep.shingle_prf = Some((sp / n, sr / n, f1(sp / n, sr / n)));
        rep.date_acc = Some(dates);
        rep.title_acc = Some(titles);
        rep.author_acc = Some(authors);
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let (p, r) = shingle_prf("a b c d e", "a b c d");
        assert_eq!((p, r), (0.5, 1.0));
        assert_eq!(word_prf("", ""), (1.0, 1.0));
        assert_eq!(word_prf("x", ""), (0.0, 0.0));
        assert!(title_matches(
            "Kim calls South Korea most hostile state | Daily News",
            "Kim calls South Korea most hostile state"
        ));
        assert!(!title_matches(
            "Home",
            "Kim calls South Korea most hostile state"
        ));
        assert!(author_matches("By Jane Doe", "Jane Doe"));
        assert!(author_matches(
            "Danielle DeSiato, Donna Enzmann, Natalie Nguyen",
            "Danielle DeSiato, Donna Enzmann, and Natalie Nguyen"
        ));
        assert!(!author_matches(
            "Jane Doe, John Roe",
            "Jane Doe, Max Mustermann"
        ));
    }

    #[test]
    fn decodes_declared_charset() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode_page(page).contains("Café"));
        // An archive's toolbar declares UTF-8 before the page's own GB2312 declaration.
        let page =
            b"<script charset=\"utf-8\"></script><meta charset=gb2312><p>\xd6\xd0\xce\xc4</p>";
        assert!(decode_page(page).contains("中文"));
        // A UTF-8 page with one stray byte stays UTF-8.
        let page = b"<meta charset=\"utf-8\"><p>Caf\xc3\xa9 \xff</p>";
        assert!(decode_page(page).contains("Café"));
    }
}
