//! `wirecoder serve`: the HTTP API and web UI (see the wirecoder-serve crate).

use anyhow::{anyhow, Result};

pub fn run(
    db: &str,
    addr: &str,
    token_file: Option<&str>,
    protect_reads: bool,
    limits: &crate::cli::ServeLimitArgs,
) -> Result<()> {
    let is_path = !db.contains("://");
    if is_path && db != ":memory:" && !std::path::Path::new(db).exists() {
        anyhow::bail!(
            "database {db} does not exist (create it with `wirecoder ingest --db {db} PATH...`)"
        );
    }
    let token = token_file
        .map(wirecoder_serve::read_token)
        .transpose()
        .map_err(|e| anyhow!("{e}"))?;
    if protect_reads && token.is_none() {
        anyhow::bail!("--protect-reads needs --token-file");
    }
    let config = wirecoder_serve::Config {
        db: db.to_string(),
        addr: addr.to_string(),
        token,
        protect_reads,
        max_body: usize::try_from(limits.max_body).unwrap_or(usize::MAX),
        request_timeout: std::time::Duration::try_from_secs_f64(limits.request_timeout)
            .map_err(|e| anyhow!("--request-timeout {}: {e}", limits.request_timeout))?,
        files_root: limits.files_root.clone(),
    };
    wirecoder_serve::run(&config).map_err(|e| anyhow!("{e}"))
}
