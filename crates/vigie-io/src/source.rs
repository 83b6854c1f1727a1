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
            Ok(_) => {
                let id_base = doc_id_from_path(&a.to_string_lossy());
                out.push(InputSource::File {
                    path: a.clone(),
                    id_base,
                });
            }
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
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => walk(root, &p, out, errors),
            Ok(m) if m.is_file() || m.file_type().is_symlink() => {
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
            Ok(_) => {}
            Err(e) => errors.push(unreadable(&p, e)),
        }
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
