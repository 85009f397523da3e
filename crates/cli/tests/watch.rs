//! `wirecoder watch`: rules stored in the database fire as the seed page is ingested, once.

mod common;

use common::{ok, seed, wc};
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rules")
}

#[test]
fn embargoed_arms_transfer_fires_once_on_the_seed() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = seed.to_str().unwrap();
    let rule = rules_dir().join("embargoed-arms-transfer.toml");
    ok(d, &["watch", "add", "--db", "w.db", rule.to_str().unwrap()]);
    let listed = ok(d, &["watch", "list", "--db", "w.db"]);
    assert!(
        listed.stdout.contains("embargoed-arms-transfer"),
        "{}",
        listed.stdout
    );

    // Ingesting evaluates the stored rules on the new events.
    let ing = ok(
        d,
        &["ingest", "--db", "w.db", "--published", "2024-01-10", seed],
    );
    assert!(ing.stderr.contains("1 new alerts"), "{}", ing.stderr);
    let alerts = ok(d, &["watch", "alerts", "--db", "w.db", "--format", "jsonl"]).jsonl();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let a = &alerts[0];
    assert_eq!(a["rule"], "embargoed-arms-transfer");
    let src = a["event"]["source"]["actor"].as_str().unwrap_or("");
    let tgt = a["event"]["target"]["actor"].as_str().unwrap_or("");
    assert!(src.starts_with("PRK") && tgt.starts_with("RUS"), "{a:#}");
    let sentence = a["sentence_text"].as_str().unwrap();
    assert!(sentence.contains("North Korea"), "{sentence}");
    assert!(sentence.contains(a["evidence_text"].as_str().unwrap()));
    assert!(a["reasons"][0].as_str().unwrap().contains("1718"), "{a:#}");
    // The event in the CONTRACT shape, with the stored ids and counts.
    for k in [
        "cameo",
        "plover",
        "modality",
        "evidence",
        "sentence",
        "id",
        "num_sources",
    ] {
        assert!(a["event"].get(k).is_some(), "event lacks {k}: {a:#}");
    }

    // Re-ingesting the page fires nothing new; a run over the store neither.
    let again = ok(
        d,
        &["ingest", "--db", "w.db", "--published", "2024-01-10", seed],
    );
    assert!(again.stderr.contains("0 new alerts"), "{}", again.stderr);
    let run = ok(
        d,
        &["watch", "run", "--db", "w.db", "--since", "2024-01-01"],
    );
    assert!(run.stdout.trim().is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("0 new alerts"), "{}", run.stderr);
    let alerts = ok(d, &["watch", "alerts", "--db", "w.db", "--format", "jsonl"]).jsonl();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["alert_id"], a["alert_id"]);

    // `test` shows the same single firing without recording anything.
    let t = ok(
        d,
        &[
            "watch",
            "test",
            rule.to_str().unwrap(),
            "--db",
            "w.db",
            "--format",
            "jsonl",
        ],
    )
    .jsonl();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["event"]["id"], a["event"]["id"]);

    // Removing the rule keeps its alert.
    ok(
        d,
        &["watch", "remove", "--db", "w.db", "embargoed-arms-transfer"],
    );
    assert!(ok(d, &["watch", "list", "--db", "w.db"])
        .stdout
        .contains("(no rules)"));
    assert_eq!(
        ok(d, &["watch", "alerts", "--db", "w.db", "--format", "jsonl"])
            .jsonl()
            .len(),
        1
    );
}

#[test]
fn a_malformed_rule_names_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("bad.toml"),
        "name = \"x\"\ncameo = [\"19\", \"6x\"]\n",
    )
    .unwrap();
    let o = wc(d, &["watch", "check", "bad.toml"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("bad.toml:2:9"), "{}", o.stderr);
    assert!(o.stderr.contains("CAMEO pattern"), "{}", o.stderr);
    let good = ok(d, &["watch", "check", rules_dir().to_str().unwrap()]);
    assert!(good.stdout.contains("ok embargoed-arms-transfer"));
}
