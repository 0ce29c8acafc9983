#!/bin/bash
# Installs the agent from a build folder and runs integration test binaries
# against the real pmcd, holding the machine-wide lock that keeps two test
# runs from installing over each other.
#   scripts/run-integration.sh BUILD_DIR [TEST_BINARY [GTEST_ARGS...]]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [TEST_BINARY [GTEST_ARGS...]]}
shift
# flock holds the lock itself (-o): a pmcd restarted by a test must not
# inherit a descriptor of it
if [ -z "${PMDABCC_INTEGRATION_LOCKED:-}" ]; then
  PMDABCC_INTEGRATION_LOCKED=1 exec flock -o /run/lock/pmdabcc-integration.lock "$0" "$build" "$@"
fi
cmake --install "$build" >/dev/null
if [ $# -eq 0 ]; then
  cd "$build" && ctest --output-on-failure -L integration
else
  test=$1
  shift
  "$build/$test" "$@"
fi
