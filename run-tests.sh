#!/bin/bash
# One command, as root: prepares the machine, builds, installs the agent and
# runs every test (unit tests plain and under ASan/UBSan, then integration
# tests against the real pmcd). pmcd is left running with the agent's
# shipped configuration.
set -euo pipefail
cd "$(dirname "$0")"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

scripts/prepare-machine.sh
# ccache (CMakeLists.txt uses it when present) keys on paths relative to the
# checkout, so a fresh clone in another folder reuses what an earlier build
# compiled
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# the fuzzers need clang's libFuzzer
CXX=clang++ CC=clang cmake -S . -B build-fuzz -DBCC_FUZZ=ON -DBCC_BUILD_AGENT=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target config_fuzzer process_filter_fuzzer names_fuzzer \
  program_text_fuzzer key_decoders_fuzzer elf_notes_fuzzer
# Unit tests and fuzzers run side by side (-j); the integration tests are
# RUN_SERIAL, each alone on the machine. One test run at a time installs
# into pmcd. flock holds the lock itself
# (-o): no descriptor of it reaches the tests, so a pmcd they restart cannot
# inherit it and hold it for ever.
exec flock -o /run/lock/pmdabcc-integration.lock \
  sh -c 'cmake --install build >/dev/null && cd build && exec ctest --output-on-failure -j"$(nproc)" "$@"' \
  run-tests "$@"
