#!/usr/bin/env bash
# Live notifications: the release binary on the demo, 1,000 idle server-sent-event streams
# (GET /api/v1/notifications/stream) over 100 signed-in people, and the server's resident memory
# (VmRSS) before and after, with the CPU it spends while they idle.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${PREAU_BIN:-target/release/preau}
CONNECTIONS=${CONNECTIONS:-1000}
PEOPLE=${PEOPLE:-100}
IDLE=${IDLE:-30}
work=$(mktemp -d)
cleanup() {
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Each stream is a file descriptor on both sides.
ulimit -n 8192 2>/dev/null || true
port=$(free_port)
env -u PREAU_BIN "$BIN" serve --demo --data "$work/data" --listen "127.0.0.1:$port" >"$work/preau.log" 2>&1 &
preau_pid=$!
wait_up "http://127.0.0.1:$port" "$work/preau.log" 20
echo "== $CONNECTIONS idle notification streams over $PEOPLE people ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
python3 bench/sse_clients.py "http://127.0.0.1:$port" "$preau_pid" "$CONNECTIONS" "$PEOPLE" "$IDLE"
