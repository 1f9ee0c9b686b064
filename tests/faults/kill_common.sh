# Sourced by the kill tests (import_kill.sh, migrate_kill.sh, http_write_kill.sh): the backend,
# fresh stores, the seeded choice of kill points and the command killed under strace.
#
#   kill_setup NAME BACKEND BIN URI_FILE   sets syscall (pwrite64 for SpatiaLite, sendto to the
#       PostgreSQL server for PostGIS), WORK (removed on exit), SEED (INCIDENTMAP_FAULT_SEED
#       repeats a run) and BASE_URI (the PostGIS cluster's, when URI_FILE names one)
#   gen_features N IDS   prints a GeoJSON FeatureCollection of N incidents
#   new_store RUN    prints a fresh store's location: a copy of the template (SpatiaLite), a
#       schema of its own (PostGIS); seed_store DB, when the test defines it, fills it first
#   drop_store RUN   removes the store of run RUN
#   sql DB QUERY     runs a query, rows as a|b|c
#   draw SPAN        sets kill_at, from 1 to SPAN + 2 (past SPAN: the command finishes)
#   count_writes SYSCALL CMD...   runs CMD traced and prints how many SYSCALL calls it made
#   run_killed N SYSCALL CMD...   runs CMD, SIGKILLed at its Nth SYSCALL; sets status (137: killed)
#       and leaves its standard error in $WORK/killed.err
# strace counts invocations per thread and per syscall, up to 65,535 (its limit for when=).
set -euo pipefail
export LC_ALL=C

kill_setup() {
    KILL_NAME=$1
    backend=$2
    BIN=$3
    local uri_file=${4:-}
    SEED=${INCIDENTMAP_FAULT_SEED:-$(( $(date +%s) % 32768 ))}
    RANDOM=$SEED
    WORK=$(mktemp -d)
    trap kill_cleanup EXIT
    command -v strace >/dev/null || fail "strace is not installed (scripts/setup --with-tests installs it)"
    BASE_URI=
    if [ -n "$uri_file" ] && [ -f "$uri_file" ]; then
        BASE_URI=$(cat "$uri_file")
        export PGOPTIONS='--client-min-messages=warning'
    fi
    case "$backend" in
    spatialite) syscall=pwrite64 ;;
    postgis) syscall=sendto; need_postgis "$uri_file" ;;
    *) fail "backend must be spatialite or postgis" ;;
    esac
}

# On exit: what the test leaves (its kill_cleanup_more, when it defines one), the work folder
# and the PostGIS schemas of this test (a failed run leaves its own).
kill_cleanup() {
    if declare -F kill_cleanup_more >/dev/null; then kill_cleanup_more || true; fi
    rm -rf "$WORK"
    [ -z "$BASE_URI" ] || psql -qAt "$BASE_URI" -c "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kill\_$$\_%'" 2>/dev/null |
        while read -r s; do psql -q "$BASE_URI" -c "DROP SCHEMA $s CASCADE" >/dev/null 2>&1 || true; done
}

need_postgis() { [ -n "$BASE_URI" ] || fail "no PostGIS test cluster (its URI file: '$1')"; }

# gen_features N IDS: a GeoJSON FeatureCollection of N incidents, with source ids KILL000001...
# (IDS 1) or without (0), the same bytes every time.
gen_features() {
    awk -v n="$1" -v ids="$2" 'BEGIN {
        split("Battles|Explosions/Remote violence|Violence against civilians|Protests|Riots|Strategic developments", types, "|")
        split("Armed clash|Air/drone strike|Attack|Peaceful protest|Mob violence|Arrests", subs, "|")
        printf "{\"type\":\"FeatureCollection\",\"features\":[\n"
        for (k = 1; k <= n; k++) {
            t = k % 6 + 1
            printf "%s{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.3f,%.3f]},\"properties\":{", \
                (k > 1 ? ",\n" : ""), -170 + (k * 7919 % 340000) / 1000.0, -60 + (k * 104729 % 120000) / 1000.0
            if (ids) printf "\"source_id\":\"KILL%06d\",", k
            printf "\"event_date\":\"20%02d-%02d-%02d\",\"event_type\":\"%s\",\"sub_event_type\":\"%s\",\"actor1\":\"Actor %d\",\"location\":\"Place %d\",\"fatalities\":%d,\"injured\":%d,\"notes\":\"row %d of the kill test\"}}", \
                10 + k % 14, 1 + k % 12, 1 + k % 28, types[t], subs[t], k % 97, k, k % 13, k % 7, k
        }
        printf "\n]}\n"
    }'
}

fail() { echo "$KILL_NAME[${backend:-?}, seed ${SEED:-?}]: $*" >&2; exit 1; }

schema_of() { echo "kill_$$_${1:-0}"; }
uri_of() { echo "$BASE_URI?options=-csearch_path%3D$(schema_of "$1")%2Cpublic"; }

# The tables exist before the timed part: the kills fall on the command's own writes.
new_store() {
    if [ "$backend" = spatialite ]; then
        if [ ! -f "$WORK/template.sqlite" ]; then
            "$BIN" export --quiet --db "$WORK/template.sqlite" --out /dev/null
            if declare -F seed_store >/dev/null; then seed_store "$WORK/template.sqlite"; fi
        fi
        rm -f "$WORK/db$1.sqlite"*
        cp "$WORK/template.sqlite" "$WORK/db$1.sqlite"
        echo "$WORK/db$1.sqlite"
    else
        local s
        s=$(schema_of "$1")
        psql -q "$BASE_URI" -c "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null
        "$BIN" export --quiet --db "$(uri_of "$1")" --out /dev/null
        if declare -F seed_store >/dev/null; then seed_store "$(uri_of "$1")"; fi
        uri_of "$1"
    fi
}

drop_store() {
    if [ "$backend" = postgis ]; then
        psql -q "$BASE_URI" -c "DROP SCHEMA IF EXISTS $(schema_of "$1") CASCADE" >/dev/null
    else
        rm -f "$WORK/db$1.sqlite"*
    fi
}

sql() {
    case "$1" in
    postgresql://*) psql -qAt -F '|' "$1" -c "$2" ;;
    *) sqlite3 -batch -noheader -separator '|' "$1" "$2" ;;
    esac
}

# A PostGIS store is checked by the server; a SpatiaLite file by SQLite.
integrity_ok() {
    case "$1" in
    postgresql://*) return 0 ;;
    *) [ "$(sql "$1" 'PRAGMA integrity_check')" = ok ] ;;
    esac
}

draw() {
    kill_at=$(( (RANDOM * 32768 + RANDOM) % ($1 + 2) + 1 ))
    [ "$kill_at" -le 65535 ] || fail "a kill point past strace's limit (65,535): $kill_at of a span of $1"
}

count_writes() {
    local sc=$1
    shift
    strace -f -qq --seccomp-bpf -c -e trace="$sc" -o "$WORK/count" "$@" >/dev/null
    awk -v s="$sc" '$NF == s { print $4 }' "$WORK/count"
}

run_killed() {
    local n=$1 sc=$2
    shift 2
    set +e
    # (In a subshell that waits for it: the shell's "Killed" notice goes nowhere. Not with
    # --seccomp-bpf: strace 6.1 then injects nothing.)
    (strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$n" \
        "$@" 2>"$WORK/killed.err"
     exit $?) 2>/dev/null
    status=$?
    set -e
}
