//! The dashboard end to end, in a real headless Chromium driven by chromedriver (WebDriver):
//! search, open a document, the seed's seven quotes attributed to Sadio Camara, the quote
//! explorer, trends filtered by dragging a date range, a reprint cluster with its diff, the
//! network, a phone-sized layout, keyboard use, and an article's `<script>` kept as text.
//! Screenshots are saved under `target/e2e/` for review.
//!
//! Skips (with a message) when Chromium or chromedriver is not installed (`.ci/run` installs
//! Debian's `chromium` and `chromium-driver`). `VIGIE_E2E_STORE=DIR` runs it on another store
//! (one holding the seed), e.g. the whole OrangeSum corpus, to time the pages there.

mod http;

use http::{request, Resp, Server};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process with one browser session.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            b"",
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    fn start() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            eprintln!(
                "skipped: the dashboard tests need {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
            );
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        let t = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let r = wd(&addr, "POST", "/session", Some(caps));
        let session = r["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Browser {
            driver,
            addr,
            session,
            shots,
            _profile: profile,
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        wd(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e[ELEMENT].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
    }

    /// Waits until `css` matches at least `n` elements; returns them and the time it took.
    fn wait_for(&self, css: &str, n: usize) -> (Vec<String>, Duration) {
        let t = Instant::now();
        loop {
            let found = self.find_all(css);
            if found.len() >= n {
                return (found, t.elapsed());
            }
            if t.elapsed() > Duration::from_secs(15) {
                self.shot("timeout");
                panic!(
                    "{css}: {} of {n} elements after 15 s; page text: {}",
                    found.len(),
                    self.js("return document.body.innerText.slice(0, 800)")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn text(&self, element: &str) -> String {
        self.cmd("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn click(&self, element: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn type_in(&self, element: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn keys(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kb", "actions": actions}]})),
        );
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    fn shot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None);
        if let Some(png) = b64.as_str().and_then(base64_decode) {
            let _ = std::fs::write(self.shots.join(format!("{name}.png")), png);
        }
    }

    /// Console errors logged by the page since the last call.
    fn console_errors(&self) -> Vec<String> {
        self.cmd("POST", "/se/log", Some(json!({"type": "browser"})))
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn hash(&self) -> String {
        self.js("return location.hash")
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// One WebDriver command; returns its `value`.
fn wd(addr: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let r: Resp = request(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    assert!(
        r.status < 300,
        "WebDriver {method} {path}: {} {}",
        r.status,
        r.text()
    );
    v["value"].clone()
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Times of the pages, printed at the end (`--nocapture`).
struct Timings(Vec<(String, Duration)>);

impl Timings {
    fn add(&mut self, page: &str, d: Duration) {
        self.0.push((page.to_string(), d));
    }
}

#[test]
fn the_dashboard_in_headless_chromium() {
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = match std::env::var_os("VIGIE_E2E_STORE") {
        Some(s) => PathBuf::from(s),
        None => http::demo_store(dir.path()),
    };
    let s = Server::start(&store, &["--token", "e2e-token"]);
    let base = &s.base;
    let mut times = Timings(Vec::new());

    // An article with markup in its title and text: it must stay text.
    let hostile = json!({
        "id": "hostile-1",
        "title": "Titre <img src=x onerror=\"window.__pwned=1\">",
        "date": "2022-09-02",
        "text": "Le porte-parole a déclaré : « Nous restons vigilants. » <script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned=1\"> Fin de l'article."
    });
    let r = request(
        &s.addr,
        "POST",
        "/api/documents",
        &[("Authorization", "Bearer e2e-token")],
        hostile.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    // The pages are timed on a server done with the work a write starts (the answers cached
    // for the previous revision computed again: the pickers' value lists, the network, then
    // the default reprint clusters, which this request gets once computed, by that work or
    // by itself), and in a browser that has loaded the dashboard once (its first page also
    // starts the browser's renderer).
    let t = Instant::now();
    assert_eq!(
        request(&s.addr, "GET", "/api/reprints", &[], b"").status,
        200
    );
    eprintln!(
        "dashboard: the server's work after the write took {} ms",
        t.elapsed().as_millis()
    );
    b.go(&format!("{base}/?first#/"));
    b.wait_for("#search-input", 1);

    // 1. Search: type, submit with Enter, highlighted snippets, then open a result.
    let t = Instant::now();
    b.go(&format!("{base}/#/"));
    let (input, _) = b.wait_for("#search-input", 1);
    times.add("search page", t.elapsed());
    b.type_in(&input[0], "Mali");
    b.keys(&["\u{E007}"]);
    let (hits, took) = b.wait_for(".hit", 3);
    times.add("search results", took);
    assert!(!b.find_all(".hit mark").is_empty(), "no highlighted word");
    assert!(b.hash().contains("q=Mali"), "{}", b.hash());
    b.shot("1-search");
    let title = b.find_all(".hit a.hit-title");
    assert_eq!(title.len(), hits.len());
    b.click(&title[0]);
    b.wait_for("#doc-text", 1);
    assert!(b.hash().starts_with("#/doc/"), "{}", b.hash());

    // 2. The seed: seven quotes, all by Sadio Camara, highlighted and listed; a click in the
    // panel scrolls to the quote.
    let t = Instant::now();
    b.go(&format!("{base}/#/doc/sputnik-2022-08-camara"));
    b.wait_for("#doc-panel .panel-quote", 7);
    times.add("document", t.elapsed());
    let items = b.find_all("#doc-panel .panel-quote");
    assert_eq!(items.len(), 7);
    for i in &items {
        assert!(b.text(i).contains("Sadio Camara"), "{}", b.text(i));
    }
    let speakers = b.js(
        "return [0,1,2,3,4,5,6].map(i => { const e = document.getElementById('quote-' + i); return e && e.dataset.speaker; })",
    );
    assert_eq!(speakers, json!(vec!["Sadio Camara"; 7]), "{speakers}");
    for layer in [".entity", ".narrative", ".stance"] {
        assert!(
            !b.find_all(&format!("#doc-text {layer}")).is_empty(),
            "no {layer} highlighted"
        );
    }
    b.shot("2-document");
    b.click(&items[6]);
    let t0 = Instant::now();
    loop {
        let visible = b.js(
            "const r = document.getElementById('quote-6').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
        );
        if visible == json!(true) {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "quote 6 not scrolled into view"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    b.shot("2b-document-scrolled");

    // 3. Untrusted text stays text: no script ran, no element was injected.
    b.go(&format!("{base}/#/doc/hostile-1"));
    b.wait_for("#doc-text", 1);
    std::thread::sleep(Duration::from_millis(300));
    let check = b.js(
        "return [window.__pwned === undefined, document.querySelectorAll('#doc-view script, #doc-view img').length, document.getElementById('doc-text').textContent.includes('<script>window.__pwned = 1</script>'), document.getElementById('doc-view').textContent.includes('<img src=x')]",
    );
    assert_eq!(check, json!([true, 0, true, true]), "{check}");
    b.shot("3-hostile-document");

    // 4. The quote explorer for a speaker.
    let t = Instant::now();
    b.go(&format!("{base}/#/quotes?speaker=Sadio%20Camara"));
    let (q, _) = b.wait_for(".quote-hit", 7);
    times.add("quotes", t.elapsed());
    assert_eq!(q.len(), 7);
    assert!(b.text(&q[0]).contains("Sadio Camara"));
    b.shot("4-quotes");

    // 5. Trends: several series; a date range chosen by dragging on the chart.
    let t = Instant::now();
    b.go(&format!("{base}/#/trends?by=actor&interval=month"));
    let (chart, _) = b.wait_for("#trends-chart", 1);
    times.add("trends", t.elapsed());
    let series = b.js("return document.querySelectorAll('#trends-legend input, #trends-legend button, #trends-legend [data-key]').length");
    assert!(series.as_u64().unwrap_or(0) >= 2, "legend: {series}");
    b.shot("5-trends");
    let rect = b.js(
        "const r = document.getElementById('trends-chart').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]",
    );
    let r: Vec<f64> = serde_json::from_value(rect).unwrap();
    let y = (r[1] + r[3] / 2.0) as i64;
    let (x0, x1) = ((r[0] + r[2] * 0.3) as i64, (r[0] + r[2] * 0.6) as i64);
    let _ = chart;
    b.cmd(
        "POST",
        "/actions",
        Some(json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "x": x0, "y": y, "origin": "viewport"},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "x": (x0 + x1) / 2, "y": y, "origin": "viewport", "duration": 100},
            {"type": "pointerMove", "x": x1, "y": y, "origin": "viewport", "duration": 100},
            {"type": "pointerUp", "button": 0}
        ]}]})),
    );
    let t0 = Instant::now();
    while !(b.hash().contains("from=") && b.hash().contains("to=")) {
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "dragging set no range: {}",
            b.hash()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    b.wait_for("#trends-chart", 1);
    b.shot("5b-trends-range");
    b.go(&format!("{base}/#/trends?by=narrative&interval=month"));
    b.wait_for("#trends-chart", 1);

    // 6. Reprints: open a cluster, see the copies and the diff.
    let t = Instant::now();
    b.go(&format!("{base}/#/reprints"));
    let (clusters, _) = b.wait_for(".cluster", 1);
    times.add("reprints", t.elapsed());
    b.shot("6-reprints");
    let link = b.find_all(".cluster a");
    b.click(link.first().unwrap_or(&clusters[0]));
    // The first copy that changed something is compared at once; a click compares another.
    b.wait_for("#copies tr.copy", 1);
    b.wait_for("#diff-view .diff-row", 1);
    b.shot("6b-reprint-cluster");
    if let Some(other) = b.find_all("#copies a.compare").first() {
        b.click(other);
        b.wait_for("#copies tr.copy.selected", 1);
        b.wait_for("#diff-view .diff-row", 1);
    }
    b.shot("6c-reprint-diff");

    // 7. The actor network.
    let t = Instant::now();
    b.go(&format!("{base}/#/network"));
    b.wait_for("#network-chart circle", 2);
    times.add("network", t.elapsed());
    b.shot("7-network");

    // 8. Keyboard: the skip link comes first, the search box is reachable and submits.
    b.go(&format!("{base}/#/"));
    b.wait_for("#search-input", 1);
    b.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    b.keys(&["\u{E004}"]);
    let first = b.js("return document.activeElement.id || document.activeElement.className");
    assert_eq!(first, json!("skip-link"), "the first Tab stop");

    // 9. A phone: no horizontal scrolling, the panel below the text.
    b.resize(390, 844);
    b.go(&format!("{base}/#/doc/sputnik-2022-08-camara"));
    b.wait_for("#doc-panel .panel-quote", 7);
    let fits = b.js("return document.documentElement.scrollWidth <= window.innerWidth + 1");
    assert_eq!(
        fits,
        json!(true),
        "the document page overflows a phone screen"
    );
    b.shot("9-phone-document");
    b.go(&format!("{base}/#/trends?by=actor"));
    b.wait_for("#trends-chart", 1);
    b.shot("9b-phone-trends");
    b.resize(1280, 900);

    let errors = b.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    for (page, d) in &times.0 {
        eprintln!("dashboard: {page} ready in {} ms", d.as_millis());
    }
    eprintln!("screenshots in {}", b.shots.display());
}
