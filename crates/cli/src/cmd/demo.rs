//! `wirecoder demo`: ingest the bundled Wikinews sample (and the seed page, when
//! `../shared/seed/` is beside the clone) into a fresh database and tell what came out.

use super::ingest::{ingest_paths, Ingester};
use super::open_store;
use crate::pipeline::{self, Annotator};
use crate::render::{cameo_name, cameo_root, event_line, excerpt, table};
use anyhow::{anyhow, Context, Result};
use include_dir::{include_dir, Dir};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use wirecoder_doc::Meta;
use wirecoder_ingest::{Format, RawDoc};
use wirecoder_store::{EventFilter, StoredEvent};

/// The sample corpus, compiled in so the demo works wherever the binary runs.
static SAMPLE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data/sample/wikinews");

/// The founding example's publication date (see the seed's EXPECTED.md).
const SEED_PUBLISHED: &str = "2024-01-10";

/// The embedded sample as raw documents, in file-name order.
fn sample_docs() -> Vec<RawDoc> {
    let mut files: Vec<_> = SAMPLE
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort_by_key(|f| f.path());
    files
        .into_iter()
        .filter_map(|f| {
            let source = format!("data/sample/wikinews/{}", f.path().display());
            let text = f.contents_utf8()?.to_string();
            Some(RawDoc {
                source: source.clone(),
                format: Format::TextPage,
                text,
                meta: Meta {
                    path: Some(source),
                    ..Meta::default()
                },
            })
        })
        .collect()
}

/// `../shared/seed/` from the working directory, else beside the source checkout.
fn seed_dir() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from("../shared/seed"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed"),
    ];
    candidates.into_iter().find(|p| p.is_dir())
}

fn seed_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .map(|p| p.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn remove_db(db: &str) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = format!("{db}{suffix}");
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {p}")),
        }
    }
    Ok(())
}

pub fn run(db: &str) -> Result<()> {
    if db.contains("://") {
        anyhow::bail!("the demo writes a SQLite file; give a path, not {db}");
    }
    remove_db(db)?;
    let annotator = Annotator::new()?;
    let store = open_store(db)?;
    let docs = sample_docs();
    eprintln!(
        "wirecoder demo: ingesting {} Wikinews articles into {db} …",
        docs.len()
    );
    let seed = seed_dir();
    let (store, summary) = {
        let ing = RefCell::new(Ingester::new(store));
        pipeline::run_raws(
            docs.into_iter().map(Ok),
            None,
            Some(&annotator),
            |doc| ing.borrow_mut().push(doc),
            |s, r| ing.borrow_mut().skip(s, r),
        )?;
        match &seed {
            Some(dir) => {
                let files = seed_files(dir);
                eprintln!(
                    "wirecoder demo: adding the seed page from {} (published {SEED_PUBLISHED})",
                    dir.display()
                );
                ingest_paths(&ing, &annotator, &files, Some(SEED_PUBLISHED))?;
            }
            None => eprintln!(
                "wirecoder demo: ../shared/seed/ not found; going on without the seed page"
            ),
        }
        ing.into_inner().finish()?
    };
    eprintln!("{summary}");

    let stats = store.stats().map_err(|e| anyhow!("{e}"))?;
    let events = store
        .events(&EventFilter::default())
        .map_err(|e| anyhow!("{e}"))?;
    let seed_ids: Vec<i64> = if seed.is_some() {
        store
            .find_articles("000_b51c4bc65cb444b7")
            .map_err(|e| anyhow!("{e}"))?
            .into_iter()
            .map(|a| a.0)
            .collect()
    } else {
        Vec::new()
    };
    print!("{}", report(db, &stats, &events, &seed_ids));
    Ok(())
}

/// The summary the demo prints.
fn report(
    db: &str,
    stats: &wirecoder_store::Stats,
    events: &[StoredEvent],
    seed_ids: &[i64],
) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "\nwirecoder demo — {db}\n\n{} articles, {} stories, {} sentences, {} entities, {} quotes, {} events ({} skipped inputs)\n",
        stats.articles, stats.stories, stats.sentences, stats.entities, stats.quotes, stats.events, stats.skipped
    ));

    // Events by CAMEO root.
    let mut by_root: HashMap<String, usize> = HashMap::new();
    for se in events {
        *by_root
            .entry(cameo_root(&se.event.cameo).to_string())
            .or_default() += 1;
    }
    let mut roots: Vec<_> = by_root.into_iter().collect();
    roots.sort();
    let rows: Vec<Vec<String>> = roots
        .iter()
        .map(|(r, n)| vec![r.clone(), cameo_name(r), n.to_string()])
        .collect();
    s.push_str("\nEvents by CAMEO root\n");
    s.push_str(&indent(&table(&["root", "name", "events"], &rows)));

    // Top actor pairs: dyads with both actors named (one-sided events and actors of unknown
    // country, `---GOV`, say little here).
    let named = |a: &Option<String>| a.as_deref().is_some_and(|c| !c.starts_with("---"));
    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    for se in events {
        let src = se.event.source.actor.clone();
        let tgt = se.event.target.as_ref().and_then(|t| t.actor.clone());
        if !(named(&src) && named(&tgt)) {
            continue;
        }
        if let (Some(src), Some(tgt)) = (src, tgt) {
            *pairs.entry((src, tgt)).or_default() += 1;
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .take(10)
        .map(|((a, b), n)| vec![a.clone(), b.clone(), n.to_string()])
        .collect();
    s.push_str("\nTop actor pairs (source → target)\n");
    s.push_str(&indent(&table(&["source", "target", "events"], &rows)));

    // Examples: two from the seed page, then others from different articles and CAMEO roots;
    // events with both actors named first.
    let dyadic = |se: &StoredEvent| {
        named(&se.event.source.actor) && se.event.target.as_ref().is_some_and(|t| named(&t.actor))
    };
    let mut order: Vec<&StoredEvent> = events.iter().collect();
    order.sort_by_key(|se| (!seed_ids.contains(&se.article_id), !dyadic(se), se.id));
    let mut picked: Vec<&StoredEvent> = Vec::new();
    let mut roots_seen: Vec<String> = Vec::new();
    let mut articles_seen: Vec<i64> = Vec::new();
    for se in order {
        let root = cameo_root(&se.event.cameo).to_string();
        let from_seed = seed_ids.contains(&se.article_id);
        let seed_taken = picked
            .iter()
            .filter(|p| seed_ids.contains(&p.article_id))
            .count();
        if roots_seen.contains(&root)
            || (from_seed && seed_taken >= 2)
            || (!from_seed && articles_seen.contains(&se.article_id))
        {
            continue;
        }
        roots_seen.push(root);
        articles_seen.push(se.article_id);
        picked.push(se);
        if picked.len() == 5 {
            break;
        }
    }
    s.push_str("\nExample events\n");
    for (i, se) in picked.iter().enumerate() {
        let date = se
            .event
            .date
            .as_deref()
            .or(se.published.as_deref())
            .unwrap_or("undated");
        s.push_str(&format!(
            "  {}. {} ({}, {})\n     \"{}\"\n     — {} (article {})\n",
            i + 1,
            event_line(&se.event),
            se.event.modality.as_str(),
            date,
            excerpt(&se.evidence_text, 120),
            se.article_title.as_deref().unwrap_or("untitled"),
            se.article_id
        ));
    }
    if picked.is_empty() {
        s.push_str("  (no events were coded)\n");
    }

    let show_hint = match (seed_ids.first(), picked.first()) {
        (Some(id), _) => id.to_string(),
        (None, Some(se)) => se.article_id.to_string(),
        (None, None) => "1".into(),
    };
    s.push_str(&format!(
        "\nExplore:\n  wirecoder events --db {db}                 # all events, as a table\n  wirecoder events --db {db} --root 19       # fights only; also --actor, --since, --format jsonl|csv\n  wirecoder show --db {db} {show_hint}                 # one article with its events marked\n  wirecoder stats --db {db} --format table\n(with cargo: cargo run --release -- events --db {db})\n"
    ));
    s
}

fn indent(t: &str) -> String {
    t.lines().map(|l| format!("  {l}\n")).collect()
}
