//! Dependency trees of one sentence, as the coder reads them: subjects, objects, passive
//! agents, control (xcomp) and clausal complements, negation and auxiliaries.
//!
//! Heads are sentence-local token indices. The parser (UAS ≈ 85) is wrong on one arc in
//! seven, so every question here has a cheap answer ("none") that lets the coder fall back to
//! its token rules rather than trust a doubtful arc.

/// What the parser says of one token: head, relation, lemma, and whether it is a verb.
pub(crate) type Node = (Option<usize>, Option<String>, Option<String>, bool);

/// The parse of one sentence.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    head: Vec<Option<usize>>,
    rel: Vec<String>,
    lemma: Vec<String>,
    /// Verbs and auxiliaries: a conjunct verb opens a clause, a conjunct noun does not.
    verbal: Vec<bool>,
}

/// Relations that open a new clause: an actor below one of them is not an argument of the verb
/// above.
const CLAUSAL: &[&str] = &[
    "acl",
    "acl:relcl",
    "advcl",
    "ccomp",
    "xcomp",
    "parataxis",
    "csubj",
];
/// Prepositions of place and time: their objects are where and when, not whom.
const LOCATIVE_CASE: &[&str] = &[
    "in",
    "at",
    "near",
    "since",
    "during",
    "from",
    "over",
    "across",
    "inside",
    "outside",
    "around",
    "throughout",
    "among",
    "amid",
    "toward",
    "towards",
    "of",
    "before",
    "after",
    "by",
    "until",
    "within",
    "into",
    "for",
    "despite",
    "under",
    "as",
    "via",
    "like",
];
const RELATIVE: &[&str] = &["who", "which", "that", "whom"];

impl Tree {
    /// A tree from per-token (head, relation, lemma, is a verb); `None` unless every token was
    /// parsed.
    pub fn new(parts: Vec<Node>) -> Option<Tree> {
        let n = parts.len();
        let mut head = Vec::with_capacity(n);
        let mut rel = Vec::with_capacity(n);
        let mut lemma = Vec::with_capacity(n);
        let mut verbal = Vec::with_capacity(n);
        for (h, r, l, v) in parts {
            let r = r?;
            if h.is_some_and(|h| h >= n) {
                return None;
            }
            head.push(h);
            rel.push(r);
            lemma.push(l.unwrap_or_default());
            verbal.push(v);
        }
        Some(Tree {
            head,
            rel,
            lemma,
            verbal,
        })
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.head.len()
    }

    /// The head of `k`.
    pub fn head(&self, k: usize) -> Option<usize> {
        self.head.get(k).copied().flatten()
    }

    /// The relation of `k` to its head.
    pub fn rel(&self, k: usize) -> &str {
        self.rel.get(k).map(String::as_str).unwrap_or("")
    }

    /// The lemma of `k` (lower case).
    pub fn lemma(&self, k: usize) -> &str {
        self.lemma.get(k).map(String::as_str).unwrap_or("")
    }

    /// Dependents of `k`, left to right.
    pub fn children(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(move |&j| self.head[j] == Some(k))
    }

    /// The first dependent of `k` whose relation is one of `rels`.
    pub fn child(&self, k: usize, rels: &[&str]) -> Option<usize> {
        self.children(k).find(|&j| rels.contains(&self.rel(j)))
    }

    /// The preposition (`case` dependent) of a nominal, lower case.
    pub fn case_of(&self, k: usize) -> Option<&str> {
        self.child(k, &["case"]).map(|c| self.lemma(c))
    }

    /// Whether `j` lies below `k` without crossing a clause boundary (or is `k`).
    pub fn governs(&self, k: usize, j: usize) -> bool {
        let mut cur = j;
        for _ in 0..self.len() {
            if cur == k {
                return true;
            }
            if CLAUSAL.contains(&self.rel(cur))
                || (self.rel(cur) == "conj" && self.verbal.get(cur).copied().unwrap_or(false))
            {
                return false;
            }
            match self.head(cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    /// The subject of verb `k`: (token, is the passive subject). Climbs through control
    /// (`xcomp`: "agreed to lift" takes "agreed"'s subject, "urged Uganda to repatriate" its
    /// object), coordination ("met and agreed") and relative clauses ("rebels who attacked").
    pub fn subject(&self, k: usize) -> Option<(usize, bool)> {
        let mut cur = k;
        for _ in 0..6 {
            if let Some(s) = self.child(cur, &["nsubj", "nsubj:pass", "csubj", "nsubj:outer"]) {
                let pass = self.rel(s) == "nsubj:pass";
                // "the rebels who attacked": the relative pronoun stands for the noun above.
                if RELATIVE.contains(&self.lemma(s)) && self.rel(cur).starts_with("acl") {
                    return self.head(cur).map(|h| (h, pass));
                }
                return Some((s, pass));
            }
            let up = self.head(cur)?;
            match self.rel(cur) {
                "xcomp" => {
                    // Object control: "urged Uganda to repatriate", "forced them to leave".
                    if let Some(o) = self.child(up, &["obj", "iobj"]) {
                        return Some((o, false));
                    }
                    cur = up;
                }
                "conj" => cur = up,
                // Participles ("missiles obtained from X") and other clauses: no subject here.
                _ => return None,
            }
        }
        None
    }

    /// The direct object of `k` (obj, else iobj).
    pub fn object(&self, k: usize) -> Option<usize> {
        self.child(k, &["obj"]).or_else(|| self.child(k, &["iobj"]))
    }

    /// Oblique arguments after `k` with their prepositions, skipping places and times.
    pub fn obliques(&self, k: usize) -> Vec<(usize, String)> {
        self.children(k)
            .filter(|&j| j > k)
            .filter(|&j| matches!(self.rel(j), "obl" | "obl:agent" | "obl:arg" | "nmod"))
            .filter_map(|j| {
                let p = self.case_of(j).unwrap_or("").to_string();
                (!LOCATIVE_CASE.contains(&p.as_str())).then_some((j, p))
            })
            .collect()
    }

    /// The agent of a passive: "was attacked by X".
    pub fn agent(&self, k: usize) -> Option<usize> {
        self.children(k).find(|&j| {
            self.rel(j) == "obl:agent"
                || (self.rel(j) == "obl" && self.case_of(j).is_some_and(|c| c == "by"))
        })
    }

    /// Whether `k` is negated ("did not attack", "never attacked").
    pub fn negated(&self, k: usize) -> bool {
        self.children(k).any(|j| {
            matches!(self.rel(j), "advmod" | "neg" | "det")
                && matches!(self.lemma(j), "not" | "n't" | "never" | "no")
        })
    }

    /// Lemmas of the auxiliaries of `k` ("will", "would", "must").
    pub fn auxes(&self, k: usize) -> Vec<&str> {
        self.children(k)
            .filter(|&j| self.rel(j) == "aux")
            .map(|j| self.lemma(j))
            .collect()
    }

    /// The open complement of `k` ("agreed *to lift*"), if any.
    pub fn xcomp(&self, k: usize) -> Option<usize> {
        self.child(k, &["xcomp"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(spec: &[(Option<usize>, &str, &str)]) -> Tree {
        Tree::new(
            spec.iter()
                .map(|(h, r, l)| (*h, Some(r.to_string()), Some(l.to_string()), false))
                .collect(),
        )
        .unwrap_or_else(|| panic!("bad test tree"))
    }

    #[test]
    fn control_and_passive() {
        // Congress agreed to lift embargoes
        let t = tree(&[
            (Some(1), "nsubj", "congress"),
            (None, "root", "agree"),
            (Some(3), "mark", "to"),
            (Some(1), "xcomp", "lift"),
            (Some(3), "obj", "embargo"),
        ]);
        assert_eq!(t.subject(3), Some((0, false)));
        assert_eq!(t.object(3), Some(4));
        assert_eq!(t.xcomp(1), Some(3));
        // the camp was attacked by militiamen
        let t = tree(&[
            (Some(1), "det", "the"),
            (Some(3), "nsubj:pass", "camp"),
            (Some(3), "aux:pass", "be"),
            (None, "root", "attack"),
            (Some(5), "case", "by"),
            (Some(3), "obl", "militiaman"),
        ]);
        assert_eq!(t.subject(3), Some((1, true)));
        assert_eq!(t.agent(3), Some(5));
        assert!(t.governs(3, 5));
    }
}
