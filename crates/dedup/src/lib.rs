//! One event, many reports: near-duplicate articles, cross-document event clustering into
//! canonical events (GDELT-style mention, source and article counts), and the scoring of
//! cross-document event coreference (MUC, B³, CEAF-e, CoNLL F1) with an ECB+ reader and
//! resolver.
//!
//! - [`ArticleIndex`]: MinHash LSH over word shingles; `check` before coding an article,
//!   `insert` after storing it. A duplicate is linked to the article it copies.
//! - [`EventClusterer`]: incremental; [`EventClusterer::add`] an [`EventKey`] per coded event
//!   and get its [`ClusterId`]; [`EventClusterer::canonical`] gives the [`CanonicalEvent`].
//! - [`CanonicalSummary`]: the persisted state of a canonical event; the store scores new
//!   mentions against rows it reads back ([`CanonicalSummary::score`], keyed by [`block_of`]),
//!   with the clusterer's own rules.
//! - [`score()`]: coreference metrics; [`ecbplus`]: the ECB+ corpus and resolver.
#![deny(missing_docs)]

mod cluster;
pub mod ecbplus;
mod hash;
mod lemma;
mod minhash;
mod score;

pub use cluster::{
    block_of, confidence, site_of, CanonicalEvent, CanonicalSummary, ClusterId, ClusterParams,
    DateRange, EventClusterer, EventKey, Evidence,
};
pub use lemma::lemma_key;
pub use minhash::{ArticleIndex, Duplicate, Signature, DUPLICATE_THRESHOLD, NUM_HASHES, SHINGLE};
pub use score::{score, CorefScores, Prf};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file could not be parsed.
    #[error("{file}:{line}: {msg}")]
    Parse {
        /// The file.
        file: String,
        /// Line number (1-based).
        line: usize,
        /// What was wrong.
        msg: String,
    },
}
