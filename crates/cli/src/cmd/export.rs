//! `wirecoder export`: stored events to a file, in a format data tools read.

use super::events::filter;
use super::open_existing_store;
use crate::cli::{ExportArgs, ExportFormat};
use anyhow::{anyhow, bail, Context, Result};
use std::io::BufWriter;
use wirecoder_store::ExportFormat as Fmt;

pub fn run(a: &ExportArgs) -> Result<()> {
    let store = open_existing_store(&a.filter.db)?;
    let f = filter(&a.filter)?;
    let format = match a.format {
        ExportFormat::Jsonl => Fmt::Jsonl,
        ExportFormat::Csv => Fmt::Csv,
        ExportFormat::Gdelt => Fmt::Gdelt,
        ExportFormat::Gkg => Fmt::Gkg,
        ExportFormat::Parquet => Fmt::Parquet,
    };
    let n = if a.out == "-" {
        if format == Fmt::Parquet {
            bail!("--format parquet needs a file: pass --out PATH");
        }
        store
            .export(&f, format, BufWriter::new(std::io::stdout()))
            .map_err(|e| anyhow!("{e}"))?
    } else {
        // Write beside the target and rename, so a failed export leaves no half file.
        let tmp = format!("{}.part", a.out);
        let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {tmp}"))?;
        let n = store.export(&f, format, BufWriter::new(file));
        if n.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        let n = n
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("export to {}", a.out))?;
        std::fs::rename(&tmp, &a.out).with_context(|| format!("cannot write {}", a.out))?;
        n
    };
    let what = if format == Fmt::Gkg {
        "articles"
    } else {
        "events"
    };
    eprintln!("exported {n} {what} to {}", a.out);
    Ok(())
}
