#!/bin/bash
# Netconsole ingest figures on a 2-core machine (design/collector.md, "Figures"): receiver pinned
# to core 0, sender to core 1. Prints the load average with every figure: on a shared machine,
# rerun when it is below 1.5.
#   tests/Netoops.Benchmarks/Ingest/netconsole-figures.sh [sender|lossless|drain|all] [RATE] [SECONDS]
# Ports (change them if another collector runs on this machine): HTTP 18191, netoops 12105, netconsole 16767.
set -euo pipefail
cd "$(dirname "$0")/../../.."
what=${1:-all}; rate=${2:-300000}; seconds=${3:-10}
http=${FIGURES_HTTP:-127.0.0.1:18191}; netoops=${FIGURES_NETOOPS:-127.0.0.1:12105}; netconsole=${FIGURES_NETCONSOLE:-127.0.0.1:16767}
dotnet build src/Netoops.Cli -c Release -v q -nologo >/dev/null
dotnet build tests/Netoops.Benchmarks -c Release -v q -nologo >/dev/null
netoops_dll=src/Netoops.Cli/bin/Release/net10.0/netoops.dll
bench_dll=tests/Netoops.Benchmarks/bin/Release/net10.0/Netoops.Benchmarks.dll
load() { echo "load average $(cut -d' ' -f1 /proc/loadavg)"; }
loadgen() {
  taskset -c 1 dotnet $netoops_dll loadgen --url "http://$http" --netoops "$netoops" --netconsole "$netconsole" \
    --hosts 1024 --duration "$seconds" --dumps-per-second 0 --messages-per-second "$1" --settle 3 "${@:2}"
}

if [[ $what == sender || $what == all ]]; then
  echo "== sender alone: loadgen (core 1) as fast as it goes into the bare recvmmsg sink (core 0)"
  taskset -c 0 dotnet $bench_dll udp-sink "$netconsole" $((seconds + 4)) & sink=$!
  sleep 2; loadgen 10000000 | grep -E '^(sent|sender)'; wait $sink
fi

if [[ $what == lossless || $what == all ]]; then
  echo "== lossless: the collector with its default configuration (core 0), $rate messages/s from 1,024 hosts (core 1)"
  data=$(mktemp -d)
  taskset -c 0 dotnet $netoops_dll collector --http "$http" --netoops "$netoops" --netconsole "$netconsole" --db "sqlite:$data/figures.db" >"$data/collector.log" 2>&1 & collector=$!
  sleep 5; load
  cpu() { awk '{print $14 + $15}' /proc/$collector/stat; }
  before=$(cpu)
  loadgen "$rate" | grep -E '^(sent|sender|received|stored)'
  echo "collector: $(( ($(cpu) - before) / $(getconf CLK_TCK) )) CPU-seconds used during the run (sending, settling)"
  kill $collector; wait $collector 2>/dev/null || true
  rm -rf "$data"
fi

if [[ $what == drain || $what == all ]]; then
  echo "== drain: the netconsole path on core 0 empties a socket buffer 1,024 hosts filled (default 8 MiB)"
  taskset -c 0 dotnet $bench_dll drain 12 | grep -E '^(netconsole|median)'
  echo "== drain, bare: the same with a sink that only counts (what the kernel and the recvmmsg loop cost)"
  taskset -c 0 dotnet $bench_dll drain-bare 12 | grep -E '^(bare|median)'
fi
