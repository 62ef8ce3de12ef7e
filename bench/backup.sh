#!/usr/bin/env bash
# Backup and restore of the demo collège: seeds it with the binary (`serve --demo`, stopped once
# ready), then times `preau backup` and `preau restore` and prints the archive's size, with
# nproc and the CPU model (figures depend on the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PREAU_BIN:-target/release/preau}
# preau reads every PREAU_* variable as configuration.
unset PREAU_BIN
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --demo --data "$work/data" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
start=$(date +%s.%N)
"$BIN" --data "$work/data" backup --out "$work/demo.zip" >/dev/null
backed=$(date +%s.%N)
"$BIN" --data "$work/restored" restore "$work/demo.zip" >/dev/null
restored=$(date +%s.%N)
size=$(stat -c %s "$work/demo.zip")
store=$(du -sb "$work/data/db" | cut -f1)
files=$(du -sb "$work/data/files" | cut -f1)
printf 'backup of the demo collège (store %s bytes on disk, files %s bytes): %.2f s, archive %s bytes (%.1f MB)\n' \
  "$store" "$files" "$(echo "$backed - $start" | bc)" "$size" "$(echo "$size / 1000000" | bc -l)"
printf 'restore of it (checksums, store, search indexes rebuilt): %.2f s\n' "$(echo "$restored - $backed" | bc)"
echo "nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p'), binary $BIN"
