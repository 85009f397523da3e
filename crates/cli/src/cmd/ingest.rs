//! `wirecoder ingest`: annotate documents and store them, in batches.

use super::open_store;
use crate::pipeline::{self, Annotator, Counts};
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};
use wirecoder_doc::Doc;
use wirecoder_store::Store;

/// Documents per transaction: large enough to amortize the commit, small enough that an
/// interrupted run loses little.
const BATCH: usize = 64;

/// What an ingest run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub docs: usize,
    pub new: usize,
    pub present: usize,
    pub events: usize,
    pub skipped: usize,
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
            "ingested {} documents ({} new, {} already present), {} events, {} skipped in {:.1} s ({:.1} docs/s)",
            self.docs, self.new, self.present, self.events, self.skipped, self.secs, rate
        )
    }
}

/// Buffers annotated documents and writes them to the store a batch at a time.
pub struct Ingester<'a> {
    store: &'a mut Store,
    buf: Vec<Doc>,
    sum: Summary,
    bar: ProgressBar,
    started: Instant,
}

impl<'a> Ingester<'a> {
    pub fn new(store: &'a mut Store) -> Ingester<'a> {
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
        Ingester {
            store,
            buf: Vec::with_capacity(BATCH),
            sum: Summary::default(),
            bar,
            started: Instant::now(),
        }
    }

    pub fn push(&mut self, doc: Doc) -> Result<()> {
        self.buf.push(doc);
        if self.buf.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    pub fn skip(&mut self, source: &str, reason: &str) -> Result<()> {
        self.sum.skipped += 1;
        self.store
            .record_skipped(source, reason)
            .map_err(|e| anyhow!("{e}"))?;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let ins = self
            .store
            .insert_batch(&self.buf)
            .map_err(|e| anyhow!("{e}"))?;
        for (doc, i) in self.buf.iter().zip(&ins) {
            self.sum.docs += 1;
            if i.new {
                self.sum.new += 1;
                self.sum.events += doc.events.len();
            } else {
                self.sum.present += 1;
            }
        }
        self.bar.inc(self.buf.len() as u64);
        self.buf.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<Summary> {
        self.flush()?;
        self.store.flush().map_err(|e| anyhow!("{e}"))?;
        self.bar.finish_and_clear();
        self.sum.secs = self.started.elapsed().as_secs_f64();
        Ok(self.sum)
    }
}

/// Feeds `paths` through the pipeline into `ing`.
pub fn ingest_paths(
    ing: &RefCell<Ingester<'_>>,
    annotator: &Annotator,
    paths: &[String],
    published: Option<&str>,
) -> Result<Counts> {
    pipeline::run_batch(
        paths,
        published,
        Some(annotator),
        |doc| ing.borrow_mut().push(doc),
        |source, reason| ing.borrow_mut().skip(source, reason),
    )
}

pub fn run(db: &str, paths: &[String], published: Option<&str>) -> Result<Summary> {
    let annotator = Annotator::new()?;
    let mut store = open_store(db)?;
    let ing = RefCell::new(Ingester::new(&mut store));
    let counts = ingest_paths(&ing, &annotator, paths, published);
    // Store what was annotated before a failure, then report the failure.
    let sum = ing.into_inner().finish()?;
    let counts = counts?;
    eprintln!("{sum}");
    pipeline::check_counts(counts)?;
    Ok(sum)
}
