//! `read_bytes` with format sniffing, gzipped or not. The first byte chooses the name (so the
//! sniffing by extension and by content is exercised) and whether the rest is gzipped first;
//! reading the gzipped bytes must give exactly what reading them plain gives.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use vigie_fuzz::{check, options, read};
use vigie_io::Format;

const NAMES: [&str; 8] = [
    "f.jsonl",
    "f.json",
    "a.txt",
    "f",
    "-",
    "f.ndjson",
    "a.txt.gz",
    "f.json.gz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[(sel >> 1) as usize % NAMES.len()];
    let opts = options(Format::Auto);
    if sel & 1 == 0 {
        let items = read(rest, name, &opts);
        check(&items, name, &opts);
        return;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(rest).unwrap();
    let packed = gz.finish().unwrap();
    let items = read(&packed, name, &opts);
    check(&items, name, &opts);
    if !name.ends_with(".gz") && !rest.starts_with(&[0x1f, 0x8b]) {
        let plain = read(rest, name, &opts);
        assert_eq!(
            format!("{items:?}"),
            format!("{plain:?}"),
            "gzip changes nothing"
        );
    }
});
