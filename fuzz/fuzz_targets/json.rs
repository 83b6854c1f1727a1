//! JSON (an array, or concatenated values): never panics, items within the limits, and the
//! record framing agrees with serde_json: a text serde_json reads as an array of N values, or
//! as a stream of N values, gives exactly N items and no error that ends the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vigie_fuzz::{check, options, read};
use vigie_io::Format;

fuzz_target!(|data: &[u8]| {
    let opts = options(Format::Json);
    let items = read(data, "f.json", &opts);
    check(&items, "f.json", &opts);
    if data.starts_with(&[0x1f, 0x8b]) {
        return;
    }
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    let expected = if first == Some(&b'[') {
        match serde_json::from_slice::<serde_json::Value>(data) {
            Ok(serde_json::Value::Array(a)) => Some(a.len()),
            _ => None,
        }
    } else {
        let mut n = 0;
        let all_ok = serde_json::Deserializer::from_slice(data)
            .into_iter::<serde_json::Value>()
            .all(|v| {
                n += 1;
                v.is_ok()
            });
        all_ok.then_some(n)
    };
    if let Some(n) = expected {
        assert_eq!(items.len(), n, "one item per value serde_json reads");
        for item in &items {
            if let Err(e) = item {
                assert!(
                    !e.message.ends_with("the rest of the file is skipped"),
                    "valid JSON ended early: {e}"
                );
            }
        }
    }
});
