//! `wirecoder show`: one stored article, its events marked in the text.

use super::{open_existing_store, stdout};
use crate::render::{event_line, excerpt, Style};
use anyhow::{anyhow, bail, Result};
use std::io::Write;
use wirecoder_doc::{Doc, Span};
use wirecoder_store::Store;

/// Finds the article meant by `key`: an id, a path, or a piece of the title.
fn resolve(store: &Store, key: &str) -> Result<(i64, Doc)> {
    if let Ok(id) = key.trim().parse::<i64>() {
        if let Some(doc) = store.article(id).map_err(|e| anyhow!("{e}"))? {
            return Ok((id, doc));
        }
    }
    let found = store.find_articles(key).map_err(|e| anyhow!("{e}"))?;
    match found.as_slice() {
        [] => bail!("no article matches `{key}` (try an id from `wirecoder events`)"),
        [(id, _, _)] => {
            let doc = store
                .article(*id)
                .map_err(|e| anyhow!("{e}"))?
                .ok_or_else(|| anyhow!("article {id} vanished"))?;
            Ok((*id, doc))
        }
        many => {
            let mut msg = format!("`{key}` matches {} articles; name one by id:", many.len());
            for (id, title, path) in many.iter().take(20) {
                let title = opt_str(title);
                let path = opt_str(path);
                msg.push_str(&format!("\n  {id}\t{title}\t{path}"));
            }
            if many.len() > 20 {
                msg.push_str(&format!("\n  … and {} more", many.len() - 20));
            }
            bail!(msg)
        }
    }
}

/// Store lookups may hand titles out as `String` or `Option<String>`.
fn opt_str<T: OptStr>(v: &T) -> String {
    v.as_opt().unwrap_or("-").to_string()
}

trait OptStr {
    fn as_opt(&self) -> Option<&str>;
}
impl OptStr for String {
    fn as_opt(&self) -> Option<&str> {
        Some(self)
    }
}
impl OptStr for Option<String> {
    fn as_opt(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// A stretch of text marked as evidence, with the numbers of the events it supports.
struct Mark {
    span: Span,
    events: Vec<usize>,
}

/// Merges overlapping evidence spans, so marks never nest.
fn marks(doc: &Doc) -> Vec<Mark> {
    let mut spans: Vec<(Span, usize)> = doc
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| doc.text.get(e.evidence.start..e.evidence.end).is_some())
        .map(|(i, e)| (e.evidence, i + 1))
        .collect();
    spans.sort();
    let mut out: Vec<Mark> = Vec::new();
    for (s, n) in spans {
        match out.last_mut() {
            Some(m) if s.start < m.span.end || s == m.span => {
                m.span.end = m.span.end.max(s.end);
                if !m.events.contains(&n) {
                    m.events.push(n);
                }
            }
            _ => out.push(Mark {
                span: s,
                events: vec![n],
            }),
        }
    }
    for m in &mut out {
        m.events.sort_unstable();
    }
    out
}

/// The text with `[[evidence]]⟦1,2⟧` marks.
pub fn marked_text(doc: &Doc, style: Style) -> String {
    let mut out = String::with_capacity(doc.text.len() + 64);
    let mut at = 0;
    for m in marks(doc) {
        out.push_str(doc.text.get(at..m.span.start).unwrap_or(""));
        let nums = m
            .events
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(&style.mark(&format!("[[{}]]", doc.slice(m.span))));
        out.push_str(&style.note(&format!("⟦{nums}⟧")));
        at = m.span.end;
    }
    out.push_str(doc.text.get(at..).unwrap_or(""));
    out
}

/// The whole page `show` prints.
pub fn render(id: i64, doc: &Doc, style: Style) -> String {
    let m = &doc.meta;
    let mut s = String::new();
    s.push_str(&style.bold(m.title.as_deref().unwrap_or("(untitled)")));
    s.push('\n');
    let date = match &m.published {
        Some(d) if m.published_inferred => format!("{d} (inferred)"),
        Some(d) => d.clone(),
        None => "unknown".into(),
    };
    s.push_str(&style.dim(&format!("article {id} · date {date}")));
    s.push('\n');
    if let Some(u) = m.url.as_ref().or(m.path.as_ref()) {
        s.push_str(&style.dim(u));
        s.push('\n');
    }
    s.push('\n');
    s.push_str(marked_text(doc, style).trim_end());
    s.push_str("\n\n");

    s.push_str(&style.bold(&format!("Events ({})", doc.events.len())));
    s.push('\n');
    for (i, e) in doc.events.iter().enumerate() {
        let date = e.date.as_deref().unwrap_or("undated");
        s.push_str(&format!(
            "{}. {} ({}, {}) \"{}\"\n",
            i + 1,
            event_line(e),
            e.modality.as_str(),
            date,
            excerpt(doc.slice(e.evidence), 100)
        ));
    }

    // Entities: each distinct (words, type, actor) once, in order of first mention.
    let mut seen: Vec<(String, &str, Option<String>, usize)> = Vec::new();
    for e in &doc.entities {
        let text = doc.slice(e.span).to_string();
        let kind = e.kind.as_str();
        match seen
            .iter_mut()
            .find(|(t, k, a, _)| *t == text && *k == kind && *a == e.actor)
        {
            Some(x) => x.3 += 1,
            None => seen.push((text, kind, e.actor.clone(), 1)),
        }
    }
    s.push('\n');
    s.push_str(&style.bold(&format!("Entities ({})", doc.entities.len())));
    s.push('\n');
    for (text, kind, actor, n) in &seen {
        let actor = actor
            .as_deref()
            .map(|a| format!(" → {a}"))
            .unwrap_or_default();
        let times = if *n > 1 {
            format!(" ×{n}")
        } else {
            String::new()
        };
        s.push_str(&format!("  {text} [{kind}]{actor}{times}\n"));
    }

    s.push('\n');
    s.push_str(&style.bold(&format!("Quotes ({})", doc.quotes.len())));
    s.push('\n');
    for q in &doc.quotes {
        let who = match &q.speaker {
            Some(a) => match &a.actor {
                Some(code) => format!("{} ({code})", a.text),
                None => a.text.clone(),
            },
            None => "unknown speaker".into(),
        };
        s.push_str(&format!(
            "  “{}” — {who}\n",
            excerpt(doc.slice(q.span), 160)
        ));
    }
    s
}

pub fn run(db: &str, key: &str) -> Result<()> {
    let store = open_existing_store(db)?;
    let (id, doc) = resolve(&store, key)?;
    let mut out = stdout();
    write!(out, "{}", render(id, &doc, Style::stdout()))?;
    out.flush()?;
    Ok(())
}
