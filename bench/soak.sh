#!/usr/bin/env bash
# Soak run (`make soak`): SOAK_SECONDS (600 unless told) of mixed traffic on loopback against the
# release binary serving the demo collège plus RESOURCES generated resources (50,000 unless
# told), while an abusive client keeps sending the bad requests of the hardening issue.
#   - wrk, CONNECTIONS (256) connections: home pages, searches with facets, resource pages, as
#     several pupils and parents (cookies);
#   - bench/soak_clients.py legit: teachers signing in and publishing small uploads, in turn;
#   - bench/soak_clients.py abuse: huge page numbers, a trickled oversized CSRF field, a pupil's
#     200 MB upload, never-ending heads, forms of 1,500 fields, forged package addresses, huge
#     logins, open-redirect attempts; every answer checked.
# Reports errors of legitimate traffic (must be 0), its latency during the abuse, RSS (anonymous
# and file-backed) at start, middle and end, and the peak. Exits 1 on any legitimate error or
# unexpected answer to the abuse.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${PREAU_BIN:-target/release/preau}
SEEDER=${SEEDER:-target/release/examples/seed_resources}
RESOURCES=${RESOURCES:-50000}
SOAK_SECONDS=${SOAK_SECONDS:-600}
CONNECTIONS=${CONNECTIONS:-256}
work=$(mktemp -d)
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null && wait "$preau_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
base="http://127.0.0.1:$port"

echo "== Seeding the demo collège and $RESOURCES resources"
"$SEEDER" "$work/data" "$RESOURCES"
# Every client of this run shares 127.0.0.1; the abusive one claims its own address through a
# trusted proxy header, so that the throttle sees it apart, as it would on a real network.
NO_COLOR=1 PREAU_HTTP_TRUSTED_PROXIES=127.0.0.1 env -u PREAU_BIN "$BIN" serve \
  --data "$work/data" --listen "127.0.0.1:$port" >"$work/preau.log" 2>&1 &
preau_pid=$!
wait_up "$base" "$work/preau.log" 300

sign_in() { session_token "$base" "$1"; }
admin=$(sign_in admin.demo)
pupil=$(sign_in eleve.demo)
teacher=$(sign_in enseignant.demo)
# Readers: the demo pupil and parent, and a few more pupils of other classes.
readers=("$pupil" "$(sign_in parent.demo)")
for class in 6A 5C 3B; do
  login=$(curl -fs -H "Authorization: Bearer $admin" "$base/api/v1/classes/$class/members" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(p["login"] for p in d["pupils"] if p["state"] == "active"))')
  readers+=("$(sign_in "$login")")
done
# Teachers who publish: every teacher of 4B (their uploads go through the upload share one by one).
publishers=()
for login in $(curl -fs -H "Authorization: Bearer $admin" "$base/api/v1/classes/4B/members" \
  | python3 -c 'import json,sys; print(" ".join(sorted({t["login"] for t in json.load(sys.stdin)["teachers"]})[:5]))'); do
  publishers+=("$login=$(sign_in "$login")")
done
# Resource pages every reader may open: those that the first pages of each one's library share.
for token in "${readers[@]}"; do
  for page in 1 2 3; do
    curl -fs -H "Authorization: Bearer $token" "$base/api/v1/resources?page=$page"
    echo
  done >"$work/library-${token:0:12}.jsonl"
done
ids=$(python3 - "$work"/library-*.jsonl <<'PY'
import json, sys
shared = None
for path in sys.argv[1:]:
    seen = {hit["id"] for line in open(path) if line.strip() for hit in json.loads(line)["hits"]}
    shared = seen if shared is None else shared & seen
print(" ".join(str(i) for i in sorted(shared or [])[:20]))
PY
)
[[ -n "$ids" ]] || { echo "no resource is visible to every reader"; exit 1; }

{
  echo "local cookies = {"
  for token in "${readers[@]}"; do echo "  \"preau_session=$token\","; done
  echo "}"
  echo "local paths = {"
  for _ in 1 2 3; do echo '  "/",'; done
  for query in "q=fraction" "q=volcan&discipline=062900" "q=revolution&level=num-021" \
    "q=grammaire&kind=exercise" "discipline=061300&level=num-021" "q=energie&sort=date" \
    "theme=num-951" "q=algoritme"; do
    echo "  \"/api/v1/resources?$query\","
    echo "  \"/ressources?$query\","
  done
  for id in $ids; do echo "  \"/ressources/$id\","; done
  cat <<'LUA'
}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end
local i = 0
function request()
  i = i + 1
  local cookie = cookies[((i + offset) % #cookies) + 1]
  return wrk.format("GET", paths[((i * 7 + offset) % #paths) + 1], { ["Cookie"] = cookie })
end
LUA
} >"$work/mixed.lua"

status_kib() { awk -v field="$1:" '$1 == field { print $2 }' "/proc/$preau_pid/status"; }
sample() { # LABEL
  echo "$1 RSS $(($(status_kib VmRSS) / 1024)) MiB (anonymous $(($(status_kib RssAnon) / 1024)), file-backed $(($(status_kib RssFile) / 1024)))"
}
echo
echo "== Soak: ${SOAK_SECONDS} s, $CONNECTIONS connections of readers, ${#publishers[@]} publishers, one abuser"
sample "start "
python3 bench/soak_clients.py legit "$base" "$SOAK_SECONDS" "$work/legit.json" "${publishers[@]}" &
python3 bench/soak_clients.py abuse "$base" "$SOAK_SECONDS" "$work/abuse.json" "$pupil" "$teacher" &
(
  half=$((SOAK_SECONDS / 2))
  sleep "$half"
  sample "middle" >"$work/middle.txt"
) &
: >"$work/rss.log"
(
  while kill -0 "$preau_pid" 2>/dev/null; do
    echo "$(date +%s) $(status_kib RssAnon) $(status_kib RssFile)" >>"$work/rss.log"
    sleep 10
  done
) &
wrk_out=$(wrk -t2 -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 10s --latency -s "$work/mixed.lua" "$base")
wait_for() { for _ in $(seq 1 600); do [[ -s "$1" ]] && return 0; sleep 0.5; done; return 1; }
wait_for "$work/legit.json" && wait_for "$work/abuse.json" && wait_for "$work/middle.txt"
echo "$wrk_out"
echo
cat "$work/middle.txt"
sample "end   "
echo "peak   RSS $(($(status_kib VmHWM) / 1024)) MiB (VmHWM)"
# Flat means no trend while the load lasts: the anonymous RSS of each minute (its highest sample).
awk -v start="$(head -n1 "$work/rss.log" | cut -d' ' -f1)" -v seconds="$SOAK_SECONDS" '
  { minute = int(($1 - start) / 60); if ($1 - start <= seconds && $2 > high[minute]) high[minute] = $2 }
  END { printf "anonymous RSS under load, highest of each minute (MiB):"
        for (m = 0; m in high; m++) printf " %d", high[m] / 1024; printf "\n" }' "$work/rss.log"
echo
echo "== Legitimate publishers (sign-in, upload, delete)"
cat "$work/legit.json"; echo
echo "== Abuser"
cat "$work/abuse.json"; echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"

failed=0
if grep -qE "Non-2xx|Socket errors" <<<"$wrk_out"; then echo "FAIL: readers saw errors"; failed=1; fi
python3 - "$work/legit.json" "$work/abuse.json" <<'PY' || failed=1
import json, sys
legit = json.load(open(sys.argv[1]))
abuse = json.load(open(sys.argv[2]))
bad = False
if legit["errors"]:
    print("FAIL: legitimate publishers got errors:", legit["problems"]); bad = True
if abuse["failures"]:
    print("FAIL: unexpected answers to the abuse:", abuse["failures"]); bad = True
sys.exit(1 if bad else 0)
PY
exit "$failed"
