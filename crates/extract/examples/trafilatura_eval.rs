//! Scores extraction on trafilatura's evaluation set (must-contain / must-not-contain snippets)
//! and prints precision, recall and F1. The data is not shipped; pass its folder:
//!
//! `cargo run --release -p wirecoder-extract --example trafilatura_eval -- ../shared/eval/extraction/trafilatura-eval`

use std::io::Read;
use std::path::Path;

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval/extraction/trafilatura-eval".into());
    let dir = Path::new(&dir);
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("evaldata.json"))?)?;
    let (mut tp, mut fp, mut fn_, mut tn) = (0usize, 0usize, 0usize, 0usize);
    let mut pages = 0;
    let verbose = std::env::var_os("VERBOSE").is_some();
    let start = std::time::Instant::now();
    for (url, v) in data.as_object().ok_or("not an object")? {
        let file = v["file"].as_str().unwrap_or_default();
        let path = ["eval", "cache"]
            .iter()
            .map(|d| dir.join(d).join(format!("{file}.gz")))
            .find(|p| p.exists());
        let Some(path) = path else { continue };
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        let art = wirecoder_extract::extract_html(&decode(&bytes), Some(url));
        let text = norm(&art.text);
        pages += 1;
        let (mut ptp, mut pfp) = (0, 0);
        for s in v["with"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
        {
            if text.contains(&norm(s)) {
                tp += 1;
                ptp += 1;
            } else {
                fn_ += 1;
                if verbose {
                    println!("MISS {file}: {s}");
                }
            }
        }
        for s in v["without"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
        {
            if text.contains(&norm(s)) {
                fp += 1;
                pfp += 1;
                if verbose {
                    println!("JUNK {file}: {s}");
                }
            } else {
                tn += 1;
            }
        }
        let _ = (ptp, pfp);
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let acc = (tp + tn) as f64 / (tp + tn + fp + fn_).max(1) as f64;
    println!(
        "pages {pages}  tp {tp} fp {fp} fn {fn_} tn {tn}  precision {p:.3} recall {r:.3} f1 {f:.3} accuracy {acc:.3}  ({:.1}s)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
