# Sourced by .ci/run: a throwaway PostgreSQL for the tests' PostgreSQL cases.
#
# briefsync_postgres_start installs PostgreSQL from Debian when missing, makes a cluster in a
# temporary folder owned by a non-root user (PostgreSQL refuses to run as root), starts it on a
# free loopback port with trust authentication, and exports BRIEFSYNC_TEST_POSTGRES for the
# tests. briefsync_postgres_stop stops it and removes the folder (.ci/run traps EXIT).

briefsync_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

briefsync_postgres_start() {
    if [ -z "$(briefsync_pgbin)" ]; then
        briefsync_packages=(postgresql)
        briefsync_ensure_packages || return 1
        # The package starts a system cluster of its own; the tests use theirs.
        command -v pg_ctlcluster >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | while read -r version name _; do
            pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
        done
    fi
    local pgbin owner port
    pgbin=$(briefsync_pgbin)
    [ -n "$pgbin" ] || { echo "error: PostgreSQL's server programs are missing after install" >&2; return 1; }
    owner=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        owner=postgres
        id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
    fi
    BRIEFSYNC_PGDATA=$(mktemp -d /tmp/briefsync-pg.XXXXXX)
    chown "$owner" "$BRIEFSYNC_PGDATA"
    chmod 700 "$BRIEFSYNC_PGDATA"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    briefsync_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
    briefsync_as "$pgbin/initdb" -D "$BRIEFSYNC_PGDATA" -U postgres -A trust --no-sync -E UTF8 >/dev/null || return 1
    briefsync_as "$pgbin/pg_ctl" -D "$BRIEFSYNC_PGDATA" -l "$BRIEFSYNC_PGDATA/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $BRIEFSYNC_PGDATA -c max_connections=600" start >/dev/null || {
        cat "$BRIEFSYNC_PGDATA/server.log" >&2
        return 1
    }
    "$pgbin/pg_isready" -h 127.0.0.1 -p "$port" -t 30 >/dev/null || return 1
    export BRIEFSYNC_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    BRIEFSYNC_PGOWNER=$owner
    echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port" >&2
}

briefsync_postgres_stop() {
    [ -n "${BRIEFSYNC_PGDATA:-}" ] && [ -d "$BRIEFSYNC_PGDATA" ] || return 0
    local pgbin
    pgbin=$(briefsync_pgbin)
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$BRIEFSYNC_PGOWNER" -- "$pgbin/pg_ctl" -D "$BRIEFSYNC_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    else
        "$pgbin/pg_ctl" -D "$BRIEFSYNC_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$BRIEFSYNC_PGDATA"
}
