//! Byte ↔ code-point offset conversion for the JSON edge.

/// Converts byte offsets of one text into Unicode code-point offsets.
///
/// Built once per document in O(n); each lookup is a binary search over the
/// positions of multi-byte characters, so ASCII-heavy news costs almost nothing.
pub struct OffsetMap {
    /// Byte offsets of every character that is longer than one byte, with its extra byte count
    /// accumulated up to and including it.
    wide: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// Index the text.
    pub fn new(text: &str) -> OffsetMap {
        let mut wide = Vec::new();
        let mut extra = 0;
        for (i, c) in text.char_indices() {
            let n = c.len_utf8();
            if n > 1 {
                extra += n - 1;
                wide.push((i, extra));
            }
        }
        OffsetMap { wide }
    }

    /// Code-point offset of byte offset `b` (which must be a char boundary).
    pub fn chars(&self, b: usize) -> usize {
        let k = self.wide.partition_point(|&(pos, _)| pos < b);
        if k == 0 {
            b
        } else {
            b - self.wide[k - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_around_multibyte_chars() {
        let t = "Russia’s “No comment.” é";
        let m = OffsetMap::new(t);
        for (ci, (bi, _)) in t.char_indices().enumerate() {
            assert_eq!(m.chars(bi), ci);
        }
        assert_eq!(m.chars(t.len()), t.chars().count());
    }
}
