#!/usr/bin/env bash
# Runs the cargo fuzz targets (docs/fuzzing.md): fuzz/run.sh [MINUTES] [TARGET...]
#
# Builds every target once, builds the seed corpus from fixtures/ (fuzz/seeds.py), then runs
# each target in turn (one at a time: the machine is shared) for MINUTES minutes (default 10),
# with a per-input timeout and an RSS limit. Crashes, timeouts and out-of-memory inputs land in
# fuzz/artifacts/TARGET/; the log of each run in fuzz/logs/TARGET.log. Exits 1 when any target
# found something. Environment: FUZZ_SANITIZER (default `none`: the code under test is safe
# Rust, and no sanitizer runs several times faster; `address` for ASan), FUZZ_TIMEOUT (seconds
# per input, default 5, 10 for analyze_one), FUZZ_RSS_MB (default 1024, 2048 for analyze_one).
set -euo pipefail
cd "$(dirname "$0")"

MINUTES=${1:-10}
shift || true
ALL=(jsonl json seed text read_bytes field_map analyze_one)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
SAN=${FUZZ_SANITIZER:-none}

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "run.sh: cargo-fuzz is missing: rustup toolchain install nightly && cargo install cargo-fuzz" >&2
    exit 2
fi
python3 seeds.py
cargo +nightly fuzz build -s "$SAN"
mkdir -p logs

found=0
for t in "${TARGETS[@]}"; do
    timeout=${FUZZ_TIMEOUT:-5}
    rss=${FUZZ_RSS_MB:-1024}
    if [ "$t" = analyze_one ]; then
        timeout=${FUZZ_TIMEOUT:-10}
        rss=${FUZZ_RSS_MB:-2048}
    fi
    mkdir -p "artifacts/$t" "corpus/$t"
    echo "== $t: $MINUTES min, timeout ${timeout}s, rss ${rss} MB" >&2
    set +e
    cargo +nightly fuzz run -s "$SAN" "$t" "corpus/$t" -- \
        -max_total_time=$((MINUTES * 60)) -timeout="$timeout" -rss_limit_mb="$rss" \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || true)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]+' "logs/$t.log" | tail -1 || true)
    arts=$(find "artifacts/$t" -type f | wc -l)
    echo "   $t: exit $rc, ${execs:-?} inputs run, ${cov:-no coverage line}, $arts artifact(s)" >&2
    if [ "$rc" -ne 0 ] || [ "$arts" -gt 0 ]; then
        found=1
        grep -E '^(==[0-9]+== ERROR|thread .* panicked|SUMMARY|ALARM)' "logs/$t.log" | head -5 >&2 || true
        find "artifacts/$t" -type f | sed 's/^/   /' >&2
    fi
done
exit $found
