//! The event filter turned into SQL `WHERE` clauses, shared by both backends.
//!
//! Placeholders are written `?`; the PostgreSQL backend renumbers them (`$1`, `$2`, …). Values
//! are backend-neutral [`Param`]s.

use wirecoder_doc::Modality;

use crate::error::StoreError;
use crate::model::EventFilter;
use crate::sql;
use crate::util::prefix_upper;

/// A query parameter, converted by each backend to its driver's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Int(i64),
    Real(f64),
    Text(String),
    /// A nullable integer (PostgreSQL types its NULLs).
    OptInt(Option<i64>),
    /// A nullable float.
    OptReal(Option<f64>),
    /// A nullable text.
    OptText(Option<String>),
    Bool(bool),
}

/// `WHERE …` (or nothing) with its parameters in order.
pub(crate) fn event_conditions(f: &EventFilter) -> Result<(String, Vec<Param>), StoreError> {
    let mut q = String::new();
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Param> = Vec::new();
    let non_empty =
        |field: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            match v.as_deref().map(str::trim) {
                None => Ok(None),
                Some("") => Err(StoreError::InvalidFilter {
                    field,
                    value: String::new(),
                    reason: "empty value; leave the field unset to match everything",
                }),
                Some(s) => Ok(Some(s.to_string())),
            }
        };
    if let Some(a) = non_empty("actor", &f.actor)? {
        let a = a.to_uppercase();
        let src = prefix_clause("e.source_actor", &a, &mut values);
        let tgt = prefix_clause("e.target_actor", &a, &mut values);
        clauses.push(format!("(({src}) OR ({tgt}))"));
    }
    if let Some(s) = non_empty("source", &f.source)? {
        clauses.push(prefix_clause(
            "e.source_actor",
            &s.to_uppercase(),
            &mut values,
        ));
    }
    if let Some(t) = non_empty("target", &f.target)? {
        clauses.push(prefix_clause(
            "e.target_actor",
            &t.to_uppercase(),
            &mut values,
        ));
    }
    if let Some(code) = non_empty("code", &f.code)? {
        // A root code (two digits) hits its own index; longer prefixes use the cameo range.
        if code.len() == 2 {
            clauses.push("e.root_code = ?".into());
            values.push(Param::Text(code));
        } else {
            clauses.push(prefix_clause("e.cameo", &code, &mut values));
        }
    }
    if let Some(p) = non_empty("plover", &f.plover)? {
        clauses.push("e.plover = ?".into());
        values.push(Param::Text(p.to_uppercase()));
    }
    if let Some(m) = non_empty("modality", &f.modality)? {
        let m = m.to_lowercase();
        if Modality::parse(&m).is_none() {
            return Err(StoreError::InvalidFilter {
                field: "modality",
                value: m,
                reason: "expected asserted, alleged, denied, negated, hypothetical or future",
            });
        }
        clauses.push("e.modality = ?".into());
        values.push(Param::Text(m));
    }
    if let Some(c) = non_empty("country", &f.country)? {
        clauses.push("e.place_country = ?".into());
        values.push(Param::Text(c.to_uppercase()));
    }
    if let Some(p) = non_empty("place", &f.place)? {
        // Place names are stored as the gazetteer writes them; compare ASCII case-folded.
        clauses.push("lower(e.place_name) = ?".into());
        values.push(Param::Text(p.to_lowercase()));
    }
    if let Some([min_lon, min_lat, max_lon, max_lat]) = f.bbox {
        let finite = [min_lon, min_lat, max_lon, max_lat]
            .iter()
            .all(|v| v.is_finite());
        if !finite || min_lon > max_lon || min_lat > max_lat {
            return Err(StoreError::InvalidFilter {
                field: "bbox",
                value: format!("{min_lon},{min_lat},{max_lon},{max_lat}"),
                reason: "expected finite min_lon,min_lat,max_lon,max_lat with min <= max",
            });
        }
        clauses.push(
            "e.place_lat >= ? AND e.place_lat <= ? AND e.place_lon >= ? AND e.place_lon <= ?"
                .into(),
        );
        values.extend([min_lat, max_lat, min_lon, max_lon].map(Param::Real));
    }
    if let Some(n) = f.min_sources {
        // The sources of the event's canonical event; an event stored before canonical
        // events existed counts one.
        if n > 1 {
            clauses.push("COALESCE(c.num_sources, 1) >= ?".into());
            values.push(Param::Int(i64::from(n)));
        }
    }
    if let Some(since) = non_empty("since", &f.since)? {
        clauses.push(format!("{} >= ?", sql::EVENT_WHEN));
        values.push(Param::Text(since));
    }
    if let Some(until) = non_empty("until", &f.until)? {
        // Compare only as many characters as the bound has, so the bound's day is included.
        // The length is a literal: PostgreSQL would type a parameter there as int4.
        let n = until.chars().count();
        clauses.push(format!("substr({}, 1, {n}) <= ?", sql::EVENT_WHEN));
        values.push(Param::Text(until));
    }
    if let Some(id) = f.article_id {
        clauses.push("e.article_id = ?".into());
        values.push(Param::Int(id));
    }
    if let Some(id) = f.after_id {
        clauses.push("e.id > ?".into());
        values.push(Param::Int(id));
    }
    if !clauses.is_empty() {
        q.push_str(" WHERE ");
        q.push_str(&clauses.join(" AND "));
    }
    Ok((q, values))
}

/// `WHERE …` (or nothing), the order and the limit, with their parameters in order.
pub(crate) fn event_where(f: &EventFilter) -> Result<(String, Vec<Param>), StoreError> {
    let (mut q, mut values) = event_conditions(f)?;
    q.push_str(sql::EVENTS_ORDER);
    if let Some(limit) = f.limit {
        q.push_str(" LIMIT ?");
        values.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    }
    Ok((q, values))
}

/// `col` starts with `prefix`, as a range the column's index can serve (binary collation).
fn prefix_clause(col: &str, prefix: &str, values: &mut Vec<Param>) -> String {
    values.push(Param::Text(prefix.to_string()));
    match prefix_upper(prefix) {
        Some(upper) => {
            values.push(Param::Text(upper));
            format!("{col} >= ? AND {col} < ?")
        }
        None => format!("{col} >= ?"),
    }
}

/// Rewrites `?` placeholders as PostgreSQL's `$1`, `$2`, …. The statements of this crate hold
/// no `?` inside string literals.
pub(crate) fn numbered(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 16);
    let mut n = 0;
    for c in q.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_query_uses_ranges_and_placeholders() {
        let f = EventFilter {
            actor: Some("RUS".into()),
            code: Some("19".into()),
            limit: Some(5),
            ..Default::default()
        };
        let (q, values) = event_where(&f).unwrap();
        assert!(q.contains("e.source_actor >= ? AND e.source_actor < ?"));
        assert!(q.contains("e.root_code = ?"));
        assert!(q.ends_with("ORDER BY e.id LIMIT ?"));
        assert_eq!(values.len(), 6);
        assert_eq!(values[1], Param::Text("RUT".into()));
        assert!(numbered(&q).contains("e.root_code = $5"));
        assert!(numbered(&q).ends_with("LIMIT $6"));
    }

    #[test]
    fn bad_bbox_is_refused() {
        let f = EventFilter {
            bbox: Some([10.0, 5.0, 0.0, 6.0]),
            ..Default::default()
        };
        assert!(matches!(
            event_where(&f),
            Err(StoreError::InvalidFilter { field: "bbox", .. })
        ));
    }
}
