#!/usr/bin/env bash
# Netoops figures over real UDP: starts a Release collector, floods it with the benchmarks' netoops
# sender, then prints what the collector counted, its peak RSS (VmHWM) and the load average.
#   tests/Netoops.Benchmarks/Collector/figures.sh [flood arguments]
# Environment: DB (default a fresh SQLite file), DUMP_TIMEOUT (seconds, default 10), SETTLE
# (seconds to wait after sending, default DUMP_TIMEOUT + 5), HOST_CRASHES (the per-host budget a
# minute; default 0 = none: each flood source sends a dump every few ms, no real host), PIN=1 to pin the collector to CPU 0
# and the sender to CPU 1. Build first: dotnet build -c Release src/Netoops.Cli && dotnet build -c Release tests/Netoops.Benchmarks
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
work="$(mktemp -d /tmp/netoops-figures.XXXXXX)"
db="${DB:-sqlite:$work/netoops.db}"
timeout_s="${DUMP_TIMEOUT:-10}"
settle="${SETTLE:-$((timeout_s + 5))}"
collector_cpu=() sender_cpu=()
if [ "${PIN:-0}" = 1 ]; then collector_cpu=(taskset -c 0); sender_cpu=(taskset -c 1); fi

"${collector_cpu[@]}" dotnet "$root/src/Netoops.Cli/bin/Release/net10.0/netoops.dll" collector \
  --http 127.0.0.1:18081 --netoops 127.0.0.1:12005 --netconsole 127.0.0.1:16667 \
  --db "$db" --dump-timeout "$timeout_s" --rate-per-source 0 --host-crashes-per-minute "${HOST_CRASHES:-0}" >"$work/collector.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18081/healthz >/dev/null && break; sleep 0.2; done

# Crashes written, sampled every second, for the store's rate in place (not only in the benchmark).
( while :; do
    echo "$(date +%s.%N) $(curl -sf http://127.0.0.1:18081/metrics | awk '/^netoops_store_crashes_written_total/ {print $2}')"
    sleep 1
  done ) >"$work/written" &
sampler=$!
trap 'kill $sampler $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

"${sender_cpu[@]}" dotnet "$root/tests/Netoops.Benchmarks/bin/Release/net10.0/Netoops.Benchmarks.dll" flood --to 127.0.0.1:12005 "$@"
sleep "$settle"
echo "collector after ${settle} s settle ($(cut -d' ' -f1-3 /proc/loadavg)):"
curl -sf http://127.0.0.1:18081/metrics | grep -E '^netoops_(ingest_(datagrams|accepted|kernel_dropped)_total\{channel="netoops"|dump|dumps|store_(crashes_written|dropped)|analysis_backlog)' | grep -v '^#'
grep -E 'VmHWM|VmRSS' "/proc/$pid/status"
awk 'NR > 1 && $2 > last { if (!start) { start = prev_t; } end = $1; best = ($2 - last) / ($1 - prev_t) > best ? ($2 - last) / ($1 - prev_t) : best }
     { if ($2 != "") { prev_t = $1; last = $2; total = $2 } }
     END { if (end) printf "store: %d crashes in %.1f s = %.0f/s while writing, best second %.0f/s\n", total, end - start, total / (end - start), best }' "$work/written"
