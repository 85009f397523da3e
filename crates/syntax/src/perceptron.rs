//! Averaged perceptron over hashed sparse features.
//!
//! Training keeps a dense table of `buckets × classes` weights (features are hashed to a row);
//! the frozen model keeps only the non-zero averaged weights of each row, quantised to `i16`,
//! which makes it small on disk and fast to score (a feature touches only the classes it ever
//! voted for).

/// Mix two 64-bit values into one (a cheap, well-spread hash step).
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(25)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 29)
}

/// A stable 64-bit hash of a string (FNV-1a then a final mix), the same on every platform.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = StrHash::new();
    h.bytes(s.as_bytes());
    h.finish()
}

/// [`hash_str`] fed piece by piece, for strings that need not be built.
pub(crate) struct StrHash(u64);

impl StrHash {
    pub(crate) fn new() -> StrHash {
        StrHash(0xcbf2_9ce4_8422_2325)
    }

    #[inline]
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        for &b in b {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        mix(self.0, 0x51_7cc1_b727_220a)
    }
}

/// Asks the CPU to start loading the cache line at `p` (a hint: never faults, any address).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it reads nothing and cannot fault, whatever
    // the address.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The trainable table.
pub(crate) struct Trainer {
    pub classes: usize,
    mask: u64,
    w: Vec<f32>,
    // Daumé-style averaging: avg = w - u / c, with u the sum of c·Δ.
    u: Vec<f32>,
    c: f32,
}

impl Trainer {
    pub fn new(bits: u32, classes: usize) -> Trainer {
        let n = (1usize << bits) * classes;
        Trainer {
            classes,
            mask: (1u64 << bits) - 1,
            w: vec![0.0; n],
            u: vec![0.0; n],
            c: 1.0,
        }
    }

    #[inline]
    fn row(&self, f: u64) -> usize {
        (f & self.mask) as usize * self.classes
    }

    /// Scores of all classes into `out`.
    pub fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        for &f in feats {
            let r = self.row(f);
            for (o, w) in out.iter_mut().zip(&self.w[r..r + self.classes]) {
                *o += *w;
            }
        }
    }

    /// Moves weight from `wrong` to `right`.
    pub fn update(&mut self, feats: &[u64], right: usize, wrong: usize, step: f32) {
        if right == wrong {
            return;
        }
        let c = self.c;
        for &f in feats {
            let r = self.row(f);
            self.w[r + right] += step;
            self.u[r + right] += c * step;
            self.w[r + wrong] -= step;
            self.u[r + wrong] -= c * step;
        }
    }

    /// One training instance seen (the averaging clock).
    pub fn tick(&mut self) {
        self.c += 1.0;
    }

    /// The averaged, pruned, quantised model.
    pub fn freeze(&self, prune: f32) -> Sparse {
        let rows = (self.mask + 1) as usize;
        let mut max = 0f32;
        let avg = |i: usize| self.w[i] - self.u[i] / self.c;
        for i in 0..self.w.len() {
            max = max.max(avg(i).abs());
        }
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let mut bucket = Vec::new();
        let mut start = Vec::new();
        let mut entries = Vec::new();
        for r in 0..rows {
            let base = r * self.classes;
            let before = entries.len();
            for k in 0..self.classes {
                let a = avg(base + k);
                if a.abs() > prune {
                    let q = (a / scale).round().clamp(-32767.0, 32767.0) as i16;
                    if q != 0 {
                        entries.push((k as u8, q));
                    }
                }
            }
            if entries.len() > before {
                bucket.push(r as u32);
                start.push(before as u32);
            }
        }
        start.push(entries.len() as u32);
        Sparse::from_parts(self.mask, self.classes, scale, bucket, start, entries)
    }
}

/// The frozen model: sparse rows of `(class, weight)`.
#[derive(Debug, Clone)]
pub(crate) struct Sparse {
    pub classes: usize,
    pub mask: u64,
    pub scale: f32,
    pub bucket: Vec<u32>,
    pub start: Vec<u32>,
    pub entries: Vec<(u8, i16)>,
    /// Entries of bucket `b` are `entries[off[b]..off[b + 1]]`: one cache line gives both
    /// ends, so a feature costs two memory reads, not three.
    off: Vec<u32>,
}

impl Sparse {
    pub fn from_parts(
        mask: u64,
        classes: usize,
        scale: f32,
        bucket: Vec<u32>,
        start: Vec<u32>,
        entries: Vec<(u8, i16)>,
    ) -> Sparse {
        let rows = (mask + 1) as usize;
        let mut off = vec![0u32; rows + 1];
        // Row lengths at their bucket, then a running sum.
        for (i, &b) in bucket.iter().enumerate() {
            let len = start.get(i + 1).copied().unwrap_or(0) - start.get(i).copied().unwrap_or(0);
            if let Some(slot) = off.get_mut(b as usize + 1) {
                *slot = len;
            }
        }
        for i in 1..=rows {
            off[i] += off[i - 1];
        }
        Sparse {
            classes,
            mask,
            scale,
            bucket,
            start,
            entries,
            off,
        }
    }

    /// Scores of all classes into `out` (in quantised units: only the order matters).
    ///
    /// The tables are far larger than the caches, so nearly every feature costs two cache
    /// misses (its row bounds, then its row). Three passes let the CPU wait for all of them at
    /// once instead of one after the other: prefetch every feature's bounds, then read them and
    /// prefetch every row, then add the rows.
    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i32]) {
        // A class id is a byte, so a 256-wide accumulator needs no bounds checks.
        let mut acc = [0i32; 256];
        let mut buckets = [0usize; 160];
        let mut rows = [(0u32, 0u32); 160];
        for chunk in feats.chunks(buckets.len()) {
            for (slot, &f) in buckets.iter_mut().zip(chunk) {
                let b = (f & self.mask) as usize;
                *slot = b;
                prefetch(self.off.as_ptr().wrapping_add(b));
            }
            let mut n = 0;
            for &b in &buckets[..chunk.len()] {
                let (a, e) = match self.off.get(b..b + 2) {
                    Some(&[a, e]) => (a, e),
                    _ => (0, 0),
                };
                rows[n] = (a, e);
                n += (e > a) as usize;
                prefetch(self.entries.as_ptr().wrapping_add(a as usize));
            }
            for &(a, e) in &rows[..n] {
                for &(k, w) in self.entries.get(a as usize..e as usize).unwrap_or(&[]) {
                    acc[k as usize] += w as i32;
                }
            }
        }
        for (o, a) in out.iter_mut().zip(acc.iter()) {
            *o = *a;
        }
    }

    /// A copy without the weights below `frac` of the largest one (smaller and faster).
    pub fn pruned(&self, frac: f32) -> Sparse {
        let min = (32767.0 * frac) as i32;
        let mut bucket = Vec::new();
        let mut start = Vec::new();
        let mut entries = Vec::new();
        for (i, &b) in self.bucket.iter().enumerate() {
            let (a, e) = (self.start[i] as usize, self.start[i + 1] as usize);
            let before = entries.len();
            entries.extend(
                self.entries[a..e]
                    .iter()
                    .filter(|&&(_, w)| (w as i32).abs() >= min),
            );
            if entries.len() > before {
                bucket.push(b);
                start.push(before as u32);
            }
        }
        start.push(entries.len() as u32);
        Sparse::from_parts(self.mask, self.classes, self.scale, bucket, start, entries)
    }
}
