#!/usr/bin/env bash
# Records what incidentmap's observable behaviour produces, so that two builds (before and after
# a refactoring) can be compared byte for byte with tests/golden/compare.sh.
#
#   tests/golden/record.sh BUILD_DIR OUT_DIR [EVAL_DIR]
#
# BUILD_DIR holds incidentmap (or, in builds before the layout of docs/ARCHITECTURE.md, api/incidentmap) and bench/generate_incidents. EVAL_DIR
# (default ../shared/eval beside the checkout) holds lgl.jsonl and geovirus.jsonl; without it
# the geoparser outputs are skipped. What is recorded, one file each:
#   gazetteer.dump.sha256   the gazetteer built from the bundled GeoNames data (SQL dump, hashed)
#   geoparse-*.jsonl        geoparse --jsonl over the evaluation corpora
#   reports.geojson         ingest of tests/data/reports/*.txt, exported as GeoJSON
#   openapi*.json           the OpenAPI documents of the REST API and of the OGC API
#   export-20k.*            20,000 generated incidents exported in every format (binary formats
#                           as GDAL reads them back)
# The store's created/updated timestamps are the time of the run; they are blanked.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,16p "$0" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
OUT=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EVAL=${3:-$ROOT/../shared/eval}
BIN=$BUILD/incidentmap
[ -x "$BIN" ] || BIN=$BUILD/api/incidentmap
GEN=$BUILD/bench/generate_incidents
[ -x "$BIN" ] && [ -x "$GEN" ] || { echo "record.sh: no incidentmap or generate_incidents in $BUILD" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export INCIDENTMAP_HOME=$ROOT
step() { printf '[golden] %s\n' "$*" >&2; }

# Timestamps of the run, in GeoJSON, CSV and GDAL dumps.
blank_times() {
    sed -E 's/"(created|updated)": ?"[^"]*"/"\1":""/g;
            s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/TIME/g;
            s/[0-9]{4}\/[0-9]{2}\/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(\+00)?/TIME/g'
}

step "gazetteer"
GZ=$WORK/gazetteer.sqlite
"$BIN" gazetteer build --quiet --out "$GZ"
# The build time is the only field that differs between two builds of the same data.
sqlite3 "$GZ" .dump | grep -v "^INSERT INTO meta VALUES('built'" | sha256sum | cut -d' ' -f1 > "$OUT/gazetteer.dump.sha256"

for corpus in lgl geovirus; do
    if [ -f "$EVAL/$corpus.jsonl" ]; then
        step "geoparse $corpus"
        "$BIN" geoparse --quiet --jsonl --gazetteer "$GZ" < "$EVAL/$corpus.jsonl" > "$OUT/geoparse-$corpus.jsonl"
    fi
done

step "ingest tests/data/reports"
DB=$WORK/reports.sqlite
for f in "$ROOT"/tests/data/reports/*.txt; do
    "$BIN" ingest --quiet --db "$DB" --gazetteer "$GZ" --published 2024-01-15 --source golden "$f"
done
"$BIN" export --quiet --db "$DB" --format geojson --out - | blank_times > "$OUT/reports.geojson"

step "openapi"
"$BIN" openapi > "$OUT/openapi.json"
"$BIN" openapi --ogc > "$OUT/openapi-ogc.json"

step "20,000 generated incidents in every format"
DB=$WORK/gen.sqlite
"$GEN" --db "$DB" --count 20000 --seed 7 > /dev/null
for fmt in geojson geojsonseq csv kml; do
    "$BIN" export --quiet --db "$DB" --format "$fmt" --out "$WORK/export.$fmt"
    blank_times < "$WORK/export.$fmt" > "$OUT/export-20k.$fmt"
done
for fmt in gpkg fgb; do
    "$BIN" export --quiet --db "$DB" --format "$fmt" --out "$WORK/export.$fmt"
    ogrinfo -ro -al -q "$WORK/export.$fmt" | blank_times > "$OUT/export-20k.$fmt.txt"
done
step "recorded in $OUT"
