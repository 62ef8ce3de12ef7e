#!/usr/bin/env bash
# Where the CPU of one authenticated page goes (`make profile`; by default parent.demo's home page): instructions counted by
# callgrind, which repeat run after run whatever else the machine does, unlike a timed load.
# The release binary serves the demo under valgrind twice, once with REQUESTS home pages of
# parent.demo and once with none; the difference, divided by REQUESTS, is the cost of one
# request. Prints it, then the functions of Préau costing the most per request (inclusive).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${PREAU_BIN:-target/release/preau}
REQUESTS=${REQUESTS:-2000}
# LOGIN and PAGE choose another page than parent.demo's home page.
LOGIN=${LOGIN:-parent.demo}
PAGE=${PAGE:-/}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
base="http://127.0.0.1:$port"


# Seed the demo and open a session outside valgrind (argon2 under valgrind would take minutes).
env -u PREAU_BIN "$BIN" serve --demo --data "$work/data" --listen "127.0.0.1:$port" >"$work/seed.log" 2>&1 &
pid=$!
wait_up "$base" "$work/seed.log" 120
token=$(session_token "$base" "$LOGIN")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

# One run under callgrind: start, 50 warm-up pages, $1 measured pages, stop.
profile() {
  local requests=$1 out=$2
  # Both runs start from the same copy of the store, so that they differ by the requests only.
  rm -rf "$work/run" && cp -a "$work/data" "$work/run"
  env -u PREAU_BIN valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" serve --data "$work/run" --listen "127.0.0.1:$port" >"$work/valgrind.log" 2>&1 &
  pid=$!
  wait_up "$base" "$work/valgrind.log" 300
  python3 - "$port" "$token" $((50 + requests)) "$PAGE" <<'PY'
import http.client, sys
port, token, n, page = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    connection.request("GET", page, headers={"Cookie": "preau_session=" + token})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
profile "$REQUESTS" "$work/with.out"
profile 0 "$work/without.out"
# KEEP=dir keeps both callgrind files, for callgrind_annotate or kcachegrind.
if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP" && cp "$work/with.out" "$work/without.out" "$KEEP/"; fi

python3 - "$work" "$REQUESTS" "$LOGIN" "$PAGE" <<'PY'
import re, subprocess, sys
work, requests, login, page = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def inclusive(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True, check=True).stdout
    costs = {}
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if match:
            name = re.sub(r"^\?\?\?:|\s*\[.*\]$", "", match.group(2).strip())
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(",", ""))
    return costs
with_, without = inclusive(f"{work}/with.out"), inclusive(f"{work}/without.out")
per = {name: (cost - without.get(name, 0)) / requests for name, cost in with_.items()}
# The whole program's count also holds background threads (sled's flusher, the scheduler) that
# run for as long as the process lives, and the run with requests lives longer: only the work of
# tokio's workers, which poll every connection, is counted per request.
total = per["tokio::runtime::scheduler::multi_thread::worker::Context::run_task"]
print(f"instructions per page {page} of {login}: {total:,.0f} (callgrind, {requests} requests, tokio workers)")
print("Préau's functions costing the most per request (inclusive):")
ours = sorted(((c, n) for n, c in per.items() if n.startswith(("preau_server", "preau_app"))), reverse=True)
for cost, name in ours[:15]:
    print(f"  {cost:>9,.0f}  {100 * cost / total:4.1f} %  {name[:110]}")
PY
