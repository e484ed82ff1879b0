#!/usr/bin/env bash
# CPU time of each thread of a running process over a window, largest first:
#   bench/thread-cpu.sh PID SECONDS
# Reads utime + stime from /proc/PID/task/*/stat at the start and end of the window. Linux truncates
# thread names to 15 characters (the server's writer, checkpointer and completion threads all show
# as "meterbridge-sql"; the busiest is the writer). A thread started in the window counts whole (all
# its CPU is in the window); one that ended in the window is missing. Used for docs/benchmarks.md's
# per-thread figures.
set -euo pipefail
pid=${1:?usage: thread-cpu.sh PID SECONDS}
seconds=${2:?usage: thread-cpu.sh PID SECONDS}
ticks=$(getconf CLK_TCK)

snapshot() {
  for task in /proc/"$pid"/task/*; do
    # Fields after the ")" that closes the name: utime and stime are the 12th and 13th.
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    set -- $rest
    printf '%s %s %s %s\n' "${task##*/}" "${12}" "${13}" "$(tr ' ' '_' <"$task/comm")"
  done
}

before=$(snapshot)
sleep "$seconds"
after=$(snapshot)
rows=$(awk -v ticks="$ticks" '
  NR == FNR { u[$1] = $2; s[$1] = $3; next }
  { du = ($2 - u[$1]) / ticks; ds = ($3 - s[$1]) / ticks
    if (du + ds > 0) printf "%-18s tid %-8s %8.2f s  (user %.2f, system %.2f)\n", $4, $1, du + ds, du, ds }
' <(echo "$before") <(echo "$after") | sort -k4 -rn)
echo "$rows"
echo "$rows" | awk -v secs="$seconds" '{ total += $4 } END { printf "all threads: %.2f s of CPU in %s s = %.2f cores\n", total, secs, total / secs }'
