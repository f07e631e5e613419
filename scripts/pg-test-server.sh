#!/usr/bin/env bash
# A private, throwaway PostgreSQL server for the test suite.
#
#   bash scripts/pg-test-server.sh start DIR   # init + start; writes DIR/pg.env (mode 600)
#   bash scripts/pg-test-server.sh stop DIR    # fast shutdown, then removes DIR
#
# The server listens on 127.0.0.1 only, on a free port, with its unix socket inside its data
# directory, and asks a password (scram-sha-256) of everyone. Its only role, annotator_test, is
# a superuser with a random password made at start. DIR/pg.env holds
#   ANNOTATOR_TEST_PG_URL=postgresql+psycopg://annotator_test@127.0.0.1:PORT/postgres
#   PGPASSWORD=...
# (the URL carries no password; libpq reads PGPASSWORD). Nothing secret is printed.
# initdb refuses to run as root: as root the server runs as the `postgres` system user.
set -euo pipefail

ROLE=annotator_test
MARKER=.annotator-pg-test   # only a directory holding it is ever removed
START_TIMEOUT=30

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
die() {
    echo "pg-test-server: $*" >&2
    exit 1
}

[ $# -eq 2 ] || usage
action=$1
[ -n "$2" ] || usage
# An absolute path: the server is started from / and the socket path must be absolute.
dir=$(realpath -m -- "$2")
[ "$dir" != / ] || die "refusing to use / as the server directory"
data="$dir/data"
log="$dir/server.log"
envfile="$dir/pg.env"

pg_bindir() {
    local candidate
    if command -v pg_config >/dev/null 2>&1; then
        candidate=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
            echo "$candidate"
            return
        fi
    fi
    # Debian keeps the server binaries out of PATH; take the newest version installed.
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
        echo "$candidate"
        return
    fi
    die "no PostgreSQL server binaries found (install the Debian package postgresql, or run \
scripts/system-deps.sh --test)"
}

# Runs a command as the server's owner: the postgres system user when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u postgres -- "$@")
        else
            (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
        fi
    else
        (cd / && "$@")
    fi
}

# Up and answering on the port pg.env names (a killed postmaster can linger as a zombie that
# pg_ctl status still counts as running).
running() {
    local port
    [ -f "$envfile" ] && [ -f "$data/postmaster.pid" ] || return 1
    port=$(sed -n 's|^ANNOTATOR_TEST_PG_URL=.*@127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$envfile")
    [ -n "$port" ] || return 1
    as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 \
        && "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5
}

free_port() {
    python3 - <<'EOF'
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

show_log() {
    echo "---- last lines of $log" >&2
    tail -n 30 "$log" >&2 2>/dev/null || echo "(no server log)" >&2
}

start() {
    bin=$(pg_bindir)
    if [ -e "$dir" ] && [ ! -e "$dir/$MARKER" ] && [ -n "$(ls -A "$dir")" ]; then
        die "$dir is not empty and was not made by this script; refusing to use it"
    fi
    if running; then
        echo "pg-test-server: already running (data in $data)" >&2
        return 0
    fi
    # Whatever an earlier run left (a crashed server, half an initdb) goes: it held test data.
    if [ -f "$data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$data" "$log" "$envfile" "$dir/pwfile"
    mkdir -p -- "$dir"
    touch -- "$dir/$MARKER"

    local owner
    owner=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 \
            || die "running as root needs the postgres system user (Debian package postgresql)"
        owner=postgres
        # postgres must be able to reach DIR (not list it); the parents must let it pass too.
        chmod 711 -- "$dir"
        runuser -u postgres -- test -x "$dir" \
            || die "the postgres user cannot enter $dir: use a directory under /tmp"
    fi
    mkdir -m 700 -- "$data"
    : >"$log"
    (umask 077 && : >"$dir/pwfile")
    local password
    password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$password" >"$dir/pwfile"
    chown -- "$owner" "$data" "$log" "$dir/pwfile"

    # C.UTF-8 collates by code point, as SQLite does. --no-sync only skips flushing initdb's
    # own files (a crash loses a throwaway cluster); the server itself runs with fsync on.
    if ! as_owner "$bin/initdb" -D "$data" -U "$ROLE" --pwfile="$dir/pwfile" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -f -- "$dir/pwfile"
        die "initdb failed"
    fi
    rm -f -- "$dir/pwfile" "$dir/initdb.log"

    local port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        # Later settings win over initdb's defaults in the same file.
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# pg-test-server.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
password_encryption = 'scram-sha-256'
fsync = on
logging_collector = off
EOF
        if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t "$START_TIMEOUT" start >/dev/null 2>&1
        then
            break
        fi
        # Another process may have taken the port between our pick and the bind: try again.
        if [ "$attempt" -lt 3 ] && grep -q "could not bind\|Address already in use" "$log"; then
            as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
            continue
        fi
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
        show_log
        die "the server did not start (waited at most ${START_TIMEOUT}s)"
    done
    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t "$START_TIMEOUT"; then
        show_log
        die "the server does not answer on 127.0.0.1:$port"
    fi

    (
        umask 077
        {
            echo "ANNOTATOR_TEST_PG_URL=postgresql+psycopg://$ROLE@127.0.0.1:$port/postgres"
            echo "PGPASSWORD=$password"
        } >"$envfile.tmp"
    )
    chmod 600 -- "$envfile.tmp"
    mv -- "$envfile.tmp" "$envfile"
    echo "pg-test-server: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on \
127.0.0.1:$port, data in $data" >&2
}

stop() {
    [ -e "$dir" ] || return 0
    if [ ! -e "$dir/$MARKER" ]; then
        # An empty directory is what a start that failed early leaves (or mktemp made).
        if [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; then
            rmdir -- "$dir"
            return 0
        fi
        die "$dir was not made by this script; refusing to remove it"
    fi
    if [ -f "$data/postmaster.pid" ]; then
        bin=$(pg_bindir)
        if ! as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
        fi
    fi
    rm -rf -- "$dir"
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
