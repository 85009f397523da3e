//! `wirecoder eval ...`: scores against gold sets, one nested subcommand a component.

mod actors;
mod coder;
mod coref;
mod extraction;
mod geo;
mod muc4;
mod ner;
pub(crate) mod syntax;

pub(crate) use coref::run_coref;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

/// The gold sets `eval` knows, one variant a component.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Main-text extraction: precision, recall, F1 and pages/s (one thread); metadata on WCXB.
    Extraction {
        /// Which gold set DIR holds.
        #[arg(long, value_enum)]
        suite: ExtractionSuite,
        /// Print every miss, leak and metadata error.
        #[arg(long)]
        verbose: bool,
        /// The gold set's folder.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Actor codes on PLOVER gold records: right country, right country + sector.
    Actors {
        /// Print every actor without the right full code.
        #[arg(long)]
        verbose: bool,
        /// `../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.dev.json`.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Geoparsing (GeoVirus, GeoWebNews): recall of gold toponyms, accuracy within 161 km.
    Geo {
        /// Print every missed or misplaced toponym.
        #[arg(long)]
        verbose: bool,
        /// Folder with GeoVirus.xml and GeoWebNews.xml (`../shared/eval/geoparsing`).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Tagging and parsing with gold tokenization: UPOS, XPOS, lemma, UAS, LAS, tokens/s.
    Syntax {
        /// A model file instead of the shipped one.
        #[arg(long, value_name = "PATH")]
        model: Option<PathBuf>,
        /// Gold CoNLL-U (`../shared/ud/ewt/en_ewt-ud-dev.conllu`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Event coding: PLOVER event type and actors, or CAMEO root codes of the manual's examples.
    Coder {
        /// Which gold set PATH is.
        #[arg(long, value_enum)]
        suite: CoderSuite,
        /// Print every miss.
        #[arg(long)]
        verbose: bool,
        /// The gold file (or the folder holding it).
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// `judged`: the corpus the judgements are keyed to.
        #[arg(long, value_name = "DIR", default_value = "../shared/corpora/bbc")]
        corpus: PathBuf,
        /// `judged`: print only this half's unjudged events, and its wrong ones (`dev` or `check`).
        #[arg(long, value_name = "HALF")]
        split: Option<String>,
    },
    /// Temporal expressions on TimeBank: detection P/R/F1 (relaxed span), value accuracy.
    Timex {
        /// Print misses, false alarms and wrong values.
        #[arg(long)]
        verbose: bool,
        /// Folder of TimeML `.tml` files (`../shared/eval/timebank`).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Direct quotes and their speakers on PolNeAR (`../shared/eval/polnear/dev`).
    Quotes {
        /// Print every gold quote without the right speaker.
        #[arg(long)]
        verbose: bool,
        /// A PolNeAR split folder holding `text/` and `attributions/`.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// MUC-4 role fillers (`../shared/eval/muc4/gtt_processed_dev.jsonl`): P/R/F1 per role and
    /// micro, document level, head-noun match (see docs/BENCHMARKS.md).
    Muc4 {
        /// A model from `wirecoder train muc4` (else cached, else trained on the fly).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Print each document's role where the fillers and the gold differ.
        #[arg(long)]
        verbose: bool,
        /// MUC-4 JSONL with templates.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Named entities on CoNLL-format gold (`../shared/eval/conll2003/dev.txt`): exact-span
    /// P/R/F1 per type and overall, and tagging MB/s.
    Ner {
        /// A model from `wirecoder train ner` (else trained from --train, else cached, else
        /// trained from `../shared/eval/conll2003/train.txt` and cached).
        #[arg(long, value_name = "FILE", conflicts_with = "train")]
        model: Option<PathBuf>,
        /// Train on this CoNLL-format file first.
        #[arg(long, value_name = "FILE")]
        train: Option<PathBuf>,
        /// Gold CoNLL-format file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Cross-document event coreference on ECB+ (`../shared/eval/ecbplus`): MUC, B³,
    /// CEAF-e and CoNLL F1 with gold event mentions, and end to end with wirecoder's events.
    Coref {
        /// Which topics.
        #[arg(long, value_enum, default_value_t = coref::CorefTopics::Dev)]
        topics: coref::CorefTopics,
        /// Score every annotated sentence, not only those of ECBplus_coreference_sentences.csv.
        #[arg(long)]
        all_sentences: bool,
        /// Skip the end-to-end run (wirecoder's own events).
        #[arg(long)]
        gold_only: bool,
        /// The ECB+ folder (numbered topic folders).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Sentence splitting: F1 of exact sentence spans on CoNLL-U documents (`# newpar`,
    /// `# text`), e.g. `../shared/eval/gum-news`.
    Sentences {
        /// Print every sentence the splitter got wrong.
        #[arg(long)]
        verbose: bool,
        /// CoNLL-U files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// Event coder gold sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoderSuite {
    /// PLOVER gold standard records (`../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.dev.json`).
    Plover,
    /// The example sentence of each CAMEO code (`../shared/kb/cameo/cameo-codes.csv`).
    CameoExamples,
    /// PETRARCH's unit records with their own dictionaries (`../shared/eval/petrarch-unit`).
    Petrarch,
    /// Judged precision on general news: every event of a fixed sample of `--corpus`
    /// documents against hand verdicts (`data/eval/bbc-judged.tsv`).
    Judged,
}

/// Extraction gold sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractionSuite {
    /// trafilatura's evaluation set (must-contain / must-not-contain snippets).
    Trafilatura,
    /// WCXB (reviewed main text, title, author, date).
    Wcxb,
}

/// Runs one `eval` subcommand.
pub fn run(cmd: &EvalCommand) -> Result<()> {
    match cmd {
        EvalCommand::Extraction {
            suite,
            verbose,
            dir,
        } => extraction::run(*suite, dir, *verbose),
        EvalCommand::Geo { verbose, dir } => geo::run(dir, *verbose),
        EvalCommand::Actors { verbose, file } => actors::run(file, *verbose),
        EvalCommand::Coder {
            suite: CoderSuite::Judged,
            verbose,
            path,
            corpus,
            split,
        } => coder::run_judged(path, corpus, split.as_deref(), *verbose),
        EvalCommand::Coder {
            suite,
            verbose,
            path,
            ..
        } => coder::run(*suite, path, *verbose),
        EvalCommand::Timex { verbose, dir } => coder::run_timex(dir, *verbose),
        EvalCommand::Quotes { verbose, dir } => coder::run_quotes(dir, *verbose),
        EvalCommand::Muc4 {
            model,
            verbose,
            file,
        } => muc4::run(file, model.as_deref(), *verbose),
        EvalCommand::Ner { model, train, file } => {
            ner::run(file, model.as_deref(), train.as_deref())
        }
        EvalCommand::Syntax { model, file } => syntax::run(file, model.as_deref()),
        EvalCommand::Sentences { verbose, paths } => syntax::run_sentences(paths, *verbose),
        EvalCommand::Coref {
            topics,
            all_sentences,
            gold_only,
            dir,
        } => coref::run(dir, *topics, *all_sentences, !*gold_only),
    }
}
