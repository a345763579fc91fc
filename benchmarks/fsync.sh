#!/usr/bin/env bash
# What `sluice.embedded-kafka.fsync=true` costs (docs/local-mode.md#disk-and-fsync), from the repository root:
#
#   benchmarks/fsync.sh
#
# Runs the packaged local mode twice, with fsync off and on, each on a fresh data folder, with one HTTP EventSource
# and no Trigger (the ingress and the broker's write path only). Each run: 10 s of warm-up, then 20 s saturated
# (wrk -t1 -c16) and 20 s at a fixed pace (4 connections, each waiting 8 ms between posts: at most 500 posts/s),
# 1 KB binary-mode CloudEvents (benchmarks/src/main/lua/load.lua). Prints accepted/s and wrk's p50/p99 per step.
# Needs wrk (apt-get install -y wrk) and the packaged standalone app (mvn -pl standalone -am package -DskipTests).
# Never part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=standalone/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build first: mvn -B -pl standalone -am package -DskipTests"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
port=${PORT:-18480}
work=$(mktemp -d /tmp/sluice-fsync-XXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null' EXIT

cat >"$work/source.yaml" <<'EOF'
apiVersion: events.sluice.dev/v1alpha1
kind: EventSource
metadata: {name: fsync, namespace: default}
spec:
  eventBus: default
  http:
    orders: {}
EOF

step() { # name, connections, delay ms, seconds
  local out
  out=$(SLUICE_DELAY_MS=$3 wrk -t1 -c"$2" -d"$4"s -s benchmarks/src/main/lua/load.lua \
    "http://127.0.0.1:$port/default/fsync/orders" | grep '^RESULT')
  python3 - "$1" "$out" <<'PY'
import sys
name, line = sys.argv[1], sys.argv[2]
r = dict(kv.split("=") for kv in line.split()[1:])
ok = int(r["requests"]) - int(r["non2xx"]) - int(r["errors"])
print(f"| {name} | {ok / (int(r['duration_us']) / 1e6):,.0f} | {int(r['p50_us']) / 1000:.2f} ms | {int(r['p99_us']) / 1000:.2f} ms | {r['non2xx']} |")
PY
}

echo "Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), disk of $work: $(df -h --output=source "$work" | tail -1)"
echo "| fsync, step | accepted/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- |"
for fsync in false true; do
  java -Xmx512m -Dquarkus.http.port=$port -Dquarkus.log.level=WARN -Dsluice.embedded-kafka.fsync=$fsync \
    -Dsluice.resources.dir="$work" -Dsluice.data.dir="$work/data-$fsync" -jar "$jar" >"$work/sluice-$fsync.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/default/fsync/orders" \
      -H 'content-type: application/json' -H 'ce-specversion: 1.0' -H 'ce-type: probe' -H 'ce-source: /probe' \
      -H 'ce-id: probe' -d '{}' || true)
    [ "$code" = 202 ] && break
    sleep 1
  done
  [ "$code" = 202 ] || { echo "local mode did not accept a post; see $work/sluice-$fsync.log"; exit 1; }
  SLUICE_DELAY_MS=0 wrk -t1 -c16 -d10s -s benchmarks/src/main/lua/load.lua \
    "http://127.0.0.1:$port/default/fsync/orders" >/dev/null
  step "fsync=$fsync, saturated (16 connections)" 16 0 20
  step "fsync=$fsync, paced (4 connections, 8 ms apart)" 4 8 20
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
rm -rf "$work"
