#!/usr/bin/env bash
# Reproduces every figure in docs/benchmarks.md: builds the bench module and the server jar, runs the
# JMH benchmarks with the GC profiler, the client comparison, the server load runs and the storage
# ceiling, writes everything to bench/results/ and prints a markdown summary. Nothing here asserts a
# timing: the exit code only says every benchmark ran (non-zero if one crashed).
#
#   bench/run.sh            full settings (about 30 minutes on 2 cores)
#   bench/run.sh --quick    every benchmark once, briefly: 1 fork, 1 warm-up and 1 measured 1 s
#                           iteration per JMH benchmark, a short comparison, 5 s load runs and a
#                           100,000-row prefill instead of 10 million: a smoke run for CI (< 4 minutes)
#   bench/run.sh --server-only | --client-only   only the server and gateway load runs | only JMH (the
#                           store's write path included) and the comparison
#   bench/run.sh --skip-build ...   reuse bench/target and cli/target from an earlier build
#   PG_URL=jdbc:postgresql://...    the PostgreSQL for the load runs (default 127.0.0.1:5432/test, user
#                                   postgres); PG_URL=none skips them
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
build=true
client=true
server=true
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --skip-build) build=false ;;
    --server-only) client=false ;;
    --client-only) server=false ;;
    *) echo "usage: bench/run.sh [--quick] [--skip-build] [--server-only|--client-only]" >&2; exit 2 ;;
  esac
done

results=bench/results
mkdir -p "$results"
rm -f "$results"/summary.md
$client && rm -f "$results"/jmh.* "$results"/compare*
$server && rm -f "$results"/server.md "$results"/server-*.log "$results"/gateway.md "$results"/gateway-*.log

if $build; then
  ./mvnw -q -B -ntp -pl bench,cli -am package -DskipTests >"$results/build.log" 2>&1 \
    || { cat "$results/build.log" >&2; exit 1; }
fi

# The client side first: the comparison's CPU figures are the most sensitive to background work, and
# the server runs leave PostgreSQL with checkpoints and autovacuum still to do.
if $client; then
  jar=bench/target/benchmarks.jar
  harness=$(ls bench/target/meterbridge-bench-*.jar | grep -v -- '-sources\|-javadoc' | head -n 1)

  if $quick; then
    jmh_args=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
    compare_args=(--quick)
  else
    jmh_args=()   # the @Fork/@Warmup/@Measurement defaults in each benchmark class
    compare_args=()
  fi

  # StoreWriteBenchmark writes to PostgreSQL too, unless PG_URL=none.
  pg_url=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
  if [ "$pg_url" = none ]; then
    jmh_args+=(-p db=sqlite)
  else
    jmh_args+=(-jvmArgsAppend "-Dmeterbridge.bench.pgUrl=$pg_url")
  fi

  # The server's jar after benchmarks.jar: StoreWriteBenchmark calls the store, whose classes and JDBC
  # drivers stay out of benchmarks.jar (see bench/pom.xml).
  java -cp "$jar:cli/target/meterbridge.jar" org.openjdk.jmh.Main "${jmh_args[@]}" -prof gc -rf csv -rff "$results/jmh.csv" >"$results/jmh.txt" 2>&1 \
    || { tail -n 50 "$results/jmh.txt" >&2; exit 1; }

  java -cp "$jar" io.meterbridge.bench.compare.Compare "${compare_args[@]}" \
    --harness "$harness" --classpath-dir bench/target/classpath --out "$results" >/dev/null
fi

if $server; then
  bench/load.sh "$quick" "$results"
  bench/gateway.sh "$quick" "$results"
fi

{
  echo "# Meterbridge benchmarks$($quick && echo ' (quick mode: a smoke run, not a measurement)')"
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB memory, $(uname -sr)"
  echo "- java: $(java -version 2>&1 | head -n 2 | tail -n 1)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  if $client; then
    echo "## JMH (\`-prof gc\`)"
    echo
    echo "| benchmark | µs/op | ± (99.9%) | allocated B/op |"
    echo "|---|---:|---:|---:|"
    # CSV columns: Benchmark, Mode, Threads, Samples, Score, Score Error (99.9%), Unit[, params]
    awk -F, 'NR > 1 {
        name = $1; gsub(/"/, "", name); sub(/^io\.meterbridge\.bench\./, "", name)
        gc = sub(/:gc\.alloc\.rate\.norm$/, "", name)
        if (!gc && name ~ /:/) next   # the other -prof gc figures
        for (p = 8; p <= NF; p++) { v = $p; gsub(/["\r]/, "", v); if (v != "") name = name " " v }
        if ($3 > 1) name = name " (" $3 " threads)"
        if (gc) alloc[name] = $5
        else { order[++n] = name; score[name] = $5; err[name] = $6 }
      }
      END {
        for (i = 1; i <= n; i++) {
          k = order[i]; e = (err[k] == "NaN" || err[k] == "") ? "n/a" : sprintf("%.2f", err[k])
          printf "| %s | %.2f | %s | %.0f |\n", k, score[k], e, alloc[k]
        }
      }' "$results/jmh.csv"
    echo
    cat "$results/compare.md"
  fi
  if $server; then
    echo
    cat "$results/server.md"
    echo
    cat "$results/gateway.md"
  fi
} | tee "$results/summary.md"
