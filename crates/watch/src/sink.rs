//! Delivery of alerts: standard output, files (JSONL), local webhooks (HTTP POST).

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use serde_json::Value;

use crate::error::WatchError;
use crate::rule::Deliver;

/// Delivers alerts to their sinks. Files are opened once (append) and webhooks share one
/// HTTP agent with short timeouts, so that a dead endpoint costs seconds, not the ingest.
pub struct Delivery {
    stdout: Box<dyn Write + Send>,
    files: HashMap<String, std::fs::File>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery::new(Box::new(std::io::stdout()))
    }
}

impl Delivery {
    /// Delivery with `stdout` standing for standard output (tests pass a buffer).
    pub fn new(stdout: Box<dyn Write + Send>) -> Delivery {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(2)))
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        Delivery {
            stdout,
            files: HashMap::new(),
            agent,
        }
    }

    /// Sends one alert (its JSON) to one sink.
    pub fn send(&mut self, to: &Deliver, alert: &Value) -> Result<(), WatchError> {
        let fail = |reason: String| WatchError::Deliver {
            target: to.to_string(),
            reason,
        };
        match to {
            Deliver::Stdout => {
                let line = format!("{alert}\n");
                self.stdout
                    .write_all(line.as_bytes())
                    .and_then(|_| self.stdout.flush())
                    .map_err(|e| fail(e.to_string()))
            }
            Deliver::File(path) => {
                if !self.files.contains_key(path) {
                    let f = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                        .map_err(|e| fail(e.to_string()))?;
                    self.files.insert(path.clone(), f);
                }
                let line = format!("{alert}\n");
                match self.files.get_mut(path) {
                    // One write per line: appends from several processes do not interleave.
                    Some(f) => f
                        .write_all(line.as_bytes())
                        .map_err(|e| fail(e.to_string())),
                    None => Err(fail("file not open".into())),
                }
            }
            Deliver::Webhook(url) => {
                let body = alert.to_string();
                self.agent
                    .post(url.as_str())
                    .header("Content-Type", "application/json")
                    .send(body.as_bytes())
                    .map(|_| ())
                    .map_err(|e| fail(e.to_string()))
            }
        }
    }
}
