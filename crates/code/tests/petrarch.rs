//! The PETRARCH unit records (`../shared/eval/petrarch-unit`) coded by the product pipeline
//! with the records' own dictionaries: a floor under the measured score (docs/BENCHMARKS.md,
//! "PETRARCH unit records"), so that a change to the coder that loses codings shows here.

use std::path::Path;

use wirecoder_code::eval::{eval_petrarch, petrarch_pipeline};

/// Below the measured share of expected codings found, with room for parser drift.
const FOUND_FLOOR: f64 = 0.76;
/// Above the measured extra codings per expected one.
const EXTRA_CEILING: f64 = 0.17;

#[test]
fn petrarch_unit_records() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/petrarch-unit"
    ));
    if !dir.join("PETR.UnitTest.records.xml").exists() {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    }
    let p = petrarch_pipeline(dir).expect("the suite's dictionaries load");
    let r = eval_petrarch(&p, dir).expect("the records read");
    eprint!("{}", r.table(false));
    assert!(r.total.records >= 280, "{} records", r.total.records);
    assert!(
        r.recall() >= FOUND_FLOOR,
        "found {:.3} < {FOUND_FLOOR}",
        r.recall()
    );
    assert!(
        r.extra_rate() <= EXTRA_CEILING,
        "extra {:.3} > {EXTRA_CEILING}",
        r.extra_rate()
    );
}
