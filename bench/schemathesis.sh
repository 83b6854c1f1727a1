#!/usr/bin/env bash
# Schema-driven test of the HTTP API: schemathesis against `vigie demo`, from the server's own
# OpenAPI document, plus a validation of that document (openapi-spec-validator).
#
# usage: bench/schemathesis.sh [VENV]
#   VIGIE         the binary (default: target/release/vigie)
#   VENV          virtual environment for schemathesis (default: target/st-venv; the first
#                 argument wins); created, and the pinned versions installed, when missing
#   MAX_EXAMPLES  test cases per operation and phase (default 100: under a minute on 2 cores)
#   CHECKS        schemathesis checks (default below; `all` adds positive_data_acceptance,
#                 which fails on rules the schema cannot express, such as `from` after `to`)
#   SEED          schemathesis seed (default: random, printed at the end)
#   WORKERS       schemathesis workers (default 2; 1 avoids a CPython thread bug seen under load)
#   REPORT_DIR    keep JUnit and NDJSON reports there
#
# The script starts `vigie demo` (the bundled sample corpus, about 1,700 documents, in a
# temporary store) on a free loopback port with a token and without the per-address rate limit,
# reads a few document ids and dates from it to seed the generation (schemathesis otherwise
# rarely hits an existing document or a valid date), runs schemathesis on every operation,
# POST /api/documents included (`Authorization: Bearer TOKEN`), validates the OpenAPI document,
# stops the server, and exits with schemathesis' status (or, when schemathesis passes, with the
# validator's).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIE=${VIGIE:-$ROOT/target/release/vigie}
VENV=${1:-${VENV:-$ROOT/target/st-venv}}
ST_VERSION=4.32.5
VALIDATOR_VERSION=0.9.0
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
CHECKS=${CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,missing_required_header,unsupported_method,ignored_auth}
TOKEN=st-$RANDOM$RANDOM

[ -x "$VIGIE" ] || { echo "schemathesis.sh: $VIGIE not found (cargo build --release -p vigie-cli, or set VIGIE)" >&2; exit 2; }
if ! "$VENV/bin/st" --version 2>/dev/null | grep -qF "$ST_VERSION" \
    || ! "$VENV/bin/python" -c "import openapi_spec_validator" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$ST_VERSION" "openapi-spec-validator==$VALIDATOR_VERSION"
fi

TMP=$(mktemp -d -t vigie-st.XXXXXX)
PID=
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        kill -INT "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
"$VIGIE" demo --store "$TMP/store" --addr "127.0.0.1:$PORT" --token "$TOKEN" --rate-limit 0 \
    >"$TMP/server.out" 2>"$TMP/server.log" &
PID=$!

# Wait for the server (it builds the demo store first), then write the schemathesis config:
# dictionaries of real document ids and dates, drawn half of the time for those parameters.
if ! "$VENV/bin/python" - "$BASE" "$TMP/st.toml" "$PID" <<'EOF'
import json, os, sys, time, urllib.request
base, out, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)
for _ in range(1200):
    try:
        get("/api/stats")
        break
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("the server stopped")
        time.sleep(0.25)
else:
    sys.exit("the server did not answer within 5 minutes")
hits = get("/api/search?q=France&limit=40")["hits"] + get("/api/search?limit=20&offset=300")["hits"]
ids = sorted({h["doc_id"] for h in hits})
dates = sorted({d for h in hits if h.get("date") for d in (h["date"][:4], h["date"][:7], h["date"][:10])})
with open(out, "w") as f:
    f.write(f"[dictionaries.docs]\nvalues = {json.dumps(ids)}\n")
    f.write(f"[dictionaries.dates]\nvalues = {json.dumps(dates[:40] or ['2016'])}\n")
    f.write('[parameters]\n"path.id" = { dictionary = "docs", probability = 0.5 }\n')
    f.write('"query.from" = { dictionary = "dates", probability = 0.5 }\n')
    f.write('"query.to" = { dictionary = "dates", probability = 0.5 }\n')
print(f"server ready at {base}: {len(ids)} document ids and {len(dates)} dates seed the generation")
EOF
then
    echo "schemathesis.sh: the server did not start:" >&2
    tail -20 "$TMP/server.log" >&2
    exit 2
fi

REPORT=()
if [ -n "${REPORT_DIR:-}" ]; then
    mkdir -p "$REPORT_DIR"
    REPORT=(--report junit,ndjson --report-dir "$(cd "$REPORT_DIR" && pwd)")
fi
SEED_ARG=()
[ -n "${SEED:-}" ] && SEED_ARG=(--seed "$SEED")

# Run from the temporary directory: schemathesis keeps its example database in the working
# directory.
set +e
(cd "$TMP" && "$VENV/bin/st" --config-file "$TMP/st.toml" run "$BASE/api/openapi.json" \
    --checks "$CHECKS" \
    --header "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" \
    --workers "${WORKERS:-2}" \
    --request-timeout 60 \
    --no-color \
    "${SEED_ARG[@]}" "${REPORT[@]}")
ST_STATUS=$?

echo
echo "OpenAPI document validation (openapi-spec-validator $VALIDATOR_VERSION):"
"$VENV/bin/python" - "$BASE/api/openapi.json" <<'EOF'
import json, sys, urllib.request
from openapi_spec_validator import OpenAPIV31SpecValidator
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    doc = json.load(r)
problems = []
# References to missing components first: the validator stops at the first one, so each is
# reported here and replaced by an empty schema for the rest of the validation.
schemas = doc.get("components", {}).get("schemas", {})
def unref(node, path):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref.split("/")[-1] not in schemas:
            problems.append(f"unresolvable reference {ref}  (at {path})")
            node.pop("$ref")
        for k, v in node.items():
            unref(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            unref(v, f"{path}/{i}")
unref(doc, "")
try:
    for e in OpenAPIV31SpecValidator(doc).iter_errors():
        where = "/".join(map(str, e.absolute_path))
        problems.append(f"{e.message.splitlines()[0][:200]}" + (f"  (at {where})" if where else ""))
except Exception as e:
    problems.append(f"validator stopped: {str(e)[:300]}")
for p in problems[:40]:
    print(f"  {p}")
if len(problems) > 40:
    print(f"  ... {len(problems) - 40} more")
print(f"  {len(problems)} problem(s)" if problems else "  valid")
sys.exit(1 if problems else 0)
EOF
SPEC_STATUS=$?
set -e

if grep -q "vigie serve:" "$TMP/server.log"; then
    echo
    echo "server errors logged:"
    grep "vigie serve:" "$TMP/server.log" | head -20
fi
[ "$ST_STATUS" -ne 0 ] && exit "$ST_STATUS"
exit "$SPEC_STATUS"
