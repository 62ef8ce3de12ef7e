#!/usr/bin/env bash
# The appliance's figures: sizes (binary, .deb and disk image when built), cold start of the
# demo collège to /healthz (first start: seeding and indexing; then a restart on its data), the
# idle RSS, and backup and restore of the demo plus RESOURCES generated resources (50,000 unless
# told). Prints nproc and the CPU model: figures depend on the machine.
# Expects target/release/preau and the seed_resources example built (`make bench` does).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PREAU_BIN:-target/release/preau}
SEEDER=${SEEDER:-target/release/examples/seed_resources}
RESOURCES=${RESOURCES:-50000}
# preau reads every PREAU_* variable as configuration.
unset PREAU_BIN
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

start_demo() { # DATA: starts serve --demo; sets pid, and took (seconds to /healthz)
  local t0
  t0=$(now)
  "$BIN" serve --demo --data "$1" --listen "127.0.0.1:$port" >/dev/null 2>"$work/serve.log" &
  pid=$!
  for _ in $(seq 1 12000); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.01
  done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/serve.log"; exit 1; }
  took=$(since "$t0")
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=; }

echo "nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p'), binary $BIN"
printf 'binary: %s bytes\n' "$(stat -c %s "$BIN")"
for deb in target/debian/preau_*.deb; do
  [ -f "$deb" ] && printf '.deb: %s bytes (%s)\n' "$(stat -c %s "$deb")" "$deb"
done
if [ -f target/appliance/preau.qcow2 ]; then
  printf 'disk image: %s bytes on disk (qcow2), virtual size %s\n' \
    "$(stat -c %s target/appliance/preau.qcow2)" \
    "$(qemu-img info --output=json target/appliance/preau.qcow2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')"
fi

start_demo "$work/demo"
printf 'first start of the demo to /healthz (seeding and indexing included): %.2f s\n' "$took"
sleep 10
printf 'idle RSS after 10 s: %s\n' "$(awk '/^VmRSS/ {print $2, $3}' "/proc/$pid/status")"
stop
start_demo "$work/demo"
printf 'start of the demo on its data to /healthz: %.2f s\n' "$took"
sleep 10
printf 'idle RSS after 10 s: %s\n' "$(awk '/^VmRSS/ {print $2, $3}' "/proc/$pid/status")"
stop

"$SEEDER" "$work/big" "$RESOURCES" >/dev/null
t0=$(now)
"$BIN" --data "$work/big" backup --out "$work/big.zip" >/dev/null
backed=$(since "$t0")
t0=$(now)
"$BIN" --data "$work/restored" restore "$work/big.zip" >/dev/null
restored=$(since "$t0")
printf 'backup of the demo + %s resources (store %s bytes, files %s bytes): %.2f s, archive %s bytes\n' \
  "$RESOURCES" "$(du -sb "$work/big/db" | cut -f1)" "$(du -sb "$work/big/files" 2>/dev/null | cut -f1 || echo 0)" \
  "$backed" "$(stat -c %s "$work/big.zip")"
printf 'restore of it (checksums, store, search indexes rebuilt): %.2f s\n' "$restored"
