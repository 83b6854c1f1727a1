//! The JSON field mapping: the first line names the fields (`text,body;id;title;date;outlet;
//! url;language`, lists separated by `;`, names by `,`), the rest is JSON Lines. Never panics,
//! every document within the limits, its text taken from one of the text fields.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vigie_fuzz::{check, options, read};
use vigie_io::{FieldMap, Format};

fuzz_target!(|data: &[u8]| {
    let (spec, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let spec = String::from_utf8_lossy(spec);
    let mut lists = spec
        .split(';')
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
    let mut fields = FieldMap::default();
    for target in [
        &mut fields.text,
        &mut fields.id,
        &mut fields.title,
        &mut fields.date,
        &mut fields.outlet,
        &mut fields.url,
        &mut fields.language,
    ] {
        if let Some(l) = lists.next() {
            *target = l;
        }
    }
    let mut opts = options(Format::Jsonl);
    opts.fields = fields;
    let items = read(body, "f.jsonl", &opts);
    check(&items, "f.jsonl", &opts);
    if body.starts_with(&[0x1f, 0x8b]) {
        return;
    }
    // Each document's text is the value of one of the text fields of its line.
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    for d in items.iter().flatten() {
        let line = lines[d.origin.line.unwrap() as usize - 1];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        assert!(opts
            .fields
            .text
            .iter()
            .any(|k| v.get(k).and_then(|t| t.as_str()) == Some(d.text.as_str())));
    }
});
