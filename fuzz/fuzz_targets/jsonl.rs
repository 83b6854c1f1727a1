//! JSON Lines: never panics, one item per non-blank line, every item within the limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vigie_fuzz::{check, options, read};
use vigie_io::Format;

fuzz_target!(|data: &[u8]| {
    let opts = options(Format::Jsonl);
    let items = read(data, "f.jsonl", &opts);
    check(&items, "f.jsonl", &opts);
    if !data.starts_with(&[0x1f, 0x8b]) {
        let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let records = lines
            .iter()
            .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
            .count();
        assert_eq!(items.len(), records, "one item per non-blank line");
        for (item, want_line) in items.iter().zip(
            lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.iter().all(|b| b.is_ascii_whitespace()))
                .map(|(i, _)| i as u64 + 1),
        ) {
            let origin = match item {
                Ok(d) => &d.origin,
                Err(e) => &e.origin,
            };
            assert_eq!(origin.line, Some(want_line));
        }
    }
});
