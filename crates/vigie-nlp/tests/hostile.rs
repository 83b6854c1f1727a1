//! The hostile-input suite: every pattern of `hostile/inputs.rs` analysed at two sizes, on one
//! thread, with the heap measured by a counting allocator. Time and memory must grow linearly
//! (the larger input is 4 times the smaller: a linear layer takes about 4 times as long, a
//! quadratic one 16 times) and stay within the budgets of docs/limits.md; the spans of every
//! analysis must hold their invariants.
//!
//! `cargo test --release -p vigie-nlp --test hostile -- --nocapture` prints the table of the
//! figures; `VIGIE_HOSTILE_KB=1024` sets the larger size (in KiB), `VIGIE_HOSTILE_ONLY=a,b`
//! runs only those patterns.

#[path = "hostile/inputs.rs"]
mod inputs;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use vigie_core::Document;
use vigie_nlp::{codebook, Options, Pipeline, Resources};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        IN_USE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                let now = IN_USE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// CPU time of this thread, in seconds: the analysis runs on it alone, and other processes on
/// the machine do not count (wall time would).
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// CPU time and peak heap (above what was in use before) of one analysis, JSON output
/// included.
fn measure(p: &Pipeline, name: &str, text: String) -> (f64, usize, usize) {
    let doc = Document {
        id: name.into(),
        text,
        meta: Default::default(),
        origin: Default::default(),
    };
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = thread_cpu();
    let a = p.analyze(&doc);
    let json = serde_json::to_vec(&a).expect("serialises");
    let secs = thread_cpu() - t;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    if let Err(e) = a.check_spans(&doc.text) {
        panic!("{}: the spans of the analysis are wrong: {e}", doc.id);
    }
    (secs, peak, json.len())
}

#[test]
fn hostile_inputs_stay_linear() {
    let big_kb: usize = std::env::var("VIGIE_HOSTILE_KB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let only = std::env::var("VIGIE_HOSTILE_ONLY").ok();
    let big = big_kb << 10;
    let small = big / 4;
    let res = Resources::embedded();
    let book = codebook::Codebook::parse(codebook::BUILTIN, &res.stemmers).expect("valid");
    let pipeline =
        Pipeline::new(res, Options::default()).with_codebooks(vec![std::sync::Arc::new(book)]);
    // Warm the pipeline's lazy parts (per-thread caches) before measuring.
    measure(&pipeline, "warm-up", (inputs::ALL[0].make)(1000));
    let mut failures = Vec::new();
    println!(
        "{:<24} {:>9} {:>9} {:>8} {:>9} {:>9} {:>9}",
        "input", "KiB", "ms", "s/MB", "heap MB", "MB/MB", "out MB"
    );
    for h in inputs::ALL {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|o| o == h.name))
        {
            continue;
        }
        let mut rows = Vec::new();
        for n in [small, big] {
            let text = (h.make)(n);
            let bytes = text.len();
            let (secs, peak, out) = measure(&pipeline, h.name, text);
            let mb = bytes as f64 / 1e6;
            println!(
                "{:<24} {:>9} {:>9.1} {:>8.3} {:>9.1} {:>9.1} {:>9.2}",
                h.name,
                bytes >> 10,
                secs * 1e3,
                secs / mb,
                peak as f64 / 1e6,
                peak as f64 / 1e6 / mb,
                out as f64 / 1e6
            );
            rows.push((bytes, secs, peak));
        }
        let (b0, t0, m0) = rows[0];
        let (b1, t1, m1) = rows[1];
        let scale = b1 as f64 / b0 as f64;
        // Linear growth, with room for noise and cache effects (quadratic would be scale²);
        // small times are noise and are not compared.
        if t1 > 0.05 && t1 > 2.0 * scale * t0.max(0.002) {
            failures.push(format!(
                "{} ({}): time grows superlinearly ({:.3}s at {} KiB, {:.3}s at {} KiB)",
                h.name,
                h.about,
                t0,
                b0 >> 10,
                t1,
                b1 >> 10
            ));
        }
        if m1 > (1 << 20) && m1 as f64 > 2.0 * scale * (m0.max(1 << 18)) as f64 {
            failures.push(format!(
                "{} ({}): memory grows superlinearly ({} MB at {} KiB, {} MB at {} KiB)",
                h.name,
                h.about,
                m0 >> 20,
                b0 >> 10,
                m1 >> 20,
                b1 >> 10
            ));
        }
        // The budgets of docs/limits.md: 100 MB of heap per MB of text plus 16 MB.
        let mem_budget = 100 * b1 + (16 << 20);
        if m1 > mem_budget {
            failures.push(format!(
                "{}: {} MB of heap for {} KiB of text (budget {} MB)",
                h.name,
                m1 >> 20,
                b1 >> 10,
                mem_budget >> 20
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
