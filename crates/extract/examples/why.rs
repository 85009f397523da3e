//! Development aid: for each missed or leaked snippet of a gold set, prints the element path
//! that holds it, to see which rules drop content or let chrome through.
//!
//! `cargo run --release -p wirecoder-extract --example why -- trafilatura|wcxb DIR [NAME]`

use scraper::{Html, Node};
use std::path::Path;
use wirecoder_extract::{decode_page, extract_html, load_suite, Suite};

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn path_of(doc: &Html, snippet: &str) -> String {
    let probe: String = norm(snippet).chars().take(18).collect();
    for n in doc.tree.nodes() {
        if let Node::Text(t) = n.value() {
            // Scripts and the <title> repeat the text; the body's copy is the one to judge.
            let in_meta = n.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "title" | "head" | "style"))
            });
            if !in_meta && norm(t).contains(&probe) {
                let mut parts: Vec<String> = n
                    .ancestors()
                    .filter_map(|a| a.value().as_element().map(|e| (e, a)))
                    .map(|(e, _)| {
                        let mut s = e.name().to_string();
                        if let Some(c) = e.attr("class") {
                            s.push('.');
                            s.push_str(&c.split_whitespace().take(3).collect::<Vec<_>>().join("."));
                        }
                        if let Some(i) = e.attr("id") {
                            s.push('#');
                            s.push_str(i);
                        }
                        s
                    })
                    .collect();
                parts.reverse();
                return parts.join(" > ");
            }
        }
    }
    "(not in a single text node)".into()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let suite = match args.next().as_deref() {
        Some("wcxb") => Suite::Wcxb,
        _ => Suite::Trafilatura,
    };
    let dir = args.next().unwrap_or_default();
    let only = args.next();
    for c in load_suite(suite, Path::new(&dir))? {
        if only.as_ref().is_some_and(|o| &c.name != o) {
            continue;
        }
        let html = decode_page(&c.html);
        let a = extract_html(&html, Some(&c.url));
        let text = norm(&a.text);
        let doc = Html::parse_document(&html);
        if only.is_some() {
            println!("{:?}\n----\n{}\n----", a.meta, a.text);
        }
        for s in &c.with {
            if !text.contains(&norm(s)) {
                println!("MISS {} [{}] {}", c.name, path_of(&doc, s), s);
            }
        }
        for s in &c.without {
            if text.contains(&norm(s)) {
                println!("JUNK {} [{}] {}", c.name, path_of(&doc, s), s);
            }
        }
    }
    Ok(())
}
