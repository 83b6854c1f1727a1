//! Reads the whole shared corpora (../shared/corpora), when they are beside the clone.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use vigie_io::{ErrorKind, InputSource, Item, ReadOptions};

fn corpus(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} not found (../shared is not beside this clone)",
            p.display()
        );
        None
    }
}

fn read_all(path: PathBuf) -> (usize, Vec<vigie_io::InputError>) {
    let src = InputSource::File {
        path,
        id_base: "corpus".into(),
    };
    let (mut docs, mut errors) = (0, Vec::new());
    let flow = vigie_io::read_source(&src, &ReadOptions::default(), &mut |item| {
        match item {
            Item::Doc(d) => {
                assert!(!d.text.trim().is_empty());
                docs += 1;
            }
            Item::Error(e) => errors.push(e),
        }
        ControlFlow::Continue(())
    });
    assert!(flow.is_continue());
    (docs, errors)
}

#[test]
fn orangesum_every_record_read_and_empty_ones_reported() {
    let Some(p) = corpus("orangesum-fr.jsonl.gz") else {
        return;
    };
    let (docs, errors) = read_all(p);
    assert_eq!(docs + errors.len(), 36_152);
    assert_eq!(errors.len(), 165);
    assert!(errors
        .iter()
        .all(|e| e.kind == ErrorKind::EmptyDocument && e.origin.line.is_some()));
}

#[test]
fn wikinews_both_languages() {
    for (name, n) in [
        ("wikinews-fr.jsonl.gz", 1291),
        ("wikinews-en.jsonl.gz", 295),
    ] {
        let Some(p) = corpus(name) else { return };
        let (docs, errors) = read_all(p);
        assert_eq!((docs, errors.len()), (n, 0), "{name}");
    }
}
