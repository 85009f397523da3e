//! `wirecoder enqueue`, `worker` and `status`: scale out over a NATS JetStream work queue
//! (the `wirecoder-queue` crate), with every worker writing to one shared store.

use super::{open_store, stdout, write_json};
use crate::pipeline::{self, Annotator, Counts};
use crate::render::table;
use anyhow::{anyhow, Context, Result};
use std::io::Write;
use std::time::{Duration, Instant};
use wirecoder_doc::Doc;
use wirecoder_queue::{Handler, Job, Outcome, Queue, WorkSummary, WorkerSettings};
use wirecoder_store::{Store, StoreError};

/// Where the queue is: the options every queue command shares.
#[derive(Debug, clap::Args)]
pub struct QueueArgs {
    /// NATS server with JetStream enabled.
    #[arg(long, default_value = "nats://127.0.0.1:4222", value_name = "URL")]
    pub nats: String,
    /// Queue name: streams NAME_DOCS and NAME_DEAD, subjects NAME.docs.> and NAME.dead,
    /// consumer NAME-workers (letters, digits, `_`, `-`).
    #[arg(long, default_value = "wirecoder", value_name = "NAME")]
    pub queue: String,
}

/// `wirecoder enqueue`.
#[derive(Debug, clap::Args)]
pub struct EnqueueArgs {
    #[command(flatten)]
    pub q: QueueArgs,
    /// Publication date of the inputs (ISO 8601), overriding what they say.
    #[arg(long, value_name = "DATE", value_parser = crate::cli::parse_date)]
    pub published: Option<String>,
    /// Files, folders or glob patterns; `-` reads stdin. WARC archives, feeds and JSONL files
    /// are split: one message per document.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
}

/// `wirecoder worker`.
#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub q: QueueArgs,
    /// The shared store: a `postgres://user@host/db` URL (a SQLite path works for workers on
    /// one machine).
    #[arg(long, value_name = "URL")]
    pub db: String,
    /// Documents pulled, annotated and stored in one transaction at a time.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub batch: usize,
    /// Deliveries of one document before it goes to the dead letters.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub max_attempts: u32,
    /// Seconds JetStream waits for a worker's acknowledgement before handing the document to
    /// another: above the time one batch takes. Applies to the queue (the last worker started
    /// sets it).
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub ack_wait: u64,
    /// Exit once nothing is waiting or in flight, instead of waiting for more work.
    #[arg(long)]
    pub until_empty: bool,
}

/// `wirecoder status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub q: QueueArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::cli::StatsFormat::Table)]
    pub format: crate::cli::StatsFormat,
    /// Seconds between the two readings the rate is measured over (0: no rate).
    #[arg(long, default_value_t = 2.0, value_name = "SECS")]
    pub sample: f64,
    /// Latest dead letters to list with their errors.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub dead: usize,
}

fn connect(q: &QueueArgs) -> Result<Queue> {
    Queue::connect(&q.nats, &q.queue).map_err(|e| anyhow!("{e}"))
}

/// Reads the inputs and publishes one message per document; a bad input is skipped, as in
/// `ingest`.
pub fn enqueue(args: &EnqueueArgs) -> Result<()> {
    let queue = connect(&args.q)?;
    let mut publisher = queue.publisher().map_err(|e| anyhow!("{e}"))?;
    let mut counts = Counts::default();
    for raw in wirecoder_ingest::read_inputs(&args.paths) {
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                let (source, reason) = pipeline::ingest_skip(e);
                eprintln!("wirecoder: skipped {source}: {reason}");
                counts.skipped += 1;
                continue;
            }
        };
        let job = Job {
            raw,
            published: args.published.clone(),
        };
        match publisher.publish(&job) {
            Ok(()) => counts.docs += 1,
            Err(e) if e.is_per_document() => {
                eprintln!("wirecoder: skipped {e}");
                counts.skipped += 1;
            }
            Err(e) => return Err(anyhow!("{e}")),
        }
    }
    let sum = publisher.finish().map_err(|e| anyhow!("{e}"))?;
    eprintln!(
        "enqueued {} documents on {} ({} new, {} already queued), {} skipped, {:.1} MB in {:.1} s",
        counts.docs,
        args.q.queue,
        sum.published,
        sum.duplicates,
        counts.skipped,
        sum.bytes as f64 / 1e6,
        sum.secs
    );
    pipeline::check_counts(counts)
}

/// What a worker stored, beside what the queue counts.
#[derive(Debug, Default)]
struct Stored {
    new: usize,
    present: usize,
    events: usize,
    skipped: usize,
}

/// The pipeline behind the queue: extract, annotate, store; the same steps `ingest` takes.
struct Pipeline {
    annotator: Annotator,
    db: String,
    /// Opened on first use and dropped after a database error, so the next batch reconnects.
    store: Option<Store>,
    /// Link near-duplicate articles to their original, as `ingest` does.
    dedup: bool,
    stored: Stored,
    /// Watch rules stored in the database, evaluated after each stored batch as `ingest` does.
    watch: Option<super::watch::IngestHook>,
}

impl Pipeline {
    fn store(&mut self) -> Result<&mut Store, String> {
        if self.store.is_none() {
            let mut store = open_store(&self.db).map_err(|e| format!("{e:#}"))?;
            store.set_link_duplicates(self.dedup);
            self.store = Some(store);
        }
        self.store
            .as_mut()
            .ok_or_else(|| "the database is not open".to_string())
    }

    /// Stores `docs` in one transaction; when that fails, one by one, so that one bad document
    /// costs only itself.
    fn insert(&mut self, docs: &[Doc]) -> Vec<Outcome> {
        let store = match self.store() {
            Ok(s) => s,
            Err(e) => return vec![Outcome::Retry(e); docs.len()],
        };
        match store.insert_batch(docs) {
            Ok(ins) => {
                if let (Some(w), Some(store)) = (&mut self.watch, &self.store) {
                    w.after_batch(store, docs, &ins);
                }
                for (doc, i) in docs.iter().zip(&ins) {
                    self.count(doc, i.new);
                }
                vec![Outcome::Done; docs.len()]
            }
            Err(_) if docs.len() > 1 => docs
                .iter()
                .map(|d| self.insert(std::slice::from_ref(d)).remove(0))
                .collect(),
            Err(e) => {
                let permanent = matches!(e, StoreError::InvalidDoc { .. });
                if !permanent {
                    // The connection may be gone: reopen before the next attempt.
                    self.store = None;
                }
                let reason = e.to_string();
                vec![if permanent {
                    Outcome::Fail(reason)
                } else {
                    Outcome::Retry(reason)
                }]
            }
        }
    }

    fn count(&mut self, doc: &Doc, new: bool) {
        if new {
            self.stored.new += 1;
            self.stored.events += doc.events.len();
        } else {
            self.stored.present += 1;
        }
    }
}

impl Handler for Pipeline {
    fn handle(&mut self, jobs: &[Job]) -> Vec<Outcome> {
        let mut outcomes = vec![Outcome::Done; jobs.len()];
        let mut docs = Vec::with_capacity(jobs.len());
        let mut owners = Vec::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            // The path `ingest` takes, one document at a time (each message carries its own
            // `--published`): extract, limits, annotate; a skip is printed there.
            let mut doc = None;
            let mut skip = None;
            let ran = pipeline::run_raws(
                std::iter::once(Ok(job.raw.clone())),
                job.published.as_deref(),
                Some(&self.annotator),
                |d| {
                    doc = Some(d);
                    Ok(())
                },
                |_, reason| {
                    skip = Some(reason.to_string());
                    Ok(())
                },
            );
            if let Err(e) = ran {
                outcomes[i] = Outcome::Retry(format!("{e:#}"));
                continue;
            }
            if let Some(d) = doc {
                docs.push(d);
                owners.push(i);
            } else if let Some(reason) = skip {
                // As in `ingest`: a document the pipeline cannot use is recorded as skipped,
                // not retried (it would fail the same way each time).
                let recorded = self
                    .store()
                    .and_then(|s| {
                        s.record_skipped(&job.raw.source, &reason)
                            .map_err(|e| e.to_string())
                    })
                    .map(|_| self.stored.skipped += 1);
                if let Err(e) = recorded {
                    self.store = None;
                    outcomes[i] = Outcome::Retry(e);
                }
            }
        }
        if !docs.is_empty() {
            for (o, &i) in self.insert(&docs).into_iter().zip(&owners) {
                outcomes[i] = o;
            }
        }
        outcomes
    }
}

/// Pulls documents until stopped (SIGTERM, SIGINT) or, with `--until-empty`, until the queue
/// is drained; prints progress and a summary on stderr.
pub fn worker(args: &WorkerArgs) -> Result<()> {
    if args.batch == 0 || args.max_attempts == 0 || args.ack_wait == 0 {
        anyhow::bail!("--batch, --max-attempts and --ack-wait must be at least 1");
    }
    let queue = connect(&args.q)?;
    let stop = queue.stop_on_signals().map_err(|e| anyhow!("{e}"))?;
    let mut annotator = Annotator::new()?;
    // As `ingest` does: syndicated copies are found before coding (through the shared store,
    // so across workers too); `WIRECODER_DEDUP=0` codes every document.
    let dedup = std::env::var("WIRECODER_DEDUP").map_or(true, |v| v != "0");
    if dedup {
        annotator.skip_copies(pipeline::CopyProbe::open(&args.db)?);
    }
    let mut handler = Pipeline {
        annotator,
        db: args.db.clone(),
        store: None,
        dedup,
        stored: Stored::default(),
        watch: super::watch::IngestHook::open(&args.db)?,
    };
    // Fail now on a wrong URL rather than with the first batch.
    handler
        .store()
        .map_err(|e| anyhow!(e))
        .with_context(|| format!("worker for queue {}", args.q.queue))?;
    let settings = WorkerSettings {
        batch: args.batch,
        max_attempts: args.max_attempts,
        ack_wait: Duration::from_secs(args.ack_wait),
        until_empty: args.until_empty,
        ..WorkerSettings::default()
    };
    eprintln!(
        "worker: pulling from {} at {} into {}",
        queue.names().docs_stream(),
        args.q.nats,
        redact(&args.db)
    );
    let mut last = Instant::now();
    let mut progress = |s: &WorkSummary| {
        if last.elapsed() >= Duration::from_secs(10) {
            last = Instant::now();
            eprintln!("worker: {} so far", line(s));
        }
    };
    let sum = queue
        .work(&settings, &mut handler, &stop, &mut progress)
        .map_err(|e| anyhow!("{e}"))?;
    if let Some(store) = handler.store.as_mut() {
        store.flush().map_err(|e| anyhow!("{e}"))?;
    }
    let st = &handler.stored;
    eprintln!(
        "worker: {}; {} new, {} already present, {} events, {} skipped",
        line(&sum),
        st.new,
        st.present,
        st.events,
        st.skipped
    );
    Ok(())
}

fn line(s: &WorkSummary) -> String {
    let rate = if s.secs > 0.0 {
        s.done as f64 / s.secs
    } else {
        0.0
    };
    format!(
        "{} documents done, {} retried, {} dead-lettered in {:.1} s ({rate:.1} docs/s)",
        s.done, s.retried, s.dead, s.secs
    )
}

/// The URL without its password, for log lines.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(p), Some(at)) if at > p => {
            let creds = &url[p + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..p + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Prints the queue's counters, the rate over a short sample and the latest dead letters.
pub fn status(args: &StatusArgs) -> Result<()> {
    if !(0.0..=600.0).contains(&args.sample) {
        anyhow::bail!("--sample must be between 0 and 600 seconds");
    }
    let queue = connect(&args.q)?;
    let s = queue
        .status(Duration::from_secs_f64(args.sample), args.dead)
        .map_err(|e| anyhow!("{e}"))?;
    let mut out = stdout();
    match args.format {
        crate::cli::StatsFormat::Json => write_json(&mut out, &serde_json::to_value(&s)?, false)?,
        crate::cli::StatsFormat::Table => {
            let rows: Vec<Vec<String>> = [
                ("backlog", s.backlog.to_string()),
                ("in flight", s.in_flight.to_string()),
                ("redelivered", s.redelivered.to_string()),
                ("done", s.done.to_string()),
                ("dead letters", s.dead.to_string()),
                ("idle pulls", s.waiting_pulls.to_string()),
                (
                    "rate (docs/s)",
                    if s.sample_secs > 0.0 {
                        format!("{:.1} over {:.1} s", s.rate, s.sample_secs)
                    } else {
                        "-".into()
                    },
                ),
            ]
            .into_iter()
            .map(|(k, v)| vec![k.to_string(), v])
            .collect();
            let head = format!("queue {}", s.queue);
            write!(out, "{}", table(&[head.as_str(), "value"], &rows))?;
            if !s.dead_letters.is_empty() {
                let rows: Vec<Vec<String>> = s
                    .dead_letters
                    .iter()
                    .map(|d| {
                        vec![
                            d.seq.to_string(),
                            d.source.clone().unwrap_or_default(),
                            d.attempts.to_string(),
                            d.error.clone(),
                        ]
                    })
                    .collect();
                writeln!(out)?;
                write!(
                    out,
                    "{}",
                    table(&["dead", "source", "attempts", "error"], &rows)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_log_lines() {
        assert_eq!(
            redact("postgres://wc:secret@db1:5432/news"),
            "postgres://wc:***@db1:5432/news"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
