#!/bin/bash
# Prepares a Debian 12 machine, as root, for building, running and testing
# pmdabcc: packages, tracefs, kernel headers for libbcc (only on a kernel
# without BTF), a running pmcd.
# Idempotent: what is already in place is left alone. Debian packages are
# the only downloads.
set -euo pipefail

log() { printf '[prepare] %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "run as root: BPF and pmcd need it" >&2; exit 1; }

PACKAGES=(
  build-essential cmake pkg-config
  ccache  # rebuilds (other checkouts, the sanitized and fuzz builds) from cache
  libbpfcc-dev libbpf-dev bpftool libelf-dev libdw-dev
  libpcp3-dev libpcp-pmda3-dev pcp
  python3-bpfcc python3-pcp   # the Python agent bench/run compares with
  libinih-dev libre2-dev libgtest-dev googletest libseccomp-dev
  clang libclang-rt-14-dev
  redis-server libcurl4-openssl-dev iproute2
  nlohmann-json3-dev          # bcc.info.programs, and the tests
  e2fsprogs util-linux
  systemtap-sdt-dev openjdk-17-jdk-headless
  nftables  # the tcpretrans test drops packets in a network namespace of its own
)
# A kernel with BTF needs no headers: the loader compiles against a tree it
# makes from /sys/kernel/btf/vmlinux ([pmda] kernel_headers = auto).
[ -e /sys/kernel/btf/vmlinux ] || PACKAGES+=(linux-headers-amd64)
PACKAGES+=(${BCC_EXTRA_PACKAGES:-})

# pcp's post-install step runs systemctl, which fails where systemd is not
# PID 1 (containers, CI): a no-op systemctl lets it finish; pmcd is started
# below by its init script instead.
shim_path() {
  if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
    echo "$PATH"
  else
    local shim=/run/pmdabcc-shim
    mkdir -p "$shim"
    printf '#!/bin/sh\nexit 0\n' > "$shim/systemctl"
    chmod +x "$shim/systemctl"
    echo "$shim:$PATH"
  fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  if dpkg --audit 2>/dev/null | grep -q .; then
    log "finishing half-configured packages"
    PATH="$(shim_path)" dpkg --configure -a
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # apt runs dpkg with its own PATH (APT's DPkg::Path), not the caller's:
  # the shim must be put on that one too, or pcp's post-install step finds
  # the real systemctl on a machine where pcp was never installed.
  local path
  path="$(shim_path)"
  PATH="$path" apt-get install -y -q --no-install-recommends \
    -o DPkg::Path="$path" "${missing[@]}"
}

mount_tracefs() {
  if [ ! -d /sys/kernel/tracing/events ]; then
    log "mounting tracefs at /sys/kernel/tracing"
    mount -t tracefs nodev /sys/kernel/tracing
  fi
  if [ ! -d /sys/kernel/debug/tracing ] && ! mountpoint -q /sys/kernel/debug; then
    log "mounting debugfs at /sys/kernel/debug"
    mount -t debugfs nodev /sys/kernel/debug || true
  fi
}

# libbcc compiles against /lib/modules/$(uname -r)/{build,source}. On a
# kernel with BTF nothing is needed: the loader makes what programs need
# from the kernel's BTF. Without BTF, when the running kernel has no headers
# package, the distribution's newest headers are linked there: the agent's
# programs take tracepoint fields from tracefs and struct offsets from BTF,
# so a version mismatch does not falsify them, and the agent says so in its
# log.
link_kernel_headers() {
  local dir="/lib/modules/$(uname -r)"
  if [ -e /sys/kernel/btf/vmlinux ]; then
    log "kernel $(uname -r) has BTF: no kernel headers needed"
    return 0
  fi
  [ -e "$dir/build/include" ] && return 0
  local build common
  build=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
  common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | sort -V | tail -1)
  if [ -z "$build" ] || [ -z "$common" ]; then
    log "no kernel headers under /usr/src: BPF programs cannot be compiled"
    return 1
  fi
  log "linking $build (and $common) as the headers of kernel $(uname -r)"
  mkdir -p "$dir"
  ln -sfn "$build" "$dir/build"
  ln -sfn "$common" "$dir/source"
}

# PCP's tools use /usr/bin/python3; a different python3 first on PATH breaks
# them, so pmcd starts with the system directories first.
start_pmcd() {
  if pminfo -f pmcd.version >/dev/null 2>&1; then return 0; fi
  log "starting pmcd"
  PATH=/usr/sbin:/usr/bin:/sbin:/bin /etc/init.d/pmcd start >/dev/null
  for _ in $(seq 1 30); do
    pminfo -f pmcd.version >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "pmcd did not start: see /var/log/pcp/pmcd/pmcd.log"
  return 1
}

install_packages
mount_tracefs
link_kernel_headers
start_pmcd
