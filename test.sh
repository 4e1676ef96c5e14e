#!/usr/bin/env bash
# Runs every Conduit test against real servers.
# Installs PostgreSQL and Redis from Debian's packages when missing (as root, or through sudo),
# starts private instances on loopback for this run only, runs `dotnet test` on the solution,
# and stops them again. Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Redis).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $* from Debian's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

[ -n "$(pg_bin_dir)" ] && [ -x "$(pg_bin_dir)/initdb" ] || apt_install postgresql
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
command -v promtool >/dev/null 2>&1 || apt_install prometheus
# The dashboard test renders /dashboard in a real headless browser.
command -v chromium >/dev/null 2>&1 || apt_install chromium
# The benchmark's quick runs (tests/Conduit.Bench.Tests) put PgBouncer and twemproxy beside the servers.
[ -x /usr/sbin/pgbouncer ] || apt_install pgbouncer
[ -x /usr/sbin/nutcracker ] || apt_install nutcracker
PG_BIN=$(pg_bin_dir)

free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

STATE=$(mktemp -d /tmp/conduit-test.XXXXXX)
chmod 755 "$STATE"
PG_PORT=$(free_port 55432)
REDIS_PORT=$(free_port 56379)
PG_PASSWORD="pg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
REDIS_PASSWORD="rd-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# PostgreSQL refuses to run as root: run it as the 'postgres' account the package creates.
PG_USER=postgres
if [ "$(id -u)" -ne 0 ]; then PG_USER=$(id -un); fi
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }

cleanup() {
  local rc=$?
  log "stopping test servers"
  run_pg "$PG_BIN/pg_ctl" -D "$STATE/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$STATE/redis.pid" ] && kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
  rm -rf "$STATE"
  exit $rc
}
trap cleanup EXIT INT TERM

mkdir -p "$STATE/pg" "$STATE/pgsock" "$STATE/pglog"
printf '%s\n' "$PG_PASSWORD" > "$STATE/pgpass"
[ "$(id -u)" -eq 0 ] && chown -R "$PG_USER" "$STATE/pg" "$STATE/pgsock" "$STATE/pglog" "$STATE/pgpass"
run_pg "$PG_BIN/initdb" -D "$STATE/pg" -U postgres --auth=scram-sha-256 --pwfile="$STATE/pgpass" >/dev/null
# A port found free can be taken before the server binds it: try the next free one, and show the
# server's log if it still does not start.
for attempt in 1 2 3; do
  if run_pg "$PG_BIN/pg_ctl" -D "$STATE/pg" -l "$STATE/pglog/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$STATE/pgsock -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    break
  fi
  if [ "$attempt" -eq 3 ]; then
    tail -n 20 "$STATE/pglog/postgres.log" >&2 || true
    exit 1
  fi
  PG_PORT=$(free_port $((PG_PORT + 1)))
done
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --requirepass "$REDIS_PASSWORD" --save '' --appendonly no \
  --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
for _ in $(seq 1 50); do [ -s "$STATE/redis.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT"

export CONDUIT_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres"
export CONDUIT_TEST_REDIS="127.0.0.1:$REDIS_PORT,password=$REDIS_PASSWORD"
export CONDUIT_TEST_PG_DATA="$STATE/pg"
export CONDUIT_TEST_PG_BIN="$PG_BIN"
export CONDUIT_TEST_PG_USER="$PG_USER"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

set +e
dotnet test "$ROOT/Orleans.sln" --nologo "$@" 2>&1 | tee "$STATE/dotnet-test.log"
rc=${PIPESTATUS[0]}
set -e

# One plain closing line for the whole run, summed over the test projects.
passed=$(grep -Eo 'Passed: +[0-9]+' "$STATE/dotnet-test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$STATE/dotnet-test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$STATE/dotnet-test.log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then
  log "no test ran"
  exit 1
fi
exit "$rc"
