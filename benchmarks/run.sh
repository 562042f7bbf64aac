#!/usr/bin/env bash
# Runs the EKU Bridge benchmarks in bounded time (about 23 minutes on 2 cores, build included; --quick: about 8) and
# writes into benchmarks/target/
#   results.md                 the report: tables, intervals, the targets and a verdict for each, machine, JDK, load, date
#   results.json               all JMH results (JSON)
#   interleaved-managers.json  InterleavedHandshakes --mode managers: every round's ratio, per configuration
#   interleaved-agent.json     InterleavedHandshakes --mode agent (in a JVM started with the agent)
#   startup.json               InterleavedStartup: every launch's time, per round
#
# Usage: benchmarks/run.sh [--quick] [extra JMH options for the JMH runs]
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/run.sh   runs everything on another JDK (the build
#   still uses Maven's JDK; the benchmark jar targets Java 17)
#
# Why interleaved: on a shared 2-core machine throughput wanders by +-20% between processes and minutes, so
# fork-after-fork comparisons cannot show 1%. The handshake comparisons therefore run in ONE JVM per mode, the
# variants alternated in blocks of 15 handshakes, each ratio taken between two blocks run back to back, and
# summarised by the median over the rounds with a distribution-free 95% interval (see InterleavedHandshakes).
# The start-up launches are interleaved the same way (InterleavedStartup). JMH measures what is small and stable
# enough for it: EKU Bridge's own work per handshake (key selection, the EKU decision, with -prof gc).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
if [[ "${1:-}" == "--quick" ]]; then
    QUICK=true
    shift
fi
JAVA="${JAVA:-java}"
OUT=benchmarks/target
JAR="$OUT/benchmarks.jar"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
load_start="$(cat /proc/loadavg 2>/dev/null || echo unknown)"
start_seconds=$SECONDS

# no sources or Javadoc jars: only the benchmark and agent jars are needed here
mvn -B -q -pl provider,agent,benchmarks -am package -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true

# absolute, because the forked JVMs and the processes the start-up harness starts resolve it
AGENT_JAR="$PWD/agent/target/ekubridge-agent.jar"
if [[ ! -f "$AGENT_JAR" ]]; then
    echo "no agent jar at $AGENT_JAR after the build" >&2
    exit 1
fi
if [[ "$AGENT_JAR" =~ [[:space:]] ]]; then
    echo "the project path must not contain white space (JMH splits -jvmArgsAppend at spaces): $AGENT_JAR" >&2
    exit 1
fi
"$JAVA" -version 2>&1 | head -1 >&2

JVM_ARGS="-Xms1g -Xmx1g"
PKI_CACHE="-Dbenchmarks.pki.cacheDir=$OUT/pki-cache"
if $QUICK; then
    # 8 groups x 5 s per mode after 10 s of warm-up, 4 start-up rounds, JMH at 1 and 10,000 identities, shortest settings
    INTERLEAVED=(--seconds 5 --warmup 10)
    INTERLEAVED_AGENT=("${INTERLEAVED[@]}")
    STARTUP=(--rounds 4 --warmup 1)
    JMH_SHORT=(-f 1 -wi 1 -w 200ms -i 2 -r 200ms)
    JMH_DECISION=("${JMH_SHORT[@]}")
    SELECTION_PARAMS=(-p identities=1,10000 -p engine=REAL)
else
    # managers: 60 s of warm-up over all 8 groups, then 8 x 75 s interleaved: ~11 min; agent (one comparison per
    # group, so more rounds per second): 40 s + 8 x 30 s: ~5 min; 10 start-up rounds of 13 launches: 2-6 min (the
    # 1,000-identity launch takes seconds); JMH 3-4 min
    INTERLEAVED=(--seconds 75 --warmup 60)
    INTERLEAVED_AGENT=(--seconds 30 --warmup 40)
    STARTUP=(--rounds 10 --warmup 1)
    JMH_SHORT=(-f 1 -wi 2 -w 300ms -i 4 -r 250ms)
    JMH_DECISION=(-f 1 -wi 3 -w 1s -i 5 -r 500ms)
    SELECTION_PARAMS=(-p engine=REAL)
fi

# run NAME [JMH options...]; EXTRA_JVM_ARGS, when set, is appended to the forks' JVM arguments
run() {
    local name="$1"
    shift
    echo "== $name: $*${EXTRA_JVM_ARGS:+ (forks also get: $EXTRA_JVM_ARGS)}" >&2
    "$JAVA" -jar "$JAR" "$@" -jvm "$JAVA" -jvmArgsAppend "$JVM_ARGS${EXTRA_JVM_ARGS:+ $EXTRA_JVM_ARGS}" \
        -rf json -rff "$OUT/results-$name.json" | tee "$OUT/results-$name.log"
}

# 1. EKU Bridge in every mode against the engine's own managers: EC P-256 and RSA 2048, TLS 1.2 and 1.3, SunJSSE and
#    BCJSSE, in one JVM without the agent
echo "== interleaved handshakes, managers (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$JAVA" $JVM_ARGS -cp "$JAR" dev.ekubridge.benchmarks.InterleavedHandshakes --mode managers "${INTERLEAVED[@]}" \
    --json "$OUT/interleaved-managers.json" | tee "$OUT/interleaved-managers.log"
# 2. the agent: contexts built with its hooks on against off, in one JVM started with it
echo "== interleaved handshakes, agent (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$JAVA" $JVM_ARGS "-javaagent:$AGENT_JAR=inbound.eku=lenient" -cp "$JAR" dev.ekubridge.benchmarks.InterleavedHandshakes \
    --mode agent "${INTERLEAVED_AGENT[@]}" --json "$OUT/interleaved-agent.json" 2>&1 | grep -v '^OpenJDK 64-Bit Server VM warning: Sharing' \
    | tee "$OUT/interleaved-agent.log"
# 3. start-up: a Hello program without the agent, with it, with one identity of each format, with 1,000 identities
echo "== interleaved start-up (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$JAVA" "-Dekubridge.agent.jar=$AGENT_JAR" $PKI_CACHE -cp "$JAR" dev.ekubridge.benchmarks.InterleavedStartup "${STARTUP[@]}" \
    --json "$OUT/startup.json" | tee "$OUT/startup.log"
# 4. the direct account: EKU Bridge's own work per handshake (JMH, -prof gc). Key selection at 1, 100 and 10,000
#    identities (the key selection targets), the EKU decision over an accepting delegate and over both engines' PKIX
#    trust managers (the relaxed path with the engine's exception)
EXTRA_JVM_ARGS="$PKI_CACHE" run key-selection 'KeySelectionBenchmark.chooseEngine' "${JMH_SHORT[@]}" -prof gc "${SELECTION_PARAMS[@]}" "$@"
run eku-decision 'EkuDecisionBenchmark' "${JMH_DECISION[@]}" -prof gc "$@"

elapsed=$((SECONDS - start_seconds))
# the report, by ResultsTable (in the benchmarks jar)
"$JAVA" -cp "$JAR" dev.ekubridge.benchmarks.ResultsTable --json "$OUT/results.json" --markdown "$OUT/results.md" \
    --started "$started" --load-start "$load_start" --load-end "$(cat /proc/loadavg 2>/dev/null || echo unknown)" --elapsed "$((elapsed / 60)) min $((elapsed % 60)) s" \
    --managers "$OUT/interleaved-managers.json" --agent "$OUT/interleaved-agent.json" --startup "$OUT/startup.json" \
    "$OUT/results-key-selection.json" "$OUT/results-eku-decision.json"
echo "results: $OUT/results.md" >&2
