//! Plain text: never panics; a file that is UTF-8 without NUL, not blank and within the limit
//! is exactly one document holding the whole text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vigie_fuzz::{check, options, read};
use vigie_io::Format;

fuzz_target!(|data: &[u8]| {
    let opts = options(Format::Text);
    let items = read(data, "a.txt", &opts);
    check(&items, "a.txt", &opts);
    assert_eq!(items.len(), 1, "a text file gives one item");
    if data.starts_with(&[0x1f, 0x8b]) {
        return;
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if !text.contains('\0') && !text.trim().is_empty() && data.len() <= opts.max_doc_bytes {
            let doc = items[0].as_ref().expect("a valid text is read");
            assert_eq!(doc.text, text);
        }
    }
});
