#!/usr/bin/env bash
# The server load runs and the storage ceiling (called by bench/run.sh; usable alone after a build):
#   bench/load.sh <quick: true|false> <results dir>
# Writes <results>/server.md (markdown tables) and <results>/server-*.log (each run's stderr and the
# server's log). Exits non-zero as soon as a run crashes; asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-false}
results=${2:-bench/results}
mkdir -p "$results"
pg_url=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}

cp="cli/target/meterbridge.jar:bench/target/benchmarks.jar"
# The server's JVM flags: the launcher's defaults (./meterbridge), so the figures are what users get.
server_jvm=$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' meterbridge)

if $quick; then
  warmup=1; duration=2; prefill=100000; connections=16
else
  warmup=30; duration=30; prefill=10000000; connections=64
fi

out="$results/server.md"
n=0
# run <label> <args...>: one LoadGenerator run; prints its markdown row and appends it to $out.
run() {
  local label=$1; shift
  n=$((n + 1))
  local log="$results/server-$n.log"
  java -Xmx2g -cp "$cp" io.meterbridge.bench.load.LoadGenerator --label "$label" \
      --warmup "$warmup" --duration "$duration" --connections "$connections" \
      --server-jvm "$server_jvm" --server-log "$results/server-$n-server.log" "$@" >"$results/row" 2>"$log" \
    || { echo "load run '$label' failed:" >&2; tail -n 30 "$log" >&2; exit 1; }
  cat "$results/row" | tee -a "$out"
}
# records/s of the last row, without separators
rate() { awk -F'|' '{gsub(/[ ,]/, "", $3); print $3}' "$results/row"; }

header="| run | records/s | calls/s | p50 ms | p99 ms | p99.9 ms | failures | server CPU (cores) | server CPU µs/record | generator CPU (cores) | machine busy | server RSS / peak MB | load avg | server CPU µs/record without the JIT compiler |
|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|"
# The realistic case is LoadGenerator's default: 200,000 customers, each call's 25 records spread over
# 25 of them. The easy case (2,000 customers, a call's records next to each other in key order) is
# the second row of each table. Shuffled keys (each pass over the customers in another order, so
# no record lands near the one before it in the key) are the worst case, for the tables' limits.
easy=(--customers 2000 --order sequential)

{
  echo "## Server load and storage ceiling$($quick && echo ' (quick mode: a smoke run, not a measurement)')"
  echo
  echo "- server JVM flags: \`$server_jvm\`; warm-up ${warmup} s, measured ${duration} s per run; $connections connections/callers"
  echo "- batch runs: 200,000 customers, spread keys, unless the label says \"easy case\" (2,000 customers, sequential keys)"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "### SQLite (WAL; each group commit's WAL flushed before its callers hear back)"
  echo
  echo "$header"
} >"$out"

run "store ceiling, SQLite, batch" --target store --db sqlite
ceiling=$(rate)
run "server, SQLite, batch, closed loop" --target server --db sqlite --workload batch
sustained=$(rate)
run "store ceiling, SQLite, batch, easy case" --target store --db sqlite "${easy[@]}"
run "server, SQLite, batch, closed loop, shuffled keys (worst case)" --target server --db sqlite --workload batch \
    --order shuffled
run "server, SQLite, batch, closed loop, easy case" --target server --db sqlite --workload batch "${easy[@]}"
half=$(awk -v r="$sustained" 'BEGIN { c = r / 2 / 25; print (c < 1 ? 1 : c) }')
run "server, SQLite, batch, open loop at half the sustained rate" --target server --db sqlite --workload batch \
    --mode open --rate "$half" --connections 256
run "server, SQLite, MeterUsage, closed loop" --target server --db sqlite --workload meter
run "server, SQLite, mix (4 batch : 1 MeterUsage), closed loop" --target server --db sqlite --workload mix
run "server, SQLite, batch, closed loop, $prefill rows stored before" --target server --db sqlite --workload batch \
    --prefill "$prefill"
filled=$(rate)
{
  echo
  awk -v s="$sustained" -v c="$ceiling" -v f="$filled" -v p="$prefill" 'BEGIN {
    printf "- server / storage ceiling (SQLite, batch): %.0f / %.0f records/s = **%.0f %%**\n", s, c, 100 * s / c
    printf "- with %d rows stored / empty store (SQLite, server): %.0f / %.0f records/s = **%.0f %%**\n", p, f, s, 100 * f / s
  }'
} | tee -a "$out"

if [ "$pg_url" != none ]; then
  {
    echo
    echo "### PostgreSQL ($(psql -V 2>/dev/null | awk '{print $3}' || echo 'version unknown'); synchronous_commit=on)"
    echo
    echo "$header"
  } | tee -a "$out"
  run "store ceiling, PostgreSQL, batch" --target store --db postgres --pg-url "$pg_url"
  pg_ceiling=$(rate)
  run "server, PostgreSQL, batch, closed loop" --target server --db postgres --pg-url "$pg_url"
  pg_sustained=$(rate)
  run "server, PostgreSQL, batch, closed loop, easy case" --target server --db postgres --pg-url "$pg_url" "${easy[@]}"
  run "server, PostgreSQL, batch, closed loop, shuffled keys (worst case)" --target server --db postgres \
      --pg-url "$pg_url" --order shuffled
  pg_half=$(awk -v r="$pg_sustained" 'BEGIN { c = r / 2 / 25; print (c < 1 ? 1 : c) }')
  run "server, PostgreSQL, batch, open loop at half the sustained rate" --target server --db postgres \
      --pg-url "$pg_url" --mode open --rate "$pg_half" --connections 256
  run "server, PostgreSQL, batch, closed loop, $prefill rows stored before" --target server --db postgres \
      --pg-url "$pg_url" --prefill "$prefill"
  pg_filled=$(rate)
  {
    echo
    awk -v s="$pg_sustained" -v c="$pg_ceiling" -v f="$pg_filled" -v p="$prefill" 'BEGIN {
      printf "- server / storage ceiling (PostgreSQL, batch): %.0f / %.0f records/s = **%.0f %%**\n", s, c, 100 * s / c
      printf "- with %d rows stored / empty store (PostgreSQL, server): %.0f / %.0f records/s = **%.0f %%**\n", p, f, s, 100 * f / s
    }'
    echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$out"
fi
rm -f "$results/row"
