//! `wirecoder eval actors FILE`: actor codes on PLOVER gold-standard records — the share of gold
//! source/target actors whose words carry a knowledge-base mention with the right country, and
//! with the right country and sector (scoring in `wirecoder_kb::score_actors`).

use anyhow::{Context, Result};
use std::path::Path;
use wirecoder_kb::{score_actors, Kb};

/// Runs the actor evaluation on a PLOVER GSR JSON file.
pub fn run(path: &Path, verbose: bool) -> Result<()> {
    let json =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let s = score_actors(Kb::shared(), &json).with_context(|| path.display().to_string())?;
    if verbose {
        for i in s.items.iter().filter(|i| !i.full_ok) {
            let sector =
                i.gold_sector
                    .as_deref()
                    .unwrap_or(if i.sector_unknown { "***" } else { "" });
            println!(
                "{} {} {:<6} {:?}: gold {}{} got {} {:?}",
                if i.country_ok { "~" } else { "x" },
                i.id,
                i.role,
                i.actor_text,
                i.gold_country,
                sector,
                i.found.as_deref().unwrap_or("-"),
                i.found_text.as_deref().unwrap_or("")
            );
        }
    }
    println!("gold actors      {}", s.total);
    println!("located in text  {}", s.located);
    println!("with a code      {}", s.with_code);
    println!(
        "country right    {:.3} ({}/{})",
        s.country_rate(),
        s.country_ok,
        s.total
    );
    println!(
        "full code right  {:.3} ({}/{}, sector *** left out)",
        s.full_rate(),
        s.full_ok,
        s.full_total
    );
    Ok(())
}
