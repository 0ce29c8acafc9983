"""Reading an agent from outside: memory from /proc, and the client's loops."""

import os
import subprocess

MEMORY_FIELDS = {
    '/proc/%d/status': ['VmHWM', 'VmRSS'],
    '/proc/%d/smaps_rollup': ['Rss', 'Pss', 'Private_Dirty'],
}


def memory(pid):
    """kB: VmHWM (peak resident), VmRSS, and Rss, Pss, Private_Dirty."""
    out = {}
    for path, fields in MEMORY_FIELDS.items():
        with open(path % pid) as f:
            for line in f:
                key, _, rest = line.partition(':')
                if key in fields:
                    out[key] = int(rest.split()[0])
    return out


class Client:
    """bcc-bench-client (bench/client), built with the agent."""

    def __init__(self, binary):
        self.binary = binary

    def _run(self, *args, timeout=None):
        run = subprocess.run([self.binary] + [str(a) for a in args], capture_output=True,
                             text=True, timeout=timeout)
        values = dict(l.split('=', 1) for l in run.stdout.splitlines() if '=' in l)
        if run.returncode != 0 or 'error' in values:
            raise RuntimeError('%s %s: %s' % (self.binary, args[0],
                                              values.get('error', run.stderr.strip())))
        return {k: float(v) for k, v in values.items()}

    def ready(self, pid, timeout=180):
        return self._run('ready', '--pid', pid, '--timeout', timeout, timeout=timeout + 30)

    def fetch(self, pid, count):
        return self._run('fetch', '--pid', pid, '--count', count)

    def kernel(self, workload, count):
        return self._run('kernel', workload, '--count', count)['ns_per_event']


def bpf_program_totals(pid):
    """(run_time_ns, run_cnt) summed over the BPF programs `pid` holds open,
    from /proc/PID/fdinfo (counted while kernel.bpf_stats_enabled is 1)."""
    seen, time_ns, runs = set(), 0, 0
    fd_dir = '/proc/%d/fdinfo' % pid
    for fd in os.listdir(fd_dir):
        try:
            with open(os.path.join(fd_dir, fd)) as f:
                info = dict(l.split(':', 1) for l in f if ':' in l)
        except OSError:
            continue
        prog = info.get('prog_id', '').strip()
        if prog and prog not in seen and 'run_cnt' in info:
            seen.add(prog)
            time_ns += int(info['run_time_ns'])
            runs += int(info['run_cnt'])
    return time_ns, runs


class BpfStats:
    """kernel.bpf_stats_enabled on for a while: the kernel times every BPF
    program run (two clock reads each), then the setting is put back."""

    PATH = '/proc/sys/kernel/bpf_stats_enabled'

    def __enter__(self):
        with open(self.PATH) as f:
            self.saved = f.read().strip()
        with open(self.PATH, 'w') as f:
            f.write('1')
        return self

    def __exit__(self, *exc):
        with open(self.PATH, 'w') as f:
            f.write(self.saved)
        return False
