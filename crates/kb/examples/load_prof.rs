//! Times `Kb::load` and the background gazetteer build, N times in one process:
//! `cargo run --release -p wirecoder-kb --example load_prof -- 5`.
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let kb = match wirecoder_kb::Kb::load() {
            Ok(kb) => kb,
            Err(e) => {
                eprintln!("load failed: {e}");
                std::process::exit(1);
            }
        };
        let load = t.elapsed();
        let err = kb.gazetteer_error();
        println!(
            "Kb::load {:.0} ms, gazetteer ready at {:.0} ms, {} patterns{}",
            load.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            kb.pattern_count(),
            err.map(|e| format!(", gazetteer error: {e}"))
                .unwrap_or_default()
        );
    }
}
