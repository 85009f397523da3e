//! How a queue stands: what waits, what is in flight, what failed, how fast it drains.

use crate::message;
use crate::{Queue, QueueError};
use std::time::{Duration, Instant};

/// A snapshot of one queue, with a rate measured over a short sample.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Status {
    /// The queue name.
    pub queue: String,
    /// Documents in the stream: waiting, in flight, or out of deliveries.
    pub stored: u64,
    /// Documents no worker has taken yet.
    pub backlog: u64,
    /// Documents a worker holds and has not acknowledged (or that a dead worker held, until
    /// their ack wait runs out).
    pub in_flight: u64,
    /// Documents delivered more than once (a worker failed or died with them).
    pub redelivered: u64,
    /// Documents processed and acknowledged since the stream was created.
    pub done: u64,
    /// Dead letters kept.
    pub dead: u64,
    /// Workers waiting for messages right now (idle pull requests).
    pub waiting_pulls: u64,
    /// Documents acknowledged per second over the sample.
    pub rate: f64,
    /// Length of the sample in seconds.
    pub sample_secs: f64,
    /// The latest dead letters, newest first.
    pub dead_letters: Vec<DeadLetter>,
}

/// One message the workers gave up on.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DeadLetter {
    /// Sequence in the dead-letter stream.
    pub seq: u64,
    /// The document's source, when its message said.
    pub source: Option<String>,
    /// Why it was given up.
    pub error: String,
    /// How many times it had been delivered.
    pub attempts: u64,
    /// The subject it had been published on.
    pub subject: Option<String>,
    /// Payload size in bytes.
    pub bytes: usize,
}

/// Counters read at one instant.
struct Snapshot {
    stored: u64,
    last_seq: u64,
    backlog: u64,
    in_flight: u64,
    redelivered: u64,
    waiting: u64,
    dead: u64,
    dead_first: u64,
    dead_last: u64,
}

impl Queue {
    async fn snapshot(&self) -> Result<Snapshot, QueueError> {
        let mut docs = self
            .js
            .get_stream(self.names.docs_stream())
            .await
            .map_err(|e| self.err("no documents stream (nothing was enqueued yet?)", e))?;
        let info = docs
            .info()
            .await
            .map_err(|e| self.err("cannot read the documents stream", e))?
            .clone();
        let mut s = Snapshot {
            stored: info.state.messages,
            last_seq: info.state.last_sequence,
            // Until a worker has created the consumer, everything stored is waiting.
            backlog: info.state.messages,
            in_flight: 0,
            redelivered: 0,
            waiting: 0,
            dead: 0,
            dead_first: 0,
            dead_last: 0,
        };
        if let Ok(c) = docs.consumer_info(self.names.consumer()).await {
            s.backlog = c.num_pending;
            s.in_flight = c.num_ack_pending as u64;
            s.redelivered = c.num_redelivered as u64;
            s.waiting = c.num_waiting as u64;
        }
        if let Ok(mut dead) = self.js.get_stream(self.names.dead_stream()).await {
            if let Ok(i) = dead.info().await {
                s.dead = i.state.messages;
                s.dead_first = i.state.first_sequence;
                s.dead_last = i.state.last_sequence;
            }
        }
        Ok(s)
    }

    /// Reads the queue's counters twice, `sample` apart, for the rate; the latest `letters`
    /// dead letters are listed with their errors.
    pub fn status(&self, sample: Duration, letters: usize) -> Result<Status, QueueError> {
        self.rt.block_on(async {
            let t0 = Instant::now();
            let a = self.snapshot().await?;
            let b = if sample.is_zero() {
                None
            } else {
                tokio::time::sleep(sample).await;
                Some(self.snapshot().await?)
            };
            let secs = t0.elapsed().as_secs_f64();
            // Work-queue retention: a message leaves the stream when acknowledged, so what
            // was ever published less what is stored is what was done.
            let done = |s: &Snapshot| s.last_seq.saturating_sub(s.stored);
            let rate = match &b {
                Some(b) if secs > 0.0 => done(b).saturating_sub(done(&a)) as f64 / secs,
                _ => 0.0,
            };
            let s = b.unwrap_or(a);
            let dead_letters = self.dead_letters(&s, letters).await;
            Ok(Status {
                queue: self.names.name().to_string(),
                stored: s.stored,
                backlog: s.backlog,
                in_flight: s.in_flight,
                redelivered: s.redelivered,
                done: done(&s),
                dead: s.dead,
                waiting_pulls: s.waiting,
                rate,
                sample_secs: if sample.is_zero() { 0.0 } else { secs },
                dead_letters,
            })
        })
    }

    /// The latest `n` dead letters, newest first (a deleted one is passed over).
    async fn dead_letters(&self, s: &Snapshot, n: usize) -> Vec<DeadLetter> {
        let mut out = Vec::new();
        if n == 0 || s.dead == 0 {
            return out;
        }
        let Ok(stream) = self.js.get_stream(self.names.dead_stream()).await else {
            return out;
        };
        let mut seq = s.dead_last;
        while seq >= s.dead_first.max(1) && out.len() < n {
            if let Ok(m) = stream.get_raw_message(seq).await {
                let get = |k: &str| m.headers.get(k).map(|v| v.as_str().to_string());
                out.push(DeadLetter {
                    seq,
                    source: get(message::SOURCE),
                    error: get(message::ERROR).unwrap_or_default(),
                    attempts: get(message::ATTEMPTS)
                        .and_then(|a| a.parse().ok())
                        .unwrap_or(0),
                    subject: get(message::SUBJECT),
                    bytes: m.payload.len(),
                });
            }
            seq -= 1;
        }
        out
    }
}
