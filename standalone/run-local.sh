#!/usr/bin/env bash
# Runs Sluice's local mode: the embedded Kafka broker, the event-source and the trigger in one JVM, on a
# folder of resource YAML (default: kubernetes/examples/local). Builds the app first when it is missing or
# older than the sources. Extra JVM options go in JAVA_OPTS, e.g. JAVA_OPTS=-Dquarkus.http.port=9080; the memory
# options of the images (docs/benchmarks.md, "Idle RSS") go in SLUICE_JVM_OPTS, which replaces them.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=standalone/target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -type f -print -quit)" ]; then
  echo "Building Sluice (mvn -pl standalone -am package)..."
  mvn -B -q -pl standalone -am package -DskipTests
fi
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck disable=SC2086
exec java ${SLUICE_JVM_OPTS:--XX:+UseSerialGC -Xms16m} ${JAVA_OPTS:-} -Dsluice.resources.dir="${1:-kubernetes/examples/local}" -jar "$jar"
