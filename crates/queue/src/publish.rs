//! Enqueueing: one document a message, acknowledgements awaited in a window so that publishing
//! is not one round trip per document.

use crate::{Job, Queue, QueueError};
use async_nats::jetstream::context::PublishAckFuture;
use std::collections::VecDeque;
use std::future::IntoFuture;
use std::time::Instant;

/// Publishes awaiting acknowledgement at most; beyond it, the oldest is awaited first.
const WINDOW: usize = 256;

/// What an enqueue run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, serde::Serialize)]
pub struct EnqueueSummary {
    /// Documents stored by JetStream.
    pub published: usize,
    /// Documents JetStream already had (same content id within the duplicate window).
    pub duplicates: usize,
    /// Bytes of payload sent.
    pub bytes: usize,
    /// Seconds from the first publish to the last acknowledgement.
    pub secs: f64,
}

/// Publishes [`Job`]s on a queue; see [`Queue::publisher`].
pub struct Publisher<'q> {
    q: &'q Queue,
    pending: VecDeque<(String, PublishAckFuture)>,
    sum: EnqueueSummary,
    max_payload: usize,
    started: Instant,
}

impl Queue {
    /// A publisher for this queue; the streams are created first when missing.
    pub fn publisher(&self) -> Result<Publisher<'_>, QueueError> {
        self.ensure_streams()?;
        let max_payload = self.client.server_info().max_payload;
        Ok(Publisher {
            q: self,
            pending: VecDeque::new(),
            sum: EnqueueSummary::default(),
            max_payload,
            started: Instant::now(),
        })
    }
}

impl Publisher<'_> {
    /// Publishes one document. A document larger than the server's maximum payload is refused
    /// with a [`QueueError::Document`] (the caller skips it and goes on); other errors mean the
    /// server or connection failed.
    pub fn publish(&mut self, job: &Job) -> Result<(), QueueError> {
        let headers = job.headers()?;
        let size = job.raw.text.len();
        // Headers count towards the limit too; leave them a generous margin.
        if size + 4096 > self.max_payload {
            return Err(QueueError::Document {
                source_name: job.raw.source.clone(),
                reason: format!(
                    "{size} bytes is more than the NATS server's max_payload ({} bytes)",
                    self.max_payload
                ),
            });
        }
        let subject = self.q.names.docs_subject(job.subject_suffix());
        let payload = job.raw.text.clone().into_bytes();
        let fut = self.q.rt.block_on(async {
            self.q
                .js
                .publish_with_headers(subject, headers, payload.into())
                .await
                .map_err(|e| self.q.err(&format!("cannot publish {}", job.raw.source), e))
        })?;
        self.sum.bytes += size;
        self.pending.push_back((job.raw.source.clone(), fut));
        while self.pending.len() > WINDOW {
            self.await_oldest()?;
        }
        Ok(())
    }

    fn await_oldest(&mut self) -> Result<(), QueueError> {
        let Some((source, fut)) = self.pending.pop_front() else {
            return Ok(());
        };
        let ack = self.q.rt.block_on(fut.into_future()).map_err(|e| {
            self.q
                .err(&format!("JetStream did not acknowledge {source}"), e)
        })?;
        if ack.duplicate {
            self.sum.duplicates += 1;
        } else {
            self.sum.published += 1;
        }
        Ok(())
    }

    /// Waits for every acknowledgement and says what was done.
    pub fn finish(mut self) -> Result<EnqueueSummary, QueueError> {
        while !self.pending.is_empty() {
            self.await_oldest()?;
        }
        self.sum.secs = self.started.elapsed().as_secs_f64();
        Ok(self.sum)
    }
}
