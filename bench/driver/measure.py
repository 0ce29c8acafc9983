"""Reading an agent from outside: memory from /proc, and the client's loops."""

import os
import subprocess
import threading
import time

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

    def ready(self, pid, timeout=180, prefix=None):
        extra = ['--prefix', prefix] if prefix else []
        return self._run('ready', '--pid', pid, '--timeout', timeout, *extra, timeout=timeout + 30)

    def fetch(self, pid, count, prefix=None):
        extra = ['--prefix', prefix] if prefix else []
        return self._run('fetch', '--pid', pid, '--count', count, *extra)

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


def _stat_fields(pid):
    """/proc/PID/stat after the command name: [0] is the state (field 3)."""
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rpartition(')')[2].split()


class LoaderWatch(threading.Thread):
    """Samples the pmdabcc-loader processes an agent starts, every ~20 ms,
    while it starts: their peak memory (the largest VmHWM seen) and their
    CPU (utime + stime at the last sample before each exits). The agent's
    own cutime + cstime (read by the client at ready) counts their CPU
    exactly; the samples also give the peak and how many ran at once."""

    INTERVAL = 0.02
    TICK = os.sysconf('SC_CLK_TCK')

    def __init__(self, agent_pid):
        super().__init__(daemon=True)
        self.agent_pid = agent_pid
        self.halt = threading.Event()
        self.loaders = {}  # pid -> {'VmHWM': kB, 'cpu': s}
        self.most_at_once = 0

    def run(self):
        while not self.halt.is_set():
            now = 0
            for entry in os.listdir('/proc'):
                if not entry.isdigit():
                    continue
                pid = int(entry)
                try:
                    with open('/proc/%d/comm' % pid) as f:
                        if f.read().strip() != 'pmdabcc-loader':
                            continue
                    fields = _stat_fields(pid)
                    if int(fields[1]) != self.agent_pid:  # field 4: ppid
                        continue
                    hwm = 0
                    with open('/proc/%d/status' % pid) as f:
                        for line in f:
                            if line.startswith('VmHWM:'):
                                hwm = int(line.split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                now += 1
                seen = self.loaders.setdefault(pid, {'VmHWM': 0, 'cpu': 0.0})
                seen['VmHWM'] = max(seen['VmHWM'], hwm)
                seen['cpu'] = max(seen['cpu'],
                                  (int(fields[11]) + int(fields[12])) / self.TICK)
            self.most_at_once = max(self.most_at_once, now)
            self.halt.wait(self.INTERVAL)

    def stop(self):
        self.halt.set()
        self.join()
        hwm = [l['VmHWM'] for l in self.loaders.values()]
        return {'count': len(self.loaders), 'most_at_once': self.most_at_once,
                'peak_VmHWM': max(hwm) if hwm else None,
                'sampled_cpu_seconds': sum(l['cpu'] for l in self.loaders.values())}
