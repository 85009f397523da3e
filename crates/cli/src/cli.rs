//! The command line, declared with clap's derive API.

use clap::{Parser, Subcommand, ValueEnum};

/// Reads the news and writes down what happened: who did what to whom, when and where,
/// coded in CAMEO and PLOVER, each event tied to the sentence that says so.
#[derive(Debug, Parser)]
#[command(name = "wirecoder", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Default database for the storing and querying commands.
pub const DEFAULT_DB: &str = "./wirecoder.db";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the main text and metadata of pages (HTML or text; folders, .gz, JSONL, `-`).
    Extract {
        /// Output format: one object a line, or pretty JSON.
        #[arg(long, value_enum, default_value_t = JsonFormat::Jsonl)]
        format: JsonFormat,
        /// Files, folders or glob patterns; `-` reads stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// Annotate documents: sentences, entities, dates, quotes and coded events, as JSON.
    Annotate {
        /// Publication date of the inputs (ISO 8601), overriding what they say.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        published: Option<String>,
        /// Output format: one object a line, or pretty JSON.
        #[arg(long, value_enum, default_value_t = JsonFormat::Jsonl)]
        format: JsonFormat,
        /// Files, folders or glob patterns; `-` reads stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// Annotate documents and store them; a document already stored is not stored again.
    Ingest {
        /// SQLite database path.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Publication date of the inputs (ISO 8601), overriding what they say.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        published: Option<String>,
        /// Files, folders or glob patterns; `-` reads stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// List stored events, filtered.
    Events(Box<EventsArgs>),
    /// Count what the database holds.
    Stats {
        /// SQLite database path.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = StatsFormat::Json)]
        format: StatsFormat,
    },
    /// Show one stored article with its events marked in the text.
    Show {
        /// SQLite database path.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Article id, path, or a piece of its title.
        #[arg(value_name = "ARTICLE")]
        article: String,
    },
    /// Ingest the bundled sample corpus into a fresh database and summarize what came out.
    Demo {
        /// Database path; removed first.
        #[arg(long, default_value = "./wirecoder-demo.db", value_name = "PATH")]
        db: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// SQLite database path.
    #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
    pub db: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub format: EventsFormat,
    /// Source or target actor code prefix (`RUS` matches `RUSGOV`).
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// Source actor code prefix.
    #[arg(long, value_name = "A")]
    pub source: Option<String>,
    /// Target actor code prefix.
    #[arg(long, value_name = "A")]
    pub target: Option<String>,
    /// CAMEO code prefix (`19` matches `190`..`196`).
    #[arg(long, value_name = "C")]
    pub code: Option<String>,
    /// CAMEO root code (two digits, `01`..`20`).
    #[arg(long, value_name = "R", value_parser = parse_root)]
    pub root: Option<String>,
    /// PLOVER event type (`ACCUSE`).
    #[arg(long, value_name = "T")]
    pub plover: Option<String>,
    /// Modality: asserted, alleged, denied, negated, hypothetical, future.
    #[arg(long, value_name = "M", value_parser = parse_modality)]
    pub modality: Option<String>,
    /// Earliest date (inclusive).
    #[arg(long, value_name = "D", value_parser = parse_date)]
    pub since: Option<String>,
    /// Latest date (inclusive).
    #[arg(long, value_name = "D", value_parser = parse_date)]
    pub until: Option<String>,
    /// Only events of this article id.
    #[arg(long, value_name = "ID")]
    pub article: Option<i64>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JsonFormat {
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    Table,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Json,
    Table,
}

/// Accepts ISO 8601 dates as the contract writes them: `2024-01-09`, `2024-01`, `2024`,
/// and `2024-01-09T10:00[:00][Z|±hh:mm]`.
pub fn parse_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ok = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok()
        || (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok();
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not an ISO 8601 date (like 2024-01-10)"))
    }
}

fn parse_root(s: &str) -> Result<String, String> {
    let s = s.trim();
    let n: u8 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a CAMEO root (01..20)"))?;
    if (1..=20).contains(&n) {
        Ok(format!("{n:02}"))
    } else {
        Err(format!("`{s}` is not a CAMEO root (01..20)"))
    }
}

fn parse_modality(s: &str) -> Result<String, String> {
    let l = s.trim().to_ascii_lowercase();
    wirecoder_doc::Modality::parse(&l)
        .map(|m| m.as_str().to_string())
        .ok_or_else(|| {
            format!("`{s}` is not a modality (asserted, alleged, denied, negated, hypothetical, future)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_roots() {
        assert!(parse_date("2024-01-10").is_ok());
        assert!(parse_date("2023-09").is_ok());
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("last Tuesday").is_err());
        assert_eq!(parse_root("9").unwrap(), "09");
        assert!(parse_root("21").is_err());
        assert_eq!(parse_modality("Alleged").unwrap(), "alleged");
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
