//! `wirecoder ingest`: annotate documents and store them, in batches.

use super::open_store;
use super::watch::IngestHook;
use crate::pipeline::{self, Annotator, Counts};
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use wirecoder_doc::Doc;
use wirecoder_store::Store;

/// Documents per transaction: large enough to amortize the commit, small enough that an
/// interrupted run loses little.
const BATCH: usize = 256;

/// What an ingest run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub docs: usize,
    pub new: usize,
    pub present: usize,
    pub events: usize,
    pub skipped: usize,
    /// Near-duplicates of stored articles, left uncoded.
    pub copies: usize,
    pub secs: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rate = if self.secs > 0.0 {
            self.docs as f64 / self.secs
        } else {
            0.0
        };
        write!(
            f,
            "ingested {} documents ({} new, {} already present), {} events, {} skipped in {:.1} s ({:.1} docs/s); {} copies of stored articles left uncoded",
            self.docs, self.new, self.present, self.events, self.skipped, self.secs, rate, self.copies
        )
    }
}

/// What the writer thread is asked to do.
enum Msg {
    /// Documents, and for each whether the copy probe passed it as an original.
    Batch(Vec<Doc>, Vec<bool>),
    Skip(String, String),
}

/// Buffers annotated documents and hands them, a batch at a time, to a writer thread that owns
/// the store: annotation of the next batch overlaps the previous batch's transaction, so
/// storing costs little of the pipeline's throughput.
pub struct Ingester {
    tx: Option<SyncSender<Msg>>,
    writer: Option<JoinHandle<Result<(Store, Summary)>>>,
    buf: Vec<Doc>,
    probed: Vec<bool>,
    started: Instant,
}

fn writer(
    mut store: Store,
    rx: Receiver<Msg>,
    bar: ProgressBar,
    mut watch: Option<IngestHook>,
) -> Result<(Store, Summary)> {
    let mut sum = Summary::default();
    for msg in rx {
        match msg {
            Msg::Batch(docs, probed) => {
                let t = Instant::now();
                let ins = store
                    .insert_batch_probed(&docs, &probed)
                    .map_err(|e| anyhow!("{e}"))?;
                // Watch rules (#14): the one call per stored batch.
                if let Some(w) = &mut watch {
                    w.after_batch(&store, &docs, &ins);
                }
                pipeline::PROFILE.add_store(t.elapsed());
                for (doc, i) in docs.iter().zip(&ins) {
                    sum.docs += 1;
                    if i.new {
                        sum.new += 1;
                        sum.events += doc.events.len();
                    } else {
                        sum.present += 1;
                    }
                }
                bar.inc(docs.len() as u64);
            }
            Msg::Skip(source, reason) => {
                sum.skipped += 1;
                store
                    .record_skipped(&source, &reason)
                    .map_err(|e| anyhow!("{e}"))?;
            }
        }
    }
    store.flush().map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    if let Some(w) = &watch {
        eprintln!("{}", w.summary());
    }
    Ok((store, sum))
}

impl Ingester {
    pub fn new(store: Store) -> Ingester {
        Ingester::watched(store, None)
    }

    /// An ingester that evaluates watch rules after each stored batch.
    pub fn watched(store: Store, watch: Option<IngestHook>) -> Ingester {
        let bar = if std::io::stderr().is_terminal() {
            let b = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {pos} documents stored ({per_sec}), {elapsed} {msg}",
            ) {
                b.set_style(style);
            }
            b.enable_steady_tick(Duration::from_millis(120));
            b
        } else {
            ProgressBar::hidden()
        };
        // Two batches in flight at most: memory stays bounded when storing is the slow side.
        let (tx, rx) = sync_channel(2);
        // Named, so that a profile tells the writer's time from the pipeline's. A thread that
        // cannot start drops the receiver: the first batch then reports the writer stopped.
        let handle = std::thread::Builder::new()
            .name("wirecoder-store".into())
            .spawn(move || writer(store, rx, bar, watch))
            .ok();
        Ingester {
            tx: Some(tx),
            writer: handle,
            buf: Vec::with_capacity(BATCH),
            probed: Vec::with_capacity(BATCH),
            started: Instant::now(),
        }
    }

    fn send(&mut self, msg: Msg) -> Result<()> {
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send(msg).is_ok())
            .unwrap_or(false);
        if sent {
            return Ok(());
        }
        // The writer stopped: its error says why.
        match self.writer.take().map(|h| h.join()) {
            Some(Ok(Err(e))) => Err(e),
            _ => Err(anyhow!("the database writer stopped")),
        }
    }

    pub fn push(&mut self, doc: Doc) -> Result<()> {
        self.push_probed(doc, false)
    }

    /// [`Ingester::push`] for a document that the copy probe passed as an original (the
    /// store then need not look it up again; see `Store::insert_batch_probed`).
    pub fn push_probed(&mut self, doc: Doc, original: bool) -> Result<()> {
        self.buf.push(doc);
        self.probed.push(original);
        if self.buf.len() >= BATCH {
            let batch = std::mem::replace(&mut self.buf, Vec::with_capacity(BATCH));
            let probed = std::mem::replace(&mut self.probed, Vec::with_capacity(BATCH));
            self.send(Msg::Batch(batch, probed))?;
        }
        Ok(())
    }

    pub fn skip(&mut self, source: &str, reason: &str) -> Result<()> {
        self.send(Msg::Skip(source.to_string(), reason.to_string()))
    }

    /// Stores what is left, waits for the writer and gives the store back.
    pub fn finish(mut self) -> Result<(Store, Summary)> {
        if !self.buf.is_empty() {
            let batch = std::mem::take(&mut self.buf);
            let probed = std::mem::take(&mut self.probed);
            self.send(Msg::Batch(batch, probed))?;
        }
        drop(self.tx.take());
        let handle = self
            .writer
            .take()
            .ok_or_else(|| anyhow!("the database writer stopped"))?;
        let (store, mut sum) = handle
            .join()
            .map_err(|_| anyhow!("the database writer panicked"))??;
        sum.secs = self.started.elapsed().as_secs_f64();
        Ok((store, sum))
    }
}

/// Feeds `paths` through the pipeline into `ing`.
pub fn ingest_paths(
    ing: &RefCell<Ingester>,
    annotator: &Annotator,
    paths: &[String],
    published: Option<&str>,
) -> Result<Counts> {
    pipeline::run_batch_for_store(
        paths,
        published,
        Some(annotator),
        |doc, original| ing.borrow_mut().push_probed(doc, original),
        |source, reason| ing.borrow_mut().skip(source, reason),
    )
}

pub fn run(db: &str, paths: &[String], published: Option<&str>) -> Result<Summary> {
    let mut annotator = Annotator::new()?;
    let store = open_store(db)?;
    // Syndicated copies are found before coding; `WIRECODER_DEDUP=0` codes every document
    // (the store then links nothing either).
    let dedup = std::env::var("WIRECODER_DEDUP").map_or(true, |v| v != "0");
    let mut store = store;
    store.set_link_duplicates(dedup);
    if dedup {
        annotator.skip_copies(pipeline::CopyProbe::open(db)?);
    }
    let watch = IngestHook::open(db)?;
    // After the watch tables exist (opening them may write): the store trusts the probe's
    // verdicts only while no other connection writes.
    store.begin_probing();
    let ing = RefCell::new(Ingester::watched(store, watch));
    let counts = ingest_paths(&ing, &annotator, paths, published);
    // Store what was annotated before a failure, then report the failure.
    let (_, mut sum) = ing.into_inner().finish()?;
    let counts = counts?;
    sum.copies = annotator.copies_found();
    eprintln!("{sum}");
    pipeline::check_counts(counts)?;
    Ok(sum)
}
