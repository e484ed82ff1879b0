#!/usr/bin/env bash
# The gateway's benchmarks (called by bench/run.sh; usable alone after a build):
#   bench/gateway.sh <quick: true|false> <results dir>
# Writes <results>/gateway.md and <results>/gateway-*.log. Exits non-zero as soon as a run crashes;
# asserts no timing: the targets are read off the table (docs/benchmarks.md, "The gateway").
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-false}
results=${2:-bench/results}
mkdir -p "$results"
pg_url=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}

cp="cli/target/meterbridge.jar:bench/target/benchmarks.jar"
# The gateway's JVM flags: the launcher's defaults (./meterbridge), so the figures are what users get.
jvm=$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' meterbridge)

if $quick; then
  warmup=1; duration=3; connections=16; customers=200; records=20000
else
  warmup=20; duration=30; connections=64; customers=1000; records=1000000
fi

out="$results/gateway.md"
n=0
# run <label> <args...>: one GatewayLoad run; prints its markdown row and appends it to $out.
run() {
  local label=$1; shift
  n=$((n + 1))
  local log="$results/gateway-$n.log"
  java -Xmx1g -cp "$cp" io.meterbridge.bench.load.GatewayLoad --label "$label" --gateway-jvm "$jvm" "$@" \
      >"$results/row" 2>"$log" || { echo "gateway run '$label' failed:" >&2; tail -n 30 "$log" >&2; exit 1; }
  tee -a "$out" <"$results/row"
}

{
  echo "## The gateway$($quick && echo ' (quick mode: a smoke run, not a measurement)')"
  echo
  echo "- gateway JVM flags: \`$jvm\`; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "### Ingest: 100-event calls, closed loop, $connections connections, warm-up ${warmup} s, measured ${duration} s"
  echo
  echo "| run | accepted (durable) | calls | failures | gateway CPU | machine busy | gateway RSS / peak | load avg |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
} >"$out"
run "SQLite" --mode ingest --db sqlite --connections "$connections" --customers "$customers" \
    --warmup "$warmup" --duration "$duration"
if [ "$pg_url" != none ]; then
  run "PostgreSQL" --mode ingest --db postgres --pg-url "$pg_url" --connections "$connections" \
      --customers "$customers" --warmup "$warmup" --duration "$duration"
fi
{
  echo
  echo "### Forwarding with a backlog, against a server holding the published quota (10 calls/s)"
  echo
  echo "| run | backlog | sustained | share of the quota | window | load avg |"
  echo "|---|---:|---:|---:|---:|---|"
} | tee -a "$out"
run "SQLite" --mode forward --db sqlite --customers "$customers" --quota 10 --duration "$duration"
{
  echo
  echo "### Memory: one event per record, every record open"
  echo
  echo "| run | open records | resident | ingest time | failures | load avg |"
  echo "|---|---:|---:|---:|---|---|"
} | tee -a "$out"
run "SQLite" --mode memory --db sqlite --records "$records" --connections "$connections"
rm -f "$results/row"
