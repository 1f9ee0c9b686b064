#!/usr/bin/env bash
# The map's clusters over N incidents (issue "the map at ACLED scale"): GET /api/clusters for 60
# distinct map views (zoom 2 to 12, a 1280x800 view and a quarter around it, centres spread over
# the data), each asked once so that the answer cache never answers, from incidentmap on
# SpatiaLite and on PostGIS; in the same run, PostGIS answering the same squares itself (GROUP
# BY the squares of the view's bbox, through its GiST index) and ST_AsMVT of the tile under each
# view's centre. Prints the medians and the ratios. Installs PostgreSQL/PostGIS if missing.
#   bench/clusters.sh [N=1000000] [BUILD=build] [EXISTING_SQLITE]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
EXISTING=${3:-}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/incidentmap-clusters-XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    status=$?
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    bash "$ROOT/tests/postgis_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
missing=()
for p in postgresql-15 postgresql-15-postgis-3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake --build "$BUILD" --target incidentmap generate_incidents >/dev/null
GZ=${INCIDENTMAP_GAZETTEER:-$ROOT/data/gazetteer.sqlite}
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
"$BUILD/incidentmap" migrate --from "$DB" --to "$URI" --quiet
psql_() { runuser -u postgres -- psql "$URI" "$@" 2>/dev/null || psql "$URI" "$@"; }
psql_ -qAt -c "VACUUM ANALYZE" >/dev/null
serve() { # serve DB -> prints the port
    "$BUILD/incidentmap" serve --port 0 --db "$1" --gazetteer "$GZ" --web "$ROOT/web" \
        --vendor "$ROOT/node_modules" --quiet > "$WORK/serve-$2.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 600); do
        port=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$WORK/serve-$2.log" | head -1)
        [ -n "$port" ] && { echo "$port"; return; }
        sleep 0.2
    done
    say "the server did not start: $(cat "$WORK/serve-$2.log")"
    exit 1
}
say "starting incidentmap on SpatiaLite and on PostGIS"
SL_PORT=$(serve "$DB" sl)
PG_PORT=$(serve "$URI" pg)
python3 - "$SL_PORT" "$PG_PORT" "$URI" "$N" <<'PY'
import http.client, json, math, random, statistics, subprocess, sys, time
sl_port, pg_port, uri, n = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rng = random.Random(20260329)

def view(zoom, lon, lat):
    # A 1280x800 view at this zoom and a quarter of it on each side, as the map asks.
    w = 1280 / 256 * 360 / 2 ** zoom * 1.5
    h = 800 / 256 * 360 / 2 ** zoom * 1.5 * math.cos(math.radians(lat))
    return zoom, (max(-180, lon - w / 2), max(-85, lat - h / 2), min(180, lon + w / 2), min(85, lat + h / 2))

# Centres where the generated data is (Ukraine, Europe, the Middle East), and the world.
views = [view(2, 20, 30)]
while len(views) < 61:
    zoom = rng.randint(2, 12)
    views.append(view(zoom, rng.uniform(22, 40), rng.uniform(44, 52)))
warm, timed = views[:1], views[1:]

def clusters(port, zoom, box):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    path = "/api/clusters?zoom=%d&bbox=%s" % (zoom, ",".join("%.6f" % v for v in box))
    t = time.perf_counter()
    c.request("GET", path)
    body = c.getresponse().read()
    ms = (time.perf_counter() - t) * 1000
    return ms, json.loads(body)["numberMatched"]

def psql_ms(sql):
    out = subprocess.run(["runuser", "-u", "postgres", "--", "psql", uri, "-qAt", "-c", "\\timing on", "-c", sql],
                         capture_output=True, text=True).stdout
    return float([l for l in out.splitlines() if l.startswith("Time:")][-1].split()[1])

def postgis_squares(zoom, box):
    size = 360 / 2 ** (zoom + 3)
    return ("SELECT count(*), sum(n) FROM (SELECT floor((lon + 180) / %r) AS x, floor((lat + 90) / %r) AS y, "
            "event_type, count(*) AS n, sum(fatalities), avg(lon), avg(lat) FROM incidents "
            "WHERE geom && ST_MakeEnvelope(%r, %r, %r, %r, 4326) GROUP BY 1, 2, 3) AS squares"
            % ((size, size) + box))

def tile_of(zoom, box):
    lon, lat = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x = int((lon + 180) / 360 * 2 ** zoom)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2 ** zoom)
    return zoom, x, y

def postgis_mvt(zoom, box):
    z, x, y = tile_of(zoom, box)
    return ("SELECT length(ST_AsMVT(t, 'incidents')) FROM (SELECT id, event_type, fatalities, "
            "ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%d, %d, %d)) AS geom FROM incidents "
            "WHERE geom && ST_Transform(ST_TileEnvelope(%d, %d, %d), 4326)) AS t" % (z, x, y, z, x, y))

for zoom, box in warm:
    clusters(sl_port, zoom, box)
    clusters(pg_port, zoom, box)
sl, pg, sq, mvt = [], [], [], []
for zoom, box in timed:
    a, na = clusters(sl_port, zoom, box)
    b, nb = clusters(pg_port, zoom, box)
    if na != nb:
        print("counts differ at zoom %d %s: %d %d" % (zoom, box, na, nb))
        sys.exit(1)
    sl.append(a)
    pg.append(b)
    sq.append(psql_ms(postgis_squares(zoom, box)))
    mvt.append(psql_ms(postgis_mvt(zoom, box)))
med = statistics.median
print("clusters of %d views over %d incidents (median ms; every request distinct, none cached)" % (len(timed), n))
print("  incidentmap /api/clusters, SpatiaLite : %8.1f  (slowest %.1f)" % (med(sl), max(sl)))
print("  incidentmap /api/clusters, PostGIS    : %8.1f  (slowest %.1f)" % (med(pg), max(pg)))
print("  PostGIS GROUP BY the view's squares   : %8.1f" % med(sq))
print("  PostGIS ST_AsMVT of the centre's tile : %8.1f" % med(mvt))
print("  ratio SpatiaLite / ST_AsMVT: %.3f (target <= 0.2); / GROUP BY: %.3f" % (med(sl) / med(mvt), med(sl) / med(sq)))
print("  ratio PostGIS backend / ST_AsMVT: %.3f; / GROUP BY: %.3f" % (med(pg) / med(mvt), med(pg) / med(sq)))
by_zoom = {}
for (zoom, _), a in zip(timed, sl):
    by_zoom.setdefault(zoom, []).append(a)
print("  SpatiaLite by zoom: " + ", ".join("z%d %.1f" % (z, med(v)) for z, v in sorted(by_zoom.items())))
PY
