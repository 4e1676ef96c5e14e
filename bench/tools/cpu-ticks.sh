#!/usr/bin/env bash
# CPU used by groups of processes, from /proc/<pid>/stat (utime + stime), per interval.
# usage: bench/tools/cpu-ticks.sh [--every SECONDS] [--for SECONDS] NAME=PATTERN [NAME=PATTERN ...]
#   Each PATTERN is matched against full command lines (pgrep -f); the processes matching it are summed.
#   Prints one line per interval: seconds since start, each group's share of one core in %, and the
#   machine's idle % (from /proc/stat). Example, while a benchmark runs:
#   bench/tools/cpu-ticks.sh --every 1 --for 120 silo=Conduit.Silo.dll postgres='postgres: '
set -euo pipefail
every=1; total=30
groups=()
while [ $# -gt 0 ]; do
  case "$1" in
    --every) every=$2; shift 2 ;;
    --for) total=$2; shift 2 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *=*) groups+=("$1"); shift ;;
    *) echo "cpu-ticks: '$1' is not NAME=PATTERN (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#groups[@]} -gt 0 ] || { echo "cpu-ticks: name at least one NAME=PATTERN group" >&2; exit 2; }
hz=$(getconf CLK_TCK)

ticks() {
  local sum=0 pid t
  for pid in $(pgrep -f -- "$1" || true); do
    [ "$pid" = "$$" ] && continue
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    sum=$((sum + t))
  done
  echo "$sum"
}
machine() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }

declare -a before
for i in "${!groups[@]}"; do before[$i]=$(ticks "${groups[$i]#*=}"); done
read -r total_before idle_before < <(machine)
start=$(date +%s%3N)
last=$start
while [ $(( $(date +%s%3N) - start )) -lt $(( total * 1000 )) ]; do
  sleep "$every"
  # Shares are of the time that really passed: reading /proc for many processes takes time too.
  now_ms=$(date +%s%3N); elapsed_ms=$(( now_ms - last )); last=$now_ms
  line=$(printf '%6.1fs' "$(( (now_ms - start) / 100 ))e-1")
  for i in "${!groups[@]}"; do
    now=$(ticks "${groups[$i]#*=}")
    # Processes that exited take their ticks with them: a negative delta counts as 0.
    delta=$(( now - before[$i] )); [ "$delta" -lt 0 ] && delta=0
    permille=$(( 1000 * 1000 * delta / (hz * elapsed_ms) ))
    line+=$(printf '  %s=%3d.%d%%' "${groups[$i]%%=*}" $(( permille / 10 )) $(( permille % 10 )))
    before[$i]=$now
  done
  read -r total_now idle_now < <(machine)
  line+=$(printf '  idle=%3d%%' $(( 100 * (idle_now - idle_before) / (total_now - total_before + 1) )))
  total_before=$total_now; idle_before=$idle_now
  echo "$line"
done
