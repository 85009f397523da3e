//! The crate's errors: [`ServeError`] for starting the server, [`ApiError`] for one request.
//!
//! Every API error goes through one table, [`ErrorCode`], that gives its HTTP status, its type
//! and its documentation link; the body is `{"message", "code", "type", "link"}`. Internal
//! failures are logged on stderr with their detail and answered with a generic message, so no
//! database path or stack trace reaches a client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The database could not be opened.
    #[error("cannot open database {db}: {source}")]
    Store {
        /// The `--db` value.
        db: String,
        /// The store's error (boxed: it is large).
        source: Box<wirecoder_store::StoreError>,
    },
    /// The token file could not be read or is empty.
    #[error("token file {path}: {reason}")]
    Token {
        /// The `--token-file` value.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The address could not be bound or the server failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The `--addr` value.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Every error an API request can get, each with one status, type and link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A query parameter is unknown or its value is malformed.
    InvalidParameter,
    /// The request body cannot be read as what its content type says.
    InvalidBody,
    /// No `Authorization: Bearer TOKEN`, or a wrong one.
    MissingToken,
    /// No such article, event or route.
    NotFound,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The operation is not available on this database (search on PostgreSQL).
    Unsupported,
    /// A failure inside the server; the detail is in the server's log only.
    Internal,
    /// The request took longer than the server's request timeout.
    Timeout,
    /// The request asks for something the server is not set up to allow (a file outside
    /// `--files-root`).
    Forbidden,
}

impl ErrorCode {
    /// `(HTTP status, code, type)`: the one table.
    fn row(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ErrorCode::InvalidParameter => (
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                "invalid_request",
            ),
            ErrorCode::InvalidBody => (StatusCode::BAD_REQUEST, "invalid_body", "invalid_request"),
            ErrorCode::MissingToken => (StatusCode::UNAUTHORIZED, "missing_token", "auth"),
            ErrorCode::NotFound => (StatusCode::NOT_FOUND, "not_found", "invalid_request"),
            ErrorCode::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "invalid_request",
            ),
            ErrorCode::Unsupported => (StatusCode::NOT_IMPLEMENTED, "unsupported", "system"),
            ErrorCode::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal"),
            ErrorCode::Timeout => (StatusCode::SERVICE_UNAVAILABLE, "timeout", "system"),
            ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "auth"),
        }
    }

    /// The HTTP status of this code.
    pub fn status(self) -> StatusCode {
        self.row().0
    }

    /// The code's name in the JSON body (`invalid_parameter`).
    pub fn as_str(self) -> &'static str {
        self.row().1
    }
}

/// One failed request: what the client is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    /// Which row of the table.
    pub code: ErrorCode,
    /// A sentence for the client.
    pub message: String,
}

impl ApiError {
    /// A bad query parameter.
    pub fn param(name: &str, value: &str, why: &str) -> ApiError {
        ApiError {
            code: ErrorCode::InvalidParameter,
            message: format!("parameter {name}={value:?}: {why}"),
        }
    }

    /// Any other error with a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// An internal failure: `detail` goes to the server's log, the client gets a generic line.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        eprintln!("wirecoder serve: internal error: {detail}");
        ApiError::new(
            ErrorCode::Internal,
            "the server could not complete the request (see its log)",
        )
    }
}

impl From<wirecoder_store::StoreError> for ApiError {
    fn from(e: wirecoder_store::StoreError) -> ApiError {
        use wirecoder_store::StoreError as S;
        match e {
            // The filter's own message names the field and the value, nothing internal.
            S::InvalidFilter { .. } => ApiError::new(ErrorCode::InvalidParameter, e.to_string()),
            S::Search { ref reason, .. } if reason.contains("needs a SQLite") => {
                ApiError::new(ErrorCode::Unsupported, reason.clone())
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, kind) = self.code.row();
        let body = json!({
            "message": self.message,
            "code": code,
            "type": kind,
            "link": format!("/api/v1/openapi.json#/x-errors/{code}"),
        });
        (status, axum::Json(body)).into_response()
    }
}
