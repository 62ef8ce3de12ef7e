#!/usr/bin/env bash
# CAS serviceValidate under load on loopback: tickets are single-use, so a first wrk run asks
# /cas/login with eleve.demo's session and keeps every ticket (bench/cas/issue.lua), then a
# second run validates each once with /cas/p3/serviceValidate (bench/cas/validate.lua), 64
# connections. Prints throughput and p99 of the validations, and how many succeeded (all must).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${PREAU_BIN:-target/release/preau}
CONNECTIONS=${CONNECTIONS:-64}
ISSUE=${ISSUE:-10s}
# Short enough that the validations cannot use up the tickets issued (100,000 live at most).
DURATION=${DURATION:-3s}
work=$(mktemp -d)
cleanup() {
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
service="http://127.0.0.1:9/app/"
cat >"$work/preau.toml" <<CONF
[[cas.services]]
name = "Banc d'essai"
url = "$service"
attributes = ["login", "display_name", "profile", "uai", "classes", "groups"]
CONF

env -u PREAU_BIN PREAU_CONFIG="$work/preau.toml" "$BIN" serve --demo --data "$work/data" \
  --listen "127.0.0.1:$port" >"$work/preau.log" 2>&1 &
preau_pid=$!
wait_up "http://127.0.0.1:$port" "$work/preau.log" 10
token=$(session_token "http://127.0.0.1:$port" eleve.demo)
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$service")

echo "== issuing tickets: /cas/login for $ISSUE"
wrk -t2 -c"$CONNECTIONS" -d"$ISSUE" -H "Cookie: preau_session=$token" \
  -s bench/cas/issue.lua "http://127.0.0.1:$port/cas/login?service=$encoded" -- "$work" | grep -E "Requests/sec|requests in"
echo "tickets: $(cat "$work"/tickets-* | wc -l)"
echo "== /cas/p3/serviceValidate, $CONNECTIONS connections, $DURATION"
out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/cas/validate.lua \
  "http://127.0.0.1:$port/" -- "$work" "$encoded")
echo "$out"
echo
echo "== Summary"
echo "serviceValidate: $(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s, p99 $(awk '$1 == "99%" {print $2}' <<<"$out")"
grep -q ", 0 refused, 0 without" <<<"$out" || { echo "some validations failed"; exit 1; }
