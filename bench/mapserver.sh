#!/usr/bin/env bash
# A ~10,000-feature bbox query as GeoJSON over HTTP (issue "compare with MapServer"): incidentmap
# against PostGIS json_agg and against MapServer 8's OGC API - Features, on the same N synthetic
# incidents, in the same run. Generates N incidents into SpatiaLite, copies them into a throwaway
# PostgreSQL 15 + PostGIS 3 cluster (`incidentmap migrate`), then times (median of 5 after 8
# warm-up requests, curl time_total or psql \timing):
#   - incidentmap serve on the SpatiaLite file: GET /api/incidents and the OGC items endpoint;
#   - incidentmap serve on the PostGIS store: GET /api/incidents;
#   - PostGIS: json_build_object(... json_agg(ST_AsGeoJSON(t.*)) ...) through psql;
#   - MapServer 8 (mapserv as FastCGI under spawn-fcgi, behind nginx): OGC API items of a
#     CONNECTIONTYPE POSTGIS layer on the same table, and of an OGR layer on the SpatiaLite file.
# The feature ids must agree across systems. Installs mapserver-bin, cgi-mapserver, spawn-fcgi,
# nginx-light, curl and PostgreSQL/PostGIS if missing.
#   bench/mapserver.sh [N=1000000] [BUILD=build] [BBOX=35.3,33.8,36.7,35.2] [EXISTING_SQLITE]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
BBOX=${3:-35.3,33.8,36.7,35.2}
EXISTING=${4:-}
LIMIT=10000
RUNS=5
WARMUP=8
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/incidentmap-mapserver-XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    status=$?
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    [ -f "$WORK/fcgi.pid" ] && PIDS+=($(cat "$WORK/fcgi.pid"))
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
        alive=0
        for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true; done
    bash "$ROOT/tests/postgis_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

missing=()
for p in postgresql-15 postgresql-15-postgis-3 mapserver-bin cgi-mapserver spawn-fcgi nginx-light curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Any nginx flavour will do.
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null 2>&1; then
    missing=("${missing[@]/nginx-light}")
fi
if [ -n "${missing[*]// /}" ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]} >/dev/null
fi
for t in incidentmap bench/generate_incidents; do
    [ -x "$BUILD/$t" ] || cmake --build "$BUILD" --target "$(basename "$t")" >/dev/null
done
BIN=$BUILD/incidentmap
GZ=${INCIDENTMAP_GAZETTEER:-$ROOT/data/gazetteer.sqlite}

DB=$WORK/incidents.sqlite
if [ -n "$EXISTING" ]; then
    cp "$EXISTING" "$DB"
else
    say "generating $N incidents into SpatiaLite"
    "$BUILD/bench/generate_incidents" --db "$DB" --count "$N" >/dev/null
fi
chmod 644 "$DB"
bash "$ROOT/tests/postgis_cluster.sh" start "$WORK/pg" >&2
URI=$(cat "$WORK/pg/uri")
PGPORT=$(sed -n 's/^PGPORT=//p' "$WORK/pg/env")
PSQL=(psql "$URI" -qAt -v ON_ERROR_STOP=1)
say "migrate SpatiaLite -> PostGIS"
"$BIN" migrate --from "$DB" --to "$URI" --quiet
"${PSQL[@]}" -c "VACUUM ANALYZE incidents"

say "starting incidentmap serve (SpatiaLite and PostGIS stores)"
start_incidentmap() { # PORT DB
    "$BIN" serve --port "$1" --quiet --db "$2" --gazetteer "$GZ" --web "$ROOT/web" \
        --vendor "$ROOT/node_modules" ${INCIDENTMAP_THREADS:+--threads $INCIDENTMAP_THREADS} >/dev/null 2>&1 &
    PIDS+=($!)
    disown
}
IPORT=$(free_port)
start_incidentmap "$IPORT" "$DB"
IPORT_PG=$(free_port)
start_incidentmap "$IPORT_PG" "$URI"

say "starting MapServer $(mapserv -v | awk '{print $3}') (FastCGI, spawn-fcgi + nginx)"
MPORT=$(free_port)
# The columns incidentmap writes as properties (no lon/lat, evidence_text, fts).
COLS="id, event_date, event_time, time_precision, event_type, sub_event_type, actor1, actor2, country, admin1, admin2, location, geonameid, geo_precision, fatalities, injured, source, source_url, source_id, notes, confidence, created, updated, geom"
cat > "$WORK/mapserver.conf" <<EOF
CONFIG
  ENV
    MS_MAP_NO_PATH "1"
  END
  MAPS
    incidents "$WORK/incidents.map"
  END
END
EOF
layer_metadata() { # TITLE
    cat <<EOF
    PROJECTION "init=epsg:4326" END
    EXTENT -180 -90 180 90
    TEMPLATE "ogcapi"
    METADATA
      "oga_title" "$1"
      "oga_featureid" "id"
      "gml_featureid" "id"
      "gml_include_items" "all"
    END
EOF
}
cat > "$WORK/incidents.map" <<EOF
MAP
  NAME "incidents"
  EXTENT -180 -90 180 90
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "oga_enable_request" "*"
      "oga_onlineresource" "http://127.0.0.1:$MPORT/mapserv/incidents/ogcapi"
      "oga_title" "incidentmap benchmark"
      "oga_max_limit" "$LIMIT"
    END
  END
  LAYER
    NAME "incidents"
    TYPE POINT
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "host=127.0.0.1 port=$PGPORT dbname=incidentmap_test user=postgres"
    DATA "geom FROM (SELECT $COLS FROM incidents) AS t USING UNIQUE id USING SRID=4326"
    PROCESSING "CLOSE_CONNECTION=DEFER"
$(layer_metadata "incidents (PostGIS)")
  END
  LAYER
    NAME "incidents_sqlite"
    TYPE POINT
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "$DB"
    DATA "SELECT $COLS FROM incidents"
$(layer_metadata "incidents (SpatiaLite through OGR)")
  END
END
EOF
mkdir -p "$WORK/tmp"
MAPSERVER_CONFIG_FILE=$WORK/mapserver.conf spawn-fcgi -s "$WORK/mapserv.sock" -M 0666 -F 2 \
    -P "$WORK/fcgi.pid" -- /usr/bin/mapserv >/dev/null
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $WORK/tmp/body;
    fastcgi_temp_path $WORK/tmp/fastcgi;
    proxy_temp_path $WORK/tmp/proxy;
    uwsgi_temp_path $WORK/tmp/uwsgi;
    scgi_temp_path $WORK/tmp/scgi;
    server {
        listen 127.0.0.1:$MPORT;
        location /mapserv {
            fastcgi_split_path_info ^(/mapserv)(/.*)\$;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
            fastcgi_param MAPSERVER_CONFIG_FILE $WORK/mapserver.conf;
            # Whole responses in memory, no temp files.
            fastcgi_buffer_size 64k;
            fastcgi_buffers 1024 16k;
            fastcgi_busy_buffers_size 64k;
            fastcgi_max_temp_file_size 0;
            fastcgi_read_timeout 300s;
            fastcgi_pass unix:$WORK/mapserv.sock;
        }
    }
}
NGINX
nginx -c "$WORK/nginx.conf"

MS_BASE="http://127.0.0.1:$MPORT/mapserv/incidents/ogcapi"
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$IPORT/api" >/dev/null && curl -sf "http://127.0.0.1:$IPORT_PG/api" >/dev/null &&
        curl -sf "$MS_BASE/collections?f=json" >/dev/null && break
    sleep 0.2
done

: > "$WORK/results.tsv"
# Every request asks for a box of its own (the east edge moves in the eighth decimal, which
# changes no result): incidentmap reuses the answer to a repeated request within a second, and
# this is to time the query, not that cache. The same for every system.
REQ=0
next_url() { # URL with @BBOX@ -> $URL (no subshell, so that the count goes on)
    REQ=$((REQ + 1))
    IFS=, read -r BX0 BY0 BX1 BY1 <<< "$BBOX"
    case "$BX1" in *.*) ;; *) BX1="$BX1." ;; esac
    URL=${1//@BBOX@/$(printf '%s,%s,%s%08d,%s' "$BX0" "$BY0" "$BX1" "$REQ" "$BY1")}
}
time_url() { # NAME URL (with @BBOX@): WARMUP requests, then RUNS timed ones; the last body is kept
    local out="$WORK/body$(wc -l < "$WORK/results.tsv").json"
    say "timing $1"
    # Servers keep a pool of connections (incidentmap one per worker, MapServer one per
    # FastCGI process), each with its own cache: warm them all, not just the first.
    for _ in $(seq 1 "$WARMUP"); do
        next_url "$2"
        curl -sSf -o "$out" "$URL"
    done
    local ms
    : > "$WORK/times"
    for _ in $(seq 1 "$RUNS"); do
        next_url "$2"
        curl -sSf -o "$out" -w '%{time_total}\n' "$URL" >> "$WORK/times"
    done
    ms=$(median < "$WORK/times" | awk '{printf "%.1f", $1 * 1000}')
    printf '%s\t%s\t%s\n' "$1" "$ms" "$out" >> "$WORK/results.tsv"
}
Q="bbox=@BBOX@&limit=$LIMIT"
time_url "incidentmap /api/incidents (SpatiaLite)" "http://127.0.0.1:$IPORT/api/incidents?$Q"
time_url "incidentmap OGC items (SpatiaLite)" "http://127.0.0.1:$IPORT/ogc/collections/incidents/items?$Q"
time_url "incidentmap /api/incidents (PostGIS)" "http://127.0.0.1:$IPORT_PG/api/incidents?$Q"

say "timing PostGIS json_agg"
IFS=, read -r X0 Y0 X1 Y1 <<< "$BBOX"
SQL="SELECT json_build_object('type','FeatureCollection','features',json_agg(ST_AsGeoJSON(t.*, 'geom', 6)::json))::text FROM (SELECT $COLS FROM incidents WHERE geom && ST_MakeEnvelope($X0,$Y0,$X1,$Y1,4326) LIMIT $LIMIT) t"
args=(-c '\o /dev/null' -c "$SQL" -c '\timing on')
for _ in $(seq 1 "$RUNS"); do args+=(-c "$SQL"); done
PG_MS=$("${PSQL[@]}" "${args[@]}" | grep -oE 'Time: [0-9.]+' | awk '{print $2}' | median)
"${PSQL[@]}" -c "$SQL" > "$WORK/body_pg.json"
printf '%s\t%s\t%s\n' "PostGIS json_agg (psql)" "$PG_MS" "$WORK/body_pg.json" >> "$WORK/results.tsv"

time_url "MapServer OGC API (PostGIS)" "$MS_BASE/collections/incidents/items?f=json&$Q"
time_url "MapServer OGC API (SpatiaLite/OGR)" "$MS_BASE/collections/incidents_sqlite/items?f=json&$Q"

PGV=$("${PSQL[@]}" -c "SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()")
COUNT=$("${PSQL[@]}" -c "SELECT count(*) FROM incidents")
python3 - "$WORK/results.tsv" "$COUNT" "$BBOX" "$LIMIT" "$RUNS" "$(mapserv -v | awk '{print $3}')" "$PGV" <<'PY'
import json, os, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
n, bbox, limit, runs, msv, pgv = sys.argv[2:8]
out, ids = [], []
for name, ms, path in rows:
    d = json.load(open(path))
    feats = d["features"]
    ids.append(sorted(int(f["id"] if "id" in f else f["properties"]["id"]) for f in feats))
    out.append((name, float(ms), len(feats), os.path.getsize(path)))
print(f"incidents: {int(n):,}; bbox {bbox}, limit {limit}; median of {runs} after warm-up requests")
print(f"MapServer {msv} (FastCGI, 2 processes, nginx); PostgreSQL {pgv}")
print(f"{'system':40} {'ms':>9} {'features':>9} {'bytes':>11}")
for name, ms, count, size in out:
    print(f"{name:40} {ms:9.1f} {count:9d} {size:11d}")
same = all(i == ids[0] for i in ids)
print(f"same features on all systems: {'yes' if same else 'NO'}")
t = {name: ms for name, ms, _, _ in out}
peers = [("PostGIS json_agg", "PostGIS json_agg (psql)"),
         ("MapServer PostGIS", "MapServer OGC API (PostGIS)"),
         ("MapServer OGR", "MapServer OGC API (SpatiaLite/OGR)")]
print(f"ratio (time / peer time)                 " + " ".join(f"{p:>17}" for p, _ in peers))
for ours in ("incidentmap /api/incidents (SpatiaLite)", "incidentmap OGC items (SpatiaLite)",
             "incidentmap /api/incidents (PostGIS)"):
    print(f"{ours:40} " + " ".join(f"{t[ours] / t[key]:17.2f}" for _, key in peers))
sys.exit(0 if same else 1)
PY
