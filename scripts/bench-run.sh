#!/usr/bin/env bash
# Whole runs: the standard suites against every shipped target, with targets one at a time
# (--jobs 1) and in parallel (--jobs N), in the same session so the ratio is fair.
# Prints wall time and audcheck's peak memory for each. Usage: scripts/bench-run.sh [N]
# Reports go to a temporary folder; reports/ is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}
cargo build --release --locked --quiet
# Install what is missing (first use), so the timed runs do not include installs.
./target/release/audcheck targets >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
line() { grep '^reports in' "$1"; }
declare -A wall
for j in 1 "$jobs"; do
  start=$(date +%s%N)
  ./target/release/audcheck run --jobs "$j" --out "$out/$j" >"$out/$j.log" 2>&1 || true
  wall[$j]=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "jobs $j: wall ${wall[$j]} ms; $(line "$out/$j.log")"
done
awk -v a="${wall[$jobs]}" -v b="${wall[1]}" 'BEGIN { printf "jobs %s / jobs 1: %.2f of the wall time\n", ARGV[1], a / b }' "$jobs"
