//! The crate's error type: every variant names the input it is about.

/// Why an input could not be turned into a document. `Display` is one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("{path}: unreadable file: {source}")]
    Unreadable {
        /// The input.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Neither a file, a folder, nor a pattern that matched anything.
    #[error("{path}: no such file, folder or matching pattern")]
    NotFound {
        /// The input as given.
        path: String,
    },
    /// The glob pattern could not be parsed.
    #[error("{path}: bad glob pattern: {reason}")]
    BadPattern {
        /// The pattern.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file holds no text.
    #[error("{path}: empty file")]
    Empty {
        /// The input.
        path: String,
    },
    /// The file is binary (NUL bytes or mostly control bytes).
    #[error("{path}: binary file, not text")]
    Binary {
        /// The input.
        path: String,
    },
    /// The file (or its decompressed content) is over the size limit.
    #[error("{path}: file too large (over {limit} bytes)")]
    TooLarge {
        /// The input.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The gzip stream is truncated or corrupt.
    #[error("{path}: truncated or corrupt gzip: {reason}")]
    Gzip {
        /// The input.
        path: String,
        /// Why.
        reason: String,
    },
    /// Decoding left a large share of replacement characters.
    #[error("{path}: undecodable text (unknown encoding)")]
    Undecodable {
        /// The input.
        path: String,
    },
    /// A JSONL line is not a usable document.
    #[error("{path}:{line}: bad JSONL line: {reason}")]
    BadLine {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
    /// A WARC record is malformed or truncated; the archive goes on with the next one.
    #[error("{path}: record {record}: {reason}")]
    BadRecord {
        /// The archive.
        path: String,
        /// 1-based record number.
        record: usize,
        /// Why.
        reason: String,
    },
    /// A feed could not be parsed.
    #[error("{path}: bad feed: {reason}")]
    BadFeed {
        /// The feed file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Name used by [`crate::decode`] before the caller knows the file.
pub(crate) const NO_PATH: &str = "<input>";

impl IngestError {
    /// The same error, naming `path` instead of a placeholder.
    pub(crate) fn with_path(self, p: &str) -> IngestError {
        let p = p.to_string();
        match self {
            IngestError::Empty { .. } => IngestError::Empty { path: p },
            IngestError::Binary { .. } => IngestError::Binary { path: p },
            IngestError::Undecodable { .. } => IngestError::Undecodable { path: p },
            other => other,
        }
    }

    /// The input the error is about (`path:line` for JSONL lines).
    pub fn path(&self) -> String {
        match self {
            IngestError::BadLine { path, line, .. } => format!("{path}:{line}"),
            IngestError::BadRecord { path, record, .. } => format!("{path}#{record}"),
            IngestError::BadFeed { path, .. } => path.clone(),
            IngestError::Unreadable { path, .. }
            | IngestError::NotFound { path }
            | IngestError::BadPattern { path, .. }
            | IngestError::Empty { path }
            | IngestError::Binary { path }
            | IngestError::TooLarge { path, .. }
            | IngestError::Gzip { path, .. }
            | IngestError::Undecodable { path } => path.clone(),
        }
    }
}
