#!/usr/bin/env bash
# Sluice's benchmark suite in one command, from anywhere in the repository:
#
#   benchmarks/run.sh            the full run (about an hour), for figures to quote, on a quiet machine
#   benchmarks/run.sh --smoke    a few seconds per step, to prove the suite works end to end
#
# It builds what it needs (mvn -Pbenchmarks, nothing installed), runs the JMH benchmarks, the raw Kafka baseline
# and the end-to-end load on 127.0.0.1 only (wrk -> Sluice, in local mode and as separate processes -> Triggers
# -> a counting sink), profiles the saturated run with JFR, and rewrites docs/benchmarks.md and its latency plot.
# Never part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
if [ "${1:-}" = "--smoke" ]; then
  smoke=true
fi

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (Debian packages)..."
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y "${need[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${need[@]}" >/dev/null; }
  else
    sudo apt-get install -y "${need[@]}" >/dev/null
  fi
fi

echo "Building Sluice and the benchmarks (mvn -Pbenchmarks -pl standalone,benchmarks -am package)..."
# standalone needs event-source and trigger, so -am packages their own apps too, for the separate-process runs
mvn -B -q -Pbenchmarks -pl standalone,benchmarks -am package -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
out="benchmarks/target/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

{
  echo "CPU:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
  echo "Memory: $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available at the start"}')"
  echo "Kernel: $(uname -sr)"
  echo "Java:   $(java -version 2>&1 | head -1)"
  echo "Load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages at the start)"
  echo "wrk:    $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
} > "$out/machine.txt"

if $smoke; then
  jmh=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  e2e=(--duration=3 --warmup=2 --drain=20 --rates-1=500,1000 --rates-10=100 --rates-100=10
       --baseline-rates=500,1000 --separate-triggers=1)
else
  jmh=(-f 2 -wi 3 -i 5 -w 2s -r 2s)
  e2e=(--duration=30 --warmup=30 --drain=60 --rates-1=500,1000,2000,4000,8000 --rates-10=100,200,400,800
       --rates-100=10,20,40,80 --baseline-rates=500,1000,2000,4000,8000 --separate-triggers=1,10,100)
fi

echo "JMH: CEL conditions and CloudEvent codecs..."
java -cp "$cp" org.openjdk.jmh.Main "${jmh[@]}" -rf json -rff "$out/jmh.json" 'dev\.sluice\.benchmarks\..*' \
  > "$out/jmh.log" 2>&1
tail -20 "$out/jmh.log"

echo "End to end: raw Kafka baseline, then Sluice (local mode, then separate processes) with 1, 10 and 100 Triggers..."
java -cp "$cp" dev.sluice.benchmarks.EndToEndRun --jar=standalone/target/quarkus-app/quarkus-run.jar \
  --event-source-jar=event-source/target/quarkus-app/quarkus-run.jar \
  --trigger-jar=trigger/target/quarkus-app/quarkus-run.jar \
  --out="$out" --wrk="$(command -v wrk)" --script=benchmarks/src/main/lua/load.lua \
  --clk-tck="$(getconf CLK_TCK)" --triggers=1,10,100 --jvm="-Xmx512m" "${e2e[@]}"

java -cp "$cp" dev.sluice.benchmarks.BenchmarkReport --results="$out/results.json" --jmh="$out/jmh.json" \
  --machine="$out/machine.txt" --command="benchmarks/run.sh" --markdown=docs/benchmarks.md \
  --plot=benchmarks-latency.png --smoke="$smoke"
(cd docs && gnuplot benchmarks-latency.gp)
echo "Wrote docs/benchmarks.md and docs/benchmarks-latency.png (raw results in $out)"
