#!/usr/bin/env bash
# Small-query load test (issue "HTTP API"): wrk against incidentmap serving
# GET /api/incidents?limit=5 and against nginx serving a static file of the same bytes, in the
# same run on the same machine; then distinct queries of the same size that the response cache
# cannot answer. Installs wrk and nginx if missing.
#   bench/http_load.sh [BUILD=build] [SECONDS=10] [CONNECTIONS=32]
set -euo pipefail
BUILD=${1:-build}
DURATION=${2:-10}
CONN=${3:-32}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/incidentmap-http-XXXXXX)
chmod 755 "$WORK"
cleanup() {
    [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
say() { printf '[bench] %s\n' "$*" >&2; }
missing=()
for p in wrk nginx-light curl; do
    command -v "${p%-light}" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake --build "$BUILD" --target incidentmap >/dev/null
BIN=$BUILD/incidentmap
GZ=${INCIDENTMAP_GAZETTEER:-$ROOT/data/gazetteer.sqlite}
"$BIN" ingest "$ROOT/samples/dpa-2022-03-29-istanbul-talks.txt" --published 2022-03-29 --source dpa \
    --db "$WORK/incidents.sqlite" --gazetteer "$GZ" --quiet
PORT=$((20000 + RANDOM % 20000))
"$BIN" serve --port "$PORT" --quiet --db "$WORK/incidents.sqlite" --gazetteer "$GZ" \
    --web "$ROOT/web" --vendor "$ROOT/node_modules" ${INCIDENTMAP_THREADS:+--threads $INCIDENTMAP_THREADS} >/dev/null &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api" >/dev/null && break; sleep 0.2; done
PATH_Q="/api/incidents?limit=5"
mkdir -p "$WORK/www"
curl -sf "http://127.0.0.1:$PORT$PATH_Q" > "$WORK/www/incidents.json"
BYTES=$(wc -c < "$WORK/www/incidents.json")
NPORT=$((PORT + 1))
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/tmp;
    server {
        listen 127.0.0.1:$NPORT;
        root $WORK/www;
        location / { default_type application/geo+json; }
    }
}
NGINX
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf"
sleep 0.5
# Distinct queries, none the same as another, so that none is answered from the response
# cache: the same features every time (the box grows by a random fraction of a degree at the
# north pole), the same number of bytes give or take the digits of the box.
cat > "$WORK/distinct.lua" <<'LUA'
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    return wrk.format("GET", string.format("/api/incidents?limit=5&bbox=-180,-90,180,%.7f",
                                           89 + math.random()))
end
LUA
say "response: $BYTES bytes; wrk -t2 -c$CONN -d${DURATION}s"
OURS=$(wrk -t2 -c"$CONN" -d"${DURATION}s" "http://127.0.0.1:$PORT$PATH_Q" | awk '/Requests\/sec/ {print $2}')
DISTINCT=$(wrk -t2 -c"$CONN" -d"${DURATION}s" -s "$WORK/distinct.lua" "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')
NGINX_RPS=$(wrk -t2 -c"$CONN" -d"${DURATION}s" "http://127.0.0.1:$NPORT/incidents.json" | awk '/Requests\/sec/ {print $2}')
awk -v o="$OURS" -v d="$DISTINCT" -v n="$NGINX_RPS" -v b="$BYTES" 'BEGIN {
    printf "small query (%d bytes): incidentmap %.0f req/s, nginx static file %.0f req/s, ratio %.2f (target >= 0.70)\n", b, o, n, o / n
    printf "distinct small queries (never from the response cache): incidentmap %.0f req/s, ratio %.2f\n", d, d / n }'
