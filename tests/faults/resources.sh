#!/usr/bin/env bash
# Resource faults against the real binary: a full disk, a read-only store, another writer's
# lock held 30 s, a corrupted header (store and gazetteer), a WAL left by a killed process, a
# truncated gazetteer. Each must be a clear error (the CLI: an exit code and one line naming the
# file and the cause, no SQL; the server: problem+json with 507 or 503 and Retry-After), nothing
# acknowledged before may be lost (counts, PRAGMA integrity_check), and once the cause is gone
# the same write must succeed without a restart.
#
#   tests/faults/resources.sh BIN GAZETTEER
#
# Needs root (mount, for the tmpfs and the read-only bind mount), sqlite3, curl, strace.
# The lock scenario runs beside the others: the whole takes about 40 s.
set -euo pipefail
export LC_ALL=C
BIN=$1
GZ=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REPORTS=$HERE/../data/reports
TOKEN=faults-resources-token-0123456789
WORK=$(mktemp -d /tmp/faults_resources.XXXXXX)
PIDS=()
# The servers and holders a (sub)shell started, by pid.
kill_own() { local p; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
cleanup() {
    kill_own
    wait 2>/dev/null || true
    # What the scenarios mounted: only under our own directory, the deepest first.
    local m
    for m in $(awk -v w="$WORK" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
for tool in sqlite3 curl strace; do
    command -v $tool >/dev/null || { echo "resources: $tool is not installed" >&2; exit 1; }
done

SCENARIO=setup
fail() { echo "resources[$SCENARIO]: FAIL: $*" >&2; exit 1; }
note() { echo "resources[$SCENARIO]: $*"; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$SCENARIO" "$1" "$2" "$3" "$4" >> "$WORK/table.$SCENARIO"; }

sql() { sqlite3 -batch -noheader "$1" "$2"; }
count() { sql "$1" "SELECT (SELECT count(*) FROM articles) || '/' || (SELECT count(*) FROM incidents)"; }
integrity_ok() { [ "$(sql "$1" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check of $1: $(sql "$1" 'PRAGMA integrity_check' | head -3)"; }
ingest() { local db=$1; shift; "$BIN" ingest --quiet --gazetteer "$GZ" --published 2024-01-15 --source faults --db "$db" "$@"; }

# cli_fails CODE PATTERN FILE CMD...: the command exits CODE with one line on stderr that
# matches PATTERN (grep -E, case-insensitive), names FILE and quotes no SQL.
cli_fails() {
    local code=$1 pattern=$2 file=$3 status=0
    shift 3
    "$@" >/dev/null 2>"$WORK/err.$SCENARIO" || status=$?
    local msg
    msg=$(cat "$WORK/err.$SCENARIO")
    [ "$status" = "$code" ] || fail "'$*' exited $status, expected $code: $msg"
    [ "$(wc -l < "$WORK/err.$SCENARIO")" = 1 ] || fail "'$*' printed more than one line: $msg"
    grep -qiE "$pattern" <<< "$msg" || fail "'$*': '$msg' does not say /$pattern/"
    grep -qF "$file" <<< "$msg" || fail "'$*': '$msg' does not name $file"
    if grep -qE '\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN)\b' <<< "$msg"; then fail "'$*': SQL in '$msg'"; fi
    CLI_MSG=$msg
}

# start_server DB [GAZETTEER]: serves DB; sets PORT and SERVER (its pid).
start_server() {
    local out=$WORK/serve.$SCENARIO.$RANDOM
    INCIDENTMAP_TOKENS=$TOKEN "$BIN" serve --port 0 --quiet --threads 2 --db "$1" \
        --gazetteer "${2:-$GZ}" > "$out" 2> "$out.err" &
    SERVER=$!
    PIDS+=("$SERVER")
    for _ in $(seq 1 200); do
        if grep -q 'listening on' "$out"; then
            PORT=$(sed -n 's/.*:\([0-9]*\)\/$/\1/p' "$out" | head -1)
            return 0
        fi
        kill -0 "$SERVER" 2>/dev/null || fail "serve $1 ended: $(cat "$out.err")"
        sleep 0.1
    done
    fail "serve $1 did not start in 20 s"
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }

# http METHOD PATH [BODY]: prints the status; the body in $WORK/body.$SCENARIO, the headers in
# $WORK/head.$SCENARIO.
http() {
    local args=(-s -o "$WORK/body.$SCENARIO" -D "$WORK/head.$SCENARIO" -w '%{http_code}' -X "$1")
    [ "$1" = GET ] || args+=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "@$3")
    curl "${args[@]}" --max-time 60 "http://127.0.0.1:$PORT$2"
}
# problem STATUS: the last answer was STATUS as problem+json (503: with Retry-After).
problem() {
    grep -qi '^content-type: application/problem+json' "$WORK/head.$SCENARIO" || fail "a $1 without problem+json: $(head -c 300 "$WORK/body.$SCENARIO")"
    grep -q "\"status\":$1" "$WORK/body.$SCENARIO" || fail "problem body without status $1: $(head -c 300 "$WORK/body.$SCENARIO")"
    if [ "$1" = 503 ]; then grep -qi '^retry-after: [0-9]' "$WORK/head.$SCENARIO" || fail "503 without Retry-After"; fi
    if grep -qE '\b(SELECT|INSERT|UPDATE|PRAGMA|BEGIN)\b' "$WORK/body.$SCENARIO"; then fail "SQL in the problem: $(cat "$WORK/body.$SCENARIO")"; fi
    true
}
# feature_file N [NOTES_BYTES]: a GeoJSON Feature (notes padded to NOTES_BYTES) in a file.
feature_file() {
    local f=$WORK/feature.$SCENARIO.$1 pad
    pad=$(head -c "${2:-10}" /dev/zero | tr '\0' 'n')
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[36.23,49.99]},"properties":{"event_date":"2024-01-%02d","event_type":"Battles","source_id":"res-%s-%s","notes":"%s"}}' \
        $(( $1 % 28 + 1 )) "$SCENARIO" "$1" "$pad" > "$f"
    echo "$f"
}
# article_file N [PAD_BYTES]: an article body (a report, made unique, padded) in a file.
article_file() {
    local f=$WORK/article.$SCENARIO.$1
    { printf '{"published":"2024-01-15","source":"faults","text":'
      { cat "$REPORTS/01-kharkiv-shelling.txt"; printf '\nUpdate %s %s.\n' "$SCENARIO" "$1"
        head -c "${2:-0}" /dev/zero | tr '\0' 'x'; } | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'
      printf '}'; } > "$f"
    echo "$f"
}

# The store every scenario starts from: two reports ingested.
ingest "$WORK/template.sqlite" "$REPORTS"/01-*.txt "$REPORTS"/02-*.txt
TEMPLATE_COUNT=$(count "$WORK/template.sqlite")
echo "resources: template store $TEMPLATE_COUNT (articles/incidents), $(stat -c %s "$WORK/template.sqlite") bytes"

# 1. A full disk: the store on a small tmpfs, a filler file taking the rest.
scenario_full_disk() {
    local m=$WORK/full db acked=0 arts=0 i status before
    mkdir -p "$m"
    if [ -n "${INCIDENTMAP_FAULTS_NO_MOUNT:-}" ] || ! mount -t tmpfs -o size=16m tmpfs "$m" 2>/dev/null; then
        full_disk_by_file_size_limit "$m"
        return
    fi
    db=$m/incidents.sqlite
    cp "$WORK/template.sqlite" "$db"
    start_server "$db"
    [ "$(http POST /api/incidents "$(feature_file 0)")" = 201 ] || fail "the first write: $(cat "$WORK/body.$SCENARIO")"
    ingest "$db" "$REPORTS"/03-*.txt || fail "an ingest with room to spare failed"
    dd if=/dev/zero of="$m/filler" bs=64k 2>/dev/null || true # until the disk is full
    before=$(count "$db")
    big_import_file "$WORK/big.geojson"
    cli_fails 4 'disk full' "$db" "$BIN" import --quiet --gazetteer "$GZ" --db "$db" "$WORK/big.geojson"
    # The server's writes, until the WAL's slack is used up too: the first refusal is a 507.
    for i in $(seq 1 80); do
        status=$(http POST /api/incidents "$(feature_file "$i" 100000)")
        [ "$status" = 201 ] || break
        acked=$((acked + 1))
    done
    [ "$status" = 507 ] && problem 507 || fail "POST /api/incidents on a full disk: $status $(head -c 300 "$WORK/body.$SCENARIO")"
    for i in $(seq 1 80); do
        status=$(http POST /api/articles "$(article_file "$i" 100000)")
        [ "$status" = 201 ] || break
        arts=$((arts + 1))
    done
    [ "$status" = 507 ] && problem 507 || fail "POST /api/articles on a full disk: $status $(head -c 300 "$WORK/body.$SCENARIO")"
    note "507 after $acked incidents and $arts articles more; $(sed 's/.*"detail"://' "$WORK/body.$SCENARIO" | head -c 200)"
    # Nothing acknowledged is lost: the writes before the disk filled and every 201 since.
    [ "$(sql "$db" "SELECT count(*) FROM incidents WHERE source_id LIKE 'res-full_disk-%'")" = $((acked + 1)) ] ||
        fail "acknowledged incidents missing"
    [ "$(sql "$db" 'SELECT count(*) FROM articles')" = $(( ${before%/*} + arts )) ] || fail "acknowledged articles missing"
    integrity_ok "$db"
    # Room again: the same writes succeed, the server not restarted.
    rm "$m/filler"
    [ "$(http POST /api/incidents "$(feature_file 999)")" = 201 ] || fail "no resume: $(cat "$WORK/body.$SCENARIO")"
    [ "$(http POST /api/articles "$(article_file 999)")" = 201 ] || fail "no resume (articles): $(cat "$WORK/body.$SCENARIO")"
    "$BIN" import --quiet --gazetteer "$GZ" --db "$db" "$WORK/big.geojson" || fail "the import failed after space was freed"
    stop_server
    integrity_ok "$db"
    : > "$WORK/table.$SCENARIO"
    row "exit 4, '$CLI_MSG'" "507 problem+json (incidents, articles)" "none (every write acknowledged before and while full there; integrity ok)" "yes: after rm filler, 201 and the import succeed without restart"
}

# Without mount (not root, or refused): the process's file size limit stands in for the disk,
# for the CLI only; SIGXFSZ ignored so that the write fails instead of killing the process.
# SQLite reports a write refused with EFBIG as an I/O error (it tells only ENOSPC apart), so
# either message is taken here.
full_disk_by_file_size_limit() {
    local db=$1/incidents.sqlite status=0
    note "mount refused: RLIMIT_FSIZE (ulimit -f) instead of a tmpfs, CLI only"
    cp "$WORK/template.sqlite" "$db"
    big_import_file "$WORK/big.geojson"
    (trap '' XFSZ; ulimit -f $(( $(stat -c %s "$db") / 1024 + 256 ));
     cli_fails 4 'disk full|I/O error' "$db" "$BIN" import --quiet --gazetteer "$GZ" --db "$db" "$WORK/big.geojson"
     echo "$CLI_MSG" > "$WORK/fsize.msg") || status=$?
    [ "$status" = 0 ] || exit "$status"
    integrity_ok "$db"
    [ "$(count "$db")" = "$TEMPLATE_COUNT" ] || fail "the failed import left rows"
    "$BIN" import --quiet --gazetteer "$GZ" --db "$db" "$WORK/big.geojson" || fail "no resume without the limit"
    row "exit 4, '$(cat "$WORK/fsize.msg")' (ulimit -f, mount refused)" "not run (no tmpfs)" "none" "yes (without the limit)"
}

# A GeoJSON file of 40 incidents with 100 KB of notes each: 4 MB, more than is left once the
# filler file takes the disk, less than half of the 16 MB tmpfs (the WAL and then the store hold
# them both) without it.
big_import_file() {
    python3 - "$1" <<'PY'
import json, sys
feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5 + i / 100, 50.4]},
          "properties": {"event_date": "2024-02-01", "event_type": "Battles",
                         "source_id": "big-%d" % i, "notes": ("%d " % i) * 25000}}
         for i in range(40)]
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
PY
}

# 2. A read-only store: a read-only bind mount of its directory (root ignores permission bits).
scenario_read_only() {
    local rw=$WORK/ro_src ro=$WORK/ro db before msg
    mkdir -p "$rw" "$ro"
    cp "$WORK/template.sqlite" "$rw/incidents.sqlite"
    mount --bind "$rw" "$ro" && mount -o remount,bind,ro "$ro" || fail "cannot make a read-only bind mount"
    db=$ro/incidents.sqlite
    before=$(count "$rw/incidents.sqlite")
    cli_fails 5 'read-only' "$db" ingest "$db" "$REPORTS"/03-*.txt
    msg=$CLI_MSG
    "$BIN" export --quiet --db "$db" --out "$WORK/ro.geojson" || fail "a read-only store cannot be read by export"
    grep -o '"type":"Feature"' "$WORK/ro.geojson" | wc -l | grep -qx "${before#*/}" || fail "export of the read-only store"
    start_server "$db"
    [ "$(http GET /api/incidents)" = 200 ] || fail "reads of a read-only store: $(cat "$WORK/body.$SCENARIO")"
    grep -q "\"numberMatched\":${before#*/}," "$WORK/body.$SCENARIO" || fail "reads of a read-only store miss incidents"
    [ "$(http POST /api/incidents "$(feature_file 1)")" = 503 ] && problem 503 || fail "POST /api/incidents: not 503"
    [ "$(http POST /api/articles "$(article_file 1)")" = 503 ] && problem 503 || fail "POST /api/articles: not 503"
    note "$(sed 's/.*"detail"://' "$WORK/body.$SCENARIO" | head -c 200)"
    [ "$(count "$rw/incidents.sqlite")" = "$before" ] || fail "the store changed"
    integrity_ok "$rw/incidents.sqlite"
    # Writable again: the same writes succeed, the server not restarted (its connections
    # opened read-only are opened again), and so does the CLI.
    mount -o remount,bind,rw "$ro" || fail "cannot remount read-write"
    [ "$(http POST /api/incidents "$(feature_file 2)")" = 201 ] || fail "POST after remount: $(cat "$WORK/body.$SCENARIO")"
    [ "$(http POST /api/articles "$(article_file 2)")" = 201 ] || fail "POST /api/articles after remount: $(cat "$WORK/body.$SCENARIO")"
    stop_server
    ingest "$db" "$REPORTS"/03-*.txt || fail "the ingest failed on the writable store"
    integrity_ok "$db"
    row "exit 5, '$msg'; reads (export) work" "GET 200; POST incidents/articles 503 problem+json, Retry-After" "none (counts unchanged, integrity ok)" "yes: 201 and ingest once writable, no restart"
}

# 3. Another process holds the write lock for 30 s (BEGIN IMMEDIATE, then sleeps).
scenario_lock() {
    local d=$WORK/lock db holder t0 t1 msg
    mkdir -p "$d"
    db=$d/incidents.sqlite
    cp "$WORK/template.sqlite" "$db"
    start_server "$db"
    [ "$(http POST /api/incidents "$(feature_file 0)")" = 201 ] || fail "the first write"
    python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(30)
c.execute("ROLLBACK")' "$db" > "$d/holder.out" &
    holder=$!
    PIDS+=("$holder")
    for _ in $(seq 1 100); do grep -q locked "$d/holder.out" && break; sleep 0.1; done
    grep -q locked "$d/holder.out" || fail "the lock holder did not start"
    # The CLI first: its time (loading the gazetteer) varies most with the machine's load.
    cli_fails 5 'locked' "$db" ingest "$db" "$REPORTS"/03-*.txt
    msg=$CLI_MSG
    t0=$(date +%s%N)
    [ "$(http GET /api/incidents)" = 200 ] || fail "a read under the lock: $(cat "$WORK/body.$SCENARIO")"
    t1=$(date +%s%N)
    [ $(( (t1 - t0) / 1000000 )) -lt 3000 ] || fail "a read under the lock took $(( (t1 - t0) / 1000000 )) ms"
    t0=$(date +%s%N)
    [ "$(http POST /api/incidents "$(feature_file 1)")" = 503 ] && problem 503 || fail "a write under the lock: not 503"
    t1=$(date +%s%N)
    note "the write waited $(( (t1 - t0) / 1000000 )) ms, then: $(sed 's/.*"detail"://' "$WORK/body.$SCENARIO" | head -c 200)"
    [ $(( (t1 - t0) / 1000000 )) -ge 4000 ] || fail "the write did not wait for the busy timeout"
    [ "$(http POST /api/articles "$(article_file 1)")" = 503 ] && problem 503 || fail "POST /api/articles under the lock: not 503"
    kill -0 "$holder" 2>/dev/null || fail "the lock was released before the checks ended (a loaded machine?)"
    wait "$holder" || fail "the lock holder failed"
    # Released: the same writes succeed, the server not restarted.
    [ "$(http POST /api/incidents "$(feature_file 1)")" = 201 ] || fail "no resume: $(cat "$WORK/body.$SCENARIO")"
    [ "$(http POST /api/articles "$(article_file 1)")" = 201 ] || fail "no resume (articles)"
    ingest "$db" "$REPORTS"/03-*.txt || fail "the ingest failed after the lock was released"
    stop_server
    [ "$(sql "$db" "SELECT count(*) FROM incidents WHERE source_id LIKE 'res-lock-%'")" = 2 ] || fail "acknowledged incidents missing"
    integrity_ok "$db"
    row "exit 5 after the 5 s busy timeout, '$msg'" "GET 200 at once; POST incidents/articles 503 + Retry-After after 5 s" "none (integrity ok)" "yes: 201 and ingest once released, no restart"
}

# Overwrites the first 100 bytes of a file (the SQLite header) with 'X'.
spoil_header() { head -c 100 /dev/zero | tr '\0' X | dd of="$1" conv=notrunc status=none; }

# 4. A corrupted header, of the store and of the gazetteer: refused at open.
scenario_corrupt_header() {
    local d=$WORK/corrupt db gz store_msg gz_msg
    mkdir -p "$d"
    db=$d/incidents.sqlite gz=$d/gazetteer.sqlite
    cp "$WORK/template.sqlite" "$db"
    cp "$GZ" "$gz"
    head -c 100 "$db" > "$d/header"
    spoil_header "$db"
    spoil_header "$gz"
    cli_fails 4 'not a database or is corrupt' "$db" "$BIN" export --quiet --db "$db" --out /dev/null
    store_msg=$CLI_MSG
    cli_fails 4 'not a database or is corrupt' "$db" ingest "$db" "$REPORTS"/03-*.txt
    cli_fails 4 'not a database or is corrupt' "$db" env INCIDENTMAP_TOKENS=$TOKEN timeout 20 "$BIN" serve --port 0 --quiet --db "$db" --gazetteer "$GZ"
    cli_fails 4 "not a gazetteer.*incidentmap gazetteer build" "$gz" "$BIN" geoparse --gazetteer "$gz" "$REPORTS"/03-*.txt
    gz_msg=$CLI_MSG
    cli_fails 4 "not a gazetteer" "$gz" env INCIDENTMAP_TOKENS=$TOKEN timeout 20 "$BIN" serve --port 0 --quiet --db "$d/other.sqlite" --gazetteer "$gz"
    # The header back: everything there, and the store takes writes again.
    dd if="$d/header" of="$db" conv=notrunc status=none
    [ "$(count "$db")" = "$TEMPLATE_COUNT" ] || fail "the store lost rows"
    integrity_ok "$db"
    ingest "$db" "$REPORTS"/03-*.txt || fail "the ingest failed on the repaired store"
    row "exit 4, '$store_msg'; gazetteer: '$gz_msg'" "serve refuses to start (exit 4, same line)" "none once the header is restored" "yes"
}

# 5. A WAL left by killed processes: a server killed after acknowledged writes, then an ingest
# killed in the middle of its transaction. The next open recovers the committed writes only.
scenario_crashed_wal() {
    local d=$WORK/wal db status=0
    mkdir -p "$d/copy"
    db=$d/incidents.sqlite
    cp "$WORK/template.sqlite" "$db"
    start_server "$db"
    for i in 1 2 3; do
        [ "$(http POST /api/incidents "$(feature_file "$i")")" = 201 ] || fail "write $i"
    done
    kill -9 "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    [ -s "$db-wal" ] || fail "no WAL left by the killed server"
    (strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=SIGKILL:when=3 \
        "$BIN" ingest --quiet --gazetteer "$GZ" --published 2024-01-15 --source faults --db "$db" "$REPORTS"/03-*.txt
     exit $?) 2>/dev/null || status=$?
    [ "$status" = 137 ] || fail "the ingest was not killed mid-write (status $status)"
    [ -s "$db-wal" ] || fail "no WAL after the killed ingest"
    cp "$db" "$db-wal" "$d/copy/" # the other form: a store copied with its WAL
    note "WAL left: $(stat -c %s "$db-wal") bytes"
    local want=$(( ${TEMPLATE_COUNT#*/} + 3 ))
    "$BIN" export --quiet --db "$db" --out "$d/out.geojson" || fail "the store did not open after the crash"
    [ "$(grep -o '"type":"Feature"' "$d/out.geojson" | wc -l)" = "$want" ] || fail "export after recovery: not $want incidents"
    [ "$(count "$db")" = "${TEMPLATE_COUNT%/*}/$want" ] || fail "after recovery $(count "$db"), expected ${TEMPLATE_COUNT%/*}/$want"
    integrity_ok "$db"
    start_server "$d/copy/incidents.sqlite"
    [ "$(http GET /api/incidents)" = 200 ] && grep -q "\"numberMatched\":$want," "$WORK/body.$SCENARIO" || fail "the copy with its WAL: $(head -c 200 "$WORK/body.$SCENARIO")"
    [ "$(http POST /api/incidents "$(feature_file 4)")" = 201 ] || fail "a write on the recovered copy"
    stop_server
    integrity_ok "$d/copy/incidents.sqlite"
    ingest "$db" "$REPORTS"/03-*.txt || fail "the killed ingest did not complete when run again"
    integrity_ok "$db"
    row "killed ingest: exit 137 (SIGKILL); the next open recovers" "served after recovery (copy of db + -wal): GET 200, POST 201" "none: 3 acknowledged writes there, the killed ingest absent; integrity ok" "yes"
}

# 6. A truncated gazetteer: refused at open by ingest, geoparse and serve, never empty results.
scenario_truncated_gazetteer() {
    local gz=$WORK/truncated-gazetteer.sqlite msg
    cp "$GZ" "$gz"
    truncate -s $(( $(stat -c %s "$GZ") / 2 )) "$gz"
    local why="truncated.*incidentmap gazetteer build"
    cli_fails 4 "$why" "$gz" "$BIN" geoparse --gazetteer "$gz" "$REPORTS"/03-*.txt
    msg=$CLI_MSG
    cli_fails 4 "$why" "$gz" "$BIN" ingest --quiet --gazetteer "$gz" --published 2024-01-15 --db "$WORK/trunc.sqlite" "$REPORTS"/03-*.txt
    [ ! -s "$WORK/trunc.sqlite" ] || [ "$(count "$WORK/trunc.sqlite")" = 0/0 ] || fail "ingest stored with a truncated gazetteer"
    cli_fails 4 "$why" "$gz" env INCIDENTMAP_TOKENS=$TOKEN timeout 20 "$BIN" serve --port 0 --quiet --db "$WORK/trunc.sqlite" --gazetteer "$gz"
    "$BIN" geoparse --gazetteer "$GZ" "$REPORTS"/03-*.txt | grep -q . || fail "the whole gazetteer finds nothing"
    row "exit 4, '$msg' (geoparse, ingest)" "serve refuses to start (exit 4, same line)" "n/a (nothing written)" "yes, with the whole file"
}


# The lock is held 30 s: that scenario runs beside the others, in its own subshell.
# INCIDENTMAP_FAULTS_ONLY=NAME runs one scenario.
ONLY=${INCIDENTMAP_FAULTS_ONLY:-}
lock_status=0
if [ -z "$ONLY" ] || [ "$ONLY" = lock ]; then
    (SCENARIO=lock; trap kill_own EXIT; scenario_lock) > "$WORK/lock.log" 2>&1 &
    LOCK_JOB=$!
fi
for s in full_disk read_only corrupt_header crashed_wal truncated_gazetteer; do
    [ -z "$ONLY" ] || [ "$ONLY" = "$s" ] || continue
    (SCENARIO=$s; trap kill_own EXIT; "scenario_$s")
done
if [ -n "${LOCK_JOB:-}" ]; then
    wait "$LOCK_JOB" || lock_status=$?
    cat "$WORK/lock.log"
fi
[ "$lock_status" = 0 ] || exit 1

echo
echo "| scenario | CLI | HTTP | lost | resumes |"
echo "|---|---|---|---|---|"
cat "$WORK"/table.*
echo "resources: all scenarios passed"
