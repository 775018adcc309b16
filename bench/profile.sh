#!/usr/bin/env bash
# Profiles a Fovea node under one scenario of the load driver: starts a node on loopback, records
# it with Java Flight Recorder (bench/cpu.jfc: an execution sample every millisecond) while
# `fovea bench SCENARIO ARGS...` runs against it, stops it, and writes the driver's figures and a summary of where the node spent
# its CPU (`fovea bench profile`) to bench/results/profiles/NAME.txt, NAME being the scenario's
# --label if given. The recording itself stays in bench/target/profiles/NAME.jfr.
#
#   bench/profile.sh rpc --in-flight 64 --label rpc-64
#
# With PROFILE_NODES=3 it starts a cluster of three, the others seeded to the first, records each,
# and gives the driver every node (the cluster scenario):
#
#   PROFILE_NODES=3 bench/profile.sh cluster --label cluster-3
#
# Environment: BENCH_JVM_OPTS (the node's and driver's JVM options, as in compare.sh),
# BENCH_GATEWAY_PORT (29443), BENCH_HTTP_PORT (28080), BENCH_CLUSTER_PORT (25530), each the first
# of PROFILE_NODES consecutive ports.
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
nodes="${PROFILE_NODES:-1}"
mkdir -p bench/results/profiles bench/target/profiles
summary="bench/results/profiles/$name.txt"

if [[ ! -f node/target/fovea.jar || ! -f bench/target/benchmarks.jar ]]; then
  mvn -q -B -ntp -DskipTests -Dspotless.check.skip=true -pl bench -am package
fi

# Every node started is stopped on exit.
node_pids=()
trap 'for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null || true' EXIT
servers=()
metrics=()
for ((i = 0; i < nodes; i++)); do
  seed=()
  if ((i > 0)); then
    seed=(--seed "127.0.0.1:$cluster_port")
  fi
  # shellcheck disable=SC2086
  java $jvm_opts -jar node/target/fovea.jar node --port $((gateway_port + i)) \
    --management-port $((http_port + i)) --cluster-port $((cluster_port + i)) "${seed[@]}" \
    >"bench/target/profiles/$name.node$i.log" 2>&1 &
  node_pids+=($!)
  servers+=("127.0.0.1:$((gateway_port + i))")
  metrics+=("http://127.0.0.1:$((http_port + i))/metrics")
done
deadline=$((SECONDS + 120))
for ((i = 0; i < nodes; i++)); do
  until curl -fs "http://127.0.0.1:$((http_port + i))/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "${node_pids[i]}" 2>/dev/null; then
      echo "profile: node $i did not become ready; see bench/target/profiles/$name.node$i.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

# Recorded from readiness on, so that start-up does not count.
for pid in "${node_pids[@]}"; do
  jcmd "$pid" JFR.start name=fovea settings="$home/bench/cpu.jfc" >/dev/null
done
{
  what="a Fovea node"
  if ((nodes > 1)); then
    what="$nodes Fovea nodes"
  fi
  echo "# $name: $what under \`fovea bench $scenario ${args[*]}\`"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores; JVM options: $jvm_opts."
  echo
  echo '```'
  # shellcheck disable=SC2086
  FOVEA_JAVA_OPTS="$jvm_opts" ./fovea bench "$scenario" --server "$(IFS=,; echo "${servers[*]}")" \
    --metrics "$(IFS=,; echo "${metrics[*]}")" "${args[@]}" || true
  echo '```'
  for ((i = 0; i < nodes; i++)); do
    recording="$home/bench/target/profiles/$name.jfr"
    if ((nodes > 1)); then
      recording="$home/bench/target/profiles/$name.node$i.jfr"
      echo
      echo "## node $i (gateway 127.0.0.1:$((gateway_port + i)))"
    fi
    jcmd "${node_pids[i]}" JFR.stop name=fovea filename="$recording" >/dev/null
    echo
    echo '```'
    java -cp bench/target/benchmarks.jar dev.fovea.bench.load.LoadDriver profile "$recording"
    echo '```'
  done
} >"$summary"
echo "profile: $summary" >&2
