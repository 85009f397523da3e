//! Scale-out end to end (issue 11): `wirecoder enqueue` onto NATS JetStream, several
//! `wirecoder worker` processes writing to one PostgreSQL database, one of them killed with
//! SIGKILL mid-run; malformed messages go to the dead letters without blocking the stream.
//!
//! Each test uses its own queue (streams named after the test and process) and its own
//! database, both removed afterwards. Without a NATS server (or PostgreSQL) the tests skip,
//! saying so, unless `WIRECODER_REQUIRE_NATS` (or `WIRECODER_REQUIRE_PG`) is set.

use serde_json::Value;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use wirecoder_queue::{HeaderMap, Queue};

mod common;
use common::PgDb;

fn wc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirecoder"))
        .args(args)
        .output()
        .expect("the wirecoder binary runs")
}

fn ok(args: &[&str]) -> String {
    let o = wc(args);
    assert!(
        o.status.success(),
        "wirecoder {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn nats_url() -> String {
    std::env::var("WIRECODER_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A queue of this test's own, deleted when dropped.
struct TestQueue {
    name: String,
    url: String,
}

impl TestQueue {
    fn create(tag: &str) -> Option<TestQueue> {
        let url = nats_url();
        let name = format!("wctest_{}_{tag}", std::process::id());
        match Queue::connect(&url, &name) {
            Ok(q) => {
                // A leftover of a killed run of this test would add its messages.
                q.delete().expect("delete a leftover test queue");
                q.ensure_streams().expect("create the test streams");
                Some(TestQueue { name, url })
            }
            Err(e) => {
                if std::env::var_os("WIRECODER_REQUIRE_NATS").is_some() {
                    panic!("WIRECODER_REQUIRE_NATS is set but NATS at {url} does not answer: {e}");
                }
                eprintln!("skipping: no NATS JetStream at {url}: {e}");
                None
            }
        }
    }

    fn queue(&self) -> Queue {
        Queue::connect(&self.url, &self.name).expect("connect to the test queue")
    }

    /// `--nats URL --queue NAME`, for the command line.
    fn args(&self) -> Vec<String> {
        vec![
            "--nats".into(),
            self.url.clone(),
            "--queue".into(),
            self.name.clone(),
        ]
    }

    fn status(&self) -> Value {
        let mut args = vec!["status".to_string()];
        args.extend(self.args());
        args.extend(["--format", "json", "--sample", "0", "--dead", "10"].map(String::from));
        let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        serde_json::from_str(&ok(&a)).expect("status prints JSON")
    }
}

impl Drop for TestQueue {
    fn drop(&mut self) {
        if let Ok(q) = Queue::connect(&self.url, &self.name) {
            let _ = q.delete();
        }
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Sentences of real news text: the bundled Wikinews sample, and the seed page when
/// `../shared` is there.
fn sentences() -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("data/sample/wikinews"))
        .expect("the bundled sample")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let seed = repo().join("../shared/seed/000_b51c4bc65cb444b7.txt");
    if seed.is_file() {
        files.push(seed);
    } else {
        eprintln!("note: ../shared/seed is missing; using the bundled sample only");
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read a sample file");
        // Skip the title line; split the body at sentence ends.
        for para in text.lines().skip(1) {
            for s in para.split_inclusive(". ") {
                let s = s.trim();
                let words = s.split_whitespace().count();
                if (8..=35).contains(&words) && s.ends_with('.') && seen.insert(s.to_string()) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

/// `n` distinct short articles as JSONL documents: each is two sentences of real text chosen
/// by a different stride, so every article is a new combination.
fn articles(n: usize) -> String {
    let pool = sentences();
    assert!(pool.len() > 200, "too few sentences: {}", pool.len());
    let m = pool.len();
    let mut out = String::new();
    let mut seen = HashSet::new();
    let mut k = 0usize;
    let mut made = 0usize;
    while made < n {
        let a = &pool[k % m];
        let b = &pool[(k * 7 + k / m + 1) % m];
        k += 1;
        let text = format!("{a} {b}");
        if a == b || !seen.insert(text.clone()) {
            continue;
        }
        let doc = serde_json::json!({
            "id": format!("a{made:05}"),
            "url": format!("https://news.example.invalid/{made:05}"),
            "title": format!("Report {made}"),
            "published": "2024-01-10",
            "text": text,
        });
        out.push_str(&doc.to_string());
        out.push('\n');
        made += 1;
    }
    out
}

fn spawn_worker(q: &TestQueue, db: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wirecoder"))
        .arg("worker")
        .args(q.args())
        .args(["--db", db])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a worker")
}

/// Waits for `child` to exit, at most `limit`; kills it (and fails) past that.
fn wait_exit(child: &mut Child, limit: Duration) -> (std::process::ExitStatus, String) {
    let t0 = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for a worker") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            return (status, err);
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            panic!("a worker ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stats(db: &str) -> Value {
    serde_json::from_str(&ok(&["stats", "--db", db, "--format", "json"])).expect("stats JSON")
}

#[test]
fn three_workers_one_killed_store_every_article_once() {
    let Some(q) = TestQueue::create("kill") else {
        return;
    };
    let (Some(shared), Some(single)) = (PgDb::create("workers"), PgDb::create("single")) else {
        return;
    };
    const N: usize = 2000;
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("articles.jsonl");
    std::fs::File::create(&input)
        .and_then(|mut f| f.write_all(articles(N).as_bytes()))
        .expect("write the articles");
    let input = input.display().to_string();

    let mut args = vec!["enqueue".to_string()];
    args.extend(q.args());
    args.push(input.clone());
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    ok(&a);
    assert_eq!(q.status()["backlog"], N as u64);

    // A short ack wait, so that the killed worker's batch comes back within seconds.
    let extra = ["--until-empty", "--batch", "8", "--ack-wait", "3"];
    let mut workers: Vec<Child> = (0..3)
        .map(|_| spawn_worker(&q, &shared.url, &extra))
        .collect();
    // Kill one once a fair share is done, while it certainly holds a batch.
    let t0 = Instant::now();
    loop {
        let done = q.status()["done"].as_u64().unwrap_or(0);
        if done >= (N / 4) as u64 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(240),
            "the workers made no progress: {}",
            q.status()
        );
        if let Some(s) = workers[0].try_wait().expect("poll a worker") {
            panic!("a worker exited early with {s}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    workers[0].kill().expect("SIGKILL a worker");
    let _ = workers[0].wait();
    for w in &mut workers[1..] {
        let (status, err) = wait_exit(w, Duration::from_secs(300));
        assert!(status.success(), "a worker failed:\n{err}");
    }

    // Every article stored, each once; nothing left, nothing dead.
    let s = stats(&shared.url);
    assert_eq!(s["articles"], N as u64, "{s}");
    assert_eq!(
        shared.query_i64("SELECT COUNT(DISTINCT source_id) FROM articles"),
        N as i64
    );
    let st = q.status();
    assert_eq!(st["backlog"], 0, "{st}");
    assert_eq!(st["in_flight"], 0, "{st}");
    assert_eq!(st["dead"], 0, "{st}");
    assert_eq!(st["done"], N as u64, "{st}");

    // The same input through one process gives the same counts.
    ok(&["ingest", "--db", &single.url, &input]);
    let one = stats(&single.url);
    for k in ["articles", "sentences", "entities", "events", "quotes"] {
        assert_eq!(s[k], one[k], "{k}: workers {s} vs single process {one}");
    }
    assert!(
        one["events"].as_u64().unwrap_or(0) > 0,
        "the articles should hold events: {one}"
    );
}

#[test]
fn malformed_messages_go_to_the_dead_letters_and_the_rest_is_stored() {
    let Some(q) = TestQueue::create("dead") else {
        return;
    };
    let queue = q.queue();
    // Two messages no worker can read, ahead of good ones: a payload that is not UTF-8, and
    // a format nobody knows.
    let mut h = HeaderMap::new();
    h.insert("Wirecoder-Source", "bad/latin1.html");
    h.insert("Wirecoder-Format", "html");
    queue
        .publish_raw("html", h, b"<p>Caf\xe9 owners protested.</p>".to_vec())
        .expect("publish a malformed message");
    let mut h = HeaderMap::new();
    h.insert("Wirecoder-Source", "bad/report.pdf");
    h.insert("Wirecoder-Format", "pdf");
    queue
        .publish_raw("pdf", h, b"%PDF-1.4".to_vec())
        .expect("publish a malformed message");

    let sample = repo().join("data/sample/wikinews");
    let mut files: Vec<String> = std::fs::read_dir(&sample)
        .expect("the bundled sample")
        .filter_map(|e| e.ok().map(|e| e.path().display().to_string()))
        .collect();
    files.sort();
    files.truncate(12);
    let mut args = vec!["enqueue".to_string()];
    args.extend(q.args());
    args.extend(files.iter().cloned());
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    ok(&a);
    // Enqueueing the same files again adds nothing: the content id is the message id.
    let again = wc(&a);
    assert!(again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("(0 new, 12 already queued)"), "{err}");
    assert_eq!(q.status()["backlog"], 14);

    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("w.db").display().to_string();
    let mut w = spawn_worker(&q, &db, &["--until-empty", "--batch", "4"]);
    let (status, err) = wait_exit(&mut w, Duration::from_secs(120));
    assert!(status.success(), "the worker failed:\n{err}");
    assert!(err.contains("dead-lettered bad/latin1.html"), "{err}");

    let st = q.status();
    assert_eq!(st["backlog"], 0, "{st}");
    assert_eq!(st["in_flight"], 0, "{st}");
    assert_eq!(st["dead"], 2, "{st}");
    let letters = st["dead_letters"].as_array().expect("dead letters listed");
    let find = |src: &str| {
        letters
            .iter()
            .find(|d| d["source"] == src)
            .unwrap_or_else(|| panic!("no dead letter for {src}: {st}"))
    };
    let latin1 = find("bad/latin1.html");
    assert!(
        latin1["error"].as_str().unwrap_or("").contains("not UTF-8"),
        "{latin1}"
    );
    assert_eq!(latin1["attempts"], 1);
    let pdf = find("bad/report.pdf");
    assert!(pdf["error"].as_str().unwrap_or("").contains("pdf"), "{pdf}");
    // The good documents behind them were all stored.
    assert_eq!(stats(&db)["articles"], 12);
}

#[test]
fn sigterm_stops_a_waiting_worker_cleanly() {
    let Some(q) = TestQueue::create("term") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("w.db").display().to_string();
    let mut w = spawn_worker(&q, &db, &[]);
    // Let it load and start pulling on the empty queue (its pull shows as waiting).
    let t0 = Instant::now();
    while q.status()["waiting_pulls"].as_u64().unwrap_or(0) == 0 {
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "the worker never pulled"
        );
        if let Some(s) = w.try_wait().expect("poll the worker") {
            panic!("the worker exited early with {s}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = w.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let (status, err) = wait_exit(&mut w, Duration::from_secs(30));
    assert!(status.success(), "SIGTERM should exit 0:\n{err}");
    assert!(err.contains("0 documents done"), "{err}");
}
