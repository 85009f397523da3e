//! Document-level role-filler scoring, GRIT/GTT style, with head-noun matching.
//!
//! For each document and role, the gold entities are the role's entities of all the
//! document's templates, merged when they share a mention. A predicted filler *matches* a gold
//! entity when, after [`normalize`](super::normalize), it equals one of the entity's mentions or
//! has the same [`head_noun`](super::head_noun) as one of them. Fillers and entities are then
//! paired one to one (a maximum bipartite matching), so each gold entity counts once and a
//! second filler for the same entity is a false positive. Precision is matched fillers over
//! predicted fillers, recall matched entities over gold entities; micro scores sum the counts
//! of the five roles over all documents.

use super::text::{head_noun, normalize};
use super::{Roles, ROLES};

/// Counts of one role (or of all).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Prf {
    /// Fillers predicted.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
    /// Filler–entity pairs matched.
    pub matched: usize,
}

impl Prf {
    /// Matched over predicted.
    pub fn precision(&self) -> f64 {
        self.matched as f64 / self.predicted.max(1) as f64
    }
    /// Matched over gold.
    pub fn recall(&self) -> f64 {
        self.matched as f64 / self.gold.max(1) as f64
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        crate::eval::f1(self.precision(), self.recall())
    }
    pub(crate) fn add(&mut self, o: Prf) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.matched += o.matched;
    }
}

/// Scores of a run: one [`Prf`] per role (in [`ROLES`] order) and the micro sum.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Muc4Report {
    /// Documents scored.
    pub documents: usize,
    /// Per role.
    pub roles: [Prf; 5],
    /// Summed over the roles.
    pub micro: Prf,
}

/// Gold entities of one document: per role, each entity's mentions.
pub type GoldRoles = [Vec<Vec<String>>; 5];

/// Whether filler `p` matches one of `mentions`.
pub fn matches(p: &str, mentions: &[String]) -> bool {
    let (pn, ph) = (normalize(p), head_noun(p));
    !pn.is_empty()
        && mentions
            .iter()
            .any(|m| normalize(m) == pn || (!ph.is_empty() && head_noun(m) == ph))
}

/// Size of a maximum matching between fillers and entities (Kuhn's augmenting paths; the
/// lists are short).
fn max_matching(preds: &[String], gold: &[Vec<String>]) -> usize {
    let adj: Vec<Vec<usize>> = preds
        .iter()
        .map(|p| (0..gold.len()).filter(|&g| matches(p, &gold[g])).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; gold.len()];
    fn augment(
        p: usize,
        adj: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &g in &adj[p] {
            if !seen[g] {
                seen[g] = true;
                let free = match owner[g] {
                    None => true,
                    Some(q) => augment(q, adj, seen, owner),
                };
                if free {
                    owner[g] = Some(p);
                    return true;
                }
            }
        }
        false
    }
    let mut n = 0;
    for p in 0..preds.len() {
        let mut seen = vec![false; gold.len()];
        if augment(p, &adj, &mut seen, &mut owner) {
            n += 1;
        }
    }
    n
}

/// Scores one document's predicted roles against its gold.
pub fn score_doc(pred: &Roles, gold: &GoldRoles) -> [Prf; 5] {
    let mut out = [Prf::default(); 5];
    for r in 0..ROLES.len() {
        out[r] = Prf {
            predicted: pred.0[r].len(),
            gold: gold[r].len(),
            matched: max_matching(&pred.0[r], &gold[r]),
        };
    }
    out
}

impl Muc4Report {
    /// Adds one document's scores.
    pub fn add(&mut self, doc: [Prf; 5]) {
        self.documents += 1;
        for (r, p) in doc.into_iter().enumerate() {
            self.roles[r].add(p);
            self.micro.add(p);
        }
    }

    /// The scores as a table: a header, one line per role, then the micro sum.
    pub fn table(&self) -> String {
        let line = |name: &str, p: &Prf| {
            format!(
                "{name:<9} {:.3}  {:.3}  {:.3}  ({}/{}/{})\n",
                p.precision(),
                p.recall(),
                p.f1(),
                p.matched,
                p.predicted,
                p.gold
            )
        };
        let mut out = String::from("role        P      R      F1     (matched/predicted/gold)\n");
        for (role, p) in ROLES.iter().zip(&self.roles) {
            out += &line(role, p);
        }
        out + &line("micro", &self.micro)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_gold_entity_counts_once() {
        let gold: GoldRoles = [
            vec![vec!["guerrillas".into(), "guerrilla column".into()]],
            vec![vec![
                "farabundo marti national liberation front".into(),
                "fmln".into(),
            ]],
            vec![],
            vec![vec!["antonio roldan betancur".into()]],
            vec![],
        ];
        let pred = Roles([
            vec!["the guerrillas".into(), "a guerrilla column".into()],
            vec!["FMLN".into()],
            vec!["farm".into()],
            vec!["governor antonio roldan betancur".into()],
            vec![],
        ]);
        let s = score_doc(&pred, &gold);
        // Both PerpInd fillers match the one entity: one is matched, one is spurious.
        assert_eq!((s[0].predicted, s[0].matched, s[0].gold), (2, 1, 1));
        assert_eq!(s[1].matched, 1);
        assert_eq!((s[2].predicted, s[2].matched), (1, 0));
        // Same head noun ("betancur").
        assert_eq!(s[3].matched, 1);
    }
}
