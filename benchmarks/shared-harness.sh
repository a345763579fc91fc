#!/bin/bash
# A copy of the shared load harness (../shared/bench/run.sh, beside the repository in the workplace) with
# hooks to change one thing at a time. With none of the SH_* variables set it runs exactly what the shared
# harness runs; the comparisons in docs/benchmarks.md name the hooks each row set. Hooks:
#   SH_BENCH     folder of the shared harness's files (FastSink.java, load.lua, measure.py...; default ../shared/bench)
#   SH_JAVA      java binary of event-source and trigger (default: java on the PATH)
#   SH_OPTS      more JVM options for both services, after -Xmx512m (GC, heap, -D properties)
#   SH_ES_OPTS, SH_TR_OPTS   more JVM options for one of them (e.g. a JFR recording)
#   SH_SINK      fast (FastSink.java, default) | counting (benchmarks' CountingSink: Vert.x, one event loop, 202)
#   SH_WRK_THREADS  wrk's threads (1)
#   SH_LOAD      shared (load.lua, default) | sluice (benchmarks/src/main/lua/load.lua: ce-time, amount in the data)
#   SH_BROKER    shared (server.properties, -Xmx256m, default) | embedded (Sluice's embedded broker in a process of
#                its own, as benchmarks/run.sh runs it: the standalone app, -Xmx512m)
#   SH_MODE      separate (default) | local (the standalone app: event-source and trigger in one JVM)
#   SH_RESOURCES resources YAML (default: resources.yaml of the shared harness)
#   SH_IDLE_CMD  a command run once idle, with P1 and P2 (the services' pids) in its environment (e.g. jcmd)
#   SH_SAT_START_CMD, SH_SAT_END_CMD  commands run just before and after the saturated step, with P1, P2 and OUT
#                in their environment (e.g. jcmd JFR.start / JFR.stop: a profiled run's figures are not measurements)
#   SH_IDLE_ONLY 1: stop after the idle RSS line
# The shared harness: the same load, sink and counting that the reference figures in the
# performance issue were measured with. One run of Sluice as separate event-source and trigger
# processes on an external single-node Kafka broker, 1 KB binary-mode CloudEvents, one Trigger.
#   usage: run.sh OUT_DIR   (from the project's root, after `mvn -q install -DskipTests`)
# Steps: idle RSS; 20 s saturated warm-up (wrk -t1 -c64); 30 s saturation; 30 s at about 1,000 events/s
# (wrk -t1 -c4 with a paced Lua script); RSS after. Each step: wrk's ingest figures, events counted at
# the sink until it stops growing, CPU (utime+stime) of event-source+trigger, of the broker and the sink.
# Needs: wrk (apt-get install -y wrk), a JDK 21+ for the sink (JAVA21, or found on the machine).
# Env: KAFKA_CP (classpath with kafka_2.13 + kafka-tools; default: built from bench/kafka-pom.xml),
#      PARTITIONS (1), WARM (20), SAT (30), LOW (30), CONC (64), RATE (1000).
set -u
HERE=$(cd "${SH_BENCH:-$(dirname "$0")/../../shared/bench}" && pwd); REPO=$(cd "$(dirname "$0")/.." && pwd); OUT=$(mkdir -p "$1" && cd "$1" && pwd); ROOT=$(pwd)
P=${PARTITIONS:-1}; WARM=${WARM:-20}; SAT=${SAT:-30}; LOW=${LOW:-30}; CONC=${CONC:-64}; RATE=${RATE:-1000}
J21=${JAVA21:-$(for j in java $(update-alternatives --list java 2>/dev/null) /usr/lib/jvm/*/bin/java; do v=$("$j" -version 2>&1 | awk -F'"' '/version/{split($2,a,".");print a[1]}'); [ "${v:-0}" -ge 21 ] 2>/dev/null && { echo "$j"; break; }; done)}
[ -n "$J21" ] || { echo "no JDK 21+ found for the sink: set JAVA21 to its java binary"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
ES=$ROOT/event-source/target/quarkus-app/quarkus-run.jar; TR=$ROOT/trigger/target/quarkus-app/quarkus-run.jar
SA=$ROOT/standalone/target/quarkus-app/quarkus-run.jar
SVC_JAVA=${SH_JAVA:-java}; WT=${SH_WRK_THREADS:-1}
[ -f "$ES" ] && [ -f "$TR" ] || { echo "build first: mvn -q install -DskipTests (no $ES or $TR)"; exit 1; }
if [ -z "${KAFKA_CP:-}" ]; then
  KAFKA_CP=$OUT/kafka.cp
  (cd "$HERE" && mvn -q -B -f kafka-pom.xml dependency:build-classpath -Dmdep.outputFile="$KAFKA_CP" -Dmdep.includeScope=runtime) || exit 1
  KAFKA_CP=$(cat "$KAFKA_CP")
fi
PIDS=()
log() { echo "$(date +%T) $*" | tee -a "$OUT/run.log"; }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; sleep 3; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }
KPORT=39092
if [ "${SH_BROKER:-shared}" = embedded ]; then
  mkdir -p "$OUT/broker-res"
  java -Xmx512m -Dsluice.embedded-kafka.enabled=true -Dsluice.embedded-kafka.port=$KPORT -Dquarkus.http.port=18089 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN -Dsluice.resources.dir="$OUT/broker-res" \
    -Dsluice.data.dir="$OUT/broker-data" -jar "$SA" >"$OUT/kafka.log" 2>&1 & KPID=$!; PIDS+=($KPID)
else
sed "s#LOGDIR#$OUT/kafka-logs#" "$HERE/server.properties" >"$OUT/server.properties"
java -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$(java -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" -c "$OUT/server.properties" >"$OUT/kafka-format.log" 2>&1
java -Xmx256m -cp "$KAFKA_CP" kafka.Kafka "$OUT/server.properties" >"$OUT/kafka.log" 2>&1 & KPID=$!; PIDS+=($KPID)
fi
for i in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$KPORT) 2>/dev/null && break; sleep 0.5; done; sleep 1
java -cp "$KAFKA_CP" org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$KPORT --create --topic default-br1-orders --partitions $P --replication-factor 1 >"$OUT/topics.log" 2>&1
if [ "${SH_SINK:-fast}" = counting ]; then
  "$J21" -cp "$REPO/benchmarks/target/classes:$(cat "$REPO/benchmarks/target/classpath.txt")" dev.sluice.benchmarks.CountingSink 18090 >"$OUT/sink.log" 2>&1 & SPID=$!; PIDS+=($SPID)
else
(cd "$HERE" && exec "$J21" FastSink.java 18090 >"$OUT/sink.log" 2>&1) & SPID=$!; PIDS+=($SPID)
fi
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18090/count >/dev/null && break; sleep 0.5; done
mkdir -p "$OUT/res"; cp "${SH_RESOURCES:-$HERE/resources.yaml}" "$OUT/res/"
# The one change to the shared harness's logic: since the services have a management interface (port 9000 by
# default), each gets a port of its own (HTTP port + 10), or the second to start fails with "Address already in use".
start() { "$SVC_JAVA" -Xmx512m ${SH_OPTS:-} $4 -Dsluice.embedded-kafka.enabled=false -Dquarkus.http.port=$2 -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.management.port=$(( $2 + 10 )) -Dquarkus.management.host=127.0.0.1 \
  -Dquarkus.log.level=WARN -Dsluice.resources.dir="$OUT/res" -Dsluice.data.dir="$OUT/data-$1" -jar "$3" >"$OUT/$1.log" 2>&1 & }
if [ "${SH_MODE:-separate}" = local ]; then
  start sluice 18081 "$SA" "${SH_ES_OPTS:-} -Dsluice.embedded-kafka.enabled=false"; P1=$!; PIDS+=($P1); P2=$P1; OWN=$P1
else
start event-source 18081 "$ES" "${SH_ES_OPTS:-}"; P1=$!; PIDS+=($P1)
start trigger 18082 "$TR" "${SH_TR_OPTS:-}"; P2=$!; PIDS+=($P2); OWN=$P1,$P2
fi
c0=$(curl -s http://127.0.0.1:18090/count)
for i in $(seq 1 180); do
  curl -s -o /dev/null -X POST http://127.0.0.1:18081/default/br1/orders -H 'content-type: application/json' -H 'ce-specversion: 1.0' \
    -H 'ce-type: dev.load' -H 'ce-source: /probe' -H "ce-id: probe-$i" -d '{"payload":"probe"}'
  sleep 1; [ "$(curl -s http://127.0.0.1:18090/count)" -gt "$c0" ] && break
done
[ "$(curl -s http://127.0.0.1:18090/count)" -gt "$c0" ] || { log "no event reached the sink; see $OUT/*.log"; exit 1; }
sleep 3; log "idle RSS MiB: event-source=$(rss $P1) trigger=$(rss $P2) broker=$(rss $KPID)"
[ -n "${SH_IDLE_CMD:-}" ] && P1=$P1 P2=$P2 bash -c "$SH_IDLE_CMD" >"$OUT/idle-cmd.txt" 2>&1
[ "${SH_IDLE_ONLY:-0}" = 1 ] && exit 0
if [ "${SH_LOAD:-shared}" = sluice ]; then LUA=$REPO/benchmarks/src/main/lua/load.lua; URL=http://127.0.0.1:18081/default/br1/orders
else LUA=$HERE/load.lua; RLUA=$HERE/rate.lua; URL=http://127.0.0.1:18081; fi
M="python3 $HERE/measure.py"
$M "$OUT/warmup" $OWN $KPID $SPID -- wrk -t$WT -c$CONC -d${WARM}s --latency -s "$LUA" $URL >/dev/null; sleep 5
[ -n "${SH_SAT_START_CMD:-}" ] && P1=$P1 P2=$P2 OUT=$OUT bash -c "$SH_SAT_START_CMD" >>"$OUT/sat-cmd.txt" 2>&1
$M "$OUT/sat" $OWN $KPID $SPID -- wrk -t$WT -c$CONC -d${SAT}s --latency -s "$LUA" $URL >/dev/null; sleep 5
[ -n "${SH_SAT_END_CMD:-}" ] && P1=$P1 P2=$P2 OUT=$OUT bash -c "$SH_SAT_END_CMD" >>"$OUT/sat-cmd.txt" 2>&1
RATE=$RATE $M "$OUT/rate" $OWN $KPID $SPID -- wrk -t1 -c4 -d${LOW}s --latency -s "${RLUA:-$HERE/rate.lua}" http://127.0.0.1:18081 >/dev/null
log "after RSS MiB: event-source=$(rss $P1) trigger=$(rss $P2) broker=$(rss $KPID)"
python3 - "$OUT" <<'PY' | tee -a "$OUT/run.log"
import json, sys
for step in ("sat", "rate"):
    r = json.load(open(f"{sys.argv[1]}/{step}.json"))
    print(f"{step}: ingest {r['accepted_per_s']:.0f}/s, non-2xx {r['non2xx']}, ingest p50 {r.get('p50_ms')} ms p99 {r.get('p99_ms')} ms, "
          f"delivered {r['delivered']}/{r['accepted']} at {r['delivered_per_s']}/s, own CPU {r['own_cpu_ms_per_event']} ms/event, "
          f"broker {r['broker_cpu_ms_per_event']} ms/event")
PY
