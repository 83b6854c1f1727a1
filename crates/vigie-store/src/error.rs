//! One error type for the store, carrying what was being done when it failed.

use std::fmt;

/// A store error: a message with its context (`opening vigie-data/vigie.sqlite: …`).
#[derive(Debug)]
pub struct Error(String, bool);

/// Result of store operations.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with this message.
    pub fn msg(m: impl Into<String>) -> Error {
        Error(m.into(), false)
    }

    /// An error in what was asked (a query no store could answer), not in the store.
    pub fn invalid(m: impl Into<String>) -> Error {
        Error(m.into(), true)
    }

    /// Whether the request was at fault rather than the store ([`Error::invalid`]).
    pub fn is_invalid(&self) -> bool {
        self.1
    }

    /// An error from `cause`, while doing `what`.
    pub fn ctx(what: impl fmt::Display, cause: impl fmt::Display) -> Error {
        Error(format!("{what}: {cause}"), false)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

macro_rules! from_error {
    ($($t:ty => $what:literal),* $(,)?) => {
        $(impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error(format!(concat!($what, ": {}"), e), false)
            }
        })*
    };
}

from_error! {
    rusqlite::Error => "database",
    tantivy::TantivyError => "full-text index",
    tantivy::query::QueryParserError => "query",
    std::io::Error => "i/o",
    serde_json::Error => "json",
    parquet::errors::ParquetError => "parquet",
    csv::Error => "csv",
}
