//! An open-loop load generator for `wirecoder serve` (see `bench/load/run.sh` and
//! docs/BENCHMARKS.md): requests are sent on a fixed schedule, whatever the server's pace, and
//! each latency is measured from the moment its request was due, so a slow server cannot hide
//! its queueing ("coordinated omission").
//!
//!     cargo run --release -p wirecoder-serve --example load -- 127.0.0.1:18090 \
//!         --rate 200 --secs 60 --articles 10000
//!
//! The mix: events with various filters and cursors, single events, articles, full-text
//! search, canonical events, stats and the cached aggregates. Prints p50, p90, p99 and max
//! latency, per endpoint and overall, and the errors (non-2xx answers, I/O failures). Exits 1
//! when there were errors.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections (one worker thread each): enough that a slow answer does not delay the next.
const WORKERS: usize = 64;

struct Args {
    addr: String,
    rate: f64,
    secs: f64,
    articles: u64,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        addr: String::new(),
        rate: 200.0,
        secs: 60.0,
        articles: 10_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match x.as_str() {
            "--rate" => a.rate = val("--rate")?.parse().map_err(|e| format!("--rate: {e}"))?,
            "--secs" => a.secs = val("--secs")?.parse().map_err(|e| format!("--secs: {e}"))?,
            "--articles" => {
                a.articles = val("--articles")?
                    .parse()
                    .map_err(|e| format!("--articles: {e}"))?
            }
            _ if a.addr.is_empty() && !x.starts_with('-') => a.addr = x,
            _ => return Err(format!("unknown argument {x}")),
        }
    }
    if a.addr.is_empty() || a.rate <= 0.0 || a.secs <= 0.0 || a.articles == 0 {
        return Err("usage: load HOST:PORT [--rate N] [--secs S] [--articles N]".into());
    }
    Ok(a)
}

/// A small deterministic generator (xorshift), so two runs ask the same questions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const ACTORS: &[&str] = &["RUS", "UKR", "USA", "CHN", "FRA", "DEU", "IRN", "ISR"];
const ROOTS: &[&str] = &["04", "05", "11", "16", "19"];
const WORDS: &[&str] = &[
    "Kharkiv",
    "Paris",
    "accused",
    "sanctioned",
    "Beijing",
    "Tehran",
];

/// The next request of the mix: `(endpoint name, path and query)`.
fn next_request(r: &mut Rng, articles: u64) -> (&'static str, String) {
    let events = articles * 10;
    let month = 1 + r.below(12);
    match r.below(100) {
        0..=14 => ("events", "/api/v1/events?limit=100".to_string()),
        15..=29 => (
            "events?actor&root&since",
            format!(
                "/api/v1/events?actor={}&root={}&since=2024-{month:02}-01",
                r.pick(ACTORS),
                r.pick(ROOTS)
            ),
        ),
        30..=37 => (
            "events?dyad",
            format!(
                "/api/v1/events?dyad={}-{}&limit=50",
                r.pick(ACTORS),
                r.pick(ACTORS)
            ),
        ),
        38..=44 => (
            "events?country&since&until",
            format!(
                "/api/v1/events?country={}&since=2023-{month:02}&until=2024-{month:02}",
                r.pick(&["UKR", "FRA", "CHN", "IRN"])
            ),
        ),
        45..=49 => (
            "events?bbox&modality",
            "/api/v1/events?bbox=20,40,40,55&modality=asserted&limit=50".to_string(),
        ),
        50..=54 => (
            "events?cursor",
            format!(
                "/api/v1/events?limit=100&cursor={}",
                1 + r.below(events / 10)
            ),
        ),
        55..=64 => (
            "events/{id}",
            format!("/api/v1/events/{}", 1 + r.below(events)),
        ),
        65..=74 => (
            "articles/{id}",
            format!("/api/v1/articles/{}", 1 + r.below(articles)),
        ),
        75..=84 => ("search", format!("/api/v1/search?q={}", r.pick(WORDS))),
        85..=89 => ("canonical", "/api/v1/canonical?limit=20".to_string()),
        90..=94 => ("stats", "/api/v1/stats".to_string()),
        _ => (
            "counts/actors",
            r.pick(&[
                "/api/v1/counts?interval=month",
                "/api/v1/actors",
                "/api/v1/places",
            ])
            .to_string(),
        ),
    }
}

/// Sends one GET on a keep-alive connection and reads the whole answer; the status code.
fn get(conn: &mut Option<BufReader<TcpStream>>, addr: &str, path: &str) -> std::io::Result<u16> {
    if conn.is_none() {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        *conn = Some(BufReader::new(s));
    }
    let Some(c) = conn.as_mut() else {
        return Err(std::io::Error::other("no connection"));
    };
    write!(
        c.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\r\n"
    )?;
    let mut line = String::new();
    c.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    loop {
        line.clear();
        if c.read_line(&mut line)? == 0 {
            return Err(std::io::Error::other("connection closed in the headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
            match k.as_str() {
                "content-length" => length = v.parse::<u64>().ok(),
                "transfer-encoding" => chunked = v.contains("chunked"),
                "connection" => close = v == "close",
                _ => {}
            }
        }
    }
    let sink = &mut std::io::sink();
    if chunked {
        loop {
            line.clear();
            c.read_line(&mut line)?;
            let size = u64::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            std::io::copy(&mut c.by_ref().take(size), sink)?;
            line.clear();
            c.read_line(&mut line)?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(n) = length {
        let got = std::io::copy(&mut c.by_ref().take(n), sink)?;
        if got < n {
            return Err(std::io::Error::other("body cut short"));
        }
    } else {
        std::io::copy(c, sink)?;
        close = true;
    }
    if close {
        *conn = None;
    }
    Ok(status)
}

struct Sample {
    endpoint: &'static str,
    latency: Duration,
    error: Option<String>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let total = (a.rate * a.secs).round() as u64;
    let (job_tx, job_rx) = mpsc::channel::<(&'static str, String, Instant)>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = mpsc::channel::<Sample>();
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let rx = Arc::clone(&job_rx);
        let tx = res_tx.clone();
        let addr = a.addr.clone();
        workers.push(std::thread::spawn(move || {
            let mut conn = None;
            loop {
                let job = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((endpoint, path, due)) = job else {
                    return;
                };
                let error = match get(&mut conn, &addr, &path) {
                    Ok(s) if (200..300).contains(&s) => None,
                    Ok(s) => Some(format!("{s} {path}")),
                    Err(e) => {
                        conn = None;
                        Some(format!("{e} {path}"))
                    }
                };
                let _ = tx.send(Sample {
                    endpoint,
                    latency: due.elapsed(),
                    error,
                });
            }
        }));
    }
    drop(res_tx);
    eprintln!(
        "load: {total} requests at {} /s for {} s against http://{}/ ({WORKERS} connections)",
        a.rate, a.secs, a.addr
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = Instant::now();
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / a.rate);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let (endpoint, path) = next_request(&mut rng, a.articles);
        if job_tx.send((endpoint, path, due)).is_err() {
            break;
        }
    }
    drop(job_tx);
    let samples: Vec<Sample> = res_rx.iter().collect();
    let elapsed = start.elapsed().as_secs_f64();
    for w in workers {
        let _ = w.join();
    }
    let mut by: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut all = Vec::with_capacity(samples.len());
    let mut errors: Vec<&str> = Vec::new();
    for s in &samples {
        by.entry(s.endpoint).or_default().push(s.latency);
        all.push(s.latency);
        if let Some(e) = &s.error {
            errors.push(e);
        }
    }
    println!(
        "{:<28} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "endpoint", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let row = |name: &str, v: &mut Vec<Duration>| {
        v.sort();
        println!(
            "{:<28} {:>7} {:>8} {:>8} {:>8} {:>8}",
            name,
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.9)),
            ms(percentile(v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        );
    };
    for (name, v) in by.iter_mut() {
        row(name, v);
    }
    row("ALL", &mut all);
    println!(
        "sent {} in {elapsed:.1} s ({:.1} /s), errors {}",
        samples.len(),
        samples.len() as f64 / elapsed,
        errors.len()
    );
    for e in errors.iter().take(10) {
        println!("  error: {e}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
