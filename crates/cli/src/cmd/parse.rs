//! `wirecoder parse --conllu FILE|-`: tag and parse CoNLL-U, keeping its tokenization.

use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::path::Path;

/// Read CoNLL-U from `input` (`-` for stdin) and write it with predicted LEMMA, UPOS, XPOS,
/// HEAD and DEPREL.
pub fn run(input: &str, conllu: bool, model: Option<&Path>) -> Result<()> {
    if !conllu {
        bail!("only `--conllu` input is supported: wirecoder parse --conllu FILE|-");
    }
    let text = if input == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read stdin")?;
        s
    } else {
        std::fs::read_to_string(input).with_context(|| format!("cannot read {input}"))?
    };
    let m = super::eval::syntax::load_model(model)?;
    let mut sents = wirecoder_syntax::parse_conllu(&text, input)?;
    let mut out = super::stdout();
    for s in &mut sents {
        m.analyse_sentence(s);
        write!(out, "{}", s.to_conllu())?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}
