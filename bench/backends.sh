#!/usr/bin/env bash
# The same query set on both backends (issue "PostGIS backend"): N synthetic incidents in
# SpatiaLite, copied into a throwaway PostgreSQL 15 + PostGIS 3 cluster with `incidentmap
# migrate` (COPY), then bench/query_bench --queries on each. Installs PostgreSQL/PostGIS if
# missing.
#   bench/backends.sh [N=1000000] [BUILD=build] [EXISTING_SQLITE]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
EXISTING=${3:-}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/incidentmap-backends-XXXXXX)
chmod 755 "$WORK"
trap 'status=$?; bash "$ROOT/tests/postgis_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"; exit $status' EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
missing=()
for p in postgresql-15 postgresql-15-postgis-3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake --build "$BUILD" --target incidentmap generate_incidents query_bench >/dev/null
DB=$WORK/incidents.sqlite
if [ -n "$EXISTING" ]; then
    cp "$EXISTING" "$DB"
else
    say "generating $N incidents into SpatiaLite"
    "$BUILD/bench/generate_incidents" --db "$DB" --count "$N" >/dev/null
fi
bash "$ROOT/tests/postgis_cluster.sh" start "$WORK/pg" >&2
URI=$(cat "$WORK/pg/uri")
say "migrate SpatiaLite -> PostGIS"
T0=$(date +%s.%N)
"$BUILD/incidentmap" migrate --from "$DB" --to "$URI" --quiet
T1=$(date +%s.%N)
runuser -u postgres -- psql "$URI" -qAt -c "VACUUM ANALYZE" 2>/dev/null || psql "$URI" -qAt -c "VACUUM ANALYZE"
say "query set on SpatiaLite"
"$BUILD/bench/query_bench" --db "$DB" --queries --repeat 5 > "$WORK/sl.txt"
say "query set on PostGIS"
"$BUILD/bench/query_bench" --db "$URI" --queries --repeat 5 > "$WORK/pg.txt"
COUNT=$(awk '/^query/ {n++} END {print n}' "$WORK/sl.txt")
python3 - "$WORK/sl.txt" "$WORK/pg.txt" "$T0" "$T1" <<'PY'
import sys
def read(p):
    out = {}
    for line in open(p):
        f = line.split()
        if f and f[0] == "query":
            out[f[1]] = (float(f[2]), int(f[4]))
    return out
sl, pg = read(sys.argv[1]), read(sys.argv[2])
t = float(sys.argv[4]) - float(sys.argv[3])
print(f"migrate (COPY into PostGIS): {t:.1f} s")
print(f"{'query':22} {'SpatiaLite ms':>14} {'PostGIS ms':>11} {'features':>9}  same")
for name, (ms, n) in sl.items():
    pms, pn = pg[name]
    print(f"{name:22} {ms:14.1f} {pms:11.1f} {n:9d}  {'yes' if n == pn else 'NO'}")
PY
