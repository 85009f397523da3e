//! From inputs to documents: read (ingest), extract, optionally annotate (code).
//!
//! A bad input never stops a batch: it is reported as one stderr line naming the file
//! (`wirecoder: skipped FILE: reason`), counted, and handed to the caller's skip hook.

use anyhow::{Context, Result};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};
use wirecoder_doc::Doc;
use wirecoder_ingest::{Format, IngestError, Limits, RawDoc};

/// mimalloc (its version 2: version 3 held 555 MB resident on a 2-thread HTML ingest) instead
/// of glibc's malloc: annotation allocates and frees many small strings and vectors per token,
/// and glibc's bins (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`) were ≈ 12 % of a
/// one-core ingest. Peak RSS +35 to +45 MB.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The limits of every batch this process runs (the `--max-*` flags of `ingest` and `annotate`).
static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the [`Limits`] of the batches this process runs; call it once, before the first batch
/// (later calls are ignored). Without it, batches run with `Limits::default()`.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Threads for extraction and annotation (`--threads`); unset or 0: one per core.
static THREADS: OnceLock<usize> = OnceLock::new();

/// Sets how many threads extract and annotate; call it before the first batch (later calls
/// are ignored). Output order never depends on it.
pub fn set_threads(n: usize) {
    let _ = THREADS.set(n);
}

/// The number of threads batches use.
pub fn threads() -> usize {
    match THREADS.get().copied().unwrap_or(0) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// The NER model file of `--ner-model` (the `WIRECODER_NER_MODEL` variable is read by the
/// pipeline itself).
static NER_MODEL: OnceLock<std::path::PathBuf> = OnceLock::new();

/// Sets the NER model the annotators of this process load; call it before the first
/// [`Annotator::new`] (later calls are ignored). `None` leaves the dictionaries alone.
pub fn set_ner_model(path: Option<std::path::PathBuf>) {
    if let Some(p) = path {
        let _ = NER_MODEL.set(p);
    }
}

/// Time spent in each stage over this process's batches, summed over threads, and the bytes
/// read (`ingest --profile`). Atomic counters: a handful of updates per document.
#[derive(Debug, Default)]
pub struct Profile {
    read: AtomicU64,
    extract: AtomicU64,
    copies: AtomicU64,
    annotate: AtomicU64,
    store: AtomicU64,
    bytes: AtomicU64,
}

/// The process's [`Profile`].
pub static PROFILE: Profile = Profile {
    read: AtomicU64::new(0),
    extract: AtomicU64::new(0),
    copies: AtomicU64::new(0),
    annotate: AtomicU64::new(0),
    store: AtomicU64::new(0),
    bytes: AtomicU64::new(0),
};

fn add(counter: &AtomicU64, d: Duration) {
    counter.fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
}

impl Profile {
    /// Counts time spent storing (the writer thread's side).
    pub fn add_store(&self, d: Duration) {
        add(&self.store, d);
    }

    /// One line: input size and rate over `secs` of wall time, then each stage's share.
    pub fn line(&self, secs: f64) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e9;
        let stages = [
            ("read", get(&self.read)),
            ("extract", get(&self.extract)),
            ("copies", get(&self.copies)),
            ("annotate", get(&self.annotate)),
            ("store", get(&self.store)),
        ];
        let total: f64 = stages.iter().map(|(_, s)| s).sum::<f64>().max(1e-9);
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        let shares: Vec<String> = stages
            .iter()
            .map(|(n, s)| format!("{n} {:.0} % ({s:.1} s)", 100.0 * s / total))
            .collect();
        format!(
            "input {mb:.1} MB ({:.2} MB/s), {} thread(s); stage time: {}",
            mb / secs.max(1e-9),
            threads(),
            shares.join(", ")
        )
    }
}

/// The annotation stages, loaded once (the knowledge base takes a moment).
pub struct Annotator {
    pipeline: wirecoder_code::Pipeline,
    /// When set, documents that copy a stored (or earlier) article are not coded. A mutex,
    /// not a cell: annotation may run on several threads.
    copies: Option<std::sync::Mutex<CopyProbe>>,
}

/// Finds syndicated copies before they are coded: a document whose MinHash signature is
/// near one of a stored article (the store's band table, through its own read connection) or
/// of one seen earlier in this run (not yet committed) is left uncoded; the store links it to
/// the original and counts it there. A signature costs well under a millisecond; coding costs
/// far more.
pub struct CopyProbe {
    store: wirecoder_store::Store,
    /// Documents of this run, kept until the store surely holds them: the newest up to
    /// [`CopyProbe::GENERATION`], and the generation before them.
    recent: wirecoder_dedup::ArticleIndex<u64>,
    older: wirecoder_dedup::ArticleIndex<u64>,
    seen: u64,
    /// Copies found.
    pub copies: usize,
}

impl CopyProbe {
    /// Probes the database at `db` (a second connection beside the writer's).
    pub fn open(db: &str) -> Result<CopyProbe> {
        let store = wirecoder_store::Store::open(db)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("cannot open the database to look for duplicates")?;
        Ok(CopyProbe {
            store,
            recent: wirecoder_dedup::ArticleIndex::new(),
            older: wirecoder_dedup::ArticleIndex::new(),
            seen: 0,
            copies: 0,
        })
    }

    /// Documents per generation of the in-memory index. The writer commits far fewer
    /// documents behind the probe (a few batches), so every document not yet committed is in
    /// one of the two generations: a document the probe passes copies nothing handed over
    /// before it, which lets the store skip its own lookup
    /// ([`wirecoder_store::Store::insert_batch_probed`]).
    const GENERATION: usize = 4096;

    /// Whether the document with signature `sig` copies an article already stored or seen in
    /// this run. A document that does not is remembered for the ones after it. The caller
    /// computes the signature, outside any lock.
    pub fn is_copy(&mut self, sig: wirecoder_dedup::Signature) -> Result<bool> {
        if sig.is_empty() {
            return Ok(false);
        }
        let copy = self.recent.check_signature(&sig).is_some()
            || self.older.check_signature(&sig).is_some()
            || self
                .store
                .near_duplicate(&sig)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .is_some();
        if copy {
            self.copies += 1;
            return Ok(true);
        }
        // Once a generation is full, the one before it is surely committed: the store
        // answers for it.
        if self.recent.len() >= Self::GENERATION {
            self.older = std::mem::take(&mut self.recent);
        }
        self.seen += 1;
        self.recent.insert_signature(self.seen, sig);
        Ok(false)
    }
}

impl Annotator {
    /// Loads the knowledge base and the coder.
    pub fn new() -> Result<Annotator> {
        let mut pipeline = wirecoder_code::Pipeline::new()
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("cannot load the event coder")?;
        if let Some(p) = NER_MODEL.get() {
            let m = crate::cmd::ner::load(p)?;
            pipeline.set_ner_model(Some(std::sync::Arc::new(m)));
        }
        Ok(Annotator {
            pipeline,
            copies: None,
        })
    }

    /// Leaves copies of stored articles uncoded (see [`CopyProbe`]).
    pub fn skip_copies(&mut self, probe: CopyProbe) {
        self.copies = Some(std::sync::Mutex::new(probe));
    }

    /// Copies found so far by the probe.
    pub fn copies_found(&self) -> usize {
        self.copies
            .as_ref()
            .map_or(0, |p| p.lock().map_or(0, |p| p.copies))
    }

    /// Whether `doc` is a copy that need not be coded; `None` when no probe looked (none is
    /// set, or it is unusable).
    fn is_copy(&self, doc: &Doc) -> Result<Option<bool>> {
        match &self.copies {
            Some(p) => {
                // The signature is the costly part: reuse it or compute it before taking the
                // lock, so that threads only queue for the lookups.
                let sig = doc
                    .text_signature
                    .as_deref()
                    .and_then(wirecoder_dedup::Signature::from_hashes)
                    .unwrap_or_else(|| {
                        wirecoder_dedup::Signature::of(&doc.text, wirecoder_dedup::SHINGLE)
                    });
                match p.lock() {
                    Ok(mut p) => p.is_copy(sig).map(Some),
                    // A thread panicked while probing: code the document rather than guess.
                    Err(_) => Ok(None),
                }
            }
            None => Ok(None),
        }
    }
}

/// Runs every stage on `doc`. A panic inside a stage is a bug, but it must cost one document,
/// not the batch: it comes back as the skip reason.
fn annotate_doc(pipeline: &wirecoder_code::Pipeline, doc: &mut Doc) -> Result<(), String> {
    let started = Instant::now();
    let r = quiet_catch(|| pipeline.annotate(doc));
    add(&PROFILE.annotate, started.elapsed());
    match r {
        Ok(r) => annotate_result(r),
        Err(msg) => Err(format!("internal error while annotating: {msg}")),
    }
}

/// `Pipeline::annotate` may report per-document failures; either way, one string for the skip line.
trait AnnotateResult {
    fn into_skip(self) -> Result<(), String>;
}

impl AnnotateResult for () {
    fn into_skip(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: std::fmt::Display> AnnotateResult for std::result::Result<(), E> {
    fn into_skip(self) -> Result<(), String> {
        self.map_err(|e| e.to_string())
    }
}

fn annotate_result<R: AnnotateResult>(r: R) -> Result<(), String> {
    r.into_skip()
}

thread_local! {
    static PANIC_MSG: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Whether this thread is inside [`quiet_catch`].
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that records the message of a panic inside [`quiet_catch`]
/// and leaves every other panic to the previous hook. Swapping hooks per call would race
/// between threads.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let prev = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                return prev(info);
            }
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            // One stderr line per skipped input: no newlines, and no page of quoted text.
            let msg = crate::render::excerpt(&msg, 160);
            PANIC_MSG.with(|m| *m.borrow_mut() = Some(format!("{msg}{at}")));
        }));
    });
}

/// Runs `f`, turning a panic into its message without printing the default panic report.
fn quiet_catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_quiet_hook();
    let outer = QUIET.with(|q| q.replace(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(outer));
    r.map_err(|_| {
        PANIC_MSG
            .with(|m| m.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())
    })
}

/// Extracts the main text and metadata of one raw input into an unannotated [`Doc`].
///
/// What the input said about itself (JSONL `id`, `url`, `title`, `published`; the file path)
/// fills what the page lacks; `published` (from `--published`) overrides both.
pub fn extract(raw: &RawDoc, published: Option<&str>) -> Result<Doc, String> {
    let article = quiet_catch(|| match raw.format {
        Format::Html => wirecoder_extract::extract_html(&raw.text, raw.meta.url.as_deref()),
        Format::TextPage => wirecoder_extract::extract_text_page(&raw.text),
        Format::Body => wirecoder_extract::extract_body(&raw.text, raw.meta.clone()),
    })
    .map_err(|m| format!("internal error while extracting: {m}"))?;
    let mut meta = article.meta;
    meta.fill_missing_from(&raw.meta);
    if let Some(p) = published {
        meta.published = Some(p.to_string());
        meta.published_inferred = false;
    }
    if article.text.trim().is_empty() {
        return Err("no main text found".into());
    }
    Ok(Doc {
        meta,
        text: article.text,
        headings: article.headings,
        stories: article.stories,
        ..Default::default()
    })
}

/// How a batch went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Documents handed to the caller.
    pub docs: usize,
    /// Inputs skipped.
    pub skipped: usize,
}

/// Reads every input, extracts, annotates when `annotator` is given, and hands each document
/// to `on_doc`; each bad input goes to `on_skip(source, reason)` after its stderr line.
/// Errors from the hooks stop the batch (they are the request failing, e.g. a full disk).
pub fn run_batch(
    paths: &[String],
    published: Option<&str>,
    annotator: Option<&Annotator>,
    on_doc: impl FnMut(Doc) -> Result<()>,
    on_skip: impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    let raws = wirecoder_ingest::read_inputs_with(paths, limits()).map(|r| r.map_err(ingest_skip));
    run_raws(raws, published, annotator, on_doc, on_skip)
}

/// [`run_batch`] for a caller that stores the documents: `on_doc` also learns whether the
/// annotator's copy probe passed the document as an original (false without a probe, and for
/// a copy), and documents come without their tokens (the store keeps none: they are dropped
/// on the worker thread that made them, not freed across threads by the store's writer).
pub fn run_batch_for_store(
    paths: &[String],
    published: Option<&str>,
    annotator: Option<&Annotator>,
    on_doc: impl FnMut(Doc, bool) -> Result<()>,
    on_skip: impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    let raws = wirecoder_ingest::read_inputs_with(paths, limits()).map(|r| r.map_err(ingest_skip));
    run_raws_with(raws, published, annotator, false, on_doc, on_skip)
}

/// [`run_batch`] over documents already read (the demo's embedded corpus).
///
/// With one thread every document goes through every stage in turn. With more
/// ([`set_threads`]), the calling thread reads, runs the copy probe and the hooks, in input
/// order, while the workers extract and annotate whichever document is next in their queue:
/// the output is the same whatever the number of threads.
pub fn run_raws(
    raws: impl Iterator<Item = Result<RawDoc, (String, String)>>,
    published: Option<&str>,
    annotator: Option<&Annotator>,
    mut on_doc: impl FnMut(Doc) -> Result<()>,
    on_skip: impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    run_raws_with(raws, published, annotator, true, |d, _| on_doc(d), on_skip)
}

/// A document between stages: its source, the document, and the copy probe's verdict
/// (`Some(true)`: a copy; `None`: not asked), or the source and the reason it was skipped.
type Step = Result<(String, Doc, Option<bool>), (String, String)>;

/// What a batch's stages share.
struct Stages<'a> {
    published: Option<&'a str>,
    annotator: Option<&'a Annotator>,
    keep_tokens: bool,
    limits: Limits,
}

impl Stages<'_> {
    /// Extraction of one input, and the signature the copy probe needs (computed here, off
    /// the in-order path; the store reuses it).
    fn extract(&self, raw: Result<RawDoc, (String, String)>) -> Step {
        let raw = raw?;
        let started = Instant::now();
        PROFILE
            .bytes
            .fetch_add(raw.text.len() as u64, Ordering::Relaxed);
        let doc = extract(&raw, self.published);
        add(&PROFILE.extract, started.elapsed());
        let mut doc = doc.map_err(|reason| (raw.source.clone(), reason))?;
        if let Some(a) = self.annotator {
            within_limits(&doc, started, &self.limits).map_err(|r| (raw.source.clone(), r))?;
            if a.copies.is_some() {
                let t = Instant::now();
                let sig = wirecoder_dedup::Signature::of(&doc.text, wirecoder_dedup::SHINGLE);
                doc.text_signature = Some(sig.0.to_vec());
                add(&PROFILE.copies, t.elapsed());
            }
        }
        Ok((raw.source, doc, None))
    }

    /// The copy probe's verdict on an extracted document: whether a document copies another
    /// depends on those before it, so this runs in input order.
    fn probe(&self, step: Step) -> Result<Step> {
        let Some(a) = self.annotator else {
            return Ok(step);
        };
        let Ok((source, doc, _)) = step else {
            return Ok(step);
        };
        let t = Instant::now();
        let copy = a.is_copy(&doc)?;
        add(&PROFILE.copies, t.elapsed());
        Ok(Ok((source, doc, copy)))
    }

    /// Whether a probed step still needs annotating (a copy is stored uncoded and linked to
    /// its original by the store).
    fn needs_annotating(&self, step: &Step) -> bool {
        self.annotator.is_some() && matches!(step, Ok((_, _, copy)) if *copy != Some(true))
    }

    /// Annotation of one probed document (when it needs it), tokens dropped unless kept.
    fn annotate(&self, step: Step) -> Step {
        let (source, mut doc, copy) = step?;
        if let Some(a) = self.annotator {
            if copy != Some(true) {
                annotate_doc(&a.pipeline, &mut doc).map_err(|r| (source.clone(), r))?;
            }
        }
        if !self.keep_tokens {
            doc.tokens = Vec::new();
        }
        Ok((source, doc, copy))
    }
}

/// Hands one finished step to the caller's hooks.
fn deliver(
    step: Step,
    counts: &mut Counts,
    on_doc: &mut impl FnMut(Doc, bool) -> Result<()>,
    on_skip: &mut impl FnMut(&str, &str) -> Result<()>,
) -> Result<()> {
    match step {
        Ok((source, doc, copy)) => {
            counts.docs += 1;
            on_doc(doc, copy == Some(false)).with_context(|| format!("while handling {source}"))
        }
        Err((source, reason)) => {
            eprintln!("wirecoder: skipped {source}: {reason}");
            counts.skipped += 1;
            on_skip(&source, &reason)
        }
    }
}

/// [`run_raws`], keeping tokens or not, with the probe's verdict (see [`run_batch_for_store`]).
fn run_raws_with(
    mut raws: impl Iterator<Item = Result<RawDoc, (String, String)>>,
    published: Option<&str>,
    annotator: Option<&Annotator>,
    keep_tokens: bool,
    mut on_doc: impl FnMut(Doc, bool) -> Result<()>,
    mut on_skip: impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    let stages = Stages {
        published,
        annotator,
        keep_tokens,
        limits: limits(),
    };
    let n = threads();
    if n > 1 {
        return run_streaming(&stages, n, raws, on_doc, on_skip);
    }
    let mut counts = Counts::default();
    loop {
        let t = Instant::now();
        let raw = raws.next();
        add(&PROFILE.read, t.elapsed());
        let Some(raw) = raw else { break };
        let step = stages.annotate(stages.probe(stages.extract(raw))?);
        deliver(step, &mut counts, &mut on_doc, &mut on_skip)?;
    }
    Ok(counts)
}

/// Work for the workers of [`run_streaming`], each piece with its input's place in the batch.
enum Job {
    Extract(usize, Box<Result<RawDoc, (String, String)>>),
    Annotate(usize, Box<Step>),
}

/// A worker's result: the step, extracted or annotated.
enum Done {
    Extracted(usize, Step),
    Annotated(usize, Step),
}

/// The batch over `n` worker threads: the calling thread reads inputs and queues them for
/// extraction, takes the extracted documents back in input order for the copy probe, queues
/// them for annotation, and hands the annotated ones to the hooks in input order. No stage
/// waits for a whole group of documents: a worker takes the next job as soon as it is free.
/// At most `16 n` documents are between reading and the hooks, which bounds memory.
fn run_streaming(
    stages: &Stages,
    n: usize,
    mut raws: impl Iterator<Item = Result<RawDoc, (String, String)>>,
    mut on_doc: impl FnMut(Doc, bool) -> Result<()>,
    mut on_skip: impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    let cap = 16 * n;
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let jobs = Mutex::new(job_rx);
    // Set when the batch stops early: workers drop the jobs still queued.
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for i in 0..n {
            let (jobs, done_tx, stop) = (&jobs, done_tx.clone(), &stop);
            let worker = move || loop {
                let job = match jobs.lock() {
                    Ok(rx) => match rx.recv() {
                        Ok(job) => job,
                        Err(_) => break,
                    },
                    Err(_) => break,
                };
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                // A panic outside the stages' own guards must not leave the caller waiting
                // for this document.
                let done = match job {
                    Job::Extract(seq, raw) => {
                        let source = (*raw)
                            .as_ref()
                            .map_or_else(|e| e.0.clone(), |r| r.source.clone());
                        Done::Extracted(
                            seq,
                            quiet_catch(|| stages.extract(*raw))
                                .unwrap_or_else(|m| Err((source, format!("internal error: {m}")))),
                        )
                    }
                    Job::Annotate(seq, step) => {
                        let source = (*step)
                            .as_ref()
                            .map_or_else(|e| e.0.clone(), |s| s.0.clone());
                        Done::Annotated(
                            seq,
                            quiet_catch(|| stages.annotate(*step))
                                .unwrap_or_else(|m| Err((source, format!("internal error: {m}")))),
                        )
                    }
                };
                if done_tx.send(done).is_err() {
                    break;
                }
            };
            if let Err(e) = std::thread::Builder::new()
                .name(format!("wirecoder-{i}"))
                .spawn_scoped(scope, worker)
            {
                // The workers already started stop when the job queue closes.
                stop.store(true, Ordering::Relaxed);
                drop(job_tx);
                return Err(anyhow::anyhow!("cannot start a worker thread: {e}"));
            }
        }
        // Only the workers hold senders now: if they all stop, `recv` says so.
        drop(done_tx);
        let r = coordinate(
            stages,
            cap,
            &mut raws,
            job_tx,
            &done_rx,
            &mut on_doc,
            &mut on_skip,
        );
        if r.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        r
    })
}

/// The calling thread's part of [`run_streaming`]. Returning drops `jobs`, which lets the
/// workers finish.
fn coordinate(
    stages: &Stages,
    cap: usize,
    raws: &mut impl Iterator<Item = Result<RawDoc, (String, String)>>,
    jobs: mpsc::Sender<Job>,
    done: &mpsc::Receiver<Done>,
    on_doc: &mut impl FnMut(Doc, bool) -> Result<()>,
    on_skip: &mut impl FnMut(&str, &str) -> Result<()>,
) -> Result<Counts> {
    let stopped = || anyhow::anyhow!("the pipeline's worker threads stopped");
    let mut counts = Counts::default();
    // Inputs read, probed and handed on so far: each number is the next one's place.
    let (mut read, mut probed, mut handed) = (0usize, 0usize, 0usize);
    let mut exhausted = false;
    // Extracted documents waiting for the probe, finished ones waiting for the hooks.
    let mut extracted: BTreeMap<usize, Step> = BTreeMap::new();
    let mut finished: BTreeMap<usize, Step> = BTreeMap::new();
    loop {
        while !exhausted && read - handed < cap {
            let t = Instant::now();
            let raw = raws.next();
            add(&PROFILE.read, t.elapsed());
            match raw {
                Some(raw) => {
                    jobs.send(Job::Extract(read, Box::new(raw)))
                        .map_err(|_| stopped())?;
                    read += 1;
                }
                None => exhausted = true,
            }
        }
        if exhausted && handed == read {
            return Ok(counts);
        }
        // Something is with the workers (else the maps would hold the next step).
        match done.recv().map_err(|_| stopped())? {
            Done::Extracted(seq, step) => {
                extracted.insert(seq, step);
            }
            Done::Annotated(seq, step) => {
                finished.insert(seq, step);
            }
        }
        while let Some(step) = extracted.remove(&probed) {
            let step = stages.probe(step)?;
            if stages.needs_annotating(&step) {
                jobs.send(Job::Annotate(probed, Box::new(step)))
                    .map_err(|_| stopped())?;
            } else {
                // Skipped, a copy, or nothing to annotate with: done already.
                finished.insert(probed, stages.annotate(step));
            }
            probed += 1;
        }
        while let Some(step) = finished.remove(&handed) {
            deliver(step, &mut counts, on_doc, on_skip)?;
            handed += 1;
        }
    }
}

/// Whether a document may go on to analysis: its text within `max_text_chars` and the time
/// spent on it so far within the time budget (analysis cost grows with the text).
fn within_limits(doc: &Doc, started: Instant, limits: &Limits) -> Result<(), String> {
    let chars = doc.text.chars().count();
    if chars > limits.max_text_chars {
        return Err(format!(
            "text of {chars} characters is over the analysis limit of {} (--max-text-chars)",
            limits.max_text_chars
        ));
    }
    let spent = started.elapsed();
    match limits.time_budget {
        Some(budget) if spent > budget => Err(format!(
            "extraction took {:.1} s, over the time budget of {:.1} s (--time-budget)",
            spent.as_secs_f64(),
            budget.as_secs_f64()
        )),
        _ => Ok(()),
    }
}

/// Splits an ingest error into the input it names and the reason alone.
pub(crate) fn ingest_skip(e: IngestError) -> (String, String) {
    let path = e.path();
    let full = e.to_string();
    let reason = full
        .strip_prefix(&format!("{path}: "))
        .unwrap_or(&full)
        .to_string();
    (path, reason)
}

/// The batch failed as a request when nothing at all could be read.
pub fn check_counts(counts: Counts) -> Result<()> {
    if counts.docs == 0 && counts.skipped > 0 {
        anyhow::bail!(
            "no document could be read ({} input(s) skipped)",
            counts.skipped
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_fills_only_missing_fields() {
        use wirecoder_doc::Meta;
        let mut a = Meta {
            title: Some("Russia condemns strikes".into()),
            ..Meta::default()
        };
        let b = Meta {
            id: Some("doc-1".into()),
            title: Some("other".into()),
            published: Some("2024-01-10".into()),
            ..Meta::default()
        };
        a.fill_missing_from(&b);
        assert_eq!(a.title.as_deref(), Some("Russia condemns strikes"));
        assert_eq!(a.id.as_deref(), Some("doc-1"));
        assert_eq!(a.published.as_deref(), Some("2024-01-10"));
    }

    #[test]
    fn panics_become_reasons() {
        let r: Result<(), String> = quiet_catch(|| panic!("boom"));
        assert!(r.unwrap_err().starts_with("boom"));
    }
}
