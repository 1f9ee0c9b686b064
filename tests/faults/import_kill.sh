#!/usr/bin/env bash
# Kills `incidentmap import` of 40,000 GeoJSON features with SIGKILL at chosen write system calls
# and checks that nothing is half-written and that running the killed import again completes it
# without duplicates.
#
#   tests/faults/import_kill.sh spatialite|postgis BIN GAZETTEER [RUNS] [POSTGIS_URI_FILE]
#
# Two files, generated here (the same bytes every time): one whose features carry source ids,
# which the import writes 5,000 to a transaction and a re-run updates; one without, whose rows
# the import writes in one transaction at the end with their digest, which a re-run finds
# (whether the kill fell before that transaction committed or after). Two runs in three import the first, the third
# the second, each into a fresh store; strace's fault injection delivers SIGKILL at the Nth write
# (pwrite64 for SpatiaLite, sendto to the PostgreSQL server for PostGIS), N drawn at random over
# the whole span of the import's writes. Afterwards: integrity_check ok (SpatiaLite, with the
# spatial and full-text indexes holding a row per incident), every stored incident equal in all
# its fields to a feature of the file, none twice, whole batches only (multiples of 5,000, or
# all or none of the rows without ids); an import that exited 0 stored all 40,000; the re-run
# exits 0 and leaves exactly the store of an import never killed. The seed is printed:
# INCIDENTMAP_FAULT_SEED=<seed> repeats a run.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/kill_common.sh"
kill_setup import_kill "$1" "$2" "${5:-}"
GZ=$3
RUNS=${4:-30}
# (40,000: an import of 50,000 worldwide-scattered rows, each a square of its own in the
# clusters' counts, makes more writes than strace can count to; see kill_common.sh.)
FEATURES=40000
BATCH=5000 # the import's rows with ids per transaction

gen_features $FEATURES 1 > "$WORK/ids.geojson"
gen_features $FEATURES 0 > "$WORK/noids.geojson"

import() { "$BIN" import --quiet --gazetteer "$GZ" --db "$@"; }
# Every stored incident, all of its fields but the store's id and timestamps, one a line, sorted.
dump() {
    sql "$1" "SELECT source_id, event_date, event_type, sub_event_type, actor1, actor2, location,
                     lon, lat, geo_precision, fatalities, injured, notes, confidence, country,
                     coalesce(attributes, '-')
              FROM incidents" | sort
}
count() { sql "$1" "SELECT count(*) FROM incidents"; }
# SpatiaLite's own indexes: a box and a full-text row per incident.
indexes_whole() {
    case "$1" in
    postgresql://*) return 0 ;;
    *) [ "$(sql "$1" "SELECT (SELECT count(*) FROM idx_incidents_geom) = (SELECT count(*) FROM incidents)
                          AND (SELECT count(*) FROM incidents_fts) = (SELECT count(*) FROM incidents)")" = 1 ] ;;
    esac
}

# The references: each file imported into a fresh store, not killed; how many writes that makes.
declare -A span
for f in ids noids; do
    ref=$(new_store "ref_$f")
    span[$f]=$(count_writes "$syscall" "$BIN" import --quiet --gazetteer "$GZ" --db "$ref" "$WORK/$f.geojson")
    [ -n "${span[$f]}" ] && [ "${span[$f]}" -gt 0 ] || fail "no $syscall calls counted in a reference import of $f.geojson"
    dump "$ref" > "$WORK/ref_$f.dump"
    [ "$(wc -l < "$WORK/ref_$f.dump")" = $FEATURES ] || fail "the reference import of $f.geojson stored $(wc -l < "$WORK/ref_$f.dump") incidents"
    drop_store "ref_$f"
done
echo "import_kill[$backend]: seed $SEED, $RUNS runs, $FEATURES features; $syscall calls per import: ${span[ids]} with source ids, ${span[noids]} without"

killed=0 completed=0 partial=0 acked=0 lost=0 duplicated=0 unexpected=0
problems=()
problem() { problems+=("run $run ($f, kill at $syscall #$kill_at): $*"); }
for run in $(seq 1 "$RUNS"); do
    if [ $((run % 3)) = 0 ]; then f=noids; else f=ids; fi
    db=$(new_store "$run")
    draw "${span[$f]}"
    run_killed "$kill_at" "$syscall" "$BIN" import --quiet --gazetteer "$GZ" --db "$db" "$WORK/$f.geojson"
    case $status in
    137) killed=$((killed + 1)) ;;
    0) completed=$((completed + 1)); acked=$((acked + FEATURES)) ;;
    *) unexpected=$((unexpected + 1)); problem "exit status $status: $(tail -3 "$WORK/killed.err")" ;;
    esac
    integrity_ok "$db" || problem "integrity_check failed"
    indexes_whole "$db" || problem "the spatial or full-text index does not hold a row per incident"
    dump "$db" > "$WORK/got"
    stored=$(wc -l < "$WORK/got")
    # Every row as in the file; none twice; whole transactions only.
    half=$(comm -23 "$WORK/got" "$WORK/ref_$f.dump" | wc -l)
    [ "$half" = 0 ] || problem "$half stored incidents differ from every feature of the file: $(comm -23 "$WORK/got" "$WORK/ref_$f.dump" | head -1)"
    twice=$(uniq -d "$WORK/got" | wc -l)
    duplicated=$((duplicated + twice))
    if [ "$f" = ids ]; then
        [ $((stored % BATCH)) = 0 ] || problem "$stored incidents stored: not whole batches of $BATCH"
    else
        [ "$stored" = 0 ] || [ "$stored" = $FEATURES ] || problem "$stored of the $FEATURES rows without ids stored: not all or none"
    fi
    if [ "$status" = 0 ] && [ "$stored" != $FEATURES ]; then
        lost=$((lost + FEATURES - stored)); problem "exit 0 but $stored of $FEATURES incidents stored"
    fi
    [ "$stored" -gt 0 ] && [ "$stored" -lt $FEATURES ] && partial=$((partial + 1))
    # Running the killed command again completes it, without duplicates.
    if import "$db" "$WORK/$f.geojson" 2>"$WORK/rerun.err"; then
        acked=$((acked + FEATURES))
        dump "$db" > "$WORK/got"
        again=$(wc -l < "$WORK/got")
        [ "$again" -ge $FEATURES ] || lost=$((lost + FEATURES - again))
        [ "$again" -le $FEATURES ] || duplicated=$((duplicated + again - FEATURES))
        cmp -s "$WORK/got" "$WORK/ref_$f.dump" || problem "after the re-run $again incidents, unlike the reference import"
        integrity_ok "$db" || problem "integrity_check failed after the re-run"
    else
        unexpected=$((unexpected + 1)); problem "the re-run failed: $(tail -3 "$WORK/rerun.err")"
    fi
    drop_store "$run"
done
echo "import_kill[$backend]: $RUNS runs: $killed killed ($partial with some batches stored), $completed completed; $acked acknowledged rows, $lost lost, $duplicated duplicated, $unexpected unexpected errors"
if [ ${#problems[@]} -gt 0 ] || [ "$lost" != 0 ] || [ "$duplicated" != 0 ]; then
    printf '  %s\n' "${problems[@]}" >&2
    fail "${#problems[@]} problems, $lost lost, $duplicated duplicated"
fi
echo "$RUNS passed, 0 failed"
