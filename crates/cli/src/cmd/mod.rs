//! One module per subcommand.

mod annotate;
mod demo;
mod events;
mod extract;
mod ingest;
mod show;
mod stats;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use std::io::{BufWriter, Write};

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Extract { format, paths } => extract::run(&paths, format),
        Command::Annotate {
            published,
            format,
            paths,
        } => annotate::run(&paths, published.as_deref(), format),
        Command::Ingest {
            db,
            published,
            paths,
        } => ingest::run(&db, &paths, published.as_deref()).map(|_| ()),
        Command::Events(args) => events::run(&args),
        Command::Stats { db, format } => stats::run(&db, format),
        Command::Show { db, article } => show::run(&db, &article),
        Command::Demo { db } => demo::run(&db),
    }
}

/// Buffered stdout; errors (a closed pipe) surface at `writeln!` and `flush`.
pub(crate) fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

/// Opens the store, naming the database in the error.
pub(crate) fn open_store(db: &str) -> Result<wirecoder_store::Store> {
    wirecoder_store::Store::open(db)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot open database {db}"))
}

/// Refuses to create a database just to query it.
pub(crate) fn open_existing_store(db: &str) -> Result<wirecoder_store::Store> {
    let is_path = !db.contains("://");
    if is_path && !std::path::Path::new(db).exists() {
        anyhow::bail!(
            "database {db} does not exist (create it with `wirecoder ingest --db {db} PATH...`)"
        );
    }
    open_store(db)
}

/// Writes one JSON value, compact or pretty, with a newline.
pub(crate) fn write_json(out: &mut impl Write, v: &serde_json::Value, pretty: bool) -> Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, v)?;
    } else {
        serde_json::to_writer(&mut *out, v)?;
    }
    writeln!(out)?;
    Ok(())
}
