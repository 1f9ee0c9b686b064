#!/usr/bin/env bash
# Shows that a change kept incidentmap's behaviour: builds the commit BASE in a temporary work
# tree, records the golden outputs of both builds (tests/golden/record.sh) and compares them
# byte for byte.
#
#   tests/golden/compare.sh BASE [BUILD_DIR]
#
# BUILD_DIR is the current tree's build (default build/). The base's build is kept in
# build-golden-BASE/ so that a second comparison against the same base starts at once.
# Exit code 0 when every output is identical, 1 otherwise (the differing files are listed).
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,10p "$0" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=$(git -C "$ROOT" rev-parse --short "$1")
BUILD=${2:-$ROOT/build}
BASE_SRC=$ROOT/build-golden-$BASE/src
BASE_BUILD=$ROOT/build-golden-$BASE/build
if [ ! -x "$BASE_BUILD/api/incidentmap" ] && [ ! -x "$BASE_BUILD/incidentmap" ]; then
    rm -rf "$BASE_SRC"
    mkdir -p "$(dirname "$BASE_SRC")"
    git -C "$ROOT" archive --prefix=src/ "$BASE" | tar -x -C "$(dirname "$BASE_SRC")"
    ln -sfn "$ROOT/node_modules" "$BASE_SRC/node_modules"
    cmake -S "$BASE_SRC" -B "$BASE_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$BASE_BUILD" -j"$(nproc)" --target incidentmap generate_incidents >/dev/null
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$ROOT/tests/golden/record.sh" "$BASE_BUILD" "$OUT/before"
"$ROOT/tests/golden/record.sh" "$BUILD" "$OUT/after"
if diff -rq "$OUT/before" "$OUT/after"; then
    echo "[golden] identical to $BASE: $(ls "$OUT/after" | wc -l) outputs ($(du -sh "$OUT/after" | cut -f1))"
else
    echo "[golden] outputs differ from $BASE (above)" >&2
    exit 1
fi
