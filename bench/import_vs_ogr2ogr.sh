#!/usr/bin/env bash
# Import speed (issue "Real files in"): N generated rows of an ACLED CSV export (ACLED's 31
# columns in its order, ISO dates, notes as ACLED writes them), in the same run:
#  1. `incidentmap import` into a new SpatiaLite file (R*Tree, full text, source id index and
#     de-duplication by event_id_cnty, one transaction per batch);
#  2. `ogr2ogr -f SQLite -dsco SPATIALITE=YES` of the same CSV into a new file (points from the
#     latitude/longitude columns, its spatial index);
# printing the rows/s of both and their ratio. Not a test: run it by hand, when no build runs
# (it takes the machine's two cores): flock /tmp/incidentmap-build.lock bench/import_vs_ogr2ogr.sh
#   bench/import_vs_ogr2ogr.sh [N=1000000] [BUILD=build]
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-build}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
BIN=$BUILD/incidentmap
[ -x "$BIN" ] || { echo "no $BIN: build the incidentmap target first" >&2; exit 2; }
command -v ogr2ogr >/dev/null || { echo "ogr2ogr is missing (apt-get install gdal-bin)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/incidentmap-import-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
now() { date +%s.%N; }

CSV=$WORK/acled-export.csv
say "generating $N ACLED-format rows"
python3 - "$N" "$CSV" <<'EOF'
import csv, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
types = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Looting/property destruction", "Other"],
}
disorder = {"Protests": "Demonstrations", "Riots": "Demonstrations",
            "Strategic developments": "Strategic developments"}
places = [("Ukraine", 804, "Europe", "Donetsk", "Bakhmutskyi", "Bakhmut", 48.5953, 38.0),
          ("Ukraine", 804, "Europe", "Kharkiv", "Kharkivskyi", "Kharkiv", 49.9935, 36.2304),
          ("Ukraine", 804, "Europe", "Odesa", "Odeskyi", "Odesa", 46.4825, 30.7233),
          ("Syria", 760, "Middle East", "Aleppo", "Jebel Saman", "Aleppo", 36.2021, 37.1343),
          ("Sudan", 729, "Northern Africa", "Khartoum", "Khartoum", "Khartoum", 15.5007, 32.5599),
          ("Myanmar", 104, "Southeast Asia", "Sagaing", "Shwebo", "Shwebo", 22.5683, 95.6983),
          ("Mali", 466, "Western Africa", "Mopti", "Bandiagara", "Bandiagara", 14.3500, -3.6100),
          ("Colombia", 170, "South America", "Cauca", "Popayan", "Popayan", 2.4448, -76.6147)]
months = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
cols = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
        "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
        "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
        "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
        "notes", "fatalities", "tags", "timestamp"]
type_names = list(types)
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for k in range(n):
        country, iso, region, a1, a2, loc, lat, lon = places[rng.randrange(len(places))]
        et = type_names[rng.randrange(len(type_names))]
        sub = types[et][rng.randrange(len(types[et]))]
        y, m, d = 2018 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28)
        dead = 0 if rng.random() < 0.6 else rng.randrange(1, 40)
        w.writerow([f"{country[:3].upper()}{k + 1}", f"{y}-{m:02d}-{d:02d}", y, 1 + rng.randrange(3),
                    disorder.get(et, "Political violence"), et, sub,
                    f"Military Forces of {country}", "", 1, "Civilians" if dead else "", "", 7 if dead else "",
                    17 if dead else 10, "Civilian targeting" if et == "Violence against civilians" else "",
                    iso, region, country, a1, a2, "", loc,
                    f"{lat + rng.uniform(-0.5, 0.5):.4f}", f"{lon + rng.uniform(-0.5, 0.5):.4f}",
                    1 + rng.randrange(3), "Local media", "Subnational",
                    f"On {d} {months[m - 1]} {y}, an event of the type {sub.lower()} was reported near {loc}"
                    f" ({a1}); {dead} fatalities reported.", dead, "", 1700000000 + k])
EOF
say "$(du -h "$CSV" | cut -f1) of CSV"

say "incidentmap import into a new SpatiaLite file"
t0=$(now)
"$BIN" import "$CSV" --db "$WORK/ours.sqlite" --gazetteer "$WORK/none" --quiet
t1=$(now)
OURS_ROWS=$(sqlite3 "$WORK/ours.sqlite" "SELECT count(*) FROM incidents" 2>/dev/null || echo "?")

say "ogr2ogr -f SQLite -dsco SPATIALITE=YES of the same CSV"
t2=$(now)
ogr2ogr -f SQLite -dsco SPATIALITE=YES "$WORK/ogr.sqlite" "$CSV" -nln incidents \
    -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -a_srs EPSG:4326
t3=$(now)
OGR_ROWS=$(sqlite3 "$WORK/ogr.sqlite" "SELECT count(*) FROM incidents" 2>/dev/null || echo "?")

awk -v n="$N" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v ours="$OURS_ROWS" -v ogr="$OGR_ROWS" 'BEGIN {
    o = b - a; g = d - c
    printf "rows                  %d (stored: incidentmap %s, ogr2ogr %s)\n", n, ours, ogr
    printf "incidentmap import    %.1f s  %d rows/s\n", o, n / o
    printf "ogr2ogr SpatiaLite    %.1f s  %d rows/s\n", g, n / g
    printf "ratio (ours/ogr2ogr)  %.2f\n", g / o
}'
