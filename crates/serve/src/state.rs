//! What every request shares: the store (behind a mutex; it is synchronous and is only ever
//! called from blocking threads), a second store handle for writes, the lazily loaded coder,
//! the token and the country centroids of the shipped map.

use crate::error::ApiError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use wirecoder_doc::OffsetMap;
use wirecoder_store::Store;

/// The shared state of one server.
pub(crate) struct AppState {
    pub(crate) db: String,
    /// Reading connections: aggregates walk every event, so a slow one must not hold up the
    /// events table (SQLite in WAL mode reads concurrently).
    stores: Vec<Mutex<Store>>,
    next: std::sync::atomic::AtomicUsize,
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
    /// Answers of the aggregate endpoints (each walks every matching event), emptied on ingest.
    answers: Mutex<HashMap<String, serde_json::Value>>,
    /// The only folder `{"paths": [...]}` bodies may read from (canonical); `None`: refused.
    pub(crate) files_root: Option<std::path::PathBuf>,
}

pub(crate) type Shared = Arc<AppState>;

/// Offset maps kept before the cache is emptied (each is a few kB).
const OFFSET_CACHE: usize = 4096;

impl AppState {
    pub(crate) fn new(
        db: String,
        stores: Vec<Store>,
        token: Option<String>,
        protect_reads: bool,
    ) -> AppState {
        AppState {
            db,
            stores: stores.into_iter().map(Mutex::new).collect(),
            next: std::sync::atomic::AtomicUsize::new(0),
            writer: Mutex::new(None),
            pipeline: OnceLock::new(),
            token,
            protect_reads,
            centroids: crate::assets::centroids(),
            offsets: Mutex::new(HashMap::new()),
            answers: Mutex::new(HashMap::new()),
            files_root: None,
        }
    }

    /// The reading store. A panic while it was held poisons nothing that matters: the store
    /// itself keeps no half-written state between calls.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        use std::sync::TryLockError;
        for m in &self.stores {
            match m.try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        // All busy: queue on one of them in turn. `stores` is never empty (see `app`).
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.stores.len();
        self.stores[i].lock().unwrap_or_else(|p| p.into_inner())
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

impl AppState {
    /// Forgets cached aggregates (the data changed).
    pub(crate) fn data_changed(&self) {
        self.answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// [`blocking`], remembering the answer under `key` until the next ingest.
pub(crate) async fn cached(
    st: &Shared,
    key: String,
    f: impl FnOnce(&AppState) -> Result<serde_json::Value, ApiError> + Send + 'static,
) -> Result<serde_json::Value, ApiError> {
    if let Some(v) = st
        .answers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
    {
        return Ok(v.clone());
    }
    let v = blocking(st, f).await?;
    let mut answers = st.answers.lock().unwrap_or_else(|p| p.into_inner());
    if answers.len() >= ANSWER_CACHE {
        answers.clear();
    }
    answers.insert(key, v.clone());
    Ok(v)
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
