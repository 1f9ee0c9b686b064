#!/usr/bin/env bash
# Side-by-side store benchmark (issue "Incident store"): on N synthetic incidents,
#  1. bulk load rate into SpatiaLite;
#  2. a bbox query of ~10,000 features written as a GeoJSON FeatureCollection, incidentmap vs
#     PostGIS json_agg(ST_AsGeoJSON(t.*)) on the same data, in the same run;
#  3. a full GeoJSON export, incidentmap vs `ogr2ogr -f GeoJSON` reading the same file.
# Installs PostgreSQL 15 + PostGIS 3 if missing and starts a throwaway cluster on a free port.
#   bench/store_vs_peers.sh [N=1000000] [BUILD=build]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/incidentmap-bench-XXXXXX)
chmod 755 "$WORK"
trap 'status=$?; [ -n "${PGBIN:-}" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; exit $status' EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

missing=()
for p in postgresql-15 postgresql-15-postgis-3 gdal-bin; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake --build "$BUILD" --target generate_incidents query_bench >/dev/null

DB=$WORK/incidents.sqlite
say "generating $N incidents into SpatiaLite"
LOAD=$("$BUILD/bench/generate_incidents" --db "$DB" --count "$N" | awk '/bulk_load/ {print $2}')
BBOX=35.3,33.8,36.7,35.2
say "incidentmap: bbox query $BBOX as GeoJSON"
OURS=$("$BUILD/bench/query_bench" --db "$DB" --bbox "$BBOX" --repeat 7)
FEATURES=$(echo "$OURS" | awk '/bbox_features/ {print $2}')
OUR_MS=$(echo "$OURS" | awk '/bbox_geojson_median_ms/ {print $2}')

say "PostGIS: throwaway cluster"
PGBIN=/usr/lib/postgresql/15/bin
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg" && chmod 1777 "$WORK"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PORT -k $WORK -c listen_addresses=''" -l "$WORK/pg/server.log" start >/dev/null
PSQL=(runuser -u postgres -- psql -h "$WORK" -p "$PORT" -d postgres -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE EXTENSION postgis"
say "PostGIS: loading the same incidents with ogr2ogr"
chmod 644 "$DB"
runuser -u postgres -- ogr2ogr -f PostgreSQL "PG:host=$WORK port=$PORT dbname=postgres user=postgres" "$DB" -sql "SELECT * FROM incidents" \
    -nln incidents -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -gt 100000 >/dev/null
"${PSQL[@]}" -c "ANALYZE incidents"
IFS=, read -r X0 Y0 X1 Y1 <<< "$BBOX"
SQL="SELECT json_build_object('type','FeatureCollection','features',json_agg(ST_AsGeoJSON(t.*)::json))::text FROM (SELECT * FROM incidents WHERE geom && ST_MakeEnvelope($X0,$Y0,$X1,$Y1,4326)) t"
PG_MS=$(for i in 1 2 3 4 5 6 7; do
    "${PSQL[@]}" -c '\timing on' -c "$SQL" | grep -oE 'Time: [0-9.]+' | awk '{print $2}'
done | median)

say "full GeoJSON export: incidentmap (median of 3) vs ogr2ogr (2 runs, the faster)"
OUR_MBS=$(for i in 1 2 3; do
    rm -f "$WORK/ours.geojson" # a new file each run, as for ogr2ogr below
    "$BUILD/bench/query_bench" --db "$DB" --export "$WORK/ours.geojson" | awk '/export_mb_per_s/ {print $2}'
done | median)
OGR_MBS=$(for i in 1 2; do
    rm -f "$WORK/ogr.geojson"
    T0=$(date +%s.%N)
    ogr2ogr -f GeoJSON "$WORK/ogr.geojson" "$DB" incidents
    T1=$(date +%s.%N)
    python3 -c "import os; print(os.path.getsize('$WORK/ogr.geojson')/1e6/($T1-$T0))"
done | sort -g | tail -1)

python3 - <<PY
load=$LOAD; ours=$OUR_MS; pg=$PG_MS; our_mbs=$OUR_MBS; ogr_mbs=$OGR_MBS
print(f"incidents: $N, bulk load: {load:,} incidents/s")
print(f"bbox query, $FEATURES features as GeoJSON: incidentmap {ours:.1f} ms, PostGIS json_agg {pg:.1f} ms, ratio {ours/pg:.2f} (target <= 0.33)")
print(f"full GeoJSON export: incidentmap {our_mbs:.1f} MB/s, ogr2ogr {ogr_mbs:.1f} MB/s, ratio {our_mbs/ogr_mbs:.1f}x (target >= 10x)")
PY
