//! The verb dictionary: PETRARCH2's `CAMEO.2.0.txt` format, read into verb forms and patterns.
//!
//! The format (MIT, Open Event Data Alliance): `&NAME` synsets with `+MEMBER` lines; verb blocks
//! opened by `---  NAME  [CODE]  ---`; verb lines `WORD {FORMS} [CODE]` (`+PHRASAL_VERB` for
//! multi-word verbs); pattern lines `- PRE * POST [CODE]`. Users extend the coder by adding files
//! in the same format (`data/code/verbs.extra.txt` is ours).

use std::collections::HashMap;

/// One element of a pattern: any of several word sequences.
#[derive(Debug, Clone)]
pub(crate) struct Elem {
    alts: Vec<Vec<String>>,
    /// Ids (in [`VerbDict::first_words`]) of the alternatives' first words, sorted: a cheap
    /// test that rules out most patterns before the positional scan.
    firsts: Vec<u32>,
}

impl Elem {
    /// Whether some alternative's first word could match a window whose match keys are `keys`.
    fn may_match(&self, keys: &[u32]) -> bool {
        // Both lists are short; a merge walk beats hashing.
        let (mut i, mut j) = (0, 0);
        while i < self.firsts.len() && j < keys.len() {
            match self.firsts[i].cmp(&keys[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// A verb pattern: words before and after the verb, and the code they give.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pre: Vec<Elem>,
    post: Vec<Elem>,
    code: Option<String>,
    /// The code of the reverse event, target on source (`[032:033]`: a visit is hosted).
    rev: Option<String>,
    /// `%` before the verb: the subject must be compound ("Gondor and Osgiliath agree").
    compound: bool,
    /// `_` joins the verb to the nearest element before it (`RECENTLY_*`) or after it
    /// (`*_UP`): that word must be next to the verb.
    pre_next: bool,
    post_next: bool,
    /// Where the pattern places the actors (`$` source, `+` target).
    marks: Marks,
}

/// The actors a pattern places: `+` before the verb makes the subject the target; `$` or
/// `+` after it take the first actor after the element before them, past one actor per `^`
/// ("- + * FROM $": "Ithilen was freed from Barad-dur" is Mordor freeing Ithilen).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Marks {
    /// `+` before the verb.
    pub pre_target: bool,
    /// After the verb: (is the source, elements before it, actors to skip).
    pub post: Vec<(bool, usize, usize)>,
}

impl Marks {
    fn parse(pre: &str, post: &str) -> Marks {
        let elems = |s: &str| {
            s.split(|c: char| c.is_whitespace() || "{}()$+^%=|".contains(c))
                .filter(|c| c.chars().any(|x| x.is_alphanumeric() || x == '&'))
                .count()
        };
        let standalone = |s: &str, i: usize| {
            let before = s[..i].chars().next_back();
            let after = s[i + 1..].chars().next();
            before.is_none_or(|c| c.is_whitespace() || "(_".contains(c))
                && after.is_none_or(|c| c.is_whitespace() || ")_".contains(c))
        };
        let mut m = Marks {
            pre_target: pre
                .char_indices()
                .any(|(i, c)| c == '+' && standalone(pre, i)),
            post: Vec::new(),
        };
        for (i, c) in post.char_indices() {
            if (c == '$' || c == '+') && standalone(post, i) {
                let head = &post[..i];
                let tail_from = head
                    .rfind(|c: char| c.is_alphanumeric())
                    .map_or(0, |j| j + 1);
                let skip = head[tail_from..].matches('^').count();
                m.post.push((c == '$', elems(head), skip));
            }
        }
        m
    }
}

impl Pattern {
    /// Words the pattern needs (its shortest alternatives).
    fn words(&self) -> usize {
        self.pre
            .iter()
            .chain(&self.post)
            .map(|e| e.alts.iter().map(Vec::len).min().unwrap_or(0))
            .sum()
    }
}

/// A verb entry.
#[derive(Debug, Clone)]
pub(crate) struct Verb {
    /// Lemma as written in the dictionary, lower case, words joined by spaces.
    pub lemma: String,
    /// Particle words that must follow the verb form ("carry out").
    pub particles: Vec<String>,
    /// The verb's own code, else its block's.
    pub code: Option<String>,
    /// The reverse event's code (after `:` in the brackets), target on source.
    pub rev: Option<String>,
    /// Index of its block (patterns are shared by a block).
    block: usize,
}

/// The whole dictionary.
#[derive(Debug, Default)]
pub(crate) struct VerbDict {
    /// Inflected form (lower case) → verb ids.
    forms: crate::FnvMap<String, Vec<usize>>,
    verbs: Vec<Verb>,
    blocks: Vec<Vec<Pattern>>,
    synsets: HashMap<String, Vec<Vec<String>>>,
    /// First words of pattern elements → small ids, for [`Elem::may_match`].
    first_words: crate::FnvMap<String, u32>,
    /// Lines that could not be read, for diagnostics.
    pub skipped: usize,
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

fn words_of(s: &str) -> Vec<String> {
    // `_` joins words in TABARI's notation; synset members and verbs may also use spaces.
    s.split(|c: char| c == '_' || c.is_whitespace())
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Regular English inflections of a verb: 3sg, past, gerund.
fn inflect(base: &str) -> Vec<String> {
    let b = base.to_string();
    let vowels = |c: char| "aeiou".contains(c);
    let chars: Vec<char> = b.chars().collect();
    let n = chars.len();
    let mut out = vec![b.clone()];
    if n == 0 {
        return out;
    }
    let last = chars[n - 1];
    // 3rd person singular.
    if b.ends_with('s')
        || b.ends_with('x')
        || b.ends_with('z')
        || b.ends_with("ch")
        || b.ends_with("sh")
    {
        out.push(format!("{b}es"));
    } else if last == 'y' && n > 1 && !vowels(chars[n - 2]) {
        out.push(format!("{}ies", &b[..b.len() - 1]));
    } else {
        out.push(format!("{b}s"));
    }
    // Short consonant-vowel-consonant verbs double the final consonant ("ban" → "banned").
    let double = (3..=4).contains(&n)
        && !vowels(last)
        && !"wxy".contains(last)
        && vowels(chars[n - 2])
        && !vowels(chars[n - 3]);
    if last == 'e' {
        out.push(format!("{b}d"));
        if b.ends_with("ee") {
            out.push(format!("{b}ing"));
        } else {
            out.push(format!("{}ing", &b[..b.len() - 1]));
        }
    } else if last == 'y' && n > 1 && !vowels(chars[n - 2]) {
        out.push(format!("{}ied", &b[..b.len() - 1]));
        out.push(format!("{b}ing"));
    } else if double {
        out.push(format!("{b}{last}ed"));
        out.push(format!("{b}{last}ing"));
    } else {
        out.push(format!("{b}ed"));
        out.push(format!("{b}ing"));
    }
    out
}

/// The reverse code of a `[CODE:REVERSE]` bracket, if any.
fn parse_rev(s: &str) -> Option<String> {
    let a = s.find('[')?;
    let b = s[a..].find(']')? + a;
    let rev = s[a + 1..b].split(':').nth(1)?.trim();
    (!rev.is_empty() && !rev.starts_with('-')).then(|| rev.to_string())
}

fn parse_code(s: &str) -> Option<Option<String>> {
    let a = s.find('[')?;
    let b = s[a..].find(']')? + a;
    let inner = s[a + 1..b].trim();
    let code = inner.split(':').next().unwrap_or("").trim();
    if code.is_empty() || code.starts_with('-') {
        Some(None)
    } else if !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // `[+++]`, `[###]`: no code at all; the pattern is left out and the next one counts.
        None
    } else {
        Some(Some(code.to_string()))
    }
}

impl VerbDict {
    /// Read one dictionary text into this dictionary (later files add to earlier ones).
    pub fn add_text(&mut self, text: &str) {
        let mut in_verbs = false;
        let mut cur_syn: Option<String> = None;
        let mut block: Option<(usize, Option<String>, Option<String>)> = None;
        for raw in text.lines() {
            if raw.contains("VERB PATTERNS") {
                in_verbs = true;
                continue;
            }
            let line = strip_comment(raw).trim_end();
            let t = line.trim();
            if t.is_empty() {
                cur_syn = None;
                continue;
            }
            if let Some(name) = t.strip_prefix('&') {
                let name = name.trim().trim_end_matches('_').to_string();
                self.synsets.entry(name.clone()).or_default();
                cur_syn = Some(name);
                continue;
            }
            // Synsets may also stand between verb blocks (PETRARCH's own dictionaries), and
            // a member may name another synset.
            if let (Some(name), Some(m)) = (&cur_syn, t.strip_prefix('+')) {
                let m = m.trim();
                let members = match m.strip_prefix('&') {
                    Some(other) => self
                        .synsets
                        .get(other.trim_end_matches('_'))
                        .cloned()
                        .unwrap_or_default(),
                    None => vec![words_of(m)],
                };
                for w in members.into_iter().filter(|w| !w.is_empty()) {
                    self.synsets.entry(name.clone()).or_default().push(w);
                }
                continue;
            }
            cur_syn = None;
            // A file without the section marker starts its verbs at the first block.
            if t.starts_with("---") && t.ends_with("---") {
                in_verbs = true;
            }
            if !in_verbs {
                continue;
            }
            if t.starts_with("---") {
                let code = parse_code(t).unwrap_or(None);
                let rev = parse_rev(t);
                self.blocks.push(Vec::new());
                block = Some((self.blocks.len() - 1, code, rev));
                continue;
            }
            let Some((bi, bcode, brev)) = block.clone() else {
                self.skipped += 1;
                continue;
            };
            if let Some(p) = t.strip_prefix("- ") {
                match self.parse_pattern(p) {
                    Some(pat) => self.blocks[bi].push(pat),
                    None => self.skipped += 1,
                }
                continue;
            }
            // A verb line.
            let (head, rest) = match t.find(['{', '[']) {
                Some(i) => (&t[..i], &t[i..]),
                None => (t, ""),
            };
            let head = head.trim().trim_start_matches('+');
            let words = words_of(head);
            let Some(first) = words.first().cloned() else {
                self.skipped += 1;
                continue;
            };
            let particles = words[1..].to_vec();
            let own = rest.find('[').and_then(|i| parse_code(&rest[i..]));
            let (code, rev) = match own {
                Some(c) => (c, rest.find('[').and_then(|i| parse_rev(&rest[i..]))),
                None => (bcode.clone(), brev.clone()),
            };
            let id = self.verbs.len();
            self.verbs.push(Verb {
                lemma: words.join(" "),
                particles: particles.clone(),
                code,
                rev,
                block: bi,
            });
            let mut forms = inflect(&first);
            if let (Some(a), Some(b)) = (rest.find('{'), rest.find('}')) {
                if a < b {
                    for f in rest[a + 1..b].split_whitespace() {
                        let w = words_of(f.trim_start_matches('+'));
                        if let Some(v) = w.first() {
                            forms.push(v.clone());
                        }
                    }
                }
            }
            forms.sort();
            forms.dedup();
            for f in forms {
                self.forms.entry(f).or_default().push(id);
            }
        }
        // Longest patterns first (stable, so file order breaks ties): `code_for` can then
        // stop at the first pattern that matches.
        for b in &mut self.blocks {
            // Length in words, as PETRARCH orders them: a long phrase element outweighs two
            // single words ("MOST_CERTAINLY_&NEG_EVER *" before "&NEG EVER *").
            b.sort_by_key(|p| std::cmp::Reverse(p.words()));
            for p in b.iter_mut() {
                for e in p.pre.iter_mut().chain(p.post.iter_mut()) {
                    let mut firsts: Vec<u32> = e
                        .alts
                        .iter()
                        .filter_map(|a| a.first())
                        .map(|w| {
                            let next = self.first_words.len() as u32;
                            *self.first_words.entry(w.clone()).or_insert(next)
                        })
                        .collect();
                    firsts.sort_unstable();
                    firsts.dedup();
                    e.firsts = firsts;
                }
            }
        }
    }

    /// The elements of one side of a pattern; `None` when it names a synset the dictionary
    /// lacks (the pattern could never match as written). Words joined by `_` are one element
    /// of consecutive words, and a synset inside one (`NEW_&TIETYPES_RELATIONS`) expands to
    /// each of its members in place.
    fn parse_elems(&self, s: &str) -> Option<Vec<Elem>> {
        let cleaned: String = s
            .chars()
            .map(|c| {
                if matches!(c, '{' | '}' | '(' | ')' | '$' | '+' | '^' | '%' | '=' | '|') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let mut out = Vec::new();
        for chunk in cleaned.split_whitespace() {
            let mut alts: Vec<Vec<String>> = vec![Vec::new()];
            let items: Vec<&str> = chunk
                .split('_')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            let mut i = 0;
            while i < items.len() {
                let item = items[i];
                i += 1;
                match item.strip_prefix('&') {
                    Some(first) => {
                        // The longest synset name from here (names may hold `_` too).
                        let mut name = first.to_string();
                        let mut j = i;
                        let mut cand = name.clone();
                        while j < items.len() {
                            cand = format!("{cand}_{}", items[j]);
                            j += 1;
                            if self.synsets.contains_key(&cand) {
                                name = cand.clone();
                                i = j;
                            }
                        }
                        let members = self.synsets.get(&name).filter(|m| !m.is_empty())?;
                        // A synset inside a phrase multiplies the phrase's alternatives.
                        if alts.len() * members.len() > 512 {
                            return None;
                        }
                        alts = alts
                            .iter()
                            .flat_map(|a| {
                                members.iter().map(move |m| {
                                    let mut x = a.clone();
                                    x.extend(m.iter().cloned());
                                    x
                                })
                            })
                            .collect();
                    }
                    None => {
                        let w = item.to_lowercase();
                        for a in &mut alts {
                            a.push(w.clone());
                        }
                    }
                }
            }
            alts.retain(|a| !a.is_empty());
            if !alts.is_empty() {
                out.push(Elem {
                    alts,
                    firsts: Vec::new(),
                });
            }
        }
        Some(out)
    }

    fn parse_pattern(&self, p: &str) -> Option<Pattern> {
        let code_at = p.find('[')?;
        let code = parse_code(&p[code_at..])?;
        let rev = parse_rev(&p[code_at..]);
        let body = &p[..code_at];
        let star = body.find('*')?;
        Some(Pattern {
            pre: self.parse_elems(&body[..star])?,
            post: self.parse_elems(&body[star + 1..])?,
            code,
            rev,
            compound: body[..star].contains('%'),
            pre_next: body[..star].trim_end().ends_with('_'),
            post_next: body[star + 1..].trim_start().starts_with('_'),
            marks: Marks::parse(&body[..star], &body[star + 1..]),
        })
    }

    /// Ids of every pattern first word that `word_match` would accept for some word of
    /// `toks`: the words themselves and their stems of four letters or more cut at most three
    /// letters short.
    fn match_keys(&self, toks: &[&str]) -> Vec<u32> {
        let mut keys = Vec::with_capacity(toks.len());
        for &w in toks {
            let cuts = w.len().saturating_sub(3).max(4)..w.len();
            for k in std::iter::once(w.len()).chain(cuts) {
                if let Some(&id) = w.get(..k).and_then(|p| self.first_words.get(p)) {
                    keys.push(id);
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Verbs whose form is `word` (lower case).
    pub fn lookup(&self, word: &str) -> &[usize] {
        self.forms.get(word).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// A verb by id.
    pub fn verb(&self, id: usize) -> &Verb {
        &self.verbs[id]
    }

    /// The code for verb `id` given the words before it and after it (lower case), with the
    /// number of pattern elements that matched (0 = the verb's default).
    /// `compound`: the subject is two actors or more (for `%` patterns).
    pub fn code_for(
        &self,
        id: usize,
        pre: &[&str],
        post: &[&str],
        compound: bool,
    ) -> (Option<String>, usize) {
        match self.matched(id, pre, post, compound) {
            Some(p) => (p.code.clone(), p.pre.len() + p.post.len()),
            None => (self.verbs[id].code.clone(), 0),
        }
    }

    /// The reverse event's code (target on source) for verb `id` in this context, if the
    /// pattern (or the verb) gives one.
    pub fn rev_for(
        &self,
        id: usize,
        pre: &[&str],
        post: &[&str],
        compound: bool,
    ) -> Option<String> {
        match self.matched(id, pre, post, compound) {
            Some(p) => p.rev.clone(),
            None => self.verbs[id].rev.clone(),
        }
    }

    /// Where the matching pattern places the actors: the marks, with each post-verb mark's
    /// word offset in `post` (where the actor search starts) instead of its element count.
    /// `None` when the matching pattern (or none) places none.
    pub fn marks_for(
        &self,
        id: usize,
        pre: &[&str],
        post: &[&str],
        compound: bool,
    ) -> Option<Marks> {
        let p = self.matched(id, pre, post, compound)?;
        if p.marks == Marks::default() {
            return None;
        }
        let ends = match_ends(&p.post, post, p.post_next)?;
        let mut m = p.marks.clone();
        for mk in &mut m.post {
            mk.1 = if mk.1 == 0 {
                0
            } else {
                ends.get(mk.1 - 1).copied().unwrap_or(post.len())
            };
        }
        Some(m)
    }

    /// The first (longest) pattern of verb `id`'s block that matches.
    fn matched(&self, id: usize, pre: &[&str], post: &[&str], compound: bool) -> Option<&Pattern> {
        let v = &self.verbs[id];
        let (pre_keys, post_keys) = (self.match_keys(pre), self.match_keys(post));
        // Blocks are sorted longest pattern first, so the first match is the best one.
        self.blocks[v.block].iter().find(|p| {
            (!p.pre.is_empty() || !p.post.is_empty() || p.compound)
                && (compound || !p.compound)
                && p.post.iter().all(|e| e.may_match(&post_keys))
                && p.pre.iter().all(|e| e.may_match(&pre_keys))
                && matches_seq(&p.post, post, false, p.post_next)
                && matches_seq(&p.pre, pre, true, p.pre_next)
        })
    }

    /// Number of verbs read.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.verbs.len()
    }
}

/// Whether `word` (from the text) matches the dictionary word `pat`: equal, or a longer word
/// that starts with it (TABARI's stem matching), for stems of four letters or more.
fn word_match(pat: &str, word: &str) -> bool {
    word == pat || (pat.len() >= 4 && word.starts_with(pat) && word.len() <= pat.len() + 3)
}

/// Where each element of a match after the verb ends (word offsets in `toks`).
fn match_ends(elems: &[Elem], toks: &[&str], next: bool) -> Option<Vec<usize>> {
    let mut ends = Vec::with_capacity(elems.len());
    let mut pos = 0usize;
    for e in elems {
        let last = if next && pos == 0 {
            toks.len().min(1)
        } else {
            toks.len()
        };
        let end = (pos..last).find_map(|i| {
            e.alts.iter().find_map(|alt| {
                (i + alt.len() <= toks.len()
                    && alt.iter().zip(&toks[i..]).all(|(p, w)| word_match(p, w)))
                .then_some(i + alt.len())
            })
        })?;
        ends.push(end);
        pos = end;
    }
    Some(ends)
}

/// Elements in order within `toks` (gaps allowed); `rev` matches the nearest words first;
/// `next`: the first element taken (the one nearest the verb) must start at the first word.
fn matches_seq(elems: &[Elem], toks: &[&str], rev: bool, next: bool) -> bool {
    if elems.is_empty() {
        return true;
    }
    let mut pos = 0usize;
    // Words before a verb come nearest first, so their pattern elements are taken in reverse.
    let seq: &[&str] = toks;
    let n = elems.len();
    for e in (0..n).map(|i| &elems[if rev { n - 1 - i } else { i }]) {
        let mut found = None;
        let last = if next && pos == 0 {
            seq.len().min(1)
        } else {
            seq.len()
        };
        'scan: for i in pos..last {
            for alt in &e.alts {
                // Before the verb the words run nearest first, so a phrase is read backwards.
                let hit = if rev {
                    alt.iter()
                        .rev()
                        .zip(&seq[i..])
                        .all(|(p, w)| word_match(p, w))
                } else {
                    alt.iter().zip(&seq[i..]).all(|(p, w)| word_match(p, w))
                };
                if i + alt.len() <= seq.len() && hit {
                    found = Some(i + alt.len());
                    break 'scan;
                }
            }
        }
        match found {
            Some(n) => pos = n,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> VerbDict {
        let mut d = VerbDict::default();
        d.add_text(include_str!("../../../data/code/CAMEO.2.0.txt"));
        d
    }

    #[test]
    fn reads_the_petrarch_dictionary() {
        let d = dict();
        assert!(d.len() > 1500, "{} verbs", d.len());
        let condemned = d.lookup("condemned");
        assert!(!condemned.is_empty());
        assert_eq!(
            d.code_for(condemned[0], &[], &["the", "attack"], false)
                .0
                .as_deref(),
            Some("111")
        );
    }

    #[test]
    fn patterns_refine_codes() {
        let d = dict();
        let held = d.lookup("held");
        let codes: Vec<Option<String>> = held
            .iter()
            .map(|&v| d.code_for(v, &[], &["talks", "with", "putin"], false).0)
            .collect();
        assert!(
            codes.iter().any(|c| c.as_deref() == Some("046")),
            "{codes:?}"
        );
    }

    #[test]
    fn petrarch_format_without_section_marker() {
        // Synsets between blocks, a synset inside another, reverse codes after `:`.
        let mut d = VerbDict::default();
        d.add_text(
            "&TIE\n+MILITARY\n+ECONOMIC\n\n--- ARRIVE  [032:033]  ---\nARRIVE\n\n&ACC\n+&TIE\n+CLOSER\n\n--- ABANDON [345] ---\nABANDON\n- * &TIE TIES [902]\n- * &ACC PLAN [903:904]\n",
        );
        let arrived = d.lookup("arrived")[0];
        assert_eq!(
            d.code_for(arrived, &[], &[], false).0.as_deref(),
            Some("032")
        );
        assert_eq!(d.rev_for(arrived, &[], &[], false).as_deref(), Some("033"));
        let ab = d.lookup("abandon")[0];
        assert_eq!(
            d.code_for(ab, &[], &["full", "economic", "ties"], false)
                .0
                .as_deref(),
            Some("902")
        );
        assert_eq!(
            d.rev_for(ab, &[], &["military", "plan"], false).as_deref(),
            Some("904")
        );
        assert_eq!(
            d.code_for(ab, &[], &["cultural", "ties"], false)
                .0
                .as_deref(),
            Some("345")
        );
    }

    #[test]
    fn pattern_marks_place_actors() {
        let m = Marks::parse(" + ", " FROM $ ");
        assert_eq!(
            m,
            Marks {
                pre_target: true,
                post: vec![(true, 1, 0)]
            }
        );
        let m = Marks::parse(" ", " IFTAR IN ^ + ");
        assert_eq!(m.post, vec![(false, 2, 1)]);
        let m = Marks::parse(" SUGGESTED_+ ", " (TO +) ");
        assert!(m.pre_target);
        assert_eq!(m.post, vec![(false, 1, 0)]);
        let mut d = VerbDict::default();
        d.add_text("--- FREE  [066] ---\nFREE\n- + * FROM $  [066]\n");
        let freed = d.lookup("freed")[0];
        let m = d.marks_for(freed, &["was"], &["quickly", "from", "mordor"], false);
        assert_eq!(m.map(|m| m.post), Some(vec![(true, 2, 0)]));
    }

    #[test]
    fn inflects_regular_verbs() {
        assert!(inflect("ban").contains(&"banned".to_string()));
        assert!(inflect("deny").contains(&"denies".to_string()));
        assert!(inflect("condemn").contains(&"condemning".to_string()));
        assert!(inflect("issue").contains(&"issued".to_string()));
    }
}
