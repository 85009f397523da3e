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
    /// Where each bucket's row is (see [`Slot`]): one 8-byte read per feature.
    slots: Vec<u64>,
    /// The long rows, each as [`Sparse::stride`] weights, one per class (zero where the
    /// sparse row has none; the padding is zero too).
    dense: Vec<i16>,
    /// Classes rounded up to a multiple of 16.
    stride: usize,
}

/// A bucket's row, packed into a `u64` slot by its low byte (the kind):
/// - [`Slot::EMPTY`]: no weights;
/// - 1 or 2: that many `(class, weight)` entries inline, in bytes 1..4 and 4..7;
/// - [`Slot::SPARSE`]: `entries[start..start + len]`, start in the high 32 bits, len in bits
///   8..24;
/// - [`Slot::DENSE`]: row `index` (high 32 bits) of the dense table.
///
/// Most features hit a short row (read with the slot, no second memory access) or one of the
/// few long rows of frequent features, which hold a weight for nearly every class: those are
/// added as whole vectors (entry by entry they were most of the parser's time).
struct Slot;

impl Slot {
    const EMPTY: u64 = 0;
    const SPARSE: u64 = 3;
    const DENSE: u64 = 4;
    /// Rows longer than this are kept dense.
    const DENSE_OVER: usize = 16;

    fn inline(row: &[(u8, i16)]) -> u64 {
        let mut s = row.len() as u64;
        for (i, &(k, w)) in row.iter().enumerate() {
            let e = k as u64 | ((w as u16 as u64) << 8);
            s |= e << (8 + 24 * i);
        }
        s
    }
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
        let stride = classes.div_ceil(16) * 16;
        let mut slots = vec![Slot::EMPTY; rows];
        let mut dense = Vec::new();
        for (i, &b) in bucket.iter().enumerate() {
            let (a, e) = (
                start.get(i).copied().unwrap_or(0),
                start.get(i + 1).copied().unwrap_or(0),
            );
            let (Some(slot), Some(row)) = (
                slots.get_mut(b as usize),
                entries.get(a as usize..e as usize),
            ) else {
                continue;
            };
            *slot = if row.len() <= 2 {
                Slot::inline(row)
            } else if row.len() <= Slot::DENSE_OVER {
                Slot::SPARSE | (row.len() as u64) << 8 | (a as u64) << 32
            } else {
                let at = dense.len();
                dense.resize(at + stride, 0i16);
                for &(k, w) in row {
                    if let Some(x) = dense.get_mut(at + k as usize) {
                        *x = w;
                    }
                }
                Slot::DENSE | ((at / stride) as u64) << 32
            };
        }
        Sparse {
            classes,
            mask,
            scale,
            bucket,
            start,
            entries,
            slots,
            dense,
            stride,
        }
    }

    /// Scores of all classes into `out` (in quantised units: only the order matters).
    ///
    /// The tables are far larger than the caches, so nearly every feature costs a cache miss.
    /// Passes let the CPU wait for all of them at once instead of one after the other:
    /// prefetch every feature's slot, then read the slots, add the inline rows and prefetch
    /// the others, then add those. Sums of integers: the order of the additions changes
    /// nothing.
    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i32]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has the feature the function is compiled for.
                unsafe { self.score_avx2(feats, out) };
                return;
            }
        }
        self.score_portable(feats, out);
    }

    /// [`Sparse::score`] compiled for AVX2 (the dense rows add 16 classes a step).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_avx2(&self, feats: &[u64], out: &mut [i32]) {
        self.score_portable(feats, out);
    }

    #[inline(always)]
    fn score_portable(&self, feats: &[u64], out: &mut [i32]) {
        // A class id is a byte, so a 256-wide accumulator needs no bounds checks.
        let mut acc = [0i32; 256];
        let mut slots = [0usize; 160];
        let mut rows = [0u64; 160];
        let stride = self.stride;
        for chunk in feats.chunks(slots.len()) {
            for (slot, &f) in slots.iter_mut().zip(chunk) {
                let b = (f & self.mask) as usize;
                *slot = b;
                prefetch(self.slots.as_ptr().wrapping_add(b));
            }
            let mut n = 0;
            for &b in &slots[..chunk.len()] {
                let s = self.slots.get(b).copied().unwrap_or(Slot::EMPTY);
                match s & 0xFF {
                    Slot::EMPTY => {}
                    k @ (1 | 2) => {
                        for i in 0..k {
                            let e = s >> (8 + 24 * i);
                            acc[(e & 0xFF) as usize] += (e >> 8) as u16 as i16 as i32;
                        }
                    }
                    Slot::SPARSE => {
                        rows[n] = s;
                        n += 1;
                        prefetch(self.entries.as_ptr().wrapping_add((s >> 32) as usize));
                    }
                    _ => {
                        rows[n] = s;
                        n += 1;
                        let p = self
                            .dense
                            .as_ptr()
                            .wrapping_add((s >> 32) as usize * stride);
                        // A row of 112 weights spans four cache lines.
                        for line in (0..stride).step_by(32) {
                            prefetch(p.wrapping_add(line));
                        }
                    }
                }
            }
            for &s in &rows[..n] {
                let at = (s >> 32) as usize;
                if s & 0xFF == Slot::SPARSE {
                    let len = ((s >> 8) & 0xFFFF) as usize;
                    for &(k, w) in self.entries.get(at..at + len).unwrap_or(&[]) {
                        acc[k as usize] += w as i32;
                    }
                } else if let Some(row) = self.dense.get(at * stride..(at + 1) * stride) {
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += w as i32;
                    }
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
