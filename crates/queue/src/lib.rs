//! wirecoder-queue: the "scale out" stage. Documents go onto a NATS JetStream work queue;
//! workers on any number of machines pull them, run the pipeline and write to one shared store.
//!
//! wirecoder does not invent a cluster: JetStream keeps the work durable and hands each message
//! to one worker at a time; the store (PostgreSQL) is idempotent by content hash. A worker acks
//! a message only after the transaction holding its document has committed, so delivery is at
//! least once and the effect exactly once: a worker killed mid-batch leaves its messages
//! unacknowledged, JetStream redelivers them after the ack wait, and storing them again adds
//! nothing.
//!
//! Main items:
//! - [`Queue`]: a connection to one named queue ([`Names`]: its streams, subjects, consumer),
//!   created on first use.
//! - [`Publisher`] (from [`Queue::publisher`]): publishes [`Job`]s, one document a message,
//!   with a `Nats-Msg-Id` of the content hash so that JetStream drops re-enqueued documents.
//! - [`Queue::work`]: the worker loop around a [`Handler`] (the caller's pipeline), with
//!   redelivery, dead letters ([`Outcome`], [`DeadLetter`]) and graceful stop ([`StopFlag`]).
//! - [`Queue::status`]: backlog, in-flight, redelivered, dead letters, rate ([`Status`]).
//!
//! The API is blocking: the queue owns a small tokio runtime for the NATS client, so the
//! caller's pipeline and database code run on plain threads.
//!
//! ```
//! use wirecoder_queue::Names;
//! let n = Names::new("wirecoder")?;
//! assert_eq!(n.docs_stream(), "WIRECODER_DOCS");
//! assert_eq!(n.docs_filter(), "wirecoder.docs.>");
//! assert_eq!(n.dead_subject(), "wirecoder.dead");
//! assert_eq!(n.consumer(), "wirecoder-workers");
//! assert!(Names::new("no.dots").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod message;
mod publish;
mod status;
mod worker;

pub use message::Job;
pub use publish::{EnqueueSummary, Publisher};
pub use status::{DeadLetter, Status};
pub use worker::{Handler, Outcome, StopFlag, WorkSummary, WorkerSettings};

use async_nats::jetstream::{self, stream};
use std::time::Duration;
use tokio::runtime::Runtime;

/// What can go wrong talking to the queue.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// The queue name cannot name streams and subjects.
    #[error("bad queue name {name:?}: {reason}")]
    Name {
        /// The name given.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// The NATS server did not answer or refused the connection.
    #[error("cannot connect to NATS at {url}: {reason}")]
    Connect {
        /// The server URL.
        url: String,
        /// The client's error.
        reason: String,
    },
    /// A JetStream request failed.
    #[error("{what} (queue {queue}): {reason}")]
    Nats {
        /// The queue name.
        queue: String,
        /// What was being done.
        what: String,
        /// The server's or client's error.
        reason: String,
    },
    /// One document cannot be published (it is skipped; the others go on).
    #[error("{source_name}: {reason}")]
    Document {
        /// The input the document came from.
        source_name: String,
        /// Why it cannot be published.
        reason: String,
    },
    /// The runtime for the NATS client could not start.
    #[error("cannot start the NATS client runtime: {0}")]
    Runtime(String),
}

impl QueueError {
    /// True when the error concerns one document only, so a batch goes on without it.
    pub fn is_per_document(&self) -> bool {
        matches!(self, QueueError::Document { .. })
    }
}

/// The streams, subjects and consumer of one queue, all derived from its name, so that several
/// queues (a test's, a backfill's) can share one NATS server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    name: String,
}

impl Names {
    /// `name` must be ASCII letters, digits, `_` or `-` (it becomes part of stream names and
    /// subjects, where `.`, `*`, `>` and spaces mean something).
    pub fn new(name: &str) -> Result<Names, QueueError> {
        let bad = |reason: &str| QueueError::Name {
            name: name.to_string(),
            reason: reason.to_string(),
        };
        if name.is_empty() {
            return Err(bad("empty"));
        }
        if name.len() > 64 {
            return Err(bad("longer than 64 characters"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad("use only ASCII letters, digits, '_' and '-'"));
        }
        Ok(Names {
            name: name.to_string(),
        })
    }

    /// The queue name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The work-queue stream holding documents not yet processed: `NAME_DOCS`, uppercased.
    pub fn docs_stream(&self) -> String {
        format!("{}_DOCS", self.name.to_ascii_uppercase().replace('-', "_"))
    }

    /// The subjects of the documents stream: `NAME.docs.>`.
    pub fn docs_filter(&self) -> String {
        format!("{}.docs.>", self.name)
    }

    /// The subject of a document in format `suffix` (`html`, `text`, `body`).
    pub fn docs_subject(&self, suffix: &str) -> String {
        format!("{}.docs.{suffix}", self.name)
    }

    /// The stream keeping dead letters: `NAME_DEAD`, uppercased.
    pub fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.name.to_ascii_uppercase().replace('-', "_"))
    }

    /// The subject dead letters are published on: `NAME.dead`.
    pub fn dead_subject(&self) -> String {
        format!("{}.dead", self.name)
    }

    /// The durable pull consumer every worker shares: `NAME-workers`.
    pub fn consumer(&self) -> String {
        format!("{}-workers", self.name)
    }
}

/// How long JetStream remembers message ids to drop re-enqueued documents. Long enough to
/// cover rerunning an interrupted enqueue; the store drops older repeats anyway.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(20 * 60);

/// A connection to one queue on a NATS server.
pub struct Queue {
    // Declared before the runtime so that it is dropped while the runtime still runs.
    js: jetstream::Context,
    client: async_nats::Client,
    names: Names,
    url: String,
    rt: Runtime,
}

impl Queue {
    /// Connects to the NATS server at `url` (`nats://host:4222`, or `host:port`) for the queue
    /// named `name`. Nothing is created yet.
    pub fn connect(url: &str, name: &str) -> Result<Queue, QueueError> {
        let names = Names::new(name)?;
        // One thread drives the connection (pings, acks, pull requests) while the caller's
        // thread runs the pipeline.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wirecoder-nats")
            .enable_all()
            .build()
            .map_err(|e| QueueError::Runtime(e.to_string()))?;
        let client = rt
            .block_on(
                async_nats::ConnectOptions::new()
                    .name("wirecoder")
                    .connection_timeout(Duration::from_secs(5))
                    .connect(url),
            )
            .map_err(|e| QueueError::Connect {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        // The JetStream context spawns its acknowledgement task: inside the runtime.
        let js = {
            let _guard = rt.enter();
            jetstream::new(client.clone())
        };
        Ok(Queue {
            js,
            client,
            names,
            url: url.to_string(),
            rt,
        })
    }

    /// The queue's names.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The server URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> QueueError {
        QueueError::Nats {
            queue: self.names.name.clone(),
            what: what.to_string(),
            reason: e.to_string(),
        }
    }

    /// Creates the documents and dead-letter streams when they do not exist yet.
    ///
    /// Documents use work-queue retention (a message is removed once acknowledged) on file
    /// storage; dead letters are kept until someone deletes them.
    pub fn ensure_streams(&self) -> Result<(), QueueError> {
        let docs = stream::Config {
            name: self.names.docs_stream(),
            subjects: vec![self.names.docs_filter()],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: DUPLICATE_WINDOW,
            description: Some("wirecoder documents waiting for a worker".into()),
            ..Default::default()
        };
        let dead = stream::Config {
            name: self.names.dead_stream(),
            subjects: vec![self.names.dead_subject()],
            retention: stream::RetentionPolicy::Limits,
            storage: stream::StorageType::File,
            description: Some("wirecoder documents the workers gave up on, with the error".into()),
            ..Default::default()
        };
        self.rt.block_on(async {
            self.js
                .get_or_create_stream(docs)
                .await
                .map_err(|e| self.err("cannot create the documents stream", e))?;
            self.js
                .get_or_create_stream(dead)
                .await
                .map_err(|e| self.err("cannot create the dead-letter stream", e))?;
            Ok(())
        })
    }

    /// Deletes both streams (and so the consumer): the queue and its dead letters are gone.
    /// Streams that do not exist are not an error.
    pub fn delete(&self) -> Result<(), QueueError> {
        self.rt.block_on(async {
            for s in [self.names.docs_stream(), self.names.dead_stream()] {
                if self.js.get_stream(&s).await.is_ok() {
                    self.js
                        .delete_stream(&s)
                        .await
                        .map_err(|e| self.err(&format!("cannot delete stream {s}"), e))?;
                }
            }
            Ok(())
        })
    }

    /// Publishes one raw message on the documents subject `docs.SUFFIX`, headers and payload
    /// as given, and waits for JetStream to store it. For tools and tests that need a message
    /// [`Publisher`] would never write (a malformed one).
    pub fn publish_raw(
        &self,
        suffix: &str,
        headers: async_nats::HeaderMap,
        payload: Vec<u8>,
    ) -> Result<(), QueueError> {
        let subject = self.names.docs_subject(suffix);
        self.rt.block_on(async {
            self.js
                .publish_with_headers(subject, headers, payload.into())
                .await
                .map_err(|e| self.err("cannot publish", e))?
                .await
                .map_err(|e| self.err("publish not acknowledged", e))?;
            Ok(())
        })
    }
}

/// Re-exported so callers can build headers for [`Queue::publish_raw`] without depending on
/// the client crate.
pub use async_nats::HeaderMap;
