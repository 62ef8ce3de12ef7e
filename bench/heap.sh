#!/usr/bin/env bash
# Heap profile (`make heap`): where the memory of a search load goes. Builds preau with the
# `dhat-heap` feature (dhat in place of mimalloc: every allocation recorded, slow), serves the
# demo plus RESOURCES generated resources (50,000 unless told; the index rebuilt at start), runs
# 64 connections of searches for DURATION, stops it, then prints the live heap over time and the
# allocation sites that held the most at the peak, at the end, and allocated the most in all.
# The anonymous RSS of the real binary is measured by bench/search_http.sh; this tells what it is.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RESOURCES=${RESOURCES:-50000}
DURATION=${DURATION:-30s}
SEEDER=${SEEDER:-target/release/examples/seed_resources}
cargo build --locked --release -p preau-server --features dhat-heap --target-dir target/dhat
bin=target/dhat/release/preau
work=$(mktemp -d)
cleanup() {
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$SEEDER" "$work/data" "$RESOURCES" >/dev/null
port=$(free_port)
base="http://127.0.0.1:$port"
# dhat writes dhat-heap.json in the working directory when the process ends.
(cd "$work" && NO_COLOR=1 exec env -u PREAU_BIN "$OLDPWD/$bin" serve --data "$work/data" \
  --listen "127.0.0.1:$port" >"$work/preau.log" 2>&1) &
preau_pid=$!
wait_up "$base" "$work/preau.log" 120
token=$(session_token "$base" eleve.demo)
cat >"$work/q.lua" <<'LUA'
local paths = {"q=fraction", "q=%C3%A9quation", "q=volcan&discipline=062900", "q=grammaire&kind=exercise",
  "discipline=061300", "q=energie", "q=la+notion+de+fraction", "level=num-631&sort=date&page=3"}
local i = 0
function request() i = i + 1; return wrk.format(nil, "/api/v1/resources?" .. paths[(i % #paths) + 1]) end
LUA
wrk -t2 -c64 -d"$DURATION" -s "$work/q.lua" -H "Cookie: preau_session=$token" "$base" | grep -E "Requests/sec|Non-2xx" || true
kill -TERM "$preau_pid"
wait "$preau_pid" || true
preau_pid=
echo "== Live heap every 5 s (dhat)"
grep -a "^dhat:" "$work/preau.log"
for key in gb eb tb; do
  echo
  case $key in gb) echo "== Held at the peak";; eb) echo "== Held at the end";; tb) echo "== Allocated in all";; esac
  python3 bench/dhat_top.py "$work/dhat-heap.json" "$key" | head -16
done
