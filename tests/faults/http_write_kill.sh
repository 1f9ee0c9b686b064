#!/usr/bin/env bash
# Kills `incidentmap serve` with SIGKILL at chosen write system calls while a client sends it
# writes, and checks that every acknowledged write is stored exactly once, nothing is
# half-stored, and that re-sending the unacknowledged writes to a restarted server completes
# them without duplicates.
#
#   tests/faults/http_write_kill.sh spatialite|postgis BIN GAZETTEER [RUNS] [POSTGIS_URI_FILE]
#
# Each run serves a fresh store holding 30 imported incidents (--threads 1: one worker makes
# every write), under strace; the client (curl) sends 30 writes in turn, each once: POST
# /api/incidents with a source id, PUT, PATCH and DELETE /api/incidents/{id} of the imported
# ones, POST /api/articles of six reports. A write is acknowledged by its 2xx answer; the
# client stops at the first request the server does not answer (it was killed). SIGKILL comes at
# the worker's Nth write, N drawn at random over the span of the 30 writes: for PostGIS the Nth
# sendto (statements to the PostgreSQL server and answers to the client alike); for SpatiaLite
# the Nth pwrite64 in two runs of three, the Nth sendto (the answer, after the commit) in the
# third. strace counts per thread: a kill point the main thread reaches while opening its
# connections kills the server before it listens, with nothing written.
#
# Afterwards, what each write touches (an incident by its source id, an article by its title,
# with the number of incidents its evidence supports) is in its state after the write for every
# acknowledged one, before or after it for the unacknowledged one under way, before it for those
# never sent; integrity_check ok (SpatiaLite). Then a server (not traced) gets the
# unacknowledged writes again: each answer is the write's own or says it was done (409 for a
# POST of a stored source id, 404 for a DELETE of a deleted incident, 200 for a stored article),
# and the store must equal that of a run never killed. The seed is printed:
# INCIDENTMAP_FAULT_SEED=<seed> repeats a run.
HERE=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=$(cd "$HERE/../.." && pwd)
. "$HERE/kill_common.sh"
kill_setup http_write_kill "$1" "$2" "${5:-}"
GZ=$3
RUNS=${4:-12}
TOKEN=http-write-kill-token-0123456789
ARTICLES=("$HERE"/../data/reports/0[1-6]*.txt)
command -v curl >/dev/null || fail "curl is not installed"

# (GeoJSON needs no gazetteer: opening one takes seconds.)
seed_store() { gen_features 30 1 > "$WORK/seed.geojson"; "$BIN" import --quiet --gazetteer "$WORK/none" --db "$1" "$WORK/seed.geojson"; }

# --- The writes -------------------------------------------------------------------------------
# Write k: method[k], target[k] (a path; {Sn} is the id of the incident with source id Sn),
# body $WORK/body.k, the answers that do it (ok[k]) and those that say it was done before
# (done[k], when re-sent), and key[k], what it touches (see state).
json_string() { awk 'BEGIN { RS = "^$" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, "\\r"); gsub(/\n/, "\\n"); printf "\"%s\"", $0 }' "$1"; }
feature() { # SOURCE_ID DATE LON NOTES FATALITIES
    printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,10.5]},"properties":{"source_id":"%s","event_date":"%s","event_type":"Riots","sub_event_type":"Mob violence","actor1":"Rioters","location":"Kill town %s","fatalities":%s,"injured":1,"notes":"%s"}}' \
        "$3" "$1" "$2" "$1" "$5" "$4"
}
method=() target=() ok=() done=() key=()
add() { method+=("$1"); target+=("$2"); ok+=("$3"); done+=("$4"); key+=("$5"); cat > "$WORK/body.$((${#method[@]} - 1))"; }
for j in 1 2 3 4 5 6; do
    add POST /api/incidents 201 409 "incident HTTP$j" < <(feature "HTTP$j" "2024-02-0$j" "1$j" "posted $j" "$j")
    s=$(printf 'KILL%06d' "$j")
    add PUT "/api/incidents/{$s}" 200 200 "incident $s" < <(feature "$s" "2024-03-0$j" "2$j" "put $j" "10$j")
    s=$(printf 'KILL%06d' $((6 + j)))
    add PATCH "/api/incidents/{$s}" 200 200 "incident $s" < <(printf '{"properties":{"notes":"patched %s","fatalities":20%s}}' "$j" "$j")
    s=$(printf 'KILL%06d' $((12 + j)))
    add DELETE "/api/incidents/{$s}" 204 404 "incident $s" < /dev/null
    a=${ARTICLES[$((j - 1))]}
    add POST /api/articles 201 200 "article kill article $j" < <(printf '{"text":%s,"published":"2024-01-15","source":"faults","title":"kill article %s"}' "$(json_string "$a")" "$j")
done
W=${#method[@]}

# state DB KEY: one line saying the state of what a write touches.
state() {
    local db=$1 k=$2
    case "$k" in
    incident\ *)
        sql "$db" "SELECT count(*) || ':' || coalesce(max(event_date || '|' || event_type || '|' ||
                          sub_event_type || '|' || notes || '|' || fatalities || '|' || injured || '|' ||
                          lon || '|' || lat || '|' || actor1 || '|' || location), '')
                   FROM incidents WHERE source_id = '${k#incident }'" ;;
    article\ *)
        sql "$db" "SELECT count(DISTINCT a.id) || ':' || count(DISTINCT e.incident_id) FROM articles a
                   LEFT JOIN evidence e ON e.article_id = a.id WHERE a.title = '${k#article }'" ;;
    esac
}
states() { for k in $(seq 0 $((W - 1))); do state "$1" "${key[$k]}"; done; }
totals() { sql "$1" "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM incidents), (SELECT count(*) FROM evidence)"; }
orphans() { sql "$1" "SELECT count(*) FROM incidents i WHERE source_id = '' AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.incident_id = i.id)"; }

# --- The server -------------------------------------------------------------------------------
# start_server DB [strace options...]: serves DB in the background (server_pid: the subshell
# that waits for it); sets port, or port= when it ended before listening.
start_server() {
    local db=$1
    shift
    : > "$WORK/server.out"
    # (In a subshell that waits for it: the shell's "Killed" notice goes nowhere.)
    (INCIDENTMAP_TOKENS=$TOKEN "$@" "$BIN" serve --port 0 --quiet --threads 1 --db "$db" --gazetteer "$GZ" \
        --web "$HOME_DIR/web" --vendor "$HOME_DIR/node_modules" > "$WORK/server.out" 2>"$WORK/server.err"
     exit $?) 2>/dev/null &
    server_pid=$!
    port=
    for _ in $(seq 1 600); do
        port=$(sed -n 's|.*listening on http://[0-9.]*:\([0-9]*\)/.*|\1|p' "$WORK/server.out")
        [ -n "$port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || { port=; return 0; }
        sleep 0.05
    done
    fail "the server did not start: $(cat "$WORK/server.err")"
}
# Ends the server started last (SIGTERM: it finishes the requests under way) and waits for it.
stop_server() {
    # The server is the subshell's child, or under strace its grandchild.
    local pid=$server_pid child
    while child=$(pgrep -P "$pid" | head -1) && [ -n "$child" ]; do pid=$child; done
    [ "$pid" = "$server_pid" ] || kill -TERM "$pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}
# A failed test leaves no server running.
kill_cleanup_more() { [ -z "${server_pid:-}" ] || stop_server; }
# send K DB: sends write K; prints the HTTP status (000: no answer).
send() {
    local k=$1 db=$2 path=${target[$1]} s id
    while [[ "$path" =~ \{(KILL[0-9]+)\} ]]; do
        s=${BASH_REMATCH[1]}
        id=${ids[$s]:-0}
        path=${path/\{$s\}/$id}
    done
    local data=()
    [ "${method[$k]}" = DELETE ] || data=(--data-binary "@$WORK/body.$k")
    # An answer cut short (curl fails) is none.
    curl -s -o "$WORK/answer" -w '%{http_code}' --max-time 60 -X "${method[$k]}" \
        -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "${data[@]}" \
        "http://127.0.0.1:$port$path" > "$WORK/code" || echo 000 > "$WORK/code"
    cat "$WORK/code"
}
declare -A ids
read_ids() {
    ids=()
    while IFS='|' read -r s id; do ids[$s]=$id; done < <(sql "$1" "SELECT source_id, id FROM incidents WHERE source_id LIKE 'KILL%'")
}

# --- The reference: the writes, not killed ----------------------------------------------------
before_db=$(new_store before)
states "$before_db" > "$WORK/before.states"
drop_store before
ref=$(new_store ref)
read_ids "$ref"
start_server "$ref" strace -f -qq -e trace=pwrite64,sendto -o "$WORK/trace"
[ -n "$port" ] || fail "the reference server did not start: $(cat "$WORK/server.err")"
for k in $(seq 0 $((W - 1))); do
    code=$(send "$k" "$ref")
    [ "$code" = "${ok[$k]}" ] || fail "reference write $k (${method[$k]} ${target[$k]}): $code, expected ${ok[$k]}: $(head -c 300 "$WORK/answer")"
done
stop_server
states "$ref" > "$WORK/after.states"
ref_totals=$(totals "$ref")
# The worker's writes: the thread that made the most.
declare -A span
for sc in pwrite64 sendto; do
    span[$sc]=$(awk -v s="$sc(" 'index($2, s) == 1 { n[$1]++ } END { m = 0; for (p in n) if (n[p] > m) m = n[p]; print m }' "$WORK/trace")
done
[ "${span[$syscall]}" -gt 0 ] || fail "no $syscall calls counted in the reference run"
drop_store ref
echo "http_write_kill[$backend]: seed $SEED, $RUNS runs, $W writes; the worker's calls over them: ${span[pwrite64]} pwrite64, ${span[sendto]} sendto; after them: $ref_totals (articles|incidents|evidence)"

killed=0 early=0 acked=0 resent=0 already=0 lost=0 duplicated=0 unexpected=0
problems=()
problem() { problems+=("run $run (kill at $sc #$kill_at, after $p acknowledged writes): $*"); }
for run in $(seq 1 "$RUNS"); do
    db=$(new_store "$run")
    read_ids "$db"
    sc=$syscall
    [ "$backend" = spatialite ] && [ $((run % 3)) = 0 ] && sc=sendto
    draw "${span[$sc]}"
    start_server "$db" strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$kill_at"
    # p: the writes acknowledged, in order; gone: the server stopped answering.
    p=0 gone=1
    if [ -n "$port" ]; then
        gone=0
        while [ $p -lt "$W" ]; do
            code=$(send "$p" "$db")
            if [ "$code" = 000 ]; then gone=1; break; fi
            if [ "$code" != "${ok[$p]}" ]; then
                unexpected=$((unexpected + 1)); problem "write $p (${method[$p]} ${target[$p]}): $code: $(head -c 200 "$WORK/answer")"
                break
            fi
            p=$((p + 1))
        done
    else
        early=$((early + 1))
    fi
    acked=$((acked + p))
    if [ "$gone" = 1 ]; then
        set +e
        wait "$server_pid" 2>/dev/null
        status=$?
        set -e
        server_pid=
        [ "$status" = 137 ] || { unexpected=$((unexpected + 1)); problem "the server ended with status $status: $(tail -3 "$WORK/server.err")"; }
        killed=$((killed + 1))
    else
        stop_server # the kill point lay past the writes (or a write failed)
    fi
    integrity_ok "$db" || problem "integrity_check failed"
    # Acknowledged: after; the one under way: before or after; the rest: before.
    states "$db" > "$WORK/got.states"
    for k in $(seq 0 $((W - 1))); do
        got=$(sed -n "$((k + 1))p" "$WORK/got.states")
        before=$(sed -n "$((k + 1))p" "$WORK/before.states")
        after=$(sed -n "$((k + 1))p" "$WORK/after.states")
        if [ "$k" -lt "$p" ]; then
            [ "$got" = "$after" ] && continue
        elif [ "$k" = "$p" ]; then
            [ "$got" = "$after" ] || [ "$got" = "$before" ] && continue
        else
            [ "$got" = "$before" ] && continue
        fi
        case "$got" in
        [2-9]:*) duplicated=$((duplicated + ${got%%:*} - 1)) ;;
        *) [ "$k" -lt "$p" ] && lost=$((lost + 1)) ;;
        esac
        problem "write $k (${method[$k]} ${target[$k]}): '$got', expected ${after:+after: '$after'} before: '$before'"
    done
    [ "$(orphans "$db")" = 0 ] || problem "incidents of articles without their evidence"
    # The unacknowledged writes again, to a server not traced: afterwards the store of the
    # reference.
    if [ "$p" -lt "$W" ]; then
        start_server "$db"
        [ -n "$port" ] || fail "run $run: the server did not restart: $(cat "$WORK/server.err")"
        for k in $(seq "$p" $((W - 1))); do
            code=$(send "$k" "$db")
            resent=$((resent + 1))
            [ "$code" = "${ok[$k]}" ] || [ "$code" != "${done[$k]}" ] || already=$((already + 1))
            if [ "$code" != "${ok[$k]}" ] && [ "$code" != "${done[$k]}" ]; then
                unexpected=$((unexpected + 1)); problem "re-sent write $k (${method[$k]} ${target[$k]}): $code: $(head -c 200 "$WORK/answer")"
            fi
        done
        stop_server
    fi
    states "$db" > "$WORK/got.states"
    if ! cmp -s "$WORK/got.states" "$WORK/after.states"; then
        problem "after the re-sent writes: $(diff "$WORK/after.states" "$WORK/got.states" | grep '^>' | head -3 | tr '\n' ' ')"
    fi
    # Nothing stored twice (an article's incidents have no source id to show it by: counted).
    got_totals=$(totals "$db")
    if [ "$got_totals" != "$ref_totals" ]; then
        problem "after the re-sent writes $got_totals, expected $ref_totals (articles|incidents|evidence)"
        IFS='|' read -r ga gi ge <<< "$got_totals"
        IFS='|' read -r ra ri re <<< "$ref_totals"
        [ $((ga + gi + ge)) -le $((ra + ri + re)) ] || duplicated=$((duplicated + ga + gi + ge - ra - ri - re))
        [ $((ga + gi + ge)) -ge $((ra + ri + re)) ] || lost=$((lost + ra + ri + re - ga - gi - ge))
    fi
    integrity_ok "$db" || problem "integrity_check failed after the re-sent writes"
    drop_store "$run"
done
echo "http_write_kill[$backend]: $RUNS runs: $killed killed ($early before listening), $((RUNS - killed)) not reached; $acked acknowledged writes, $resent re-sent ($already of them found done), $lost lost, $duplicated duplicated, $unexpected unexpected errors"
if [ ${#problems[@]} -gt 0 ] || [ "$lost" != 0 ] || [ "$duplicated" != 0 ]; then
    printf '  %s\n' "${problems[@]}" >&2
    fail "${#problems[@]} problems, $lost lost, $duplicated duplicated"
fi
echo "$RUNS passed, 0 failed"
