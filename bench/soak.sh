#!/usr/bin/env bash
# The soak: one node under clients that come and go for 10 minutes, then a check that it holds
# nothing and that its heap after a full GC is where it started. Not part of the build.
#   bench/soak.sh                      # 10 minutes, as recorded in BENCHMARKS.md
#   bench/soak.sh --duration 30s --warmup 10s --settle 0s    # a quick try
# Options: bench/soak.sh --help. It builds the node's jar and the bench jar first (package, never
# install), and uses ports 19443, 18080 and 35520 unless told otherwise.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
if [[ "${SOAK_SKIP_BUILD:-}" != 1 ]]; then
  mvn -q -B -ntp -DskipTests -Dspotless.check.skip=true -pl node,bench -am package >&2
fi
# Run from a copy, as the node is: a build during the soak replaces the jar under a running JVM.
mkdir -p bench/target/soak
cp bench/target/benchmarks.jar bench/target/soak/driver.jar
exec java -Xmx512m -cp bench/target/soak/driver.jar dev.fovea.bench.soak.Soak "$@"
