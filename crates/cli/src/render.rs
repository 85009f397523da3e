//! Small helpers for human-readable output: CAMEO names, excerpts, tables, CSV, colour.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::OnceLock;
use wirecoder_doc::{ActorRef, Event};

/// The CAMEO code table shipped in `data/kb` (code, name, goldstein, quad class, root).
const CAMEO_TSV: &str = include_str!("../../../data/kb/cameo.tsv");

fn cameo_names() -> &'static HashMap<String, String> {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        CAMEO_TSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?.trim().to_string(), f.next()?.trim().to_string()))
            })
            .collect()
    })
}

/// The CAMEO name of a code, in lower case (`111` → `criticize or denounce`).
pub fn cameo_name(code: &str) -> String {
    let mut c = code.trim();
    // Unknown leaf codes fall back to their parent: `1121` → `112` → `11`.
    loop {
        if let Some(n) = cameo_names().get(c) {
            return n.to_lowercase();
        }
        if c.len() <= 2 {
            return String::new();
        }
        c = &c[..c.len() - 1];
    }
}

/// The two-digit root of a CAMEO code.
pub fn cameo_root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// An actor as a reader wants it: the code, else the words.
pub fn actor_label(a: &ActorRef) -> String {
    match &a.actor {
        Some(code) => code.clone(),
        None => format!("\"{}\"", a.text),
    }
}

/// `USA —111 criticize or denounce→ RUS`.
pub fn event_line(e: &Event) -> String {
    let target = e
        .target
        .as_ref()
        .map(actor_label)
        .unwrap_or_else(|| "—".into());
    let name = cameo_name(&e.cameo);
    let sep = if name.is_empty() { "" } else { " " };
    format!(
        "{} —{}{sep}{name}→ {target}",
        actor_label(&e.source),
        e.cameo
    )
}

/// Collapses whitespace and cuts to at most `max` characters, with `…` when cut.
pub fn excerpt(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Prints rows as left-aligned columns; the last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let mut width = header.iter().map(|h| h.chars().count()).collect::<Vec<_>>();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < cells.len() {
                s.push_str(c);
                s.push_str(&" ".repeat(width[i] - c.chars().count() + 2));
            } else {
                s.push_str(c);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// ANSI styling, on only when stdout is a terminal (and NO_COLOR is unset).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Detects the terminal.
    pub fn stdout() -> Style {
        Style {
            on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Bold yellow: evidence.
    pub fn mark(&self, s: &str) -> String {
        self.wrap("1;33", s)
    }
    /// Cyan: event numbers.
    pub fn note(&self, s: &str) -> String {
        self.wrap("36", s)
    }
    /// Dim: secondary information.
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_roots() {
        assert_eq!(cameo_name("111"), "criticize or denounce");
        assert_eq!(cameo_name("19"), "fight");
        assert_eq!(cameo_root("195"), "19");
    }

    #[test]
    fn excerpts_and_csv() {
        let s =
            "Russia launched a series of missile strikes on Kharkiv, resulting in two fatalities.";
        let e = excerpt(s, 30);
        assert_eq!(e.chars().count(), 30);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn tables_align() {
        let t = table(&["a", "bb"], &[vec!["xyz".into(), "1".into()]]);
        assert_eq!(t, "a    bb\nxyz  1\n");
    }
}
