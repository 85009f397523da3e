//! Every SQL statement the store runs, in one place.
//!
//! The schema is written once, for SQLite; [`pg_migration`] rewrites it for PostgreSQL (64-bit
//! integers, identity row ids, byte-order `COLLATE "C"` text so that prefix ranges and ordering
//! match SQLite's). Placeholders are `?`, renumbered for PostgreSQL. The one statement that
//! differs is the event select, which cuts evidence and sentence text by bytes
//! ([`events_select`], [`events_select_pg`]). Column names avoid reserved words (`end`, `date`).
//! Offsets are byte offsets into `articles.text`, as in the document model.

/// Migrations in order; `(version, SQL)`. Never edit a released one: add the next.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, MIGRATION_1),
    (2, MIGRATION_2),
    (3, MIGRATION_3),
    (4, MIGRATION_4),
    (5, MIGRATION_5),
    (6, MIGRATION_6),
];

/// The bookkeeping table, created before any migration runs.
pub(crate) const CREATE_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
)";

pub(crate) const CURRENT_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

pub(crate) const RECORD_MIGRATION: &str =
    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)";

const MIGRATION_1: &str = "
CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    content_hash       TEXT NOT NULL UNIQUE,
    source_id          TEXT,
    path               TEXT,
    url                TEXT,
    title              TEXT,
    author             TEXT,
    site               TEXT,
    language           TEXT,
    published          TEXT,
    published_inferred BOOLEAN NOT NULL DEFAULT FALSE,
    text               TEXT NOT NULL,
    ingested_at        TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_path ON articles (path);
CREATE INDEX articles_url ON articles (url);

CREATE TABLE stories (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    title      TEXT,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE headings (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE sentences (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE entities (
    article_id        BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx               INTEGER NOT NULL,
    start_byte        INTEGER NOT NULL,
    end_byte          INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    actor             TEXT,
    place_name        TEXT,
    place_country     TEXT,
    place_geonames_id BIGINT,
    place_lat         DOUBLE PRECISION,
    place_lon         DOUBLE PRECISION,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX entities_actor ON entities (actor);

CREATE TABLE dates (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    value      TEXT,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE quotes (
    article_id    BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    start_byte    INTEGER NOT NULL,
    end_byte      INTEGER NOT NULL,
    speaker_text  TEXT,
    speaker_actor TEXT,
    speaker_start INTEGER,
    speaker_end   INTEGER,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    article_id        BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx               INTEGER NOT NULL,
    source_text       TEXT NOT NULL,
    source_actor      TEXT,
    source_start      INTEGER,
    source_end        INTEGER,
    target_text       TEXT,
    target_actor      TEXT,
    target_start      INTEGER,
    target_end        INTEGER,
    cameo             TEXT NOT NULL,
    root_code         TEXT NOT NULL,
    goldstein         DOUBLE PRECISION NOT NULL,
    quad_class        SMALLINT NOT NULL,
    plover            TEXT,
    mode              TEXT,
    modality          TEXT NOT NULL,
    event_date        TEXT,
    place_name        TEXT,
    place_country     TEXT,
    place_geonames_id BIGINT,
    place_lat         DOUBLE PRECISION,
    place_lon         DOUBLE PRECISION,
    killed            INTEGER,
    injured           INTEGER,
    weapon            TEXT,
    sentence          INTEGER NOT NULL,
    evidence_start    INTEGER NOT NULL,
    evidence_end      INTEGER NOT NULL,
    UNIQUE (article_id, idx)
);
CREATE INDEX events_source_actor ON events (source_actor);
CREATE INDEX events_target_actor ON events (target_actor);
CREATE INDEX events_cameo ON events (cameo);
CREATE INDEX events_root_code ON events (root_code);
CREATE INDEX events_date ON events (event_date);
CREATE INDEX events_plover ON events (plover);

CREATE TABLE skipped (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
";

/// Indexes for the place filters (country, bounding box).
const MIGRATION_2: &str = "
CREATE INDEX events_place_country ON events (place_country);
CREATE INDEX events_place_lat ON events (place_lat);
";

/// Deduplication: canonical events with their mentions (every report's evidence), each
/// event's canonical id, near-duplicate links between articles and the MinHash LSH band table
/// that finds them across processes.
///
/// A canonical event keeps, beside its GDELT-like fields, what the clusterer compares a new
/// mention against (`block`, the date interval in days, `place_key`, `codes`, `words`,
/// `asserted`: see `wirecoder_dedup::CanonicalSummary`). Counts are kept up to date from
/// `canonical_mentions` as reports arrive.
const MIGRATION_3: &str = "
CREATE TABLE canonical_events (
    id            INTEGER PRIMARY KEY,
    block         TEXT NOT NULL,
    source_actor  TEXT,
    target_actor  TEXT,
    cameo         TEXT NOT NULL,
    root_code     TEXT NOT NULL,
    quad_class    SMALLINT NOT NULL,
    goldstein     DOUBLE PRECISION NOT NULL,
    date_first    INTEGER,
    date_last     INTEGER,
    event_date    TEXT,
    place_key     TEXT,
    place_name    TEXT,
    place_country TEXT,
    num_mentions  INTEGER NOT NULL,
    num_sources   INTEGER NOT NULL,
    num_articles  INTEGER NOT NULL,
    first_seen    TEXT,
    last_seen     TEXT,
    confidence    DOUBLE PRECISION NOT NULL,
    modality      TEXT NOT NULL,
    asserted      BOOLEAN NOT NULL,
    codes         TEXT NOT NULL,
    words         TEXT NOT NULL
);
CREATE INDEX canonical_events_block ON canonical_events (block, date_last);
CREATE INDEX canonical_events_sources ON canonical_events (num_sources);

CREATE TABLE canonical_mentions (
    canonical_id   BIGINT NOT NULL REFERENCES canonical_events (id),
    article_id     BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id       BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    site           TEXT NOT NULL,
    seen           TEXT,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    PRIMARY KEY (canonical_id, article_id, event_id)
);
CREATE INDEX canonical_mentions_article ON canonical_mentions (article_id);

ALTER TABLE events ADD COLUMN canonical_id BIGINT REFERENCES canonical_events (id);
CREATE INDEX events_canonical ON events (canonical_id);

ALTER TABLE articles ADD COLUMN duplicate_of BIGINT REFERENCES articles (id);
ALTER TABLE articles ADD COLUMN similarity DOUBLE PRECISION;
ALTER TABLE articles ADD COLUMN minhash BLOB;
CREATE INDEX articles_duplicate_of ON articles (duplicate_of);

CREATE TABLE article_bands (
    band       BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_bands_band ON article_bands (band);
";

/// Candidate lookups bounded on both sides: one partial index per anchor width class, keyed
/// on `date_first`, replaces `(block, date_last)` (see [`CANONICAL_CANDIDATES`]). The
/// conditions are written exactly as the query writes them, so that SQLite's planner can
/// match each index to its arm.
const MIGRATION_4: &str = "
DROP INDEX canonical_events_block;
CREATE INDEX canonical_events_narrow ON canonical_events (block, date_first)
    WHERE date_last - date_first <= 6;
CREATE INDEX canonical_events_month ON canonical_events (block, date_first)
    WHERE date_last - date_first > 6 AND date_last - date_first <= 31;
CREATE INDEX canonical_events_wide ON canonical_events (block, date_last)
    WHERE date_last - date_first > 31;
";

/// Tone: each article's (`Doc::tone`, GDELT's tone: positive minus negative words, percent of
/// all words) and each canonical event's average over the articles that report it, GDELT's
/// `AvgTone`. Rows stored before have none.
const MIGRATION_5: &str = "
ALTER TABLE articles ADD COLUMN tone DOUBLE PRECISION;
ALTER TABLE canonical_events ADD COLUMN avg_tone DOUBLE PRECISION;
";

/// One composite index for dyad filters: a source range read in `(source_actor, target_actor,
/// cameo)` order checks the target and code in the index and seeks only matching rows, where
/// any single-column index reads tens of thousands of rows at 1M events (a five-filter dyad
/// query: 67k rows by country, 8 hits). It serves source-only ranges too, so it replaces
/// `events_source_actor` and ingest writes no more index entries than before.
const MIGRATION_6: &str = "
DROP INDEX events_source_actor;
CREATE INDEX events_dyad ON events (source_actor, target_actor, cameo);
";

// ---- writes ----

pub(crate) const FIND_BY_HASH: &str = "SELECT id FROM articles WHERE content_hash = ?";

/// The MinHash signature goes in with the row: written by a later `UPDATE`, SQLite rewrote
/// the whole row (text included) a second time.
pub(crate) const INSERT_ARTICLE: &str = "INSERT INTO articles
    (content_hash, source_id, path, url, title, author, site, language, published,
     published_inferred, text, ingested_at, tone, minhash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/// A one-row `INSERT … VALUES (…)` of this module made to insert `rows` rows: its values
/// group repeated.
pub(crate) fn multi_row(single: &str, rows: usize) -> String {
    match single.rfind(" VALUES ") {
        Some(at) => {
            let (head, group) = single.split_at(at + " VALUES ".len());
            format!("{head}{}", vec![group; rows.max(1)].join(", "))
        }
        None => single.to_string(),
    }
}

pub(crate) const INSERT_STORY: &str =
    "INSERT INTO stories (article_id, idx, start_byte, end_byte, title) VALUES (?, ?, ?, ?, ?)";

pub(crate) const INSERT_HEADING: &str =
    "INSERT INTO headings (article_id, idx, start_byte, end_byte) VALUES (?, ?, ?, ?)";

pub(crate) const INSERT_SENTENCE: &str =
    "INSERT INTO sentences (article_id, idx, start_byte, end_byte) VALUES (?, ?, ?, ?)";

pub(crate) const INSERT_ENTITY: &str = "INSERT INTO entities
    (article_id, idx, start_byte, end_byte, kind, actor,
     place_name, place_country, place_geonames_id, place_lat, place_lon)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) const INSERT_DATE: &str =
    "INSERT INTO dates (article_id, idx, start_byte, end_byte, value) VALUES (?, ?, ?, ?, ?)";

pub(crate) const INSERT_QUOTE: &str = "INSERT INTO quotes
    (article_id, idx, start_byte, end_byte, speaker_text, speaker_actor, speaker_start, speaker_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) const INSERT_EVENT: &str = "INSERT INTO events
    (article_id, idx, source_text, source_actor, source_start, source_end,
     target_text, target_actor, target_start, target_end,
     cameo, root_code, goldstein, quad_class, plover, mode, modality, event_date,
     place_name, place_country, place_geonames_id, place_lat, place_lon,
     killed, injured, weapon, sentence, evidence_start, evidence_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Canonical events of a block whose date interval, widened by the tolerance, meets the
/// mention's (`date_last >= lo AND date_first <= hi`, `lo = first - tol`, `hi = last + tol`).
/// Read in date order so that ties go to the earlier event, as in the clusterer.
///
/// A scan bounded on `date_last` alone reads every event of the block that ends after `lo`,
/// so each insert got slower as the store grew. Anchors come in few widths (a day, three days
/// from a publication date, a week, a month, a year), so the query reads three width classes,
/// each from its own partial index (migration 4): for widths ≤ 6 and ≤ 31 days `date_first`
/// is bounded on both sides (`lo - 6 ..= hi`, `lo - 31 ..= hi`); the rare wider ones
/// (years) are scanned on `date_last` alone. Parameters, in order: `block, lo - 6, hi, lo,
/// block, lo - 31, hi, lo, block, lo, hi` ([`canonical_candidates`]). The limit only guards
/// against a degenerate block (thousands of open events in three days); it never binds on
/// real news.
pub(crate) const CANONICAL_CANDIDATES: &str = "SELECT id, source_actor, target_actor,
    place_key, date_first, date_last, codes, words, asserted
    FROM canonical_events WHERE block = ? AND date_first BETWEEN ? AND ?
    AND date_last - date_first <= 6 AND date_last >= ?
    UNION ALL SELECT id, source_actor, target_actor,
    place_key, date_first, date_last, codes, words, asserted
    FROM canonical_events WHERE block = ? AND date_first BETWEEN ? AND ?
    AND date_last - date_first > 6 AND date_last - date_first <= 31 AND date_last >= ?
    UNION ALL SELECT id, source_actor, target_actor,
    place_key, date_first, date_last, codes, words, asserted
    FROM canonical_events WHERE block = ? AND date_last >= ? AND date_first <= ?
    AND date_last - date_first > 31
    ORDER BY date_first, id LIMIT 1000";

/// The parameters of [`CANONICAL_CANDIDATES`] for `block` and the window `lo ..= hi`.
pub(crate) fn canonical_candidates(block: &str, lo: i64, hi: i64) -> Vec<crate::query::Param> {
    use crate::query::Param::{Int, Text};
    vec![
        Text(block.to_string()),
        Int(lo - 6),
        Int(hi),
        Int(lo),
        Text(block.to_string()),
        Int(lo - 31),
        Int(hi),
        Int(lo),
        Text(block.to_string()),
        Int(lo),
        Int(hi),
    ]
}

/// A new canonical event; counts and summary are filled by [`CANONICAL_SAVE`].
pub(crate) const CANONICAL_INSERT: &str = "INSERT INTO canonical_events
    (block, cameo, root_code, quad_class, goldstein, place_name, place_country,
     num_mentions, num_sources, num_articles, confidence, modality, asserted, codes, words)
    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0.0, ?, FALSE, '', '') RETURNING id";

/// The clusterer's summary of a canonical event, written back after a mention joins.
pub(crate) const CANONICAL_SAVE: &str = "UPDATE canonical_events SET
    source_actor = ?, target_actor = ?, cameo = ?, root_code = ?, date_first = ?,
    date_last = ?, event_date = ?, place_key = ?, asserted = ?, codes = ?, words = ?,
    modality = CASE WHEN ? THEN 'asserted' ELSE modality END
    WHERE id = ?";

/// Goldstein and quad class follow the canonical code: taken from a mention that has it.
pub(crate) const CANONICAL_SCALE: &str = "UPDATE canonical_events SET
    goldstein = ?, quad_class = ? WHERE id = ? AND cameo = ?";

/// A place for a canonical event that has none yet.
pub(crate) const CANONICAL_PLACE: &str = "UPDATE canonical_events SET
    place_name = ?, place_country = ? WHERE id = ? AND place_name IS NULL";

/// One report of a canonical event; a report already there is left alone.
pub(crate) const MENTION_INSERT: &str = "INSERT INTO canonical_mentions
    (canonical_id, article_id, event_id, site, seen, evidence_start, evidence_end)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

/// Counts of a canonical event from its mentions.
pub(crate) const MENTION_COUNTS: &str = "SELECT COUNT(*), COUNT(DISTINCT site),
    COUNT(DISTINCT article_id), MIN(seen), MAX(seen)
    FROM canonical_mentions WHERE canonical_id = ?";

/// Tones of the articles reporting a canonical event, in id order (averaged in Rust, so that
/// both engines sum in the same order and store the same value).
pub(crate) const MENTION_TONES: &str = "SELECT tone FROM articles WHERE tone IS NOT NULL
    AND id IN (SELECT article_id FROM canonical_mentions WHERE canonical_id = ?) ORDER BY id";

pub(crate) const CANONICAL_COUNTS: &str = "UPDATE canonical_events SET
    num_mentions = ?, num_sources = ?, num_articles = ?, first_seen = ?, last_seen = ?,
    confidence = ?, avg_tone = ? WHERE id = ?";

pub(crate) const CANONICAL_ASSERTED: &str = "SELECT asserted FROM canonical_events WHERE id = ?";

pub(crate) const EVENT_SET_CANONICAL: &str = "UPDATE events SET canonical_id = ? WHERE id = ?";

/// The events of an article with what linking a copy to them needs.
pub(crate) const ARTICLE_EVENT_CANONICALS: &str = "SELECT e.id, e.canonical_id,
    e.evidence_start, e.evidence_end FROM events e
    WHERE e.article_id = ? AND e.canonical_id IS NOT NULL ORDER BY e.idx";

/// Blocks of the canonical events an article's events belong to (the locks a copy needs).
pub(crate) const ARTICLE_BLOCKS: &str = "SELECT DISTINCT c.block FROM events e
    JOIN canonical_events c ON c.id = e.canonical_id WHERE e.article_id = ?";

pub(crate) const EVENT_IDS_OF_ARTICLE: &str =
    "SELECT id FROM events WHERE article_id = ? ORDER BY idx";

pub(crate) const ARTICLE_SET_DUPLICATE: &str =
    "UPDATE articles SET duplicate_of = ?, similarity = ? WHERE id = ?";

/// Candidate originals sharing a band with a signature: `{BANDS}` is replaced by the list of
/// placeholders. Bounded, so that boilerplate shared by many articles cannot make a lookup
/// slow.
pub(crate) const BAND_CANDIDATES: &str = "SELECT a.id, a.minhash FROM articles a
    WHERE a.id IN (SELECT article_id FROM article_bands WHERE band IN ({BANDS}))
    AND a.minhash IS NOT NULL ORDER BY a.id LIMIT 256";

/// The article a duplicate copies: `(duplicate_of, similarity)`.
pub(crate) const ARTICLE_DUPLICATE_OF: &str =
    "SELECT duplicate_of, similarity FROM articles WHERE id = ?";

pub(crate) const SELECT_ARTICLE_TEXT: &str = "SELECT text FROM articles WHERE id = ?";

pub(crate) const CANONICAL_BY_ID: &str = "SELECT source_actor, target_actor, cameo, root_code,
    quad_class, goldstein, event_date, place_name, place_country, num_mentions, num_sources,
    num_articles, first_seen, last_seen, confidence, modality
    FROM canonical_events WHERE id = ?";

pub(crate) const CANONICAL_MENTIONS: &str = "SELECT article_id, event_id, site, seen,
    evidence_start, evidence_end FROM canonical_mentions WHERE canonical_id = ?
    ORDER BY article_id, event_id";

pub(crate) const INSERT_SKIPPED: &str = "INSERT INTO skipped (source, reason, at) VALUES (?, ?, ?)";

// ---- reads ----

/// Event columns in the order `sqlite::read_event` expects them, from alias `e`.
pub(crate) const EVENT_COLUMNS: &str = "e.id, e.article_id,
    e.source_text, e.source_actor, e.source_start, e.source_end,
    e.target_text, e.target_actor, e.target_start, e.target_end,
    e.cameo, e.goldstein, e.quad_class, e.plover, e.mode, e.modality, e.event_date,
    e.place_name, e.place_country, e.place_geonames_id, e.place_lat, e.place_lon,
    e.killed, e.injured, e.weapon, e.sentence, e.evidence_start, e.evidence_end";

/// Columns after [`EVENT_COLUMNS`] and the six article and text columns: the canonical id
/// and its counts (1 for an event without a canonical event, as stored before migration 3),
/// then the average tone of its reports (the article's own without a canonical event).
const CANONICAL_COLUMNS: &str = "e.canonical_id, COALESCE(c.num_mentions, 1),
    COALESCE(c.num_sources, 1), COALESCE(c.num_articles, 1), COALESCE(c.avg_tone, a.tone)";

/// Number of columns in [`EVENT_COLUMNS`].
pub(crate) const EVENT_COLUMN_COUNT: usize = 28;

/// The head of the event query; the filter adds `WHERE` clauses, then [`EVENTS_ORDER`].
/// Evidence and sentence text are cut from the article by bytes: a BLOB `substr` counts bytes.
pub(crate) fn events_select() -> String {
    format!(
        "SELECT {EVENT_COLUMNS}, a.title, a.published, COALESCE(a.url, a.path), a.ingested_at,
            substr(CAST(a.text AS BLOB), e.evidence_start + 1, e.evidence_end - e.evidence_start),
            substr(CAST(a.text AS BLOB), s.start_byte + 1, s.end_byte - s.start_byte),
            {CANONICAL_COLUMNS}
         FROM events e
         JOIN articles a ON a.id = e.article_id
         LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
         LEFT JOIN canonical_events c ON c.id = e.canonical_id"
    )
}

/// [`events_select`] for PostgreSQL: bytes are cut from the UTF-8 encoding of the text.
pub(crate) fn events_select_pg() -> String {
    format!(
        "SELECT {EVENT_COLUMNS}, a.title, a.published, COALESCE(a.url, a.path), a.ingested_at,
            substring(convert_to(a.text, 'UTF8') from (e.evidence_start + 1)::int
                for (e.evidence_end - e.evidence_start)::int),
            substring(convert_to(a.text, 'UTF8') from (s.start_byte + 1)::int
                for (s.end_byte - s.start_byte)::int),
            {CANONICAL_COLUMNS}
         FROM events e
         JOIN articles a ON a.id = e.article_id
         LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
         LEFT JOIN canonical_events c ON c.id = e.canonical_id"
    )
}

/// A migration rewritten for PostgreSQL: 64-bit integers everywhere (the driver maps `i64` to
/// `BIGINT` only), identity columns for row ids, and byte-order collation on text so that
/// prefix ranges and ordering match SQLite's BINARY collation.
pub(crate) fn pg_migration(m: &str) -> String {
    m.replace(
        "INTEGER PRIMARY KEY",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    )
    .replace("INTEGER", "BIGINT")
    .replace("SMALLINT", "BIGINT")
    .replace(" TEXT", " TEXT COLLATE \"C\"")
    .replace(" BLOB", " BYTEA")
}

pub(crate) const EVENTS_ORDER: &str = " ORDER BY e.id";

/// The date an event filter compares: the event's own, else its article's.
pub(crate) const EVENT_WHEN: &str = "COALESCE(e.event_date, a.published)";

pub(crate) const SELECT_ARTICLE: &str = "SELECT source_id, path, url, title, author, site,
    language, published, published_inferred, text FROM articles WHERE id = ?";

pub(crate) const SELECT_STORIES: &str =
    "SELECT start_byte, end_byte, title FROM stories WHERE article_id = ? ORDER BY idx";

pub(crate) const SELECT_HEADINGS: &str =
    "SELECT start_byte, end_byte FROM headings WHERE article_id = ? ORDER BY idx";

pub(crate) const SELECT_SENTENCES: &str =
    "SELECT start_byte, end_byte FROM sentences WHERE article_id = ? ORDER BY idx";

pub(crate) const SELECT_ENTITIES: &str = "SELECT start_byte, end_byte, kind, actor,
    place_name, place_country, place_geonames_id, place_lat, place_lon
    FROM entities WHERE article_id = ? ORDER BY idx";

pub(crate) const SELECT_DATES: &str =
    "SELECT start_byte, end_byte, value FROM dates WHERE article_id = ? ORDER BY idx";

pub(crate) const SELECT_QUOTES: &str = "SELECT start_byte, end_byte, speaker_text,
    speaker_actor, speaker_start, speaker_end FROM quotes WHERE article_id = ? ORDER BY idx";

pub(crate) fn select_article_events() -> String {
    format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.article_id = ? ORDER BY e.idx")
}

pub(crate) const ARTICLE_TITLE: &str = "SELECT title FROM articles WHERE id = ?";

pub(crate) const ARTICLE_BY_ID: &str = "SELECT id, title, path FROM articles WHERE id = ?";

pub(crate) const ARTICLES_BY_PATH_OR_URL: &str =
    "SELECT id, title, path FROM articles WHERE path = ? OR url = ? ORDER BY id";

/// Case-insensitive (ASCII) substring on title or path; the key is `LIKE`-escaped with `\`.
pub(crate) const ARTICLES_BY_SUBSTRING: &str = "SELECT id, title, path FROM articles
    WHERE lower(title) LIKE ? ESCAPE '\\' OR lower(path) LIKE ? ESCAPE '\\' ORDER BY id";

pub(crate) const ARTICLES_NEWEST: &str =
    "SELECT id, title, path FROM articles ORDER BY id DESC LIMIT ?";

pub(crate) const STATS: &str = "SELECT
    (SELECT COUNT(*) FROM articles),
    (SELECT COUNT(*) FROM stories),
    (SELECT COUNT(*) FROM sentences),
    (SELECT COUNT(*) FROM entities),
    (SELECT COUNT(*) FROM quotes),
    (SELECT COUNT(*) FROM events),
    (SELECT COUNT(*) FROM skipped),
    (SELECT COUNT(*) FROM canonical_events)";
