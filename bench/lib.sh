# Shared by the bench scripts (sourced): a free loopback port, waiting for a started server,
# and a session token for a demo login.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_up BASE LOG [SECONDS]: waits for BASE/healthz; prints LOG and fails if it never answers.
wait_up() {
  local base=$1 log=$2 tries=$((${3:-30} * 20))
  for _ in $(seq 1 "$tries"); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "preau did not start:"
  cat "$log"
  exit 1
}

# session_token BASE LOGIN: signs a demo account in (password preau-demo), prints its token.
session_token() {
  curl -fs -X POST "$1/api/v1/session" -H 'content-type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"preau-demo\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
