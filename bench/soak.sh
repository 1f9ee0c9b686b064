#!/usr/bin/env bash
# Soak (issue "Faults, load and hostile input"; not in CI): a fixed-rate open-loop mix of every
# kind of read, writes and article ingests against `incidentmap serve` for DURATION seconds on
# each backend, SpatiaLite then PostGIS. Per minute: requests, errors, p50, p99, the server's
# RSS; at the end the store's counts must equal the acknowledged writes. Exits non-zero on any
# unexpected answer (5xx, a 4xx not asked for, a timeout, a connection error), a count that
# differs, or a server that did not stop cleanly.
#   bench/soak.sh [BUILD=build] [DURATION=600] [RATE=50]
# Environment: SOAK_BACKENDS ("spatialite postgis"), SOAK_INCIDENTS (100000 generated
# incidents to start from), SOAK_WORKERS (32 client threads), SOAK_OUT (a folder for the
# results, kept; default a new one under /tmp), INCIDENTMAP_GAZETTEER, INCIDENTMAP_THREADS
# (the server's workers; default its own: twice the cores).
# Uses BUILD/incidentmap and BUILD/bench/generate_incidents as built; builds nothing.
set -euo pipefail
BUILD=${1:-build}
DURATION=${2:-600}
RATE=${3:-50}
BACKENDS=${SOAK_BACKENDS:-spatialite postgis}
N=${SOAK_INCIDENTS:-100000}
WORKERS=${SOAK_WORKERS:-32}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$BUILD/incidentmap
GEN=$BUILD/bench/generate_incidents
GZ=${INCIDENTMAP_GAZETTEER:-$ROOT/data/gazetteer.sqlite}
LGL=${SOAK_LGL:-$ROOT/../shared/eval/lgl.jsonl}
WORK=$(mktemp -d /tmp/incidentmap-soak-XXXXXX)
OUT=${SOAK_OUT:-$(mktemp -d /tmp/incidentmap-soak-results-XXXXXX)}
mkdir -p "$OUT"
chmod 755 "$WORK"
SERVER=
cleanup() {
    status=$?
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    bash "$ROOT/tests/postgis_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
say() { printf '[soak] %s\n' "$*" >&2; }
for f in "$BIN" "$GEN"; do
    [ -x "$f" ] || { say "missing $f (build the targets incidentmap and generate_incidents)"; exit 2; }
done
[ -f "$GZ" ] || { say "no gazetteer at $GZ (scripts/setup builds it)"; exit 2; }
# Copies of the binaries: both backends run the same build even when BUILD is rebuilt meanwhile.
mkdir -p "$WORK/bin"
cp "$BIN" "$GEN" "$WORK/bin/"
BIN=$WORK/bin/incidentmap
GEN=$WORK/bin/generate_incidents
"$BIN" --help >/dev/null 2>&1 || { say "$BIN does not run (a build under way?)"; exit 2; }

# The reports of tests/data/reports, each with its published date, into the store at DB.
ingest_reports() {
    local db=$1
    python3 - "$ROOT/tests/data/reports/expected.json" <<'PY' |
import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["file"], e.get("published") or "2023-05-17")
PY
    while read -r file published; do
        "$BIN" ingest "$ROOT/tests/data/reports/$file" --published "$published" --db "$db" \
            --gazetteer "$GZ" --quiet
    done
}

# count_sql BACKEND DB SQL: one number.
count_sql() {
    if [ "$1" = spatialite ]; then sqlite3 "$2" "$3"; else psql "$2" -qAt -c "$3"; fi
}

failed=0
summaries=()
for backend in $BACKENDS; do
    say "== $backend: $N generated incidents and the reports of tests/data/reports"
    case "$backend" in
    spatialite)
        DB=$WORK/incidents.sqlite
        "$GEN" --db "$DB" --count "$N" >/dev/null
        ;;
    postgis)
        bash "$ROOT/tests/postgis_cluster.sh" start "$WORK/pg" >&2
        DB=$(cat "$WORK/pg/uri")
        "$GEN" --db "$DB" --count "$N" >/dev/null
        ;;
    *) say "unknown backend $backend"; exit 2 ;;
    esac
    ingest_reports "$DB"
    INC0=$(count_sql "$backend" "$DB" "SELECT count(*) FROM incidents")
    ART0=$(count_sql "$backend" "$DB" "SELECT count(*) FROM articles")
    MAXID=$(count_sql "$backend" "$DB" "SELECT max(id) FROM incidents")
    # ids 1..MAXID all exist (nothing was deleted): the driver reads any of them.
    [ "$INC0" = "$MAXID" ] || { say "ids are not 1..$INC0 (max $MAXID)"; exit 1; }
    TOKEN=$("$BIN" token add soak --token-file "$WORK/tokens-$backend.txt" 2>/dev/null)
    "$BIN" serve --port 0 --quiet --db "$DB" --gazetteer "$GZ" --web "$ROOT/web" \
        --vendor "$ROOT/node_modules" --token-file "$WORK/tokens-$backend.txt" \
        ${INCIDENTMAP_THREADS:+--threads $INCIDENTMAP_THREADS} \
        >"$OUT/$backend-server.out" 2>"$OUT/$backend-server.err" &
    SERVER=$!
    PORT=
    for _ in $(seq 1 200); do
        PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/$backend-server.out")
        [ -n "$PORT" ] && break
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$PORT" ] || { say "the server did not start"; cat "$OUT/$backend-server.err" >&2; exit 1; }
    say "$backend: serving on port $PORT (pid $SERVER), $INC0 incidents, $ART0 articles;" \
        "${DURATION} s at $RATE req/s"
    rc=0
    python3 "$ROOT/bench/soak/driver.py" --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
        --pid "$SERVER" --duration "$DURATION" --rate "$RATE" --workers "$WORKERS" \
        --reports "$ROOT/tests/data/reports" --lgl "$LGL" --initial-max-id "$MAXID" \
        --label "$backend" --out "$OUT/$backend" || rc=$?
    [ "$rc" = 0 ] || { say "$backend: unexpected answers (see $OUT/$backend/summary.json)"; failed=1; }
    # SIGTERM: the server finishes the requests under way and exits 0.
    kill -TERM "$SERVER"
    src=0
    wait "$SERVER" || src=$?
    SERVER=
    [ "$src" = 0 ] || { say "$backend: the server exited with status $src"; failed=1; }
    if [ -s "$OUT/$backend-server.err" ]; then
        say "$backend: the server wrote $(wc -l <"$OUT/$backend-server.err") lines on stderr:"
        head -20 "$OUT/$backend-server.err" >&2
    fi
    INC1=$(count_sql "$backend" "$DB" "SELECT count(*) FROM incidents")
    ART1=$(count_sql "$backend" "$DB" "SELECT count(*) FROM articles")
    read -r CREATED DELETED ARTS ART_INC < <(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["acknowledged"]
print(a["incidents_created"], a["incidents_deleted"], a["articles_created"], a["article_incidents_created"])
' "$OUT/$backend/summary.json")
    WANT_INC=$((INC0 + CREATED + ART_INC - DELETED))
    WANT_ART=$((ART0 + ARTS))
    verdict=equal
    if [ "$INC1" != "$WANT_INC" ] || [ "$ART1" != "$WANT_ART" ]; then verdict=DIFFERENT; failed=1; fi
    line="$backend counts: incidents $INC1 (start $INC0 + $CREATED created + $ART_INC from articles - $DELETED deleted = $WANT_INC), articles $ART1 (start $ART0 + $ARTS = $WANT_ART): $verdict"
    say "$line"
    echo "$line" >"$OUT/$backend/counts.txt"
    summaries+=("$backend")
    if [ "$backend" = postgis ]; then
        bash "$ROOT/tests/postgis_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
    fi
done

python3 - "$OUT" "${summaries[@]}" <<'PY'
import json, sys
out = sys.argv[1]
print(f"{'backend':11} {'requests':>8} {'errors':>6} {'4xx ok':>6} {'p50 ms':>7} {'p99 ms':>7} "
      f"{'worst-min p99':>13} {'RSS start MiB':>13} {'RSS end MiB':>11} {'CPU %':>6}  counts")
for b in sys.argv[2:]:
    s = json.load(open(f"{out}/{b}/summary.json"))
    counts = open(f"{out}/{b}/counts.txt").read().strip().rsplit(": ", 1)[-1]
    print(f"{b:11} {s['requests']:8d} {s['errors']:6d} {s['expected_4xx']:6d} {s['p50_ms']:7.1f} "
          f"{s['p99_ms']:7.1f} {s['worst_minute_p99_ms']:13.1f} {s['rss_start_kib'] / 1024:13.1f} "
          f"{s['rss_end_kib'] / 1024:11.1f} {s['server_cpu_pct'] or 0:6.1f}  {counts}")
PY
say "results in $OUT"
exit $failed
