#!/usr/bin/env bash
# Runs the EKU Bridge benchmarks in bounded time (about 13-14 minutes on 2 cores, build included) and writes
#   benchmarks/target/results.json   all JMH results (JSON)
#   benchmarks/target/results.md     tables with ratios EKU Bridge / JDK, the targets, machine and date
#
# Usage: benchmarks/run.sh [extra JMH options for every run, e.g. -p keyKind=EC_P256]
#
# One fork per configuration, short warm-up and measurement: enough to compare managers on one
# machine, not a substitute for long runs on a quiet one. For those, run the jar yourself:
#   java -jar benchmarks/target/benchmarks.jar HandshakeBenchmark -p managers=JDK,EKU_BRIDGE_LENIENT
# The key selection run measures engine callbacks with a real engine only (-p engine=REAL): with a
# null engine they take the same path as the socket callbacks with a null socket, which are measured.
# The agent runs use agent/target/ekubridge-agent.jar, built here with the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA="${JAVA:-java}"
OUT=benchmarks/target
JAR="$OUT/benchmarks.jar"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
load_start="$(cat /proc/loadavg 2>/dev/null || echo unknown)"
start_seconds=$SECONDS

# no sources or Javadoc jars: only the benchmark and agent jars are needed here
mvn -B -q -pl provider,agent,benchmarks -am package -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true

# absolute, because the forked JVMs and the processes AgentStartupBenchmark starts resolve it
AGENT_JAR="$PWD/agent/target/ekubridge-agent.jar"
if [[ ! -f "$AGENT_JAR" ]]; then
    echo "no agent jar at $AGENT_JAR after the build" >&2
    exit 1
fi
if [[ "$AGENT_JAR" =~ [[:space:]] ]]; then
    echo "the project path must not contain white space (JMH splits -jvmArgsAppend at spaces): $AGENT_JAR" >&2
    exit 1
fi

JVM_ARGS="-Xms1g -Xmx1g"
# the 10,000-certificate batch is issued once and shared by the forks (see LeafBatch). Only for the
# key selection run: the agent reads every -Dekubridge.* property as configuration and stops the JVM on
# an unknown key, so no JVM with the agent may get this one.
PKI_CACHE="-Dbenchmarks.pki.cacheDir=$OUT/pki-cache"

# run NAME [JMH options...]; EXTRA_JVM_ARGS, when set, is appended to the forks' JVM arguments
run() {
    local name="$1"
    shift
    echo "== $name: $*${EXTRA_JVM_ARGS:+ (forks also get: $EXTRA_JVM_ARGS)}" >&2
    "$JAVA" -jar "$JAR" "$@" -jvmArgsAppend "$JVM_ARGS${EXTRA_JVM_ARGS:+ $EXTRA_JVM_ARGS}" \
        -rf json -rff "$OUT/results-$name.json" | tee "$OUT/results-$name.log"
}

# 28 configurations x ~16 s: EC P-256 handshakes reach full speed only after ~10 s of C2 compilation
run handshake 'HandshakeBenchmark' -f 1 -wi 10 -w 1s -i 8 -r 500ms -prof gc "$@"
# the JDK baseline (SunX509 key manager, PKIX trust manager, SunJSSE) again with the agent attached, which
# wraps EKU Bridge's lenient policy around the JDK trust manager in SSLContext.init; same settings as above;
# 4 configurations x ~16 s
EXTRA_JVM_ARGS="-javaagent:$AGENT_JAR=inbound.eku=lenient" \
    run handshake-agent 'HandshakeBenchmark' -f 1 -wi 10 -w 1s -i 8 -r 500ms -prof gc -p managers=JDK_SUNX509 -p jsse=SunJSSE "$@"
# a Hello program started without and with the agent: 2 x 45 launches, ~20 s
EXTRA_JVM_ARGS="-Dekubridge.agent.jar=$AGENT_JAR" run agent-startup 'AgentStartupBenchmark' "$@"
# 72 configurations x ~3 s, plus the 10,000-identity set-ups (~12 s each for EKU Bridge, which checks every key)
EXTRA_JVM_ARGS="$PKI_CACHE" run key-selection 'KeySelectionBenchmark' -f 1 -wi 2 -w 300ms -i 4 -r 250ms -prof gc -p engine=REAL "$@"
# 6 configurations x ~3 s
run eku-decision 'EkuDecisionBenchmark' -f 1 -wi 2 -w 300ms -i 4 -r 250ms -prof gc "$@"

elapsed=$((SECONDS - start_seconds))
# the report, by ResultsTable (in the benchmarks jar) from JMH's JSON result files
"$JAVA" -cp "$JAR" dev.ekubridge.benchmarks.ResultsTable --json "$OUT/results.json" --markdown "$OUT/results.md" \
    --started "$started" --load-start "$load_start" --load-end "$(cat /proc/loadavg 2>/dev/null || echo unknown)" --elapsed "$((elapsed / 60)) min $((elapsed % 60)) s" \
    "$OUT/results-handshake.json" "$OUT/results-handshake-agent.json" "$OUT/results-agent-startup.json" \
    "$OUT/results-key-selection.json" "$OUT/results-eku-decision.json"
echo "results: $OUT/results.md" >&2
