//! One error type for the store, carrying what was being done when it failed, and what kind of
//! failure it is (the request's fault, another writer, a full disk, anything else).

use std::fmt;
use std::path::Path;

/// A store error: a message with its context (`opening vigie-data/vigie.sqlite: …`).
#[derive(Debug)]
pub struct Error {
    message: String,
    kind: ErrorKind,
}

/// What kind of failure an [`Error`] is: callers choose an exit code or an HTTP status by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The store (or the system under it) failed.
    Store,
    /// The request was at fault (a query no store could answer).
    Invalid,
    /// Another process holds the store for writing.
    Busy,
    /// The disk (or the quota) holding the store is full.
    DiskFull,
}

/// Result of store operations.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with this message.
    pub fn msg(m: impl Into<String>) -> Error {
        Error::of(ErrorKind::Store, m)
    }

    /// An error in what was asked (a query no store could answer), not in the store.
    pub fn invalid(m: impl Into<String>) -> Error {
        Error::of(ErrorKind::Invalid, m)
    }

    /// An error of this kind with this message.
    pub fn of(kind: ErrorKind, m: impl Into<String>) -> Error {
        Error {
            message: m.into(),
            kind,
        }
    }

    /// Whether the request was at fault rather than the store ([`Error::invalid`]).
    pub fn is_invalid(&self) -> bool {
        self.kind == ErrorKind::Invalid
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// An error from `cause`, while doing `what` (of the cause's kind).
    pub fn ctx(what: impl fmt::Display, cause: impl fmt::Display) -> Error {
        Error::msg(format!("{what}: {cause}"))
    }

    /// This error after `what` (`creating DIR: …`), of the same kind.
    pub(crate) fn context(self, what: impl fmt::Display) -> Error {
        Error::of(self.kind, format!("{what}: {}", self.message))
    }

    /// "Another process is writing to the store `dir`", in plain words.
    pub(crate) fn busy(dir: &Path) -> Error {
        Error::of(
            ErrorKind::Busy,
            format!(
                "another vigie process is writing to the store {} (an ingest, a re-analysis, a check or a server's POST); wait for it or stop it",
                dir.display()
            ),
        )
    }

    /// "The disk is full", in plain words, with the space left in `dir`.
    pub(crate) fn disk_full(dir: &Path, free: Option<u64>) -> Error {
        let free = match free {
            Some(n) => format!("{n} bytes free in {}", dir.display()),
            None => format!("no space left in {}", dir.display()),
        };
        Error::of(
            ErrorKind::DiskFull,
            format!(
                "the disk is full ({free}): free some space and run the command again; what was committed before is kept (`vigie check` verifies the store)"
            ),
        )
    }

    /// This error said in plain words when it comes from a lack of space or from another
    /// writer of the store in `dir`; as it is otherwise. Disk space is looked at when the
    /// cause is not known: the full-text index's writer only says it was "killed" when its
    /// thread met the error.
    pub(crate) fn in_store(self, dir: &Path) -> Error {
        match self.kind {
            ErrorKind::Invalid => self,
            ErrorKind::Busy => Error::busy(dir),
            ErrorKind::DiskFull => Error::disk_full(dir, free_space(dir)),
            ErrorKind::Store => match free_space(dir) {
                Some(free) if free < LOW_SPACE => Error::disk_full(dir, Some(free)),
                _ => self,
            },
        }
    }
}

/// Free bytes under which a failed write is put down to a full disk.
const LOW_SPACE: u64 = 16 << 20;

/// Bytes available in the file system holding `dir`, if it can tell.
fn free_space(dir: &Path) -> Option<u64> {
    // The store directory may not exist yet: its nearest existing parent.
    let at = dir.ancestors().find(|p| p.exists())?;
    fs4::available_space(at).ok()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The kind of an I/O error: a full disk or quota, or anything else.
fn io_kind(e: &std::io::Error) -> ErrorKind {
    // ENOSPC and EDQUOT on Linux and the BSDs (ERROR_DISK_FULL is 112 on Windows).
    let full = e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28 | 122 | 69) if cfg!(unix))
        || matches!(e.raw_os_error(), Some(112) if cfg!(windows));
    if full {
        ErrorKind::DiskFull
    } else {
        ErrorKind::Store
    }
}

fn sqlite_kind(e: &rusqlite::Error) -> ErrorKind {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => ErrorKind::Busy,
        Some(DiskFull) => ErrorKind::DiskFull,
        _ => ErrorKind::Store,
    }
}

fn tantivy_kind(e: &tantivy::TantivyError) -> ErrorKind {
    use tantivy::directory::error::{OpenReadError, OpenWriteError};
    use tantivy::TantivyError as T;
    match e {
        T::IoError(io) => io_kind(io),
        T::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => io_kind(io_error),
        T::OpenReadError(OpenReadError::IoError { io_error, .. }) => io_kind(io_error),
        T::LockFailure(..) => ErrorKind::Busy,
        _ => ErrorKind::Store,
    }
}

macro_rules! from_error {
    ($($t:ty => $what:literal, $kind:expr),* $(,)?) => {
        $(impl From<$t> for Error {
            fn from(e: $t) -> Error {
                #[allow(clippy::redundant_closure_call)]
                let kind = ($kind)(&e);
                Error::of(kind, format!(concat!($what, ": {}"), e))
            }
        })*
    };
}

from_error! {
    rusqlite::Error => "database", sqlite_kind,
    tantivy::TantivyError => "full-text index", tantivy_kind,
    tantivy::query::QueryParserError => "query", |_: &_| ErrorKind::Invalid,
    std::io::Error => "i/o", io_kind,
    serde_json::Error => "json", |_: &_| ErrorKind::Store,
    parquet::errors::ParquetError => "parquet", |_: &_| ErrorKind::Store,
    csv::Error => "csv", |_: &_| ErrorKind::Store,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full disk, said by SQLite, by a system call or by tantivy, reads as a full disk;
    /// another writer as another writer; other failures keep their message.
    #[test]
    fn failures_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let enospc = std::io::Error::from_raw_os_error(28);
        let sqlite_full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        for e in [
            Error::from(sqlite_full),
            Error::from(std::io::Error::from_raw_os_error(28)),
            Error::from(tantivy::TantivyError::from(enospc)),
        ] {
            assert_eq!(e.kind(), ErrorKind::DiskFull, "{e}");
            let plain = e.in_store(dir.path()).to_string();
            assert!(
                plain.starts_with("the disk is full (")
                    && plain.contains(&format!("bytes free in {}", dir.path().display())),
                "{plain}"
            );
        }
        let e = Error::from(busy).in_store(dir.path());
        assert_eq!(e.kind(), ErrorKind::Busy);
        assert!(e.to_string().starts_with(&format!(
            "another vigie process is writing to the store {}",
            dir.path().display()
        )));
        // A writer thread that died, with room on the disk: its own message.
        let killed = tantivy::TantivyError::ErrorInThread("The index writer was killed.".into());
        let e = Error::from(killed).in_store(dir.path());
        assert_eq!(e.kind(), ErrorKind::Store);
        assert!(e.to_string().contains("killed"));
        // The same on a disk with less than LOW_SPACE left reads as a full disk.
        let e = Error::disk_full(dir.path(), Some(4096));
        assert!(e.to_string().starts_with(&format!(
            "the disk is full (4096 bytes free in {})",
            dir.path().display()
        )));
    }
}
