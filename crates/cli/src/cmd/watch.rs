//! `wirecoder watch`: standing rules over the stored events, and the alerts they fire.

use super::{open_existing_store, stdout, write_json};
use crate::cli::{parse_date, DEFAULT_DB};
use crate::render::{excerpt, table};
use anyhow::{anyhow, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use wirecoder_doc::Doc;
use wirecoder_store::{EventFilter, Inserted, Store};
use wirecoder_watch::{
    load_rules, Alert, AlertDb, AlertQuery, Deliver, Delivery, Rule, Summary, Watcher,
};

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub command: WatchCommand,
}

/// How alerts and rules are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    /// One JSON object a line: alert fields, the event under `event` (CONTRACT shape).
    Jsonl,
    /// A table for reading.
    Table,
}

#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Evaluate rules over stored events: record each alert once per event and print the new
    /// ones (JSONL on stdout); more reports of an alerted event raise its count.
    Run {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Only events on or after this date (the event's date, else the article's).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<String>,
        /// Only events on or before this date.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<String>,
        /// Rule file or folder of `*.toml` files (default: the rules stored with `watch add`).
        #[arg(long, value_name = "PATH")]
        rules: Option<PathBuf>,
        /// Output format of the new alerts.
        #[arg(long, value_enum, default_value_t = WatchFormat::Jsonl)]
        format: WatchFormat,
        /// Also append each new alert as a JSON line to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
        /// Also POST each new alert as JSON to this URL (`http://127.0.0.1:9000/hook`).
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
    },
    /// Show what a rule would have fired on over the stored events (one alert per event, with
    /// its count of reports); records and delivers nothing.
    Test {
        /// A rule file (or folder), or the name of a stored rule.
        #[arg(value_name = "RULE")]
        rule: String,
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Only events on or after this date.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<String>,
        /// Only events on or before this date.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = WatchFormat::Table)]
        format: WatchFormat,
    },
    /// Store rules in the database (TOML files or folders); `ingest` then evaluates them on
    /// every new document. A rule with the same name is replaced.
    Add {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Rule files or folders of `*.toml` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the stored rules.
    List {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Print each rule's TOML instead of a table.
        #[arg(long)]
        toml: bool,
    },
    /// Remove stored rules by name (their alerts are kept).
    Remove {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Rule names.
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
    },
    /// Check rule files (no database): print each rule's name, or the error with its position.
    Check {
        /// Rule files or folders of `*.toml` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List recorded alerts, newest first.
    Alerts {
        /// SQLite database path, or a `postgres://user@host/db` URL.
        #[arg(long, default_value = DEFAULT_DB, value_name = "URL")]
        db: String,
        /// Only this rule's alerts.
        #[arg(long, value_name = "NAME")]
        rule: Option<String>,
        /// Only alerts fired or updated at or after this date.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = WatchFormat::Table)]
        format: WatchFormat,
    },
}

fn open_alerts(db: &str) -> Result<AlertDb> {
    AlertDb::open(db)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("cannot open the watch tables of {db}"))
}

/// Rules from files or folders, every one checked.
fn rules_from(paths: &[PathBuf]) -> Result<Vec<Rule>> {
    let mut out: Vec<Rule> = Vec::new();
    for p in paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or folder", p.display());
        }
        for r in load_rules(p).map_err(|e| anyhow!("{e}"))? {
            if out.iter().any(|o| o.name == r.name) {
                anyhow::bail!("{}: rule {:?} is defined twice", p.display(), r.name);
            }
            out.push(r);
        }
    }
    Ok(out)
}

fn filter(since: &Option<String>, until: &Option<String>) -> EventFilter {
    EventFilter {
        since: since.clone(),
        until: until.clone(),
        ..Default::default()
    }
}

fn alert_row(a: &serde_json::Value) -> Vec<String> {
    let s = |p: &str| {
        a.pointer(p)
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "-".into(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "-".into())
    };
    let date = match a.pointer("/event/date") {
        Some(serde_json::Value::String(d)) => d.clone(),
        _ => s("/article/published"),
    };
    vec![
        s("/alert_id"),
        s("/rule"),
        date,
        format!(
            "{} → {}",
            s("/event/source/actor"),
            s("/event/target/actor")
        ),
        s("/event/cameo"),
        s("/count"),
        excerpt(&s("/evidence_text"), 40),
        excerpt(&s("/sentence_text"), 70),
    ]
}

const ALERT_HEADER: [&str; 8] = [
    "alert", "rule", "date", "dyad", "cameo", "count", "evidence", "sentence",
];

fn print_alerts(alerts: &[serde_json::Value], format: WatchFormat) -> Result<()> {
    let mut out = stdout();
    match format {
        WatchFormat::Jsonl => {
            for a in alerts {
                write_json(&mut out, a, false)?;
            }
        }
        WatchFormat::Table => {
            let rows: Vec<Vec<String>> = alerts.iter().map(alert_row).collect();
            write!(out, "{}", table(&ALERT_HEADER, &rows))?;
            if alerts.is_empty() {
                writeln!(out, "(no alerts)")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub fn run(a: &WatchArgs) -> Result<()> {
    match &a.command {
        WatchCommand::Run {
            db,
            since,
            until,
            rules,
            format,
            out,
            webhook,
        } => {
            let store = open_existing_store(db)?;
            let mut adb = open_alerts(db)?;
            let rules = match rules {
                Some(p) => rules_from(std::slice::from_ref(p))?,
                None => adb.rules().map_err(|e| anyhow!("{e}"))?,
            };
            if rules.is_empty() {
                anyhow::bail!(
                    "no rules: add some with `wirecoder watch add --db {db} RULES.toml` or pass --rules"
                );
            }
            let mut sinks = Vec::new();
            if *format == WatchFormat::Jsonl {
                sinks.push(Deliver::Stdout);
            }
            if let Some(f) = out {
                sinks.push(Deliver::File(f.clone()));
            }
            if let Some(u) = webhook {
                sinks.push(
                    Deliver::try_from(format!("webhook:{u}"))
                        .map_err(|e| anyhow!("--webhook: {e}"))?,
                );
            }
            let mut w = Watcher::new(rules).with_sinks(sinks);
            let (sum, fired) = w
                .run(&store, &mut adb, &filter(since, until))
                .map_err(|e| anyhow!("{e}"))?;
            if *format == WatchFormat::Table {
                let new: Vec<serde_json::Value> = fired
                    .iter()
                    .filter(|a| a.count == 1)
                    .map(Alert::to_json)
                    .collect();
                print_alerts(&new, WatchFormat::Table)?;
            }
            eprintln!("{sum}");
            Ok(())
        }
        WatchCommand::Test {
            rule,
            db,
            since,
            until,
            format,
        } => {
            let path = PathBuf::from(rule);
            let rules = if path.exists() {
                rules_from(&[path])?
            } else {
                let mut adb = open_alerts(db)?;
                let all = adb.rules().map_err(|e| anyhow!("{e}"))?;
                let hit: Vec<Rule> = all.into_iter().filter(|r| &r.name == rule).collect();
                if hit.is_empty() {
                    anyhow::bail!("{rule}: neither a rule file nor a rule stored in {db}");
                }
                hit
            };
            let store = open_existing_store(db)?;
            let w = Watcher::new(rules);
            let alerts = w
                .test(&store, &filter(since, until))
                .map_err(|e| anyhow!("{e}"))?;
            let json: Vec<serde_json::Value> = alerts.iter().map(Alert::to_json).collect();
            print_alerts(&json, *format)?;
            eprintln!("watch test: {} alert(s)", alerts.len());
            Ok(())
        }
        WatchCommand::Add { db, paths } => {
            let rules = rules_from(paths)?;
            // Rules may come before any event: the database is created with its schema.
            super::open_store(db)?;
            let mut adb = open_alerts(db)?;
            for r in &rules {
                let replaced = adb.put_rule(r).map_err(|e| anyhow!("{e}"))?;
                eprintln!(
                    "{} rule {}",
                    if replaced { "replaced" } else { "added" },
                    r.name
                );
            }
            Ok(())
        }
        WatchCommand::List { db, toml } => {
            open_existing_store(db)?;
            let mut adb = open_alerts(db)?;
            let rows = adb.rule_rows().map_err(|e| anyhow!("{e}"))?;
            let mut out = stdout();
            if *toml {
                for r in &rows {
                    writeln!(out, "# {} (added {})\n{}\n", r.name, r.added_at, r.body)?;
                }
            } else {
                let rules = adb.rules().map_err(|e| anyhow!("{e}"))?;
                let t: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        let r = rules.iter().find(|r| r.name == row.name);
                        vec![
                            row.name.clone(),
                            r.map(|r| if r.enabled { "yes" } else { "no" })
                                .unwrap_or("?")
                                .into(),
                            r.and_then(|r| r.description.clone())
                                .map(|d| excerpt(&d, 70))
                                .unwrap_or_else(|| "-".into()),
                            row.added_at.clone(),
                        ]
                    })
                    .collect();
                write!(
                    out,
                    "{}",
                    table(&["rule", "enabled", "description", "added"], &t)
                )?;
                if rows.is_empty() {
                    writeln!(out, "(no rules)")?;
                }
            }
            out.flush()?;
            Ok(())
        }
        WatchCommand::Remove { db, names } => {
            open_existing_store(db)?;
            let mut adb = open_alerts(db)?;
            let mut missing = Vec::new();
            for n in names {
                if adb.remove_rule(n).map_err(|e| anyhow!("{e}"))? {
                    eprintln!("removed rule {n}");
                } else {
                    missing.push(n.as_str());
                }
            }
            if !missing.is_empty() {
                anyhow::bail!("no rule named {} in {db}", missing.join(", "));
            }
            Ok(())
        }
        WatchCommand::Check { paths } => {
            let rules = rules_from(paths)?;
            let mut out = stdout();
            for r in &rules {
                writeln!(out, "ok {}", r.name)?;
            }
            out.flush()?;
            Ok(())
        }
        WatchCommand::Alerts {
            db,
            rule,
            since,
            limit,
            format,
        } => {
            open_existing_store(db)?;
            let mut adb = open_alerts(db)?;
            let q = AlertQuery {
                rule: rule.clone(),
                since: since.clone(),
                before: None,
                limit: Some(*limit),
            };
            let alerts = adb.alerts(&q).map_err(|e| anyhow!("{e}"))?;
            let json: Vec<serde_json::Value> = alerts.into_iter().map(|a| a.json).collect();
            print_alerts(&json, *format)
        }
    }
}

/// Rule evaluation inside `ingest`: the rules stored in the database, applied to each batch
/// right after it is stored. Absent (no cost at all) when the database holds no rule.
pub struct IngestHook {
    watcher: Watcher,
    alerts: AlertDb,
    /// Time spent evaluating, recording and delivering (reported with the summary).
    spent: std::time::Duration,
}

impl IngestHook {
    /// The hook for database `db`, or `None` when it has no enabled rule. Alerts of rules
    /// with `deliver = ["stdout"]` go to standard output.
    pub fn open(db: &str) -> Result<Option<IngestHook>> {
        let mut alerts = open_alerts(db)?;
        let rules = alerts.rules().map_err(|e| anyhow!("{e}"))?;
        let watcher = Watcher::new(rules).with_delivery(Delivery::default());
        if watcher.is_empty() {
            return Ok(None);
        }
        Ok(Some(IngestHook {
            watcher,
            alerts,
            spent: std::time::Duration::ZERO,
        }))
    }

    /// Evaluates the rules on a batch just stored. A failure is reported on stderr and does
    /// not stop the ingest: the events are stored, and `watch run` can catch up.
    pub fn after_batch(&mut self, store: &Store, docs: &[Doc], inserted: &[Inserted]) {
        let t = std::time::Instant::now();
        let r = self
            .watcher
            .on_stored(store, &mut self.alerts, docs, inserted);
        self.spent += t.elapsed();
        if let Err(e) = r {
            eprintln!("wirecoder: watch: {e}");
        }
    }

    /// What the hook did over the whole ingest, and the time it took.
    pub fn summary(&self) -> String {
        let s: Summary = self.watcher.total;
        format!(
            "{s} ({} rules, {:.3} s)",
            self.watcher.rules().rules().len(),
            self.spent.as_secs_f64()
        )
    }
}
