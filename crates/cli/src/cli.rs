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
        #[command(flatten)]
        limits: LimitArgs,
        /// Also find names no dictionary has with this model (from `wirecoder train ner`;
        /// the `WIRECODER_NER_MODEL` variable does the same): typed, without actor codes.
        #[arg(long, value_name = "FILE")]
        ner_model: Option<std::path::PathBuf>,
        /// Threads that extract and annotate (0: one per core); output order is the input's.
        #[arg(long, default_value_t = 0, value_name = "N")]
        threads: usize,
        /// Files, folders or glob patterns; `-` reads stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// Annotate documents and store them; a document already stored is not stored again.
    Ingest {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Publication date of the inputs (ISO 8601), overriding what they say.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        published: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
        /// Threads that extract and annotate (0: one per core). The stored result is the
        /// same whatever the number.
        #[arg(long, default_value_t = 0, value_name = "N")]
        threads: usize,
        /// Also find names no dictionary has with this model (from `wirecoder train ner`;
        /// the `WIRECODER_NER_MODEL` variable does the same): typed, without actor codes.
        #[arg(long, value_name = "FILE")]
        ner_model: Option<std::path::PathBuf>,
        /// Print where the time went (input MB/s, each stage's share) after the summary.
        #[arg(long)]
        profile: bool,
        /// Files, folders or glob patterns; `-` reads stdin.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// List stored events, filtered.
    Events(Box<EventsArgs>),
    /// Watch rules: standing questions evaluated as documents are ingested (`add`, `list`,
    /// `remove`), on demand over the store (`run`, `test`), and the alerts they fired.
    Watch(Box<crate::cmd::watch::WatchArgs>),
    /// Export stored events: JSONL, CSV, GDELT 2.0 event TSV, GKG-like TSV or Parquet.
    Export(Box<ExportArgs>),
    /// Full-text search over stored sentences (SQLite; the index is `DB.search/`).
    Search(Box<SearchArgs>),
    /// Count what the database holds.
    Stats {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = StatsFormat::Json)]
        format: StatsFormat,
    },
    /// Show one stored article with its events marked in the text.
    Show {
        /// SQLite database path, or a `postgres://user@host/db` URL.
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
        /// Then serve the web UI on it (`--serve` alone: 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:8080")]
        serve: Option<String>,
    },
    /// Serve the HTTP API (`/api/v1/`, described by `/api/v1/openapi.json`) and the web UI (`/`).
    Serve {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: String,
        /// File holding the bearer token that `POST /api/v1/documents` needs (without it,
        /// ingest over HTTP is refused).
        #[arg(long, value_name = "FILE")]
        token_file: Option<String>,
        /// Require the token for read endpoints too.
        #[arg(long)]
        protect_reads: bool,
        #[command(flatten)]
        limits: ServeLimitArgs,
    },
    /// Score components against gold sets.
    #[command(subcommand)]
    Eval(crate::cmd::eval::EvalCommand),
    /// Train a model from gold data.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Cross-document event coreference over ECB+ topic folders: one JSON line per gold
    /// action mention, `{"topic", "doc", "m_id", "cluster"}`.
    Coref {
        /// The ECB+ folder (numbered topic folders).
        #[arg(long, value_name = "DIR")]
        ecbplus: std::path::PathBuf,
    },
    /// MUC-4 role fillers (PerpInd, PerpOrg, Target, Victim, Weapon) of `{"docid", "doctext"}`
    /// lines: one `{"docid", "roles"}` line per document.
    Muc4 {
        /// A model from `wirecoder train muc4` (else the cached one, else one trained from
        /// `../shared/eval/muc4/gtt_processed_train.jsonl`, else rules).
        #[arg(long, value_name = "FILE")]
        model: Option<std::path::PathBuf>,
        /// MUC-4 JSONL documents.
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// Tag and dependency-parse CoNLL-U, keeping its tokenization (UPOS, XPOS, LEMMA, HEAD,
    /// DEPREL).
    Parse {
        /// Read and write CoNLL-U.
        #[arg(long)]
        conllu: bool,
        /// A model file instead of the shipped one.
        #[arg(long, value_name = "PATH")]
        model: Option<std::path::PathBuf>,
        /// Input file, `-` for stdin.
        #[arg(value_name = "FILE")]
        input: String,
    },
    /// Publish documents to a NATS JetStream work queue, one message each, for `worker`s.
    Enqueue(Box<crate::cmd::queue::EnqueueArgs>),
    /// Take documents from the queue, annotate them and store them in a shared database;
    /// several workers on several machines share the work.
    Worker(Box<crate::cmd::queue::WorkerArgs>),
    /// Show the queue: backlog, in flight, redelivered, done, dead letters, rate.
    Status(Box<crate::cmd::queue::StatusArgs>),
}

/// What `train` can train.
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Tagger, lemmatizer and parser from UD CoNLL-U (files or folders, `.conllu[.gz]`; files
    /// named `*-dev*`/`*-test*` are skipped), e.g. `../shared/ud/ewt ../shared/ud/gum`.
    Syntax {
        /// Where to write the model.
        #[arg(long, default_value = "data/models/syntax.bin", value_name = "PATH")]
        out: std::path::PathBuf,
        /// Also train on GUM genres whose texts are non-commercial or of unstated licence.
        #[arg(long)]
        all_gum: bool,
        /// Tagger training epochs.
        #[arg(long, default_value_t = 10, value_name = "N")]
        tagger_epochs: usize,
        /// Parser training epochs.
        #[arg(long, default_value_t = 15, value_name = "N")]
        parser_epochs: usize,
        /// Training CoNLL-U files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<std::path::PathBuf>,
    },
    /// MUC-4 role tagger from documents with gold templates (`gtt_processed_train.jsonl`).
    Muc4 {
        /// Where to write the model (the MUC-4 data is for research only: do not ship it).
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// Training epochs.
        #[arg(long, default_value_t = 10, value_name = "N")]
        epochs: usize,
        /// MUC-4 JSONL with templates.
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// Named-entity tagger (names no dictionary has) from CoNLL-format files (`token ... TAG`
    /// a line, BIO or IOB1 tags), e.g. `../shared/eval/conll2003/train.txt`.
    Ner {
        /// Where to write the model (a model trained on CoNLL-2003 is for research only: do
        /// not ship it).
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// Training epochs.
        #[arg(long, default_value_t = crate::cmd::ner::EPOCHS, value_name = "N")]
        epochs: usize,
        /// Training files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub format: EventsFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The event filters `events` and `export` share.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// SQLite database path, or a `postgres://user@host/db` URL.
    #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
    pub db: String,
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
    /// Source and target actor prefixes together, `SOURCE-TARGET` (`RUS-UKR`).
    #[arg(long, value_name = "A-B")]
    pub dyad: Option<String>,
    /// Country of the event's place (ISO 3166 alpha-3, `UKR`).
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,
    /// Name of the event's place (`Kharkiv`), case-insensitive.
    #[arg(long, value_name = "NAME")]
    pub place: Option<String>,
    /// Bounding box of the event's place: `MIN_LON,MIN_LAT,MAX_LON,MAX_LAT`.
    #[arg(long, value_name = "BOX", value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// At least this many distinct sources report the event.
    #[arg(long, value_name = "N")]
    pub min_sources: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file; `-` writes to stdout (not for parquet).
    #[arg(long, value_name = "PATH")]
    pub out: String,
    /// Which events: the same filters as `wirecoder events`.
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words to find, all of them (`"a phrase"`, `a OR b`, `-word` work too).
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// SQLite database path.
    #[arg(long, default_value = DEFAULT_DB, value_name = "PATH")]
    pub db: String,
    /// Actor code mentioned in the sentence (`PRK` matches `PRKGOV`).
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// CAMEO code (or root, or base) of an event coded in the sentence.
    #[arg(long, value_name = "C")]
    pub code: Option<String>,
    /// The article's source: site name or host.
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// Published on or after this day.
    #[arg(long, value_name = "D", value_parser = parse_date)]
    pub since: Option<String>,
    /// Published on or before this day.
    #[arg(long, value_name = "D", value_parser = parse_date)]
    pub until: Option<String>,
    /// At most this many sentences.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    pub format: SearchFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Table,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    /// GDELT 2.0 event records (61 tab-separated columns, no header).
    Gdelt,
    /// One row per article: counts, locations, persons, organizations (GDELT GKG names).
    Gkg,
    Parquet,
}

/// `MIN_LON,MIN_LAT,MAX_LON,MAX_LAT`.
fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{s}` is not MIN_LON,MIN_LAT,MAX_LON,MAX_LAT"))?;
    match v[..] {
        [a, b, c, d] if a <= c && b <= d => Ok([a, b, c, d]),
        _ => Err(format!(
            "`{s}` is not MIN_LON,MIN_LAT,MAX_LON,MAX_LAT with min <= max"
        )),
    }
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

/// What one input may cost (hostile or broken inputs hit a limit and are skipped).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Largest page read (a file, a WARC record, a JSONL line); K, M, G suffixes.
    #[arg(long, value_name = "BYTES", default_value = "50M", value_parser = parse_size)]
    pub max_page_bytes: u64,
    /// Largest decompressed size of a .gz input or a compressed WARC body (bomb guard).
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    pub max_decompressed_bytes: u64,
    /// Deepest HTML element nesting kept; deeper tags are dropped, their text kept.
    #[arg(long, value_name = "LEVELS", default_value_t = 1000)]
    pub max_nesting: usize,
    /// Longest clean text analysed, in characters; longer documents are skipped.
    #[arg(long, value_name = "CHARS", default_value_t = 1_000_000)]
    pub max_text_chars: usize,
    /// Seconds one document may take before its analysis starts (0: no budget).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub time_budget: f64,
}

impl LimitArgs {
    /// The limits these flags ask for.
    pub fn limits(&self) -> wirecoder_ingest::Limits {
        wirecoder_ingest::Limits {
            max_page_bytes: self.max_page_bytes,
            max_decompressed: self.max_decompressed_bytes,
            max_nesting: self.max_nesting,
            max_text_chars: self.max_text_chars,
            time_budget: (self.time_budget > 0.0 && self.time_budget.is_finite())
                .then(|| std::time::Duration::from_secs_f64(self.time_budget)),
        }
    }
}

/// What one request may cost, and what it may read.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Limits")]
pub struct ServeLimitArgs {
    /// Largest request body accepted (K, M, G suffixes); larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value = "32M", value_parser = parse_size)]
    pub max_body: u64,
    /// Seconds one request may take, body included; slower ones get 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub request_timeout: f64,
    /// Folder that `POST /api/v1/documents` with `{"paths": [...]}` may read from (without
    /// it, such requests are refused).
    #[arg(long, value_name = "DIR")]
    pub files_root: Option<std::path::PathBuf>,
}

impl Default for ServeLimitArgs {
    /// The flags' defaults.
    fn default() -> Self {
        ServeLimitArgs {
            max_body: 32 << 20,
            request_timeout: 30.0,
            files_root: None,
        }
    }
}

/// A byte count: `1048576`, `512K`, `50M`, `2G` (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m: u64 = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("`{s}`: the suffix must be K, M or G")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a size like 1048576, 512K, 50M or 2G"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_limits() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size("50M").unwrap(), 50 << 20);
        assert!(parse_size("1T").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999G").is_err());
        let cli = Cli::try_parse_from([
            "wirecoder",
            "ingest",
            "--max-page-bytes",
            "1M",
            "--time-budget",
            "0",
            "a.html",
        ])
        .unwrap();
        let Command::Ingest { limits, .. } = cli.command else {
            panic!("not ingest")
        };
        let l = limits.limits();
        assert_eq!(l.max_page_bytes, 1 << 20);
        assert_eq!(l.max_decompressed, 64 << 20);
        assert_eq!(l.time_budget, None);
        assert_eq!(
            l.max_nesting,
            wirecoder_ingest::Limits::default().max_nesting
        );
    }

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
