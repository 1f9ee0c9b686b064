#!/usr/bin/env bash
# Kills `incidentmap ingest` with SIGKILL at chosen write system calls and checks that nothing is
# half-stored: every article afterwards has all of its incidents or is absent, and running the
# killed command again completes it without duplicates.
#
#   tests/faults/ingest_kill.sh spatialite|postgis BIN GAZETTEER [RUNS] [POSTGIS_URI_FILE]
#
# Each run ingests the same articles into a fresh store; strace's fault injection delivers
# SIGKILL at the Nth write (pwrite64 for SpatiaLite, sendto to the PostgreSQL server for
# PostGIS), N drawn at random over the whole span of the ingest's writes. The seed is printed:
# INCIDENTMAP_FAULT_SEED=<seed> repeats a run.
set -euo pipefail
export LC_ALL=C
backend=$1
BIN=$2
GZ=$3
RUNS=${4:-200}
URI_FILE=${5:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ARTICLES=("$HERE"/../data/reports/0[1-6]*.txt)
SEED=${INCIDENTMAP_FAULT_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v strace >/dev/null || { echo "ingest_kill: strace is not installed (scripts/setup --with-tests installs it)" >&2; exit 1; }
fail() { echo "ingest_kill[$backend, seed $SEED]: $*" >&2; exit 1; }

case "$backend" in
spatialite)
    syscall=pwrite64
    new_store() { rm -f "$WORK"/db.sqlite*; cp "$WORK/template.sqlite" "$WORK/db.sqlite"; echo "$WORK/db.sqlite"; }
    sql() { sqlite3 -batch -noheader -separator '|' "$1" "$2"; }
    # The tables exist before the timed part: the kills fall on the ingest's own writes.
    "$BIN" export --quiet --db "$WORK/template.sqlite" --out /dev/null
    ;;
postgis)
    syscall=sendto
    [ -n "$URI_FILE" ] && [ -f "$URI_FILE" ] || fail "no PostGIS test cluster (its URI file: '$URI_FILE')"
    BASE_URI=$(cat "$URI_FILE")
    export PGOPTIONS='--client-min-messages=warning'
    # A schema per run (named by the run: new_store runs in a subshell), dropped after it.
    new_store() {
        local s="kill_$$_${1:-0}"
        psql -q "$BASE_URI" -c "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null
        local uri="$BASE_URI?options=-csearch_path%3D$s%2Cpublic"
        "$BIN" export --quiet --db "$uri" --out /dev/null
        echo "$uri"
    }
    sql() { psql -qAt -F '|' "$1" -c "$2"; }
    ;;
*) fail "backend must be spatialite or postgis" ;;
esac

ingest() { "$BIN" ingest --quiet --gazetteer "$GZ" --published 2024-01-15 --source faults --db "$@" "${ARTICLES[@]}"; }
# Per article (by its text's digest): the distinct incidents its evidence supports.
per_article() {
    sql "$1" "SELECT a.text_hash, count(DISTINCT e.incident_id) FROM articles a
              LEFT JOIN evidence e ON e.article_id = a.id GROUP BY a.text_hash ORDER BY a.text_hash"
}
totals() { sql "$1" "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM incidents), (SELECT count(*) FROM evidence)"; }
orphans() { sql "$1" "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.incident_id = i.id)"; }

# The reference: the same ingest, not killed; and how many writes it makes.
ref=$(new_store)
writes=$(strace -f -qq -c -e trace=$syscall -o "$WORK/count" "$BIN" ingest --quiet --gazetteer "$GZ" \
             --published 2024-01-15 --source faults --db "$ref" "${ARTICLES[@]}" && \
         awk -v s=$syscall '$NF == s { print $4 }' "$WORK/count")
[ -n "$writes" ] && [ "$writes" -gt 0 ] || fail "no $syscall calls counted in a reference ingest"
per_article "$ref" > "$WORK/ref.per_article"
ref_totals=$(totals "$ref")
[ "$(wc -l < "$WORK/ref.per_article")" = "${#ARTICLES[@]}" ] || fail "the reference stored $(wc -l < "$WORK/ref.per_article") of ${#ARTICLES[@]} articles"
echo "ingest_kill[$backend]: seed $SEED, $RUNS runs, ${#ARTICLES[@]} articles, $writes writes ($syscall) per ingest; reference: $ref_totals (articles|incidents|evidence)"

killed=0 completed=0 partial=0
for run in $(seq 1 "$RUNS"); do
    db=$(new_store "$run")
    n=$(( (RANDOM * 32768 + RANDOM) % (writes + 2) + 1 )) # up to 2 past the last: some runs finish
    set +e
    # (In a subshell that waits for it: the shell's "Killed" notice goes nowhere.)
    (strace -f -qq -o /dev/null -e trace=$syscall -e inject=$syscall:signal=SIGKILL:when=$n \
        "$BIN" ingest --quiet --gazetteer "$GZ" --published 2024-01-15 --source faults --db "$db" "${ARTICLES[@]}"
     exit $?) 2>/dev/null
    status=$?
    set -e
    case $status in
    137) killed=$((killed + 1)) ;;
    0) completed=$((completed + 1)) ;;
    *) fail "run $run (kill at $syscall #$n): exit status $status" ;;
    esac
    if [ "$backend" = spatialite ]; then
        [ "$(sql "$db" 'PRAGMA integrity_check')" = ok ] || fail "run $run (kill at #$n): integrity_check failed"
    fi
    # Every article stored has all of its incidents; no incident without its evidence.
    per_article "$db" > "$WORK/got"
    if ! join -t '|' -j 1 "$WORK/got" "$WORK/ref.per_article" | awk -F'|' '$2 != $3 { bad = 1 } END { exit bad }'; then
        fail "run $run (kill at #$n): an article is stored without all of its incidents: $(join -t '|' "$WORK/got" "$WORK/ref.per_article" | tr '\n' ' ')"
    fi
    [ "$(orphans "$db")" = 0 ] || fail "run $run (kill at #$n): incidents without evidence"
    stored=$(wc -l < "$WORK/got")
    if [ "$status" = 0 ] && [ "$stored" != "${#ARTICLES[@]}" ]; then
        fail "run $run: exit 0 but only $stored of ${#ARTICLES[@]} articles stored"
    fi
    [ "$stored" -gt 0 ] && [ "$stored" -lt "${#ARTICLES[@]}" ] && partial=$((partial + 1))
    # Running the killed command again completes it, without duplicates.
    ingest "$db" 2>"$WORK/rerun.err" || fail "run $run (kill at #$n): the re-run failed: $(tail -3 "$WORK/rerun.err")"
    per_article "$db" | cmp -s - "$WORK/ref.per_article" || fail "run $run (kill at #$n): the re-run left the store unlike the reference"
    [ "$(totals "$db")" = "$ref_totals" ] || fail "run $run (kill at #$n): after the re-run $(totals "$db"), expected $ref_totals"
    if [ "$backend" = postgis ]; then
        psql -q "$BASE_URI" -c "DROP SCHEMA kill_$$_$run CASCADE" >/dev/null
    fi
done
echo "ingest_kill[$backend]: $RUNS runs: $killed killed ($partial with some articles stored), $completed completed; afterwards every article whole or absent, every re-run complete"
echo "$RUNS passed, 0 failed"
