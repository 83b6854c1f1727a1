//! Input sources: files, directories (walked recursively) and standard input.

use crate::{ErrorKind, InputError};
use std::path::{Path, PathBuf};
use vigie_core::Origin;

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// Standard input (`-`).
    Stdin,
    /// A file, with the base used to derive document ids from it.
    File {
        /// Path to open.
        path: PathBuf,
        /// Id of a one-document file, and prefix of record ids (`base:line`).
        id_base: String,
    },
}

impl InputSource {
    /// The name used in reports: the path as given, or `-`.
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Stdin => "-".into(),
            InputSource::File { path, .. } => path.display().to_string(),
        }
    }

    /// The id base (see [`InputSource::File`]); `stdin` for standard input.
    pub fn id_base(&self) -> &str {
        match self {
            InputSource::Stdin => "stdin",
            InputSource::File { id_base, .. } => id_base,
        }
    }

    /// The size in bytes when known (for progress bars).
    pub fn size(&self) -> Option<u64> {
        match self {
            InputSource::Stdin => None,
            InputSource::File { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
        }
    }
}

/// Strips `.gz` and then one more extension: `a/b.jsonl.gz` → `a/b`.
fn strip_extensions(p: &str) -> &str {
    let p = p.strip_suffix(".gz").unwrap_or(p);
    match p.rfind('.') {
        Some(i) if !p[i..].contains('/') && i > p.rfind('/').map_or(0, |s| s + 1) => &p[..i],
        _ => p,
    }
}

/// The document id for a file given directly: its name without extensions.
pub(crate) fn doc_id_from_path(p: &str) -> String {
    let name = Path::new(p)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(p);
    strip_extensions(name).to_string()
}

/// Expands user arguments into sources: `-` is stdin, a directory yields its files
/// recursively in sorted order (hidden entries skipped), a file is itself. Paths that do not
/// exist or cannot be listed come back as errors, in order with the rest.
///
/// Only regular files are read from a directory: a FIFO, socket or device found while walking
/// is reported as [`ErrorKind::NotAFile`] and skipped (opening a FIFO would wait for a writer
/// forever). A FIFO named on the command line is read, like `-` (so `<(zcat a.gz)` works); a
/// socket or device named there is reported as `not_a_file`.
pub fn expand_inputs(args: &[PathBuf]) -> (Vec<InputSource>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for a in args {
        if a.as_os_str() == "-" {
            out.push(InputSource::Stdin);
            continue;
        }
        match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => walk(a, a, &mut out, &mut errors),
            Ok(m) if m.is_file() || is_fifo(&m.file_type()) => {
                let id_base = doc_id_from_path(&a.to_string_lossy());
                out.push(InputSource::File {
                    path: a.clone(),
                    id_base,
                });
            }
            Ok(m) => errors.push(not_a_file(a, &m.file_type())),
            Err(e) => errors.push(unreadable(a, e)),
        }
    }
    (out, errors)
}

fn unreadable(p: &Path, e: std::io::Error) -> InputError {
    InputError::new(
        Origin {
            path: p.display().to_string(),
            ..Origin::default()
        },
        ErrorKind::Unreadable,
        e.to_string(),
    )
}

#[cfg(unix)]
pub(crate) fn is_fifo(t: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    t.is_fifo()
}

#[cfg(not(unix))]
pub(crate) fn is_fifo(_: &std::fs::FileType) -> bool {
    false
}

/// What a file type is, in words, for a path that is neither a regular file nor a directory.
fn describe(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    "not a regular file"
}

/// The `not_a_file` error for `p` of type `t`.
pub(crate) fn not_a_file(p: &Path, t: &std::fs::FileType) -> InputError {
    InputError::new(
        Origin {
            path: p.display().to_string(),
            ..Origin::default()
        },
        ErrorKind::NotAFile,
        format!("{}, not a regular file: skipped", describe(t)),
    )
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<InputSource>, errors: &mut Vec<InputError>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return errors.push(unreadable(dir, e)),
    };
    entries.sort();
    for p in entries {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| n.starts_with('.'))
        {
            continue;
        }
        // symlink_metadata: do not follow links into loops.
        let m = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                errors.push(unreadable(&p, e));
                continue;
            }
        };
        if m.is_dir() {
            walk(root, &p, out, errors);
            continue;
        }
        // A link is read when it leads to a regular file (a link to a directory is reported
        // when opened, as before: it is not followed); a link to a FIFO or a device is not.
        let target = if m.file_type().is_symlink() {
            match std::fs::metadata(&p) {
                Ok(t) if t.is_dir() => m.file_type(),
                Ok(t) => t.file_type(),
                Err(e) => {
                    errors.push(unreadable(&p, e));
                    continue;
                }
            }
        } else {
            m.file_type()
        };
        if !(target.is_file() || target.is_symlink()) {
            errors.push(not_a_file(&p, &target));
            continue;
        }
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        out.push(InputSource::File {
            path: p.clone(),
            id_base: strip_extensions(&rel).to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_paths() {
        assert_eq!(
            doc_id_from_path("../shared/gold/seed/sputnik-2022-08-camara.txt"),
            "sputnik-2022-08-camara"
        );
        assert_eq!(
            doc_id_from_path("corpus/orangesum-fr.jsonl.gz"),
            "orangesum-fr"
        );
        assert_eq!(strip_extensions("fr/a.b/c"), "fr/a.b/c");
        assert_eq!(strip_extensions("fr/x.txt"), "fr/x");
    }
}

#[cfg(all(test, unix))]
mod unix_tests {
    use super::*;
    use crate::{read_source, ErrorKind, Item, ReadOptions};
    use std::ops::ControlFlow;

    fn mkfifo(p: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    fn names(srcs: &[InputSource]) -> Vec<String> {
        srcs.iter().map(|s| s.id_base().to_string()).collect()
    }

    #[test]
    fn fifos_sockets_and_links_to_them_in_a_directory_are_skipped_with_a_message() {
        // Defect 12: a FIFO in an input directory hung the run forever.
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.txt"), "Un texte.").unwrap();
        mkfifo(&d.join("b.txt"));
        std::os::unix::fs::symlink(d.join("b.txt"), d.join("c.txt")).unwrap();
        let _sock = std::os::unix::net::UnixListener::bind(d.join("d.sock")).unwrap();
        std::os::unix::fs::symlink(d.join("a.txt"), d.join("e.txt")).unwrap();
        std::os::unix::fs::symlink(d.join("missing"), d.join("f.txt")).unwrap();
        let (srcs, errors) = expand_inputs(&[d.to_path_buf()]);
        assert_eq!(names(&srcs), ["a", "e"]);
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.origin.path.rsplit('/').next().unwrap(), e.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("b.txt", ErrorKind::NotAFile),
                ("c.txt", ErrorKind::NotAFile),
                ("d.sock", ErrorKind::NotAFile),
                ("f.txt", ErrorKind::Unreadable),
            ]
        );
        assert!(errors[0]
            .message
            .starts_with("a FIFO (named pipe), not a regular file"));
        assert!(errors[2].message.starts_with("a socket"));
    }

    #[test]
    fn a_fifo_named_on_the_command_line_is_read_like_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe");
        mkfifo(&p);
        let (srcs, errors) = expand_inputs(std::slice::from_ref(&p));
        assert!(errors.is_empty());
        assert_eq!(names(&srcs), ["pipe"]);
        let writer = {
            let p = p.clone();
            std::thread::spawn(move || std::fs::write(p, "{\"id\": \"x\", \"text\": \"Un.\"}\n"))
        };
        let mut docs = Vec::new();
        let _ = read_source(&srcs[0], &ReadOptions::default(), &mut |item| {
            if let Item::Doc(d) = item {
                docs.push(d.id);
            }
            ControlFlow::Continue(())
        });
        writer.join().unwrap().unwrap();
        assert_eq!(docs, ["x"]);
    }

    #[test]
    fn a_device_is_never_read() {
        let dev = PathBuf::from("/dev/null");
        if !dev.exists() {
            return;
        }
        let (srcs, errors) = expand_inputs(std::slice::from_ref(&dev));
        assert!(srcs.is_empty());
        assert_eq!(errors[0].kind, ErrorKind::NotAFile);
        assert_eq!(
            errors[0].message,
            "a character device, not a regular file: skipped"
        );
        // And through read_source directly (a source built by hand).
        let src = InputSource::File {
            path: dev,
            id_base: "null".into(),
        };
        let mut kinds = Vec::new();
        let _ = read_source(&src, &ReadOptions::default(), &mut |item| {
            if let Item::Error(e) = item {
                kinds.push(e.kind);
            }
            ControlFlow::Continue(())
        });
        assert_eq!(kinds, [ErrorKind::NotAFile]);
    }
}
