#!/usr/bin/env bash
# Start-up time the EKU Bridge agent adds to a trivial application.
#
# Runs a Hello-world class RUNS times (default 21) without and with
# -javaagent:agent/target/ekubridge-agent.jar=inbound.eku=lenient, alternating, after one unmeasured
# warm-up run of each, and prints both medians and their difference in milliseconds. Timing uses
# bash and `date +%s%N` only. Build the jar first: mvn -B -q package -DskipTests
#
# Environment: JAVA (default: java on PATH), RUNS (default 21), AGENT_ARGS (default inbound.eku=lenient).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/ekubridge-agent.jar"
java="${JAVA:-java}"
runs="${RUNS:-21}"
agent_args="${AGENT_ARGS:-inbound.eku=lenient}"

if [[ ! -f "$jar" ]]; then
    echo "no agent jar at $jar; build it first: mvn -B -q package -DskipTests" >&2
    exit 1
fi
javac="$(dirname "$(command -v "$java")")/javac"
[[ -x "$javac" ]] || javac=javac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello");
    }
}
JAVA
"$javac" -d "$work" "$work/Hello.java"

# one run; prints its wall time in nanoseconds
run() {
    local start end
    start=$(date +%s%N)
    "$java" "$@" -cp "$work" Hello > /dev/null 2>&1
    end=$(date +%s%N)
    echo $((end - start))
}

# median of the arguments (integers), by insertion sort in bash
median() {
    local -a sorted=()
    local value i j
    for value in "$@"; do
        i=${#sorted[@]}
        while (( i > 0 && sorted[i-1] > value )); do
            sorted[i]=${sorted[i-1]}
            i=$((i - 1))
        done
        sorted[i]=$value
    done
    j=${#sorted[@]}
    if (( j % 2 == 1 )); then
        echo "${sorted[j/2]}"
    else
        echo $(( (sorted[j/2-1] + sorted[j/2]) / 2 ))
    fi
}

agent="-javaagent:$jar=$agent_args"
# check that the agent really installs, and warm the file cache
if ! "$java" "$agent" -cp "$work" Hello 2>&1 | grep -q "installed:"; then
    echo "the agent did not report 'installed:' with $agent" >&2
    exit 1
fi
run > /dev/null

without=()
with=()
for ((n = 0; n < runs; n++)); do
    without+=("$(run)")
    with+=("$(run "$agent")")
done

m_without=$(median "${without[@]}")
m_with=$(median "${with[@]}")
ms() {
    local ns=$1 sign=""
    if (( ns < 0 )); then sign="-"; ns=$((-ns)); fi
    printf '%s%d.%d' "$sign" $((ns / 1000000)) $(((ns / 100000) % 10))
}
echo "java:                $("$java" -version 2>&1 | head -n 1)"
echo "runs:                $runs each, alternating"
echo "median without agent: $(ms "$m_without") ms"
echo "median with agent:    $(ms "$m_with") ms ($agent_args)"
echo "added by the agent:   $(ms $((m_with - m_without))) ms"
