#!/usr/bin/env bash
# Fuzzes the parsers that turn outside bytes into CloudEvents (docs/security.md, Fuzzing): Jazzer's @FuzzTest in
# event-source's ParserFuzzTest, one target after the other, each for its maxDuration (5 minutes), from the seed
# corpus in event-source/src/test/resources/dev/sluice/source/fuzz/ParserFuzzTestInputs/. `mvn verify` runs only
# the seeds (regression mode); this script sets JAZZER_FUZZ=1.
#
#   benchmarks/fuzz.sh                       # all three targets
#   benchmarks/fuzz.sh httpRequestReader     # one: httpRequestReader, kafkaRecordMapper or mqttMessageMapper
#
# A finding fails the run; Jazzer writes the input that crashed into the Inputs folder of its target, where it stays
# as a regression seed once the bug is fixed. New inputs that reach new code go to .cifuzz-corpus/ (not committed).
# Extra Maven flags come from MAVEN_ARGS (e.g. MAVEN_ARGS="-o -Dmaven.repo.local=/path").
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(httpRequestReader kafkaRecordMapper mqttMessageMapper)
for target in "${targets[@]}"; do
  echo "fuzzing ParserFuzzTest#$target (JAZZER_FUZZ=1)"
  # shellcheck disable=SC2086
  JAZZER_FUZZ=1 mvn -B ${MAVEN_ARGS:-} -pl event-source -am test -Dtest="ParserFuzzTest#$target" \
    -Dsurefire.failIfNoSpecifiedTests=false
done
