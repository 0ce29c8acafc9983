#!/bin/bash
# Runs one libFuzzer target for a while from its seed corpus (copied, so the
# repository is not written to). Fails if the target is missing or finds a
# crash, leak or hang; the reproducer is left in the work folder it prints.
#   scripts/run-fuzzer.sh FUZZ_BUILD_DIR NAME SECONDS
set -euo pipefail
build=$1 name=$2 seconds=$3
here=$(cd "$(dirname "$0")/.." && pwd)
binary="$(cd "$build" && pwd)/${name}_fuzzer"
[ -x "$binary" ] || { echo "no fuzzer $binary: build it (see run-tests.sh)"; exit 1; }
work=$(mktemp -d /var/tmp/pmdabcc-fuzz-$name.XXXXXX)
cp -r "$here/tests/fuzz/corpus/$name" "$work/corpus"
cd "$work"
echo "fuzzing $name for ${seconds}s in $work"
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 corpus 2>&1 | tail -15
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && rm -rf "$work"
exit "$status"
