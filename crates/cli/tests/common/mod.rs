//! Helpers shared by the CLI's integration tests: running the binary, the seed page, and
//! throwaway PostgreSQL databases. Each test file uses only some of them.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary gave.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Every stdout line parsed as JSON.
    pub fn jsonl(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }
}

/// Runs `wirecoder ARGS` in `dir`, with colour off.
pub fn wc(dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_wirecoder"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the wirecoder binary runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Like [`wc`], asserting exit code 0.
pub fn ok(dir: &Path, args: &[&str]) -> Out {
    let o = wc(dir, args);
    assert_eq!(o.code, 0, "wirecoder {args:?} failed:\n{}", o.stderr);
    o
}

/// The founding example page, when `../shared` is beside the clone.
pub fn seed() -> Option<PathBuf> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/000_b51c4bc65cb444b7.txt");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/seed is missing, so the seed page cannot be read");
        None
    }
}

/// A throwaway PostgreSQL database, dropped afterwards.
pub struct PgDb {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDb {
    pub fn create(tag: &str) -> Option<PgDb> {
        let admin = std::env::var("WIRECODER_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let mut c = match postgres::Client::connect(&admin, postgres::NoTls) {
            Ok(c) => c,
            Err(e) => {
                if std::env::var_os("WIRECODER_REQUIRE_PG").is_some() {
                    panic!("WIRECODER_REQUIRE_PG is set but {admin} does not answer: {e}");
                }
                eprintln!("skipping: no PostgreSQL at {admin}: {e}");
                return None;
            }
        };
        let name = format!("wirecoder_test_{}_{tag}", std::process::id());
        // Separate statements: CREATE DATABASE refuses to run inside a transaction.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .and_then(|_| c.batch_execute(&format!("CREATE DATABASE {name}")))
            .expect("create the test database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(PgDb { admin, name, url })
    }

    pub fn query_i64(&self, sql: &str) -> i64 {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect");
        c.query_one(sql, &[]).expect(sql).get(0)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
