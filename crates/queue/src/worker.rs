//! The worker loop: pull a batch, hand it to the caller's pipeline, then acknowledge, retry or
//! dead-letter each message according to its outcome.

use crate::message::{self, Job};
use crate::{Queue, QueueError};
use async_nats::jetstream::consumer::{pull, AckPolicy, PullConsumer};
use async_nats::jetstream::{AckKind, Message};
use async_nats::HeaderMap;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The caller's pipeline: turns jobs into stored documents.
pub trait Handler {
    /// Processes one batch and returns one [`Outcome`] per job, in order. It must return only
    /// after what it reports as [`Outcome::Done`] is durably stored: the messages are
    /// acknowledged right after, and an acknowledged message is never delivered again.
    fn handle(&mut self, jobs: &[Job]) -> Vec<Outcome>;
}

/// What became of one job.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Stored (or deliberately skipped and recorded): acknowledge.
    Done,
    /// Failed in a way that may pass (a database error): deliver again later, until the
    /// attempts run out, then dead-letter with this error.
    Retry(String),
    /// Can never succeed: dead-letter now with this error.
    Fail(String),
}

/// How a worker consumes.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Messages pulled (and stored in one transaction) at a time.
    pub batch: usize,
    /// Deliveries of one message before it goes to the dead letters.
    pub max_attempts: u32,
    /// How long JetStream waits for an acknowledgement before delivering a message to another
    /// worker: longer than a batch takes, short enough that a dead worker's work moves on soon.
    pub ack_wait: Duration,
    /// Exit once nothing is waiting or in flight (a backfill, a test); otherwise wait for more.
    pub until_empty: bool,
    /// How long one pull waits for messages.
    pub pull_wait: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            batch: 16,
            max_attempts: 5,
            ack_wait: Duration::from_secs(60),
            until_empty: false,
            pull_wait: Duration::from_secs(1),
        }
    }
}

/// What a worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WorkSummary {
    /// Messages acknowledged after their job was done.
    pub done: usize,
    /// Messages handed back for another attempt.
    pub retried: usize,
    /// Messages moved to the dead letters.
    pub dead: usize,
    /// Seconds spent.
    pub secs: f64,
}

/// Set when the worker should stop pulling: on SIGTERM or SIGINT (see
/// [`Queue::stop_on_signals`]) or by the caller.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// Asks the worker to stop after the batch in hand.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once a stop was asked for.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Consecutive failed pulls before the worker gives up (about a minute: NATS reconnects on
/// its own in the meantime).
const MAX_PULL_FAILURES: u32 = 60;

impl Queue {
    /// A stop flag set by SIGTERM or SIGINT. A second signal exits at once (status 130): the
    /// unacknowledged messages are delivered again to another worker.
    pub fn stop_on_signals(&self) -> Result<StopFlag, QueueError> {
        use tokio::signal::unix::{signal, SignalKind};
        let flag = StopFlag::default();
        let _guard = self.rt.enter();
        let seen = Arc::new(AtomicUsize::new(0));
        for kind in [SignalKind::terminate(), SignalKind::interrupt()] {
            let mut s = signal(kind).map_err(|e| QueueError::Runtime(e.to_string()))?;
            let flag = flag.clone();
            let seen = seen.clone();
            self.rt.spawn(async move {
                while s.recv().await.is_some() {
                    if seen.fetch_add(1, Ordering::SeqCst) > 0 {
                        std::process::exit(130);
                    }
                    eprintln!(
                        "wirecoder: stopping after the batch in hand (signal again to quit now)"
                    );
                    flag.stop();
                }
            });
        }
        Ok(flag)
    }

    /// The shared durable consumer, created (or its settings updated) as `settings` say.
    fn consumer(&self, settings: &WorkerSettings) -> Result<PullConsumer, QueueError> {
        let config = pull::Config {
            durable_name: Some(self.names.consumer()),
            description: Some("wirecoder workers".into()),
            ack_policy: AckPolicy::Explicit,
            ack_wait: settings.ack_wait,
            // One delivery more than the attempts: the last one only moves the message to the
            // dead letters, so a document that kills every worker it meets still ends there.
            max_deliver: i64::from(settings.max_attempts) + 1,
            max_ack_pending: 10_000,
            ..Default::default()
        };
        let stream = self.names.docs_stream();
        self.rt.block_on(async {
            self.js
                .create_consumer_on_stream(config, &stream)
                .await
                .map_err(|e| self.err("cannot create the workers' consumer", e))
        })
    }

    /// Pulls and processes batches until `stop` is set (or, with `until_empty`, until nothing
    /// is waiting or in flight), calling `progress` after each batch.
    pub fn work(
        &self,
        settings: &WorkerSettings,
        handler: &mut dyn Handler,
        stop: &StopFlag,
        progress: &mut dyn FnMut(&WorkSummary),
    ) -> Result<WorkSummary, QueueError> {
        self.ensure_streams()?;
        let consumer = self.consumer(settings)?;
        let started = Instant::now();
        let mut sum = WorkSummary::default();
        let mut failures = 0u32;
        while !stop.is_set() {
            let msgs = match self.pull(&consumer, settings) {
                Ok(m) => {
                    failures = 0;
                    m
                }
                Err(e) => {
                    failures += 1;
                    if failures >= MAX_PULL_FAILURES {
                        return Err(e);
                    }
                    eprintln!("wirecoder: {e}; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            if msgs.is_empty() {
                if settings.until_empty && self.drained(&consumer)? {
                    break;
                }
                continue;
            }
            self.process(settings, handler, msgs, &mut sum);
            sum.secs = started.elapsed().as_secs_f64();
            progress(&sum);
        }
        // Acks are fire-and-forget publishes: make sure they left before the process does.
        self.rt
            .block_on(self.client.flush())
            .map_err(|e| self.err("cannot flush acknowledgements", e))?;
        sum.secs = started.elapsed().as_secs_f64();
        Ok(sum)
    }

    fn pull(
        &self,
        consumer: &PullConsumer,
        settings: &WorkerSettings,
    ) -> Result<Vec<Message>, QueueError> {
        self.rt.block_on(async {
            let mut batch = consumer
                .batch()
                .max_messages(settings.batch.max(1))
                .expires(settings.pull_wait)
                .messages()
                .await
                .map_err(|e| self.err("cannot pull", e))?;
            let mut out = Vec::new();
            while let Some(m) = batch.next().await {
                match m {
                    Ok(m) => out.push(m),
                    // What was received stays valid; an error ends this pull only.
                    Err(e) if out.is_empty() => return Err(self.err("cannot pull", e)),
                    Err(_) => break,
                }
            }
            Ok(out)
        })
    }

    /// Nothing waiting and nothing in flight anywhere (a dead worker's unacknowledged messages
    /// count as in flight until their ack wait runs out and they come back).
    fn drained(&self, consumer: &PullConsumer) -> Result<bool, QueueError> {
        let info = self
            .rt
            .block_on(consumer.get_info())
            .map_err(|e| self.err("cannot read the consumer's state", e))?;
        Ok(info.num_pending == 0 && info.num_ack_pending == 0)
    }

    fn process(
        &self,
        settings: &WorkerSettings,
        handler: &mut dyn Handler,
        msgs: Vec<Message>,
        sum: &mut WorkSummary,
    ) {
        // Decode first: a message that cannot be read goes to the dead letters without
        // costing the batch.
        let mut jobs = Vec::with_capacity(msgs.len());
        let mut owners = Vec::with_capacity(msgs.len());
        let mut verdicts: Vec<(usize, Outcome)> = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            let delivered = delivered(m);
            if delivered > i64::from(settings.max_attempts) {
                verdicts.push((
                    i,
                    Outcome::Fail(format!(
                        "no outcome after {} deliveries (the worker died or ran past the ack wait each time)",
                        delivered - 1
                    )),
                ));
                continue;
            }
            match Job::decode(m.headers.as_ref(), &m.payload) {
                Ok(j) => {
                    jobs.push(j);
                    owners.push(i);
                }
                Err(reason) => verdicts.push((i, Outcome::Fail(reason))),
            }
        }
        if !jobs.is_empty() {
            let outcomes = handler.handle(&jobs);
            for (k, &i) in owners.iter().enumerate() {
                let o = outcomes
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| Outcome::Retry("the pipeline returned no outcome".into()));
                verdicts.push((i, o));
            }
        }
        self.rt.block_on(async {
            for (i, outcome) in verdicts {
                let Some(m) = msgs.get(i) else { continue };
                match outcome {
                    Outcome::Done => {
                        if let Err(e) = m.ack().await {
                            // It comes back after the ack wait; storing it again adds nothing.
                            eprintln!("wirecoder: cannot acknowledge {}: {e}", source_of(m));
                        }
                        sum.done += 1;
                    }
                    Outcome::Retry(reason) if delivered(m) < i64::from(settings.max_attempts) => {
                        eprintln!(
                            "wirecoder: {} failed (attempt {}), will retry: {reason}",
                            source_of(m),
                            delivered(m)
                        );
                        // Back off a little more each attempt, so a database restart can pass.
                        let delay = Duration::from_secs(2u64.saturating_pow(delivered(m) as u32));
                        let _ = m.ack_with(AckKind::Nak(Some(delay))).await;
                        sum.retried += 1;
                    }
                    Outcome::Retry(reason) | Outcome::Fail(reason) => {
                        if self.dead_letter(m, &reason).await {
                            sum.dead += 1;
                        } else {
                            let _ = m.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))).await;
                            sum.retried += 1;
                        }
                    }
                }
            }
        });
    }

    /// Publishes `m` with its error to the dead letters, then acknowledges the original.
    /// False (and the original untouched) when the dead letter could not be stored.
    async fn dead_letter(&self, m: &Message, reason: &str) -> bool {
        let mut headers = m.headers.clone().unwrap_or_default();
        let attempts = delivered(m);
        headers.insert(message::ERROR, message::header_value(reason, 2048).as_str());
        headers.insert(message::ATTEMPTS, attempts.to_string());
        headers.insert(message::SUBJECT, m.subject.as_str());
        // Without the original's message id: the same document given up twice (enqueued
        // again later) is two dead letters, not one dropped as a duplicate.
        let mut clean = HeaderMap::new();
        for (name, values) in headers.iter() {
            let id: &str = async_nats::header::NATS_MESSAGE_ID.as_ref();
            let this: &str = name.as_ref();
            if !this.eq_ignore_ascii_case(id) {
                for v in values {
                    clean.append(name.clone(), v.clone());
                }
            }
        }
        let sent = match self
            .js
            .publish_with_headers(self.names.dead_subject(), clean, m.payload.clone())
            .await
        {
            Ok(fut) => fut.await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = sent {
            eprintln!("wirecoder: cannot dead-letter {}: {e}", source_of(m));
            return false;
        }
        eprintln!(
            "wirecoder: dead-lettered {} after {attempts} attempt(s): {}",
            source_of(m),
            message::header_value(reason, 300)
        );
        if let Err(e) = m.ack().await {
            eprintln!("wirecoder: cannot acknowledge {}: {e}", source_of(m));
        }
        true
    }
}

fn delivered(m: &Message) -> i64 {
    m.info().map(|i| i.delivered).unwrap_or(1)
}

fn source_of(m: &Message) -> String {
    m.headers
        .as_ref()
        .and_then(|h| h.get(message::SOURCE))
        .map(|v| v.as_str().to_string())
        .unwrap_or_else(|| format!("message on {}", m.subject))
}
