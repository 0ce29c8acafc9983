#!/bin/bash
# Waits until pmcd serves the bcc agent's metrics (it starts "notready" while
# it compiles), up to ${1:-60} seconds.
for _ in $(seq 1 "${1:-60}"); do
  pminfo -f bcc.pmda.module.state 2>/dev/null | grep -q 'value "' && exit 0
  sleep 1
done
echo "the bcc agent did not become ready: see /var/log/pcp/pmcd/bcc.log" >&2
exit 1
