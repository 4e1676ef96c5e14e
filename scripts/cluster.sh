#!/usr/bin/env bash
# A local Conduit cluster: N silo processes on loopback sharing one private PostgreSQL.
#
#   scripts/cluster.sh N        builds the silo, starts PostgreSQL (installing it from Debian's packages when
#                               missing), runs `migrate`, starts N silos and prints their URLs
#   scripts/cluster.sh add      starts one more silo in the running cluster (it joins and takes over tenants)
#   scripts/cluster.sh status   lists the silos and whether each process is alive
#   scripts/cluster.sh stop     stops the silos and PostgreSQL and removes the cluster's state
#
# State lives in .cluster/ (or $CONDUIT_CLUSTER_DIR): env (DATABASE_URL, keys; `source .cluster/env`),
# silo-I.log / silo-I.pid / silo-I.urls per silo, pg/ (the data directory), pglog/postgres.log.
# Silo I serves HTTP on 127.0.0.1:$((CONDUIT_CLUSTER_HTTP_BASE + I)) (default 18080+I), Orleans silo-to-silo on
# 11110+I and the client gateway on 30000+I, each moved up to the next free port when taken.
# Set CONDUIT_CLUSTER_NO_BUILD=1 to reuse the existing build, CONDUIT_CLUSTER_CONFIGURATION=Release to run that one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE=${CONDUIT_CLUSTER_DIR:-$ROOT/.cluster}
CONFIGURATION=${CONDUIT_CLUSTER_CONFIGURATION:-Debug}
SILO_DLL="$ROOT/src/Silo/bin/$CONFIGURATION/net10.0/Conduit.Silo.dll"
HTTP_BASE=${CONDUIT_CLUSTER_HTTP_BASE:-18080}

log() { printf '[cluster.sh] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres_installed() {
  if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/initdb" ]; then
    log "installing postgresql from Debian's packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=$1
  while port_taken "$port"; do port=$((port + 1)); done
  echo "$port"
}

# PostgreSQL refuses to run as root: run it as the 'postgres' account the package creates.
PG_USER=postgres
if [ "$(id -u)" -ne 0 ]; then PG_USER=$(id -un); fi
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }

silo_alive() { [ -f "$STATE/silo-$1.pid" ] && kill -0 "$(cat "$STATE/silo-$1.pid")" 2>/dev/null; }

start_postgres() {
  local bin port password
  bin=$(pg_bin_dir)
  port=$(free_port 55500)
  password="pg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  mkdir -p "$STATE/pg" "$STATE/pgsock" "$STATE/pglog"
  printf '%s\n' "$password" > "$STATE/pgpass"
  [ "$(id -u)" -eq 0 ] && chown -R "$PG_USER" "$STATE/pg" "$STATE/pgsock" "$STATE/pglog" "$STATE/pgpass"
  run_pg "$bin/initdb" -D "$STATE/pg" -U postgres --auth=scram-sha-256 --pwfile="$STATE/pgpass" >/dev/null
  # max_connections: see docs/OPERATIONS.md (platform pool + Orleans pool + tenant pools, per silo).
  run_pg "$bin/pg_ctl" -D "$STATE/pg" -l "$STATE/pglog/postgres.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$STATE/pgsock -c max_connections=1000" \
    start >/dev/null
  PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c 'CREATE DATABASE conduit' >/dev/null
  {
    echo "export DATABASE_URL='postgres://postgres:$password@127.0.0.1:$port/conduit'"
    echo "export PG_META_CRYPTO_KEY='$(head -c 32 /dev/urandom | base64)'"
    echo "export CONDUIT_ADMIN_KEY='admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')'"
    echo "export CONDUIT_CLUSTER_PG_PORT=$port"
  } > "$STATE/env"
  chmod 600 "$STATE/env"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (database conduit)"
}

wait_healthy() {
  local index=$1 url=$2
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$url/api/platform/health" 2>/dev/null; then return 0; fi
    silo_alive "$index" || die "silo $index exited during startup; see $STATE/silo-$index.log"
    sleep 0.2
  done
  die "silo $index did not answer $url/api/platform/health within 60 s; see $STATE/silo-$index.log"
}

start_silo() {
  local index=$1 http silo gateway url
  http=$(free_port $((HTTP_BASE + index)))
  silo=$(free_port $((11110 + index)))
  gateway=$(free_port $((30000 + index)))
  url="http://127.0.0.1:$http"
  # shellcheck disable=SC1091
  (
    source "$STATE/env"
    export ASPNETCORE_URLS="$url" CONDUIT_SILO_PORT="$silo" CONDUIT_GATEWAY_PORT="$gateway"
    export Conduit__AdminKeyFile="$STATE/admin-key" DOTNET_NOLOGO=1
    cd "$STATE"
    exec setsid dotnet "$SILO_DLL" >"$STATE/silo-$index.log" 2>&1 </dev/null
  ) &
  echo $! > "$STATE/silo-$index.pid"
  echo "$url silo=127.0.0.1:$silo gateway=127.0.0.1:$gateway" > "$STATE/silo-$index.urls"
}

silo_indexes() { find "$STATE" -maxdepth 1 -name 'silo-*.pid' 2>/dev/null | sed 's/.*silo-\([0-9]*\)\.pid/\1/' | sort -n; }

print_silos() {
  local index state
  for index in $(silo_indexes); do
    state=stopped
    silo_alive "$index" && state="pid $(cat "$STATE/silo-$index.pid")"
    printf 'silo %s: %s (%s)\n' "$index" "$(cat "$STATE/silo-$index.urls")" "$state"
  done
}

cmd_start() {
  local count=$1 index
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/cluster.sh N | add | status | stop   (N = number of silos, 1 or more)"
  [ -f "$STATE/env" ] && die "a cluster is already running from $STATE: scripts/cluster.sh stop first, or scripts/cluster.sh add"
  command -v curl >/dev/null 2>&1 || die "curl is required to check the silos' health"
  ensure_postgres_installed
  if [ "${CONDUIT_CLUSTER_NO_BUILD:-0}" != 1 ]; then
    log "building the silo ($CONFIGURATION)"
    dotnet build "$ROOT/src/Silo/Conduit.Silo.csproj" -c "$CONFIGURATION" --nologo -v quiet >/dev/null || die "the build failed: run dotnet build src/Silo to see why"
  fi
  [ -f "$SILO_DLL" ] || die "$SILO_DLL is missing: build it first (or drop CONDUIT_CLUSTER_NO_BUILD)"
  mkdir -p "$STATE"
  start_postgres
  log "applying migrations"
  # shellcheck disable=SC1091
  (source "$STATE/env" && dotnet "$SILO_DLL" migrate) >&2 || die "migrate failed"
  for index in $(seq 1 "$count"); do start_silo "$index"; done
  for index in $(seq 1 "$count"); do wait_healthy "$index" "$(cut -d' ' -f1 < "$STATE/silo-$index.urls")"; done
  print_silos
  # shellcheck disable=SC1091
  source "$STATE/env"
  echo "admin key: $CONDUIT_ADMIN_KEY   (environment: source $STATE/env)"
  echo "cluster view: curl -H \"Authorization: Bearer \$CONDUIT_ADMIN_KEY\" $(cut -d' ' -f1 < "$STATE/silo-1.urls")/api/platform/cluster"
}

cmd_add() {
  local index
  [ -f "$STATE/env" ] || die "no cluster is running from $STATE: start one with scripts/cluster.sh N"
  index=$(( $(silo_indexes | tail -n 1) + 1 ))
  start_silo "$index"
  wait_healthy "$index" "$(cut -d' ' -f1 < "$STATE/silo-$index.urls")"
  printf 'silo %s: %s\n' "$index" "$(cat "$STATE/silo-$index.urls")"
}

cmd_stop() {
  local index pid
  [ -d "$STATE" ] || { log "no cluster state in $STATE"; return 0; }
  for index in $(silo_indexes); do
    if silo_alive "$index"; then
      pid=$(cat "$STATE/silo-$index.pid")
      kill -CONT "$pid" 2>/dev/null || true
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for index in $(silo_indexes); do
    for _ in $(seq 1 100); do silo_alive "$index" || break; sleep 0.1; done
    silo_alive "$index" && kill -KILL "$(cat "$STATE/silo-$index.pid")" 2>/dev/null || true
  done
  if [ -f "$STATE/pg/postmaster.pid" ]; then
    run_pg "$(pg_bin_dir)/pg_ctl" -D "$STATE/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
  log "stopped"
}

case "${1:-}" in
  stop) cmd_stop ;;
  add) cmd_add ;;
  status) [ -d "$STATE" ] && print_silos || log "no cluster is running from $STATE" ;;
  *) cmd_start "${1:-}" ;;
esac
