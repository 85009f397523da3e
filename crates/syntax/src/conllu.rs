//! Reading and writing CoNLL-U.

use crate::Error;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    /// FORM.
    pub form: String,
    /// LEMMA.
    pub lemma: String,
    /// UPOS.
    pub upos: String,
    /// XPOS.
    pub xpos: String,
    /// HEAD (0 for the root, 1-based otherwise).
    pub head: usize,
    /// DEPREL.
    pub deprel: String,
}

/// One CoNLL-U sentence: its words and every original line (comments, multiword tokens), so
/// that it can be written back with only the predicted columns changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The syntactic words, in order.
    pub words: Vec<Word>,
    /// Original lines; word lines are rewritten from `words` on output.
    lines: Vec<String>,
    /// For each line, the index of the word it holds (None for others).
    line_word: Vec<Option<usize>>,
}

impl Sentence {
    /// The `# text = ...` comment, when present.
    pub fn text(&self) -> Option<&str> {
        self.lines.iter().find_map(|l| {
            l.strip_prefix("# text = ")
                .or_else(|| l.strip_prefix("# text="))
        })
    }

    /// The sentence as CoNLL-U lines (without the closing blank line), with this sentence's
    /// LEMMA, UPOS, XPOS, HEAD and DEPREL.
    pub fn to_conllu(&self) -> String {
        let mut out = String::new();
        for (line, w) in self.lines.iter().zip(&self.line_word) {
            match w.and_then(|i| self.words.get(i)) {
                Some(word) => {
                    let cols: Vec<&str> = line.split('\t').collect();
                    let get = |i: usize| cols.get(i).copied().unwrap_or("_");
                    let or_ = |s: &str| {
                        if s.is_empty() {
                            "_".to_string()
                        } else {
                            s.to_string()
                        }
                    };
                    let fields = [
                        get(0).to_string(),
                        get(1).to_string(),
                        or_(&word.lemma),
                        or_(&word.upos),
                        or_(&word.xpos),
                        get(5).to_string(),
                        word.head.to_string(),
                        or_(&word.deprel),
                        "_".to_string(), // enhanced deps would contradict the new tree
                        get(9).to_string(),
                    ];
                    out.push_str(&fields.join("\t"));
                }
                None => out.push_str(line),
            }
            out.push('\n');
        }
        out
    }
}

/// Parse CoNLL-U text; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<Sentence>, Error> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.lines.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            cur.lines.push(line.to_string());
            cur.line_word.push(None);
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(Error::Conllu {
                file: name.to_string(),
                line: n + 1,
                msg: format!("expected 10 tab-separated columns, found {}", cols.len()),
            });
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            cur.lines.push(line.to_string());
            cur.line_word.push(None);
            continue;
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6].parse().map_err(|_| Error::Conllu {
                file: name.to_string(),
                line: n + 1,
                msg: format!("bad HEAD {:?}", cols[6]),
            })?
        };
        cur.line_word.push(Some(cur.words.len()));
        cur.lines.push(line.to_string());
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
        });
    }
    if !cur.lines.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Read a CoNLL-U file, gzipped when its name ends in `.gz`.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>, Error> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| Error::Io {
        file: name.clone(),
        source: e,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let text = if name.ends_with(".gz") {
        let mut s = String::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .map_err(io)?;
        s
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    parse(&text, &name)
}

/// GUM genres whose texts allow sharing a derived model (CC BY / CC BY-SA); the others are
/// non-commercial or unstated and are skipped unless `--all-gum`.
const GUM_OPEN: &[&str] = &["academic", "bio", "court", "interview", "news", "voyage"];

fn collect(p: &Path, all_gum: bool, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if p.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| Error::Io {
                file: p.display().to_string(),
                source: e,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        for q in v {
            collect(&q, all_gum, out)?;
        }
        return Ok(());
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !(name.ends_with(".conllu") || name.ends_with(".conllu.gz")) {
        return Ok(());
    }
    if name.contains("-dev") || name.contains("-test") {
        return Ok(()); // never train on held-out splits found in a folder
    }
    if let Some(rest) = name.strip_prefix("GUM_") {
        let genre = rest.split('_').next().unwrap_or("");
        if !all_gum && !GUM_OPEN.contains(&genre) {
            return Ok(());
        }
    }
    out.push(p.to_path_buf());
    Ok(())
}

/// The CoNLL-U training files (`.conllu`, `.conllu.gz`) under `paths`, sorted: files named
/// `*-dev*`/`*-test*` are skipped, and so are GUM genres whose texts are non-commercial or of
/// unstated licence unless `all_gum`.
pub fn training_files(paths: &[PathBuf], all_gum: bool) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        collect(p, all_gum, &mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_multiword_tokens() {
        let t = "# text = I can't.\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tca\tcan\tAUX\tMD\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n";
        let s = parse(t, "t").unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].text(), Some("I can't."));
        assert_eq!(s[0].to_conllu(), t);
    }
}
