//! `GET /api/v1/alerts`: what the watch rules fired, newest first, each with its event and
//! evidence sentence (see `wirecoder watch`).

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};
use wirecoder_watch::{AlertDb, AlertQuery};

use crate::error::{ApiError, ErrorCode};
use crate::params::Params;
use crate::state::{blocking, Shared};

type Q = Result<Query<HashMap<String, String>>, QueryRejection>;

/// `rule`, `since` (date or timestamp: fired or updated since), `before` (an alert id: the
/// page after the one that ended there), `limit` (1-1000, default 100). Answers
/// `{"alerts": [...], "next"}`, `next` being the `before` of the next page or null.
pub(crate) async fn alerts(State(st): State<Shared>, q: Q) -> Result<Json<Value>, ApiError> {
    let Query(map) = q.map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e.body_text()))?;
    let p = Params::new(map, &["rule", "since", "before", "limit"], false)?;
    let limit = p.int("limit", 1, 1000, 100)? as usize;
    let before = match p.get("before") {
        None => None,
        Some(_) => Some(p.int("before", 1, i64::MAX, 1)?),
    };
    let q = AlertQuery {
        rule: p.get("rule").map(str::to_string),
        since: p.date("since")?,
        before,
        limit: Some(limit),
    };
    let v = blocking(&st, move |st| {
        // Alerts are read rarely: a connection of their own per request keeps the shared
        // store handles out of it.
        let mut db = AlertDb::open(&st.db).map_err(ApiError::internal)?;
        let rows = db.alerts(&q).map_err(ApiError::internal)?;
        let next = if rows.len() == limit {
            rows.last().map(|a| a.id)
        } else {
            None
        };
        let alerts: Vec<Value> = rows.into_iter().map(|a| a.json).collect();
        Ok(json!({"alerts": alerts, "next": next}))
    })
    .await?;
    Ok(Json(v))
}
