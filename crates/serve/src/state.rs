//! What every request shares: a pool of reading store handles (each behind a mutex; the store
//! is synchronous and only ever called from blocking threads), a store handle for writes, the
//! cached answers of the aggregate endpoints, the lazily loaded coder, the token and the
//! country centroids of the shipped map.

use crate::error::ApiError;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use wirecoder_doc::OffsetMap;
use wirecoder_store::Store;

/// The shared state of one server.
pub(crate) struct AppState {
    pub(crate) db: String,
    /// Reading connections: aggregates walk every event, so a slow one must not hold up the
    /// events table (SQLite in WAL mode reads concurrently).
    stores: Vec<Mutex<Store>>,
    /// Connections for the reads that walk every matching event (aggregates, CSV): kept apart
    /// so that a few of them (a cold cache computing several aggregates at once) cannot take
    /// every reader while quick lookups queue behind them. Empty: they share `stores`.
    slow_stores: Vec<Mutex<Store>>,
    next: std::sync::atomic::AtomicUsize,
    /// A connection of its own for the data version that every cached answer checks (one
    /// short query), so that a cache hit never waits for a reader busy with a long query.
    /// `None` for an in-memory database (one connection only).
    version_store: Option<Mutex<Store>>,
    /// Writes go through their own connection so that reads (SQLite WAL) are not held up by a
    /// long ingest. Opened on first use.
    pub(crate) writer: Mutex<Option<Store>>,
    pub(crate) pipeline: OnceLock<Result<wirecoder_code::Pipeline, String>>,
    pub(crate) token: Option<String>,
    pub(crate) protect_reads: bool,
    /// ISO alpha-3 → (lon, lat) of the country's outline centre.
    pub(crate) centroids: HashMap<String, (f64, f64)>,
    /// Code-point offset maps of article texts (the API speaks code points, the store bytes).
    offsets: Mutex<HashMap<i64, Arc<OffsetMap>>>,
    /// Answers of the aggregate endpoints (each walks every matching event), as JSON bytes.
    answers: Mutex<Answers>,
    /// The only folder `{"paths": [...]}` bodies may read from (canonical); `None`: refused.
    pub(crate) files_root: Option<std::path::PathBuf>,
}

pub(crate) type Shared = Arc<AppState>;

/// Offset maps kept before the cache is emptied (each is a few kB).
const OFFSET_CACHE: usize = 4096;

impl AppState {
    /// `stores` must not be empty; `slow_stores` serve the long walks (empty: `stores` do);
    /// `version_store` is the data version's own connection.
    pub(crate) fn new(
        db: String,
        stores: Vec<Store>,
        slow_stores: Vec<Store>,
        version_store: Option<Store>,
        token: Option<String>,
        protect_reads: bool,
    ) -> AppState {
        AppState {
            db,
            stores: stores.into_iter().map(Mutex::new).collect(),
            slow_stores: slow_stores.into_iter().map(Mutex::new).collect(),
            next: std::sync::atomic::AtomicUsize::new(0),
            version_store: version_store.map(Mutex::new),
            writer: Mutex::new(None),
            pipeline: OnceLock::new(),
            token,
            protect_reads,
            centroids: crate::assets::centroids(),
            offsets: Mutex::new(HashMap::new()),
            answers: Mutex::new(Answers::default()),
            files_root: None,
        }
    }

    /// The reading store. A panic while it was held poisons nothing that matters: the store
    /// itself keeps no half-written state between calls.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.pick(&self.stores)
    }

    /// A reading store for a walk over every matching event (see `slow_stores`).
    pub(crate) fn slow_store(&self) -> MutexGuard<'_, Store> {
        if self.slow_stores.is_empty() {
            return self.store();
        }
        self.pick(&self.slow_stores)
    }

    /// The first free connection of `pool`, else the next one in turn. `pool` is not empty.
    fn pick<'a>(&self, pool: &'a [Mutex<Store>]) -> MutexGuard<'a, Store> {
        use std::sync::TryLockError;
        for m in pool {
            match m.try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        // All busy: queue on one of them in turn.
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % pool.len();
        pool[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The code-point offset map of an article's text.
    pub(crate) fn offsets(&self, store: &Store, article: i64) -> Result<Arc<OffsetMap>, ApiError> {
        {
            let cache = self.offsets.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(m) = cache.get(&article) {
                return Ok(m.clone());
            }
        }
        let text = store.article(article)?.map(|d| d.text).unwrap_or_default();
        let m = Arc::new(OffsetMap::new(&text));
        let mut cache = self.offsets.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= OFFSET_CACHE {
            cache.clear();
        }
        cache.insert(article, m.clone());
        Ok(m)
    }
}

/// Aggregate answers kept before the cache is emptied.
const ANSWER_CACHE: usize = 256;

/// The cached answers of one data version.
#[derive(Default)]
struct Answers {
    /// The data version they were computed at (see [`AppState::version`]).
    version: i64,
    /// Key → the slot its answer is computed into once, whoever asks first.
    slots: HashMap<String, Slot>,
}

/// One cached answer: the JSON bytes and when they were made. The async mutex makes
/// concurrent requests for the same key wait for one computation instead of each walking
/// every event (and holding a reader) at once.
type Slot = Arc<tokio::sync::Mutex<Option<(Bytes, Instant)>>>;

impl AppState {
    /// Forgets cached aggregates (the data changed).
    pub(crate) fn data_changed(&self) {
        self.answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .slots
            .clear();
    }

    /// The data version: the newest article id. Events, canonical events and their counts
    /// change only when articles are added (stores are append-only), so a writer in another
    /// process (`wirecoder ingest` beside `serve`) is seen too, not only this server's ingest.
    fn version(&self) -> Result<i64, ApiError> {
        let newest = match &self.version_store {
            Some(m) => m.lock().unwrap_or_else(|p| p.into_inner()).articles(1)?,
            None => self.store().articles(1)?,
        };
        Ok(newest.first().map_or(0, |a| a.0))
    }

    /// The slot of `key` at data version `version`; a newer version empties the cache. A
    /// request that read an older version gets a slot of its own (not kept).
    fn slot(&self, version: i64, key: &str) -> Slot {
        let mut a = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        if version > a.version {
            a.version = version;
            a.slots.clear();
        } else if version < a.version {
            return Slot::default();
        }
        if let Some(s) = a.slots.get(key) {
            return s.clone();
        }
        if a.slots.len() >= ANSWER_CACHE {
            a.slots.clear();
        }
        let s = Slot::default();
        a.slots.insert(key.to_string(), s.clone());
        s
    }
}

/// A JSON answer from bytes already serialized (what `axum::Json` would have sent).
pub(crate) fn json_bytes(body: Bytes) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// [`blocking`], remembering the answer under `key` until the data changes (or for at most
/// `max_age`), and answering with its JSON bytes. Concurrent requests for one key share one
/// computation.
pub(crate) async fn cached(
    st: &Shared,
    key: String,
    max_age: Option<Duration>,
    f: impl FnOnce(&AppState) -> Result<serde_json::Value, ApiError> + Send + 'static,
) -> Result<axum::response::Response, ApiError> {
    let version = blocking(st, |st| st.version()).await?;
    let slot = st.slot(version, &key);
    let mut held = slot.lock().await;
    if let Some((body, made)) = &*held {
        let fresh = match max_age {
            Some(age) => made.elapsed() <= age,
            None => true,
        };
        if fresh {
            return Ok(json_bytes(body.clone()));
        }
    }
    let body = blocking(st, move |st| {
        let v = f(st)?;
        serde_json::to_vec(&v).map_err(ApiError::internal)
    })
    .await?;
    let body = Bytes::from(body);
    *held = Some((body.clone(), Instant::now()));
    Ok(json_bytes(body))
}

/// Runs `f` on a blocking thread with the state; a panic inside becomes a 500.
pub(crate) async fn blocking<T: Send + 'static>(
    st: &Shared,
    f: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let st = st.clone();
    tokio::task::spawn_blocking(move || f(&st))
        .await
        .map_err(ApiError::internal)?
}
