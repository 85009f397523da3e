//! Reading and extraction cost of the HTML ingest path, without annotation or storage:
//! every input is read as `wirecoder ingest` reads it (`wirecoder_ingest::read_inputs`),
//! then extracted. Prints the CPU time of each part; with `DUMP=FILE`, writes every
//! article (debug form, one per line) so two builds can be compared byte for byte.
//!
//! `cargo run --release -p wirecoder-extract --example html_bench -- DIR...`

use std::io::Write;
use std::time::Duration;

fn cpu() -> Duration {
    // CLOCK_PROCESS_CPUTIME_ID through /proc would be slower; getrusage is enough here.
    let mut ru = std::mem::MaybeUninit::<libc_rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    unsafe { getrusage(0, ru.as_mut_ptr()) };
    // SAFETY: zero-initialised and filled above.
    let ru = unsafe { ru.assume_init() };
    let t = |s: i64, us: i64| Duration::from_micros((s * 1_000_000 + us) as u64);
    t(ru.utime_s, ru.utime_us) + t(ru.stime_s, ru.stime_us)
}

#[repr(C)]
struct libc_rusage {
    utime_s: i64,
    utime_us: i64,
    stime_s: i64,
    stime_us: i64,
    rest: [i64; 14],
}

extern "C" {
    fn getrusage(who: i32, usage: *mut libc_rusage) -> i32;
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: Vec<String> = std::env::args().skip(1).collect();
    let only_read = std::env::var_os("ONLY_READ").is_some();
    let mut dump = match std::env::var_os("DUMP") {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let (mut read, mut extract) = (Duration::ZERO, Duration::ZERO);
    let (mut pages, mut skipped, mut bytes, mut text) = (0usize, 0usize, 0usize, 0usize);
    let mut it = wirecoder_ingest::read_inputs(&inputs);
    loop {
        let t0 = cpu();
        let Some(r) = it.next() else { break };
        let t1 = cpu();
        read += t1 - t0;
        let Ok(raw) = r else {
            skipped += 1;
            continue;
        };
        if only_read {
            pages += 1;
            bytes += raw.text.len();
            continue;
        }
        if raw.format != wirecoder_ingest::Format::Html {
            continue;
        }
        let a = wirecoder_extract::extract_html(&raw.text, raw.meta.url.as_deref());
        extract += cpu() - t1;
        pages += 1;
        bytes += raw.text.len();
        text += a.text.len();
        if let Some(d) = dump.as_mut() {
            writeln!(d, "{}\t{:?}", raw.source, a)?;
        }
    }
    let s = |d: Duration| d.as_secs_f64();
    println!(
        "pages {pages} skipped {skipped} MB {:.1} text {text}  read {:.2} s  extract {:.2} s  \
         {:.0} pages per CPU second",
        bytes as f64 / 1e6,
        s(read),
        s(extract),
        pages as f64 / s(read + extract)
    );
    Ok(())
}
