//! The one error type of the crate.

use wirecoder_store::StoreError;

/// What can go wrong while loading, evaluating or delivering watch rules.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WatchError {
    /// A rule file is malformed: the message names the file, line and column (1-based) and
    /// shows the offending line with a caret under the column.
    #[error("{file}:{line}:{column}: {message}\n{snippet}")]
    Rule {
        /// The file (or `<name>` for rules read from the database).
        file: String,
        /// Line, 1-based.
        line: usize,
        /// Column in characters, 1-based.
        column: usize,
        /// What is wrong.
        message: String,
        /// The offending line and a caret.
        snippet: String,
    },
    /// Two rules share a name.
    #[error("{file}: rule {name:?} is defined twice (rule names must be unique)")]
    Duplicate {
        /// Where the second one is.
        file: String,
        /// The name.
        name: String,
    },
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The watch tables could not be read or written.
    #[error("database {db}: {reason}")]
    Db {
        /// The database (password redacted).
        db: String,
        /// What failed and why.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An alert could not be delivered.
    #[error("delivering an alert to {target}: {reason}")]
    Deliver {
        /// The sink (`file:PATH`, `webhook:URL`, `stdout`).
        target: String,
        /// Why.
        reason: String,
    },
    /// The built-in embargo table is malformed (a bug caught by the tests).
    #[error("un_arms_embargoes.tsv line {line}: {reason}")]
    Table {
        /// Line, 1-based.
        line: usize,
        /// Why.
        reason: String,
    },
}
