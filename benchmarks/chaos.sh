#!/usr/bin/env bash
# The chaos soak (docs/reliability.md), from anywhere in the repository:
#
#   benchmarks/chaos.sh            the full soak: >= 10 minutes and >= 1,000,000 events, a 60 s sink outage
#   benchmarks/chaos.sh --short    the short version that CI runs as ChaosSoakIT (a few thousand events)
#
# Separate event-source and trigger processes on a Kafka broker process (Sluice's packaged standalone app with only
# its embedded broker), loaded with batches of CloudEvents over HTTP, and four faults in turn: SIGKILL the
# event-source; SIGKILL the trigger; SIGKILL the broker and start it again on the same log folder; the sink answering
# 503 for a while. Every event is counted by id, accepted (202) against delivered; the test fails if one is lost.
# It prints a table of recovery times and writes it to integration-tests/target/chaos/run-*/result.md.
# Extra arguments go to Maven, e.g. -Dchaos.events=2000000 -Dchaos.minutes=20 -Dchaos.concurrency=16.
# Never part of CI's default run.
set -euo pipefail
cd "$(dirname "$0")/.."

soak=(-Dchaos.events=1000000 -Dchaos.minutes=10 -Dchaos.sink-outage-seconds=60 -Dchaos.batch=50)
if [ "${1:-}" = "--short" ]; then
  soak=()
  shift
fi

mvn -B -pl integration-tests -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosSoakIT -Dfailsafe.failIfNoSpecifiedTests=false "${soak[@]}" "$@"
ls -t integration-tests/target/chaos/run-*/result.md | head -1 | xargs cat
