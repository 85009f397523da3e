//! `POST /api/v1/documents`: the body (HTML, plain text, JSONL documents, or a JSON list of
//! local files) goes through the same stages as `wirecoder ingest`: wirecoder-ingest reads it,
//! wirecoder-extract finds the main text, the coder annotates, the store keeps it.

use crate::error::{ApiError, ErrorCode};
use crate::params::Params;
use crate::state::{blocking, AppState, Shared};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use wirecoder_doc::Doc;
use wirecoder_ingest::{Format, RawDoc};
use wirecoder_store::Store;

/// What the body holds, from its content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Html,
    Text,
    Jsonl,
    Paths,
}

fn body_kind(headers: &HeaderMap) -> Result<BodyKind, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Ok(match ct.as_str() {
        "text/html" | "application/xhtml+xml" => BodyKind::Html,
        "text/plain" | "" => BodyKind::Text,
        "application/x-ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => BodyKind::Jsonl,
        "application/json" => BodyKind::Paths,
        other => {
            return Err(ApiError::new(
                ErrorCode::InvalidBody,
                format!(
                    "content type {other} is not accepted: send text/html, text/plain, \
                     application/x-ndjson or application/json ({{\"paths\": [...]}})"
                ),
            ))
        }
    })
}

/// `POST /api/v1/documents`
pub(crate) async fn documents(
    State(st): State<Shared>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let Query(map) = q.map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e.body_text()))?;
    let p = Params::new(map, &["published", "name"], false)?;
    let published = p.date("published")?;
    let name = p.get("name").map(str::to_string);
    let kind = body_kind(&headers)?;
    if body.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidBody, "the body is empty"));
    }
    let v = blocking(&st, move |st| ingest(st, kind, &body, published, name)).await?;
    Ok(Json(v))
}

fn ingest(
    st: &AppState,
    kind: BodyKind,
    body: &[u8],
    published: Option<String>,
    name: Option<String>,
) -> Result<Value, ApiError> {
    // The body goes to a temporary file so that wirecoder-ingest reads it exactly as it reads
    // a file given to `wirecoder ingest` (charset detection, JSONL lines, gzip).
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let uploaded = match kind {
        BodyKind::Paths => None,
        _ => {
            let ext = match kind {
                BodyKind::Html => "html",
                BodyKind::Jsonl => "jsonl",
                _ => "txt",
            };
            let path = dir.path().join(format!("body.{ext}"));
            let mut f = std::fs::File::create(&path).map_err(ApiError::internal)?;
            f.write_all(body).map_err(ApiError::internal)?;
            Some(path.display().to_string())
        }
    };
    let inputs: Vec<String> = match &uploaded {
        Some(p) => vec![p.clone()],
        None => confine(paths_of(body)?, st.files_root.as_deref())?,
    };
    let label = name.clone().unwrap_or_else(|| "(request body)".into());
    let shown = |source: &str| -> String {
        match &uploaded {
            Some(up) => source.replacen(up.as_str(), &label, 1),
            None => source.to_string(),
        }
    };

    let pipeline = st
        .pipeline
        .get_or_init(|| wirecoder_code::Pipeline::new().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::internal(format!("cannot load the event coder: {e}")))?;

    let mut docs: Vec<Doc> = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    for raw in wirecoder_ingest::read_inputs(&inputs) {
        let raw = match raw {
            Ok(r) => r,
            Err(e) => {
                let path = e.path();
                let reason = e.to_string();
                let reason = reason
                    .strip_prefix(&format!("{path}: "))
                    .unwrap_or(&reason)
                    .to_string();
                skipped.push((shown(&path), reason));
                continue;
            }
        };
        let source = shown(&raw.source);
        let mut doc = match to_doc(&raw, published.as_deref()) {
            Ok(d) => d,
            Err(reason) => {
                skipped.push((source, reason));
                continue;
            }
        };
        if uploaded.is_some() {
            // The temporary file's name means nothing to anyone: keep the caller's name.
            doc.meta.path = name.clone();
        }
        match catch_unwind(AssertUnwindSafe(|| pipeline.annotate(&mut doc))) {
            Ok(()) => docs.push(doc),
            Err(_) => skipped.push((source, "internal error while annotating".into())),
        }
    }
    let events: usize = docs.iter().map(|d| d.events.len()).sum();
    let inserted = {
        let mut w = st.writer.lock().unwrap_or_else(|p| p.into_inner());
        if st.db.trim() == ":memory:" {
            // One in-memory database only: write through the reading handle.
            drop(w);
            st.store().insert_batch(&docs)?
        } else {
            if w.is_none() {
                *w = Some(Store::open(&st.db)?);
            }
            match w.as_mut() {
                Some(s) => s.insert_batch(&docs)?,
                None => return Err(ApiError::internal("writer store missing")),
            }
        }
    };
    {
        let mut store = st.store();
        for (source, reason) in &skipped {
            store.record_skipped(source, reason)?;
        }
    }
    st.data_changed();
    for (source, reason) in &skipped {
        eprintln!("wirecoder serve: skipped {source}: {reason}");
    }
    let new = inserted.iter().filter(|i| i.new).count();
    let ids: Vec<i64> = inserted.iter().map(|i| i.article_id).collect();
    let skipped: Vec<Value> = skipped
        .into_iter()
        .map(|(s, r)| json!({"source": s, "reason": r}))
        .collect();
    Ok(
        json!({"documents": inserted.len(), "new": new, "events": events,
              "articles": ids, "skipped": skipped.len(), "skipped_inputs": skipped}),
    )
}

/// `{"paths": ["/abs/file.html", "file:///abs/dir"]}`: local files, folders or globs.
fn paths_of(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let bad = |why: &str| {
        ApiError::new(
            ErrorCode::InvalidBody,
            format!("a JSON body must be {{\"paths\": [\"/local/file.html\", ...]}}: {why}"),
        )
    };
    let v: Value = serde_json::from_slice(body).map_err(|e| bad(&e.to_string()))?;
    let Some(list) = v.get("paths").and_then(Value::as_array) else {
        return Err(bad("no \"paths\" list"));
    };
    let mut out = Vec::new();
    for p in list {
        let Some(s) = p.as_str() else {
            return Err(bad("every path must be a string"));
        };
        let s = s.strip_prefix("file://").unwrap_or(s);
        if s.is_empty() || s == "-" {
            return Err(bad("empty path (and stdin) not allowed"));
        }
        out.push(s.to_string());
    }
    if out.is_empty() {
        return Err(bad("the list is empty"));
    }
    Ok(out)
}

/// The listed paths, each checked to lie inside `root` once symbolic links and `..` are
/// resolved; glob patterns are refused (they could not be checked before expansion). Without
/// a root, no path is allowed: a request must never choose which server file is read.
fn confine(paths: Vec<String>, root: Option<&std::path::Path>) -> Result<Vec<String>, ApiError> {
    let Some(root) = root else {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "reading server files is disabled: start `wirecoder serve` with --files-root DIR",
        ));
    };
    paths
        .into_iter()
        .map(|p| {
            if p.contains(['*', '?', '[']) {
                return Err(ApiError::param(
                    "paths",
                    &p,
                    "glob patterns are not allowed",
                ));
            }
            let path = std::path::Path::new(&p);
            let full = if path.is_absolute() {
                path.to_path_buf()
            } else {
                root.join(path)
            };
            // One answer for "missing" and "outside": no probing of what exists elsewhere.
            match full.canonicalize() {
                Ok(c) if c.starts_with(root) => Ok(c.display().to_string()),
                _ => Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("{p}: not a file or folder inside --files-root"),
                )),
            }
        })
        .collect()
}

/// Main text and metadata of one input, as `wirecoder ingest` makes them: what the input said
/// about itself fills what the page lacks; `published` overrides both.
fn to_doc(raw: &RawDoc, published: Option<&str>) -> Result<Doc, String> {
    let article = catch_unwind(AssertUnwindSafe(|| match raw.format {
        Format::Html => wirecoder_extract::extract_html(&raw.text, raw.meta.url.as_deref()),
        Format::TextPage => wirecoder_extract::extract_text_page(&raw.text),
        Format::Body => wirecoder_extract::extract_body(&raw.text, raw.meta.clone()),
    }))
    .map_err(|_| "internal error while extracting".to_string())?;
    let mut meta = article.meta;
    meta.fill_missing_from(&raw.meta);
    if let Some(p) = published {
        meta.published = Some(p.to_string());
        meta.published_inferred = false;
    }
    if article.text.trim().is_empty() {
        return Err("no main text found".into());
    }
    Ok(Doc {
        meta,
        text: article.text,
        headings: article.headings,
        stories: article.stories,
        ..Default::default()
    })
}
