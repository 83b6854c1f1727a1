//! Helpers shared by the fuzz targets: reading bytes through `vigie_io` with small limits (so
//! the limit paths are reached by short inputs), and the invariants every reader keeps.

use std::ops::ControlFlow;
use vigie_core::Document;
use vigie_io::{Format, InputError, Item, MetaLimits, ReadOptions};

/// Read options with limits small enough for fuzz inputs (a few KB) to cross them.
pub fn options(format: Format) -> ReadOptions {
    ReadOptions {
        format,
        max_doc_bytes: 2000,
        meta_limits: MetaLimits {
            id: 64,
            title: 64,
            url: 64,
            outlet: 32,
            date: 32,
            language: 16,
            author: 64,
            extra_field: 256,
            total: 512,
        },
        ..ReadOptions::default()
    }
}

/// What one read gave, in order.
pub type Items = Vec<Result<Document, InputError>>;

/// Reads `data` as the content of a file named `name`.
pub fn read(data: &[u8], name: &str, opts: &ReadOptions) -> Items {
    let mut out = Vec::new();
    let flow = vigie_io::read_bytes(data, name, "fuzz", opts, &mut |item| {
        out.push(match item {
            Item::Doc(d) => Ok(*d),
            Item::Error(e) => Err(e),
        });
        ControlFlow::Continue(())
    });
    assert!(flow.is_continue(), "the sink never stops the reading");
    out
}

fn json_len(v: &serde_json::Value) -> usize {
    serde_json::to_string(v).unwrap().len()
}

/// The invariants of every item: documents have a text within the limit and metadata within
/// theirs; errors are located in the file read.
pub fn check(items: &Items, name: &str, opts: &ReadOptions) {
    let l = &opts.meta_limits;
    for item in items {
        match item {
            Ok(d) => {
                assert!(!d.text.trim().is_empty(), "empty document delivered");
                assert!(d.text.len() <= opts.max_doc_bytes, "text over the limit");
                assert_eq!(d.origin.path, name);
                assert!(d.id.len() <= l.id, "id over the limit: {}", d.id.len());
                let m = &d.meta;
                let mut total = d.id.len();
                for (v, lim) in [
                    (&m.title, l.title),
                    (&m.url, l.url),
                    (&m.outlet, l.outlet),
                    (&m.language, l.language),
                ] {
                    let n = v.as_ref().map_or(0, |s| s.len());
                    assert!(n <= lim, "field over the limit");
                    total += n;
                }
                for (k, v) in &m.extra {
                    let n = json_len(v) + if k == "date_raw" { 0 } else { k.len() };
                    assert!(
                        n <= l.extra_field.max(l.author),
                        "extra field over the limit"
                    );
                    total += n;
                }
                assert!(total <= l.total, "metadata over the limit");
            }
            Err(e) => {
                assert_eq!(e.origin.path, name);
                assert!(!e.message.is_empty());
            }
        }
    }
}
