#!/bin/bash
# One command, as root: prepares the machine, builds, installs the agent and
# runs every test (unit tests plain and under ASan/UBSan, then integration
# tests against the real pmcd). pmcd is left running with the agent's
# shipped configuration.
set -euo pipefail
cd "$(dirname "$0")"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

scripts/prepare-machine.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# the fuzzers need clang's libFuzzer
CXX=clang++ CC=clang cmake -S . -B build-fuzz -DBCC_FUZZ=ON -DBCC_BUILD_AGENT=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target config_fuzzer process_filter_fuzzer names_fuzzer
# one test run at a time installs into pmcd
exec 9>/run/lock/pmdabcc-integration.lock
flock 9
cmake --install build >/dev/null
cd build
ctest --output-on-failure "$@"
