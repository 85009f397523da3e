//! The crate's one error type.

/// What went wrong in the store. User errors (a bad URL, a bad filter, a bad document) are kept
/// apart from database failures, and every variant names what it was working on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The PostgreSQL server could not be reached or refused the connection. `db` is the URL
    /// without its password.
    #[error("cannot open database {db}: {source}")]
    PgOpen {
        /// The URL given, password removed.
        db: String,
        /// Why.
        source: postgres::Error,
    },
    /// A PostgreSQL statement failed.
    #[error("database {db}: {what}: {source}")]
    Pg {
        /// The URL, password removed.
        db: String,
        /// What the store was doing.
        what: String,
        /// The driver's error.
        source: postgres::Error,
    },
    /// The full-text index failed, or this database has none (PostgreSQL).
    #[error("search index {index}: {reason}")]
    Search {
        /// The index folder.
        index: String,
        /// What went wrong.
        reason: String,
    },
    /// An export could not be written.
    #[error("export to {out}: {reason}")]
    Export {
        /// Where it was going.
        out: String,
        /// What went wrong.
        reason: String,
    },
    /// The database file could not be opened or set up.
    #[error("cannot open database {db}: {source}")]
    Open {
        /// The path given.
        db: String,
        /// Why.
        source: rusqlite::Error,
    },
    /// A statement failed.
    #[error("database {db}: {what}: {source}")]
    Sql {
        /// The database path.
        db: String,
        /// What the store was doing.
        what: String,
        /// The driver's error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer wirecoder.
    #[error("database {db} has schema version {found}, newer than this build knows ({supported})")]
    SchemaTooNew {
        /// The database path.
        db: String,
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A document's layers do not fit its text; nothing of the batch was written.
    #[error("document {doc}: {reason}")]
    InvalidDoc {
        /// The document's path, URL or id.
        doc: String,
        /// What is wrong.
        reason: String,
    },
    /// An [`EventFilter`](crate::EventFilter) field holds a value the store cannot use.
    #[error("invalid filter {field}={value:?}: {reason}")]
    InvalidFilter {
        /// The field.
        field: &'static str,
        /// Its value.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A stored row holds a value that no document could have written.
    #[error("database {db}: {context} holds bad data: {reason}")]
    Corrupt {
        /// The database path.
        db: String,
        /// Where the bad value is (`article 12`, `events`).
        context: String,
        /// What is wrong.
        reason: String,
    },
}

/// Attaches the database path and the current action to driver errors.
pub(crate) trait Ctx<T> {
    fn ctx(self, db: &str, what: &str) -> Result<T, StoreError>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn ctx(self, db: &str, what: &str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sql {
            db: db.to_string(),
            what: what.to_string(),
            source,
        })
    }
}

impl<T> Ctx<T> for Result<T, postgres::Error> {
    fn ctx(self, db: &str, what: &str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Pg {
            db: db.to_string(),
            what: what.to_string(),
            source,
        })
    }
}
