#!/usr/bin/env bash
# Load run on loopback: an authenticated page of Préau against nginx serving the very same HTML
# bytes as a static file, side by side, 256 connections each. Prints throughput, p99 and RSS.
# LOGIN and PAGE choose the page: by default the home page of parent.demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${PREAU_BIN:-target/release/preau}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-256}
LOGIN=${LOGIN:-parent.demo}
PAGE=${PAGE:-/}
work=$(mktemp -d)
cleanup() {
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

preau_port=$(free_port)
nginx_port=$(free_port)

env -u PREAU_BIN "$BIN" serve --demo --data "$work/data" --listen "127.0.0.1:$preau_port" >"$work/preau.log" 2>&1 &
preau_pid=$!
wait_up "http://127.0.0.1:$preau_port" "$work/preau.log" 10
token=$(session_token "http://127.0.0.1:$preau_port" "$LOGIN")
cookie="preau_session=$token"
mkdir -p "$work/www"
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$preau_port$PAGE" -o "$work/www/index.html"
bytes=$(wc -c <"$work/www/index.html")

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / { default_type text/html; }
  }
}
CONF
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
sleep 0.3
served=$(curl -fs "http://127.0.0.1:$nginx_port/index.html" | wc -c)
[[ "$served" == "$bytes" ]] || { echo "nginx serves $served bytes, expected $bytes"; exit 1; }

run() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" "$1"; }
echo "== Préau: $PAGE of $LOGIN ($bytes bytes)"
preau_out=$(run "http://127.0.0.1:$preau_port$PAGE")
echo "$preau_out"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$preau_pid/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$preau_pid/status")
echo "== nginx: the same bytes as a static file"
nginx_out=$(run "http://127.0.0.1:$nginx_port/index.html")
echo "$nginx_out"

rate() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
preau_rate=$(rate "$preau_out")
nginx_rate=$(rate "$nginx_out")
echo
echo "== Summary"
echo "preau: $preau_rate req/s, p99 $(p99 "$preau_out")"
echo "nginx: $nginx_rate req/s, p99 $(p99 "$nginx_out")"
echo "ratio: $(python3 -c "print(round($preau_rate / $nginx_rate, 3))")"
echo "preau RSS after the run: $((rss_kb / 1024)) MiB (peak $((hwm_kb / 1024)) MiB)"
