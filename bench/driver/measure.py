"""Reading an agent from outside: memory from /proc, and the client's loops."""

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
