//! The seed header format: never panics, the body offset is a char boundary inside the text,
//! and a document's text is the file's text after the header.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vigie_fuzz::{check, options, read};
use vigie_io::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some((pairs, body)) = vigie_io::parse_seed_header(text) {
            assert!(!pairs.is_empty());
            assert!(text.is_char_boundary(body) && body <= text.len());
            assert!(pairs.iter().all(|(_, v)| !v.is_empty()));
        }
    }
    let opts = options(Format::Seed);
    let items = read(data, "a.txt", &opts);
    check(&items, "a.txt", &opts);
    assert!(items.len() <= 1, "a text file is one document");
    if let (Some(Ok(doc)), Ok(text)) = (items.first(), std::str::from_utf8(data)) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        assert!(
            text.ends_with(&doc.text),
            "the body runs to the end, unchanged"
        );
    }
});
