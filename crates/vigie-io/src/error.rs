//! Located input errors.

use serde::Serialize;
use std::fmt;
use vigie_core::Origin;

/// The kinds of bad input, each counted separately in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The path does not exist, is not readable, or reading failed.
    Unreadable,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A JSON line or document that does not parse, or is not an object.
    MalformedJson,
    /// A JSON record without the text field (see `--text-field`).
    MissingText,
    /// A document whose text is empty or only whitespace.
    EmptyDocument,
    /// A document over `--max-doc-bytes`.
    TooLarge,
    /// A binary file.
    Binary,
    /// A compressed stream that ends early or is corrupt.
    Truncated,
    /// The analysis of this document failed (a bug in Vigie: please report it with the document).
    Internal,
    /// The analysis of this document went over its time or memory budget (`--time-budget`, `--memory-budget`).
    OverBudget,
    /// A path that is not a regular file: a FIFO met while walking a directory, a socket, a
    /// device (docs/formats.md, "Files and directories").
    NotAFile,
    /// A metadata field (id, title, url, ...) or the whole metadata over its limit
    /// ([`crate::MetaLimits`]).
    FieldTooLarge,
}

impl ErrorKind {
    /// The snake_case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::MalformedJson => "malformed_json",
            ErrorKind::MissingText => "missing_text",
            ErrorKind::EmptyDocument => "empty_document",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Binary => "binary",
            ErrorKind::Truncated => "truncated",
            ErrorKind::Internal => "internal_error",
            ErrorKind::OverBudget => "over_budget",
            ErrorKind::NotAFile => "not_a_file",
            ErrorKind::FieldTooLarge => "field_too_large",
        }
    }
}

/// One problem with the input, with its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// File and line (or record) where it happened.
    pub origin: Origin,
    /// What kind of problem.
    pub kind: ErrorKind,
    /// Details for a person.
    pub message: String,
}

impl InputError {
    /// A new error.
    pub fn new(origin: Origin, kind: ErrorKind, message: String) -> Self {
        InputError {
            origin,
            kind,
            message,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.origin, self.kind.name(), self.message)
    }
}

impl std::error::Error for InputError {}

/// Classifies an I/O error met while reading: corrupt or cut compressed data vs other failures.
pub(crate) fn io_kind(e: &std::io::Error) -> ErrorKind {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::InvalidData => ErrorKind::Truncated,
        _ => ErrorKind::Unreadable,
    }
}
