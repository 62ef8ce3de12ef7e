#!/usr/bin/env bash
# Directory import at size: a generated académie full export (AAF) of ACCOUNTS accounts (2,500
# unless told, several sizes allowed) imported by the release binary into a fresh store, then
# again as a no-op. Prints wall time and peak RSS of each import.
set -euo pipefail
cd "$(dirname "$0")/.."
export PREAU_BIN=${PREAU_BIN:-target/release/preau}
# shellcheck disable=SC2086 # ACCOUNTS is a list of sizes
target/release/aaf_import_bench ${ACCOUNTS:-2500}
