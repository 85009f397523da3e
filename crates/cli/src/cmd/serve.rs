//! `wirecoder serve`: the HTTP API and web UI (see the wirecoder-serve crate).

use anyhow::{anyhow, Result};

pub fn run(db: &str, addr: &str, token_file: Option<&str>, protect_reads: bool) -> Result<()> {
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
    };
    wirecoder_serve::run(&config).map_err(|e| anyhow!("{e}"))
}
