#!/usr/bin/env bash
# What SQLite itself spends on one stored BatchMeterUsage row, in instructions (callgrind counts
# them the same on a busy or a quiet machine), for the variants of bench/native/sqlite_row_cost.c:
#   bench/sqlite-row-cost.sh [passes before, default 10] [transactions counted, default 100]
# Needs gcc, the SQLite headers and valgrind (Debian: gcc libsqlite3-dev valgrind). Takes ~15 min.
# percall was a design not built then (a row per call, the unique key a table of its own); v7 is the
# server's schema since V7, which built it. It measures
# Debian's libsqlite3, not the copy inside sqlite-jdbc that the server runs; the rows and the schema
# are the server's.
set -euo pipefail
cd "$(dirname "$0")"
passes=${1:-10}
transactions=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/sqlite_row_cost" native/sqlite_row_cost.c -lsqlite3
rows=$((transactions * 800))
echo "SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '(version unknown)'); $rows rows counted after $passes passes of 200,000"
echo "| variant | instructions a row | µs a row, native run (wall clock; noisy on a shared machine) |"
echo "|---|---:|---:|"
for variant in today noindex nonames lean percall v7; do
  rm -f "$work"/db*
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/out" \
      "$work/sqlite_row_cost" "$variant" "$passes" "$transactions" "$work/db" >"$work/stdout" 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  total=$(sed -n 's/^totals: //p' "$work/out")
  rm -f "$work"/db*
  "$work/sqlite_row_cost" "$variant" "$passes" "$transactions" "$work/db" >"$work/stdout"
  wall=$(sed -n 's/.*, \([0-9.]*\) us a row.*/\1/p' "$work/stdout")
  echo "| $variant | $((total / rows)) | $wall |"
done
