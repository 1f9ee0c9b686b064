#!/usr/bin/env bash
# Kills `incidentmap migrate` with SIGKILL at chosen write system calls of the store it copies
# into and checks that the target holds only whole batches of the source, that running the
# killed command again completes the copy without duplicates, and that the source is untouched.
#
#   tests/faults/migrate_kill.sh spatialite|postgis BIN GAZETTEER [RUNS] POSTGIS_URI_FILE
#
# The backend is the target's: postgis copies a SpatiaLite store into PostGIS (SIGKILL at the
# Nth sendto to the server), spatialite a PostGIS store into SpatiaLite (at the Nth pwrite64);
# both need the PostGIS cluster. The source: six reports ingested (articles, incidents with
# their evidence) and 20,000 imported features; --batch 1000. N is drawn at random over the whole
# span of the migrate's writes. Afterwards the target's articles and incidents (GeoJSON
# sequences: every field, id, timestamp and evidence row) are the source's first ones, in whole
# batches; a migrate that exited 0 copied all; the re-run exits 0 and leaves the target equal
# to the source; the source's contents are as before and its integrity_check ok. The seed is
# printed: INCIDENTMAP_FAULT_SEED=<seed> repeats a run.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/kill_common.sh"
kill_setup migrate_kill "$1" "$2" "${5:-}"
need_postgis "${5:-}"
GZ=$3
RUNS=${4:-20}
FEATURES=20000
BATCH=1000
ARTICLES=("$HERE"/../data/reports/0[1-6]*.txt)

# The source, SpatiaLite first; for a SpatiaLite target it is copied into a PostGIS schema.
src=$WORK/source.sqlite
"$BIN" ingest --quiet --gazetteer "$GZ" --published 2024-01-15 --source faults --db "$src" "${ARTICLES[@]}"
gen_features $FEATURES 1 > "$WORK/features.geojson"
"$BIN" import --quiet --gazetteer "$GZ" --db "$src" "$WORK/features.geojson"
if [ "$backend" = spatialite ]; then
    psql -q "$BASE_URI" -c "DROP SCHEMA IF EXISTS $(schema_of src) CASCADE; CREATE SCHEMA $(schema_of src)" >/dev/null
    "$BIN" migrate --quiet --from "$src" --to "$(uri_of src)"
    src=$(uri_of src)
fi

# A store's contents: its incidents as a GeoJSON sequence (a feature a line, in id order) and
# its articles, a line each.
contents() {
    "$BIN" export --quiet --format geojsonseq --db "$1" --out "$2.incidents"
    sql "$1" "SELECT id, text_hash, source, url, title, published, created FROM articles ORDER BY id" > "$2.articles"
}
contents "$src" "$WORK/source"
src_sum=$(cat "$WORK/source.incidents" "$WORK/source.articles" | sha256sum)
n_inc=$(wc -l < "$WORK/source.incidents")
n_art=$(wc -l < "$WORK/source.articles")
n_ev=$(sql "$src" "SELECT count(*) FROM evidence")
[ "$n_inc" -gt $FEATURES ] && [ "$n_art" = ${#ARTICLES[@]} ] || fail "the source holds $n_inc incidents and $n_art articles"

migrate() { "$BIN" migrate --quiet --batch $BATCH --from "$src" --to "$@"; }
ref=$(new_store ref)
span=$(count_writes "$syscall" "$BIN" migrate --quiet --batch $BATCH --from "$src" --to "$ref")
[ -n "$span" ] && [ "$span" -gt 0 ] || fail "no $syscall calls counted in a reference migrate"
drop_store ref
echo "migrate_kill[$backend]: seed $SEED, $RUNS runs; the source: $n_art articles, $n_inc incidents, $n_ev evidence rows; $span $syscall calls per migrate (--batch $BATCH)"

# is_prefix PART WHOLE: the lines of PART are the first lines of WHOLE.
is_prefix() { head -n "$(wc -l < "$1")" "$2" | cmp -s - "$1"; }

killed=0 completed=0 partial=0 acked=0 lost=0 duplicated=0 unexpected=0
problems=()
problem() { problems+=("run $run (kill at $syscall #$kill_at): $*"); }
for run in $(seq 1 "$RUNS"); do
    db=$(new_store "$run")
    draw "$span"
    run_killed "$kill_at" "$syscall" "$BIN" migrate --quiet --batch $BATCH --from "$src" --to "$db"
    case $status in
    137) killed=$((killed + 1)) ;;
    0) completed=$((completed + 1)); acked=$((acked + n_art + n_inc + n_ev)) ;;
    *) unexpected=$((unexpected + 1)); problem "exit status $status: $(tail -3 "$WORK/killed.err")" ;;
    esac
    integrity_ok "$db" || problem "integrity_check failed"
    contents "$db" "$WORK/got"
    inc=$(wc -l < "$WORK/got.incidents")
    art=$(wc -l < "$WORK/got.articles")
    # The source's first rows, whole batches (articles all before the first incident).
    is_prefix "$WORK/got.articles" "$WORK/source.articles" || problem "the articles copied are not the source's first ones"
    is_prefix "$WORK/got.incidents" "$WORK/source.incidents" || problem "the incidents copied are not the source's first ones, whole"
    { [ "$art" = 0 ] || [ "$art" = "$n_art" ]; } || problem "$art of $n_art articles: not the whole batch"
    { [ $((inc % BATCH)) = 0 ] || [ "$inc" = "$n_inc" ]; } || problem "$inc incidents: not whole batches of $BATCH"
    [ "$inc" = 0 ] || [ "$art" = "$n_art" ] || problem "incidents copied before all of the articles"
    dup=$(( $(sort "$WORK/got.incidents" | uniq -d | wc -l) + $(sort "$WORK/got.articles" | uniq -d | wc -l) ))
    duplicated=$((duplicated + dup))
    if [ "$status" = 0 ] && { [ "$inc" != "$n_inc" ] || [ "$art" != "$n_art" ]; }; then
        lost=$((lost + n_inc - inc + n_art - art)); problem "exit 0 but $art articles, $inc incidents copied"
    fi
    [ "$inc" -lt "$n_inc" ] && [ $((inc + art)) -gt 0 ] && partial=$((partial + 1))
    # Running the killed command again completes the copy, without duplicates.
    if migrate "$db" 2>"$WORK/rerun.err"; then
        acked=$((acked + n_art + n_inc + n_ev))
        contents "$db" "$WORK/got"
        inc=$(wc -l < "$WORK/got.incidents")
        art=$(wc -l < "$WORK/got.articles")
        [ $((inc + art)) -ge $((n_inc + n_art)) ] || lost=$((lost + n_inc + n_art - inc - art))
        [ $((inc + art)) -le $((n_inc + n_art)) ] || duplicated=$((duplicated + inc + art - n_inc - n_art))
        cmp -s "$WORK/got.incidents" "$WORK/source.incidents" && cmp -s "$WORK/got.articles" "$WORK/source.articles" ||
            problem "after the re-run the target ($art articles, $inc incidents) differs from the source"
        [ "$(sql "$db" "SELECT count(*) FROM evidence")" = "$n_ev" ] || problem "after the re-run $(sql "$db" "SELECT count(*) FROM evidence") evidence rows, not $n_ev"
        integrity_ok "$db" || problem "integrity_check failed after the re-run"
    else
        unexpected=$((unexpected + 1)); problem "the re-run failed: $(tail -3 "$WORK/rerun.err")"
    fi
    drop_store "$run"
done
# The source is untouched.
contents "$src" "$WORK/after"
[ "$(cat "$WORK/after.incidents" "$WORK/after.articles" | sha256sum)" = "$src_sum" ] || problems+=("the source changed")
integrity_ok "$src" || problems+=("the source's integrity_check failed")
echo "migrate_kill[$backend]: $RUNS runs: $killed killed ($partial with part of the source copied), $completed completed; $acked acknowledged rows, $lost lost, $duplicated duplicated, $unexpected unexpected errors"
if [ ${#problems[@]} -gt 0 ] || [ "$lost" != 0 ] || [ "$duplicated" != 0 ]; then
    printf '  %s\n' "${problems[@]}" >&2
    fail "${#problems[@]} problems, $lost lost, $duplicated duplicated"
fi
echo "$RUNS passed, 0 failed"
