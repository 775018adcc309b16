#!/usr/bin/env bash
# Fovea side by side with NATS, Mosquitto and Pekko Distributed Pub/Sub, measured in one run on
# this machine. Installs the peers if missing, builds, starts every server on loopback in turn,
# runs each scenario against each system that has the feature, stops everything it started, and
# writes bench/results/<date>/: results.md, chart.png, runs.jsonl (one JSON line per run) and
# machine.txt; server logs go to logs/ beside them, which git ignores.
#
# Environment: BENCH_WARMUP and BENCH_DURATION (seconds, default 5 and 10), BENCH_CLUSTER_WARMUP
# (the cluster scenario's warm-up, default 20), BENCH_JVM_OPTS (the options of every JVM
# started), BENCH_GATEWAY_PORT (3 consecutive, default 29443),
# BENCH_HTTP_PORT (6 consecutive, default 28080), BENCH_CLUSTER_PORTS (a range of at least 3,
# default 45520-45529), NATS_PORT (4222), MQTT_PORT (1883), BENCH_PHASES (some of: fovea_cluster
# pekko_cluster fovea_node nats mosquitto; all by default).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"

warmup="${BENCH_WARMUP:-5}"
# The cluster scenarios run four JVMs (three nodes and the driver) on the machine's cores, and
# their JIT compilers are still busy long after 5 s: 6 to 14 s into a cluster run, compiler threads
# took a third of the publishing node's CPU. Fovea's and Pekko's clusters get the same longer
# warm-up.
cluster_warmup="${BENCH_CLUSTER_WARMUP:-20}"
duration="${BENCH_DURATION:-10}"
# The same options for every JVM: the Fovea nodes, the Pekko nodes and the load driver. A fixed
# heap keeps the heap figures of the connections scenario free of resizing.
jvm_opts="${BENCH_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError}"
gateway_port="${BENCH_GATEWAY_PORT:-29443}"
http_port="${BENCH_HTTP_PORT:-28080}"
# Cluster ports lie in the ephemeral range, where any client socket on the machine may hold one
# for a while (TIME_WAIT included): each phase takes the ones that are free when it starts.
cluster_ports="${BENCH_CLUSTER_PORTS:-45520-45529}"
nats_port="${NATS_PORT:-4222}"
mqtt_port="${MQTT_PORT:-1883}"
# The connections scenario holds 10,000 sessions, exactly the node's default max_clients; the
# margin lets sessions of the previous scenario finish closing.
node_settings=(-D fovea.clients.max=11000)
clients=10000

out="bench/results/$(date -u +%Y-%m-%d)"
if [[ -e "$out" ]]; then
  out="bench/results/$(date -u +%Y-%m-%d-%H%M%S)"
fi
logs="$out/logs"
runs="$out/runs.jsonl"
mkdir -p "$logs"
jar_node="node/target/fovea.jar"
jar_bench="bench/target/benchmarks.jar"

log() { echo "compare: $*" >&2; }

# --- Everything started is stopped on exit, whatever happens -------------------------------------

started=()
driver_pid=""
stop_all() {
  local pid
  if [[ -n "$driver_pid" ]]; then
    kill "$driver_pid" 2>/dev/null || true
  fi
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  started=()
}
trap stop_all EXIT

# start NAME COMMAND...: runs COMMAND in the background, its output in logs/NAME.log.
start() {
  local name="$1"
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  started+=("$!")
  last_pid=$!
}

await_port() {
  local port="$1" deadline=$((SECONDS + ${2:-180}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ((SECONDS > deadline)); then
      log "nothing listens on port $port"
      return 1
    fi
    sleep 0.5
  done
}

await_ready() {
  local port="$1" deadline=$((SECONDS + 180))
  until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "the node with management port $port never became ready"
      return 1
    fi
    sleep 0.5
  done
}

# driver ARGS...: one scenario run; a failed run is recorded in runs.jsonl and the script goes on.
# It runs in the background so that a signal to the script stops it at once.
driver() {
  log "bench $*"
  # shellcheck disable=SC2086
  java $jvm_opts -cp "$jar_bench" dev.fovea.bench.load.LoadDriver "$@" \
    --warmup "${run_warmup:-$warmup}" --duration "$duration" --out "$runs" >>"$logs/driver.log" 2>&1 &
  driver_pid=$!
  wait "$driver_pid" || log "run failed: $* (see $logs/driver.log)"
  driver_pid=""
}

# free_ports COUNT: that many ports of the cluster range that no socket uses right now.
free_ports() {
  local count="$1" port picked=() used
  used=" $(ss -tanH 2>/dev/null | awk '{print $4}' | sed 's/.*://' | tr '\n' ' ') "
  for ((port = ${cluster_ports%-*}; port <= ${cluster_ports#*-}; port++)); do
    if ((${#picked[@]} < count)) && [[ "$used" != *" $port "* ]]; then
      picked+=("$port")
    fi
  done
  if ((${#picked[@]} < count)); then
    log "fewer than $count free ports in $cluster_ports"
    return 1
  fi
  echo "${picked[*]}"
}

stop_started() {
  stop_all
  sleep 2 # sockets of the stopped servers settle before the next system starts
}

# --- Peers, build, limits, machine ----------------------------------------------------------------

if ! command -v nats-server >/dev/null || ! command -v mosquitto >/dev/null; then
  log "installing nats-server and mosquitto from Debian"
  apt-get update -q >"$logs/apt.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server mosquitto >>"$logs/apt.log" 2>&1
fi

log "building $jar_node and $jar_bench"
mvn -q -B -ntp -pl bench -am package -DskipTests -Dspotless.check.skip=true >"$logs/build.log" 2>&1

# Ten thousand sessions need as many descriptors in the driver and in each server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "kernel: $(uname -sr)"
  echo "nproc: $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | tr '\n' ' ')"
  echo "nats-server: $(nats-server --version 2>&1)"
  echo "mosquitto: $(mosquitto -h 2>&1 | head -1)"
  echo "pekko: $(sed -n 's:.*<pekko.version>\(.*\)</pekko.version>.*:\1:p' pom.xml) (Distributed Pub/Sub, Artery TCP, defaults)"
  echo "clients: Fovea's Java client, jnats $(sed -n 's:.*<jnats.version>\(.*\)</jnats.version>.*:\1:p' pom.xml), Eclipse Paho MQTT v3 $(sed -n 's:.*<paho.version>\(.*\)</paho.version>.*:\1:p' pom.xml) at QoS 0"
  echo "JVM options of every JVM started (nodes and driver): $jvm_opts"
  echo "Fovea node settings: ${node_settings[*]}; every other setting at its default"
  echo "NATS and Mosquitto: their defaults, on 127.0.0.1 only"
  echo "warm-up: ${warmup} s (${cluster_warmup} s for the cluster scenario), measured: ${duration} s per run"
  echo "open files limit: $(ulimit -n)"
} >"$out/machine.txt"
cat "$out/machine.txt" >&2

# --- The scenarios, each with the label the report finds it by -----------------------------------

# single_node_scenarios SYSTEM PID ARGS...: every scenario that needs one server. Connections come
# first, on a fresh process: a server's resident memory only grows back after other scenarios
# have freed memory, which would hide what sessions cost.
single_node_scenarios() {
  local system="$1" pid="$2"
  shift 2
  driver connections --system "$system" "$@" --label connections-10k --clients "$clients" \
    --pid "$pid"
  driver pubsub --system "$system" "$@" --label pubsub-1x1
  driver pubsub --system "$system" "$@" --label pubsub-1x1-rate --rate 10000
  driver pubsub --system "$system" "$@" --label pubsub-4x4-wildcard \
    --publishers 4 --subscribers 4 --patterns wildcard
  driver fanout --system "$system" "$@" --label fanout-100 --subscribers 100
  if [[ "$system" != mosquitto ]]; then
    driver rpc --system "$system" "$@" --label rpc-64 --in-flight 64 --providers 2
    driver rpc --system "$system" "$@" --label rpc-1 --in-flight 1
  fi
  driver patterns --system "$system" "$@" --label patterns-100k --subscriptions 100000
}

# Each phase starts its servers, runs its scenarios and stops them; a phase whose servers do not
# start is logged and skipped, and the report shows its runs as missing. The cluster phases come
# first: their ports lie in the ephemeral range, where the 10,000 client sockets of a connections
# run would linger in TIME_WAIT.

phase_fovea_cluster() {
  local i servers=() metrics=() seed ports list
  list="$(free_ports 3)" || return 1
  read -ra ports <<<"$list"
  for i in 0 1 2; do
    seed=()
    if ((i > 0)); then
      seed=(--seed "127.0.0.1:${ports[0]}")
    fi
    # shellcheck disable=SC2086
    start "fovea-$i" java $jvm_opts -jar "$jar_node" node --port $((gateway_port + i)) \
      --management-port $((http_port + i)) --cluster-port "${ports[i]}" "${seed[@]}" \
      "${node_settings[@]}"
    servers+=("127.0.0.1:$((gateway_port + i))")
    metrics+=("http://127.0.0.1:$((http_port + i))/metrics")
  done
  for i in 0 1 2; do
    await_ready $((http_port + i)) || return 1
  done
  run_warmup="$cluster_warmup" driver cluster --system fovea --server "$(IFS=,; echo "${servers[*]}")" \
    --metrics "$(IFS=,; echo "${metrics[*]}")" --label cluster-3
}

phase_pekko_cluster() {
  local i controls=() ports list
  list="$(free_ports 3)" || return 1
  read -ra ports <<<"$list"
  for i in 0 1 2; do
    # shellcheck disable=SC2086
    start "pekko-$i" java $jvm_opts -cp "$jar_bench" dev.fovea.bench.load.LoadDriver pekko-node \
      --cluster-port "${ports[i]}" --control-port $((http_port + 3 + i)) \
      --seed "127.0.0.1:${ports[0]}"
    controls+=("127.0.0.1:$((http_port + 3 + i))")
  done
  for i in 0 1 2; do
    await_port $((http_port + 3 + i)) || return 1
  done
  run_warmup="$cluster_warmup" driver cluster --system pekko \
    --server "$(IFS=,; echo "${controls[*]}")" --label cluster-3
}

phase_fovea_node() {
  local port
  port="$(free_ports 1)" || return 1
  # shellcheck disable=SC2086
  start fovea java $jvm_opts -jar "$jar_node" node --port "$gateway_port" \
    --management-port "$http_port" --cluster-port "$port" "${node_settings[@]}"
  local pid=$last_pid
  await_ready "$http_port" || return 1
  single_node_scenarios fovea "$pid" --server "127.0.0.1:$gateway_port" \
    --metrics "http://127.0.0.1:$http_port/metrics"
}

phase_nats() {
  start nats nats-server -a 127.0.0.1 -p "$nats_port"
  local pid=$last_pid
  await_port "$nats_port" || return 1
  single_node_scenarios nats "$pid" --server "127.0.0.1:$nats_port"
}

phase_mosquitto() {
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$mqtt_port" >"$logs/mosquitto.conf"
  start mosquitto mosquitto -c "$logs/mosquitto.conf"
  local pid=$last_pid
  await_port "$mqtt_port" || return 1
  single_node_scenarios mosquitto "$pid" --server "127.0.0.1:$mqtt_port"
}

for phase in ${BENCH_PHASES:-fovea_cluster pekko_cluster fovea_node nats mosquitto}; do
  log "phase $phase"
  # A second try, on other ports, when a server could not start: most often a port was taken
  # between the look and the bind.
  if ! "phase_$phase"; then
    stop_started
    log "phase $phase: its servers did not start (see $logs); trying once more"
    "phase_$phase" || log "phase $phase skipped: its servers did not start"
  fi
  stop_started
done

# --- Report ---------------------------------------------------------------------------------------

# shellcheck disable=SC2086
java $jvm_opts -Djava.awt.headless=true -cp "$jar_bench" dev.fovea.bench.load.LoadDriver report \
  --dir "$out"
log "done in $((SECONDS / 60)) min $((SECONDS % 60)) s: $out/results.md"
