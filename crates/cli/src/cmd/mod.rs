//! One module per subcommand.

mod annotate;
mod demo;
pub(crate) mod eval;
mod events;
mod export;
mod extract;
mod ingest;
pub(crate) mod model_file;
pub(crate) mod muc4;
pub(crate) mod ner;
mod parse;
pub(crate) mod queue;
mod search;
mod serve;
mod show;
mod stats;
mod train;
pub(crate) mod watch;

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
            limits,
            ner_model,
            threads,
            paths,
        } => {
            crate::pipeline::set_limits(limits.limits());
            crate::pipeline::set_threads(threads);
            crate::pipeline::set_ner_model(ner_model);
            annotate::run(&paths, published.as_deref(), format)
        }
        Command::Ingest {
            db,
            published,
            limits,
            ner_model,
            threads,
            profile,
            paths,
        } => {
            crate::pipeline::set_limits(limits.limits());
            crate::pipeline::set_threads(threads);
            crate::pipeline::set_ner_model(ner_model);
            let sum = ingest::run(&db, &paths, published.as_deref())?;
            if profile {
                eprintln!("profile: {}", crate::pipeline::PROFILE.line(sum.secs));
            }
            Ok(())
        }
        Command::Events(args) => events::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Stats { db, format } => stats::run(&db, format),
        Command::Show { db, article } => show::run(&db, &article),
        Command::Demo { db, serve: None } => demo::run(&db),
        Command::Demo {
            db,
            serve: Some(addr),
        } => {
            demo::run(&db)?;
            serve::run(&db, &addr, None, false, &Default::default())
        }
        Command::Serve {
            db,
            addr,
            token_file,
            protect_reads,
            limits,
        } => serve::run(&db, &addr, token_file.as_deref(), protect_reads, &limits),
        Command::Eval(cmd) => eval::run(&cmd),
        Command::Coref { ecbplus } => eval::run_coref(&ecbplus),
        Command::Train(crate::cli::TrainCommand::Syntax {
            out,
            all_gum,
            tagger_epochs,
            parser_epochs,
            paths,
        }) => train::run(&paths, &out, all_gum, tagger_epochs, parser_epochs),
        Command::Train(crate::cli::TrainCommand::Muc4 { out, epochs, file }) => {
            muc4::run_train(&file, &out, epochs)
        }
        Command::Train(crate::cli::TrainCommand::Ner { out, epochs, files }) => {
            ner::run_train(&files, &out, epochs)
        }
        Command::Muc4 { model, file } => muc4::run(&file, model.as_deref()),
        Command::Parse {
            conllu,
            model,
            input,
        } => parse::run(&input, conllu, model.as_deref()),
        Command::Enqueue(args) => queue::enqueue(&args),
        Command::Worker(args) => queue::worker(&args),
        Command::Status(args) => queue::status(&args),
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
