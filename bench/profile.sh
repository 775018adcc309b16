#!/usr/bin/env bash
# Profiles a Fovea node under one scenario of the load driver: starts a node on loopback, records
# it with Java Flight Recorder (bench/cpu.jfc: an execution sample every millisecond) while
# `fovea bench SCENARIO ARGS...` runs against it, stops it, and writes the driver's figures and a summary of where the node spent
# its CPU (`fovea bench profile`) to bench/results/profiles/NAME.txt, NAME being the scenario's
# --label if given. The recording itself stays in bench/target/profiles/NAME.jfr.
#
#   bench/profile.sh rpc --in-flight 64 --label rpc-64
#
# Environment: BENCH_JVM_OPTS (the node's and driver's JVM options, as in compare.sh),
# BENCH_GATEWAY_PORT (29443), BENCH_HTTP_PORT (28080), BENCH_CLUSTER_PORT (25530).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"

scenario="${1:?usage: bench/profile.sh SCENARIO [driver options]}"
shift
name="$scenario"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == --label ]]; then
    name="${args[i + 1]}"
  elif [[ "${args[i]}" == --label=* ]]; then
    name="${args[i]#--label=}"
  fi
done

jvm_opts="${BENCH_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError}"
gateway_port="${BENCH_GATEWAY_PORT:-29443}"
http_port="${BENCH_HTTP_PORT:-28080}"
cluster_port="${BENCH_CLUSTER_PORT:-25530}"
mkdir -p bench/results/profiles bench/target/profiles
recording="$home/bench/target/profiles/$name.jfr"
summary="bench/results/profiles/$name.txt"

if [[ ! -f node/target/fovea.jar || ! -f bench/target/benchmarks.jar ]]; then
  mvn -q -B -ntp -DskipTests -Dspotless.check.skip=true -pl bench -am package
fi

node_pid=""
trap '[[ -n "$node_pid" ]] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null || true' EXIT
# shellcheck disable=SC2086
java $jvm_opts -jar node/target/fovea.jar node --port "$gateway_port" --management-port "$http_port" \
  --cluster-port "$cluster_port" >bench/target/profiles/"$name".node.log 2>&1 &
node_pid=$!
deadline=$((SECONDS + 120))
until curl -fs "http://127.0.0.1:$http_port/ready" >/dev/null 2>&1; do
  if ((SECONDS > deadline)) || ! kill -0 "$node_pid" 2>/dev/null; then
    echo "profile: the node did not become ready; see bench/target/profiles/$name.node.log" >&2
    exit 1
  fi
  sleep 0.5
done

# Recorded from readiness on, so that start-up does not count.
jcmd "$node_pid" JFR.start name=fovea settings="$home/bench/cpu.jfc" >/dev/null
{
  echo "# $name: a Fovea node under \`fovea bench $scenario ${args[*]}\`"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores; JVM options: $jvm_opts."
  echo
  echo '```'
  # shellcheck disable=SC2086
  FOVEA_JAVA_OPTS="$jvm_opts" ./fovea bench "$scenario" --server "127.0.0.1:$gateway_port" \
    --metrics "http://127.0.0.1:$http_port/metrics" "${args[@]}" || true
  echo '```'
  jcmd "$node_pid" JFR.stop name=fovea filename="$recording" >/dev/null
  echo
  echo '```'
  java -cp bench/target/benchmarks.jar dev.fovea.bench.load.LoadDriver profile "$recording"
  echo '```'
} >"$summary"
echo "profile: $summary" >&2
