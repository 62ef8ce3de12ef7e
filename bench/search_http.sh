#!/usr/bin/env bash
# Resource search through HTTP at size: the demo collège plus RESOURCES generated resources
# (50,000 unless told) seeded into a fresh store, the release binary started on it (cold start,
# the index rebuilt from the store), then wrk rotating through 52 queries with facets as a 4e B
# pupil (audience filter) and as the administrator, at 16 and 64 connections, and the HTML page
# once. Prints req/s and p50/p90/p99 of each run, the server's RSS and the sizes on disk.
# Expects target/release/preau and the seed_resources example built (`make bench` does).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PREAU_BIN:-target/release/preau}
SEEDER=${SEEDER:-target/release/examples/seed_resources}
RESOURCES=${RESOURCES:-50000}
DURATION=${DURATION:-15s}
work=$(mktemp -d)
cleanup() {
  [[ -n "${preau_pid:-}" ]] && kill "$preau_pid" 2>/dev/null && wait "$preau_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The filters of each query; q is written as people type it: accents or not, typos, several words.
QUERIES=(
  "q=fraction" "q=équation" "q=equation" "q=frcation" "q=théorème" "q=theoreme"
  "q=volcan&discipline=062900" "q=révolution&discipline=043700" "q=revolution&level=num-021"
  "q=poème&discipline=020700&level=num-020" "q=grammaire&kind=exercise" "q=orthographe&sort=date"
  "q=cellule&discipline=073800&level=num-018" "q=énergie&discipline=062300" "q=energie"
  "q=circuit&kind=video" "q=climat&theme=043700" "q=carte mentale" "q=démocratie&discipline=043800"
  "q=laicite" "q=peinture&discipline=090100" "q=chanson&discipline=081300"
  "q=algorithme&discipline=070800" "q=algoritme" "q=proportionnalité&level=num-021"
  "q=proportionalite" "q=probabilité&theme=num-947" "q=statistique&page=2"
  "q=géométrie&discipline=061300&sort=date" "q=pyramide" "q=vitesse&discipline=062300&level=num-023"
  "q=lumière" "q=digestion&kind=document" "q=écosystème&page=2" "q=ecosysteme"
  "q=guerre&discipline=043700&level=num-023" "q=république" "q=fiche fraction"
  "q=exercices équation simple" "q=quiz volcan illustré" "q=séquence poème"
  "q=vidéo cellule&kind=video" "q=évaluation géométrie&level=num-020"
  "q=calcul littéral&discipline=061300" "q=fraction&discipline=061300&level=num-018&kind=exercise"
  "discipline=061300" "discipline=020700&level=num-021" "theme=num-951"
  "level=num-631&sort=date&page=3" "q=dialogue&discipline=030201" "q=vocabulaire&discipline=030602"
  "q=la notion de fraction"
)
printf '%s\n' "${QUERIES[@]}" | python3 -c '
import sys
from urllib.parse import parse_qsl, urlencode
for line in sys.stdin:
    print(urlencode(parse_qsl(line.strip())))' >"$work/queries"
# The Lua script of wrk: each thread walks the queries from its own offset.
write_lua() { # PATH FILE
  {
    echo "local paths = {"
    sed "s|^|  \"$1?|; s|\$|\",|" "$work/queries"
    cat <<'LUA'
}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 17)
  threads = threads + 1
end
local i = 0
function request()
  i = i + 1
  return wrk.format(nil, paths[((i + offset) % #paths) + 1])
end
LUA
  } >"$2"
}
write_lua /api/v1/resources "$work/api.lua"
write_lua /ressources "$work/page.lua"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
base="http://127.0.0.1:$port"
rss_mib() { awk -v field="$1:" '$1 == field { print int($2 / 1024) }' "/proc/$preau_pid/status"; }
# Anonymous memory is what the process really holds; file-backed pages (tantivy's mmap'd index,
# the binary) are reclaimable by the kernel and shared with the page cache.
rss_split() { echo "$(rss_mib VmRSS) MiB (anon $(rss_mib RssAnon), file $(rss_mib RssFile))"; }

echo "== Seeding the demo collège and $RESOURCES resources"
"$SEEDER" "$work/data" "$RESOURCES"

launched=$(date +%s.%N)
NO_COLOR=1 env -u PREAU_BIN "$BIN" serve --data "$work/data" --listen "127.0.0.1:$port" >"$work/preau.log" 2>&1 &
preau_pid=$!
for _ in $(seq 1 6000); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.05; done
ready=$(date +%s.%N)
curl -fs "$base/healthz" >/dev/null || { echo "preau did not start:"; cat "$work/preau.log"; exit 1; }
rebuilt_at=$(sed 's/\x1b\[[0-9;]*m//g' "$work/preau.log" | awk '/search index rebuilt/ {print $1; exit}')
[[ -n "$rebuilt_at" ]] || { echo "the index was not rebuilt at start:"; cat "$work/preau.log"; exit 1; }
rebuild_s=$(python3 -c "print(round($(date -d "$rebuilt_at" +%s.%N) - $launched, 2))")
cold_start_s=$(python3 -c "print(round($ready - $launched, 2))")
rss_start=$(rss_split)
echo "cold start: ${cold_start_s} s to /healthz, the index rebuilt ${rebuild_s} s after launch"
grep -a "search index rebuilt" "$work/preau.log" | sed 's/\x1b\[[0-9;]*m//g'

sign_in() {
  curl -fs -X POST "$base/api/v1/session" -H 'content-type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"preau-demo\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
pupil=$(sign_in eleve.demo) || { echo "eleve.demo cannot sign in: is the demo seeded?"; exit 1; }
admin=$(sign_in admin.demo) || { echo "admin.demo cannot sign in: is the demo seeded?"; exit 1; }

total() { # TOKEN QUERY
  curl -fs "$base/api/v1/resources?$2" -H "Authorization: Bearer $1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}
# Every query answers 200 for both (this also warms the index); the totals show the audience filter.
totals() { # TOKEN
  while read -r query; do
    total "$1" "$query" || { echo "query failed: $query" >&2; return 1; }
  done <"$work/queries" | awk '{ s += $1; if ($1 == 0) z++ } END { printf "%d hits a query on average, %d without any", s / NR, z }'
}
echo "pupil (eleve.demo) sees $(total "$pupil" "") resources; $(totals "$pupil")"
echo "admin (admin.demo) sees $(total "$admin" "") resources; $(totals "$admin")"
page_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: preau_session=$pupil" "$base/ressources?q=fraction")
[[ "$page_status" == 200 ]] || { echo "/ressources answers $page_status to the pupil"; exit 1; }

summary=()
run() { # NAME TOKEN CONNECTIONS LUA
  echo
  echo "== $1, $3 connections, $DURATION"
  local out
  out=$(wrk -t2 -c"$3" -d"$DURATION" --latency -s "$4" -H "Cookie: preau_session=$2" "$base")
  echo "$out"
  if grep -q "Non-2xx" <<<"$out"; then echo "some answers were not 2xx"; exit 1; fi
  summary+=("$(awk -v name="$1 @$3" '
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 }
    /Requests\/sec/ { rate = $2 }
    END { printf "%-28s %9s req/s  p50 %8s  p90 %8s  p99 %8s", name, rate, p50, p90, p99 }' <<<"$out")  RSS $(rss_split)")
}
run "API, pupil" "$pupil" 16 "$work/api.lua"
run "API, pupil" "$pupil" 64 "$work/api.lua"
run "API, admin" "$admin" 16 "$work/api.lua"
run "API, admin" "$admin" 64 "$work/api.lua"
run "HTML /ressources, pupil" "$pupil" 16 "$work/page.lua"

echo
echo "== Summary ($RESOURCES generated resources, ${#QUERIES[@]} queries in rotation)"
printf '%s\n' "${summary[@]}"
echo "cold start to /healthz: ${cold_start_s} s (index rebuilt from the store ${rebuild_s} s after launch)"
echo "preau RSS: ${rss_start} after start, $(rss_split) after the runs (VmHWM, the peak: $(rss_mib VmHWM) MiB)"
echo "index: $(du -sh "$work/data/index" | cut -f1), store: $(du -sh "$work/data/db" | cut -f1)"
echo "load average at the end (wrk shares the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
