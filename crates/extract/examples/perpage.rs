//! Development aid: one line per page of a gold set with its scores, to diff two builds.
//!
//! `cargo run --release -p wirecoder-extract --example perpage -- trafilatura|wcxb DIR`
//!
//! Prints `NAME tp fn fp word_p word_r date_ok` (word scores and date only on WCXB).

use std::path::Path;
use wirecoder_extract::{decode_page, extract_html, load_suite, word_prf, Suite};

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let suite = match args.next().as_deref() {
        Some("wcxb") => Suite::Wcxb,
        _ => Suite::Trafilatura,
    };
    let dir = args.next().unwrap_or_default();
    for c in load_suite(suite, Path::new(&dir))? {
        let a = extract_html(&decode_page(&c.html), Some(&c.url));
        let text = norm(&a.text);
        let tp = c.with.iter().filter(|s| text.contains(&norm(s))).count();
        let fp = c.without.iter().filter(|s| text.contains(&norm(s))).count();
        let (p, r) = c
            .text
            .as_deref()
            .map(|g| word_prf(&a.text, g))
            .unwrap_or((0.0, 0.0));
        let date = match (&c.date, &a.meta.published) {
            (Some(g), Some(d)) => format!("{}:{d}:{g}", g.get(..10) == Some(d.as_str())),
            (Some(g), None) => format!("false:-:{g}"),
            _ => "-".into(),
        };
        println!(
            "{} {} {} {} {p:.3} {r:.3} {date} {:?}",
            c.name.replace(' ', "_"),
            tp,
            c.with.len() - tp,
            fp,
            a.published_from
        );
    }
    Ok(())
}
