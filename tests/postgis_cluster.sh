#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 cluster for the tests: initdb in a folder, a free port,
# Unix socket and loopback only, trust authentication, stopped by "stop".
#   tests/postgis_cluster.sh start DIR   -> writes DIR/uri (a libpq URI) and DIR/env
#   tests/postgis_cluster.sh pause|resume DIR  (stop and start the server, keeping the data)
#   tests/postgis_cluster.sh stop DIR
set -euo pipefail
cmd=$1
dir=$2
PGBIN=/usr/lib/postgresql/15/bin
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    if [ ! -x "$PGBIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
        echo "postgis_cluster: PostgreSQL 15 and PostGIS 3 are not installed (scripts/setup --with-tests installs them)" >&2
        exit 1
    fi
    [ -f "$dir/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    chmod 777 "$dir"
    # A free port: nothing answers on it (bash's /dev/tcp; no other tool needed). Below the
    # kernel's ephemeral range (32768 and up), where the tests' own client connections take their
    # local ports: one of those would make the server's bind fail.
    port=0
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
    done
    [ "$port" != 0 ] || { echo "postgis_cluster: no free port found" >&2; exit 1; }
    as_pg "$PGBIN/initdb" -D "$dir/pg" -A trust -U postgres -E UTF8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -w -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
        -c "CREATE DATABASE incidentmap_test" >/dev/null
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d incidentmap_test -qAt \
        -c "CREATE EXTENSION postgis" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/incidentmap_test" > "$dir/uri"
    printf 'PGBIN=%s\nPGDATA=%s\nPGPORT=%s\n' "$PGBIN" "$dir/pg" "$port" > "$dir/env"
    echo "postgis_cluster: running on port $port ($dir)"
    ;;
pause)
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null
    ;;
resume)
    . "$dir/env"
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -w -l "$dir/server.log" \
        -o "-p $PGPORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    ;;
stop)
    if [ -f "$dir/pg/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|pause|resume|stop DIR" >&2
    exit 2
    ;;
esac
