#!/bin/bash
# One command, as root, on Debian 12: installs what pmdabcc needs, builds it,
# installs it into pmcd, and shows live values. Run it again at will.
set -euo pipefail
cd "$(dirname "$0")"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

scripts/prepare-machine.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target pmdabcc
changed=$(cmake --install build | grep -c 'Installing:' || true)

. /etc/pcp.conf
if [ "$changed" != 0 ] || ! grep -q '^pmdabcc[[:space:]]' "$PCP_PMCDCONF_PATH" \
   || ! pminfo -f bcc.pmda.module.state >/dev/null 2>&1; then
  (cd "$PCP_PMDAS_DIR/bcc" && ./Install -Q)
fi
scripts/wait-ready.sh
pminfo -f bcc.runq.latency bcc.disk.all.latency
