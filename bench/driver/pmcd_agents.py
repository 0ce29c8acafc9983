"""Swapping agents in the running pmcd, under the machine-wide lock.

pmcd rereads pmcd.conf on SIGHUP: agents whose line disappeared are stopped,
new lines are started. The benchmark replaces the `bcc` line (and adds a
`bpf` line for pmdabpf) for one agent at a time, and puts pmcd.conf back as
it found it when it is done, so the installed agent runs again with its own
bcc.conf.
"""

import fcntl
import os
import re
import signal
import subprocess
import sys
import time

LOCK_FILE = '/run/lock/pmdabcc-integration.lock'


def pcp_conf():
    """The variables of /etc/pcp.conf (PCP_PMCDCONF_PATH, PCP_LOG_DIR, ...)."""
    out = {}
    with open(os.environ.get('PCP_CONF', '/etc/pcp.conf')) as f:
        for line in f:
            m = re.match(r'^(PCP_\w+)=(.*)$', line.strip())
            if m:
                out[m.group(1)] = m.group(2).strip('"')
    return out


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().replace(b'\0', b' ').decode(errors='replace')
    except OSError:
        return ''


def running(pid):
    """True until the process has exited (a zombie not yet reaped has)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rpartition(')')[2].split()[0] not in ('Z', 'X')
    except (OSError, IndexError):
        return False


def pids_matching(text):
    """Processes whose command line contains `text`, ours excepted."""
    found = []
    for entry in os.listdir('/proc'):
        pid = int(entry) if entry.isdigit() else 0
        if pid and pid != os.getpid() and text in cmdline(pid) and running(pid):
            found.append(pid)
    return found


def _is_agent(fields, name, domain=None):
    """Whether a pmcd.conf line (split) is agent `name` or of `domain`."""
    if not fields or fields[0].startswith('#'):
        return False
    return fields[0] == name or (domain is not None and fields[1:2] == [str(domain)])


class Pmcd:
    """The running pmcd, its agents swapped one at a time (a context manager)."""

    def __init__(self, log=print):
        conf = pcp_conf()
        self.conf_path = conf['PCP_PMCDCONF_PATH']
        self.pid_file = os.path.join(conf['PCP_RUN_DIR'], 'pmcd.pid')
        self.log_dir = os.path.join(conf['PCP_LOG_DIR'], 'pmcd')
        self.pmns_dir = os.path.join(conf['PCP_VAR_DIR'], 'pmns')
        self.binadm_dir = conf.get('PCP_BINADM_DIR', '/usr/lib/pcp/bin')
        self.log = log
        self.lock = None
        self.saved = None
        self.saved_pmns = None

    def __enter__(self):
        self.lock = open(LOCK_FILE, 'w')
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.log('waiting for %s (an integration test run holds it)' % LOCK_FILE)
            fcntl.flock(self.lock, fcntl.LOCK_EX)
        with open(self.conf_path) as f:
            self.saved = f.read()
        # a SIGTERM (CI timeout, kill) still restores pmcd.conf
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        return self

    def __exit__(self, *exc):
        try:
            if self.saved_pmns is not None:
                self.log('restoring %s/root' % self.pmns_dir)
                self._write(self.saved_pmns, os.path.join(self.pmns_dir, 'root'))
            if self.saved is not None:
                self.log('restoring %s and the installed agent' % self.conf_path)
                self._write(self.saved)
                self._hangup()
                if re.search(r'^\S+\s+149\s', self.saved, re.M):
                    self._wait_installed_ready()
        finally:
            self.lock.close()
        return False

    def add_namespace(self, name, root_file):
        """Adds an agent's names (its root_<name> file, as its Install would)
        to pmcd's namespace until the end (then the saved root is put back)."""
        root = os.path.join(self.pmns_dir, 'root')
        with open(root) as f:
            text = f.read()
        if re.search(r'^\s+%s\s' % re.escape(name), text.split('}', 1)[0], re.M):
            return
        if self.saved_pmns is None:
            self.saved_pmns = text
        subprocess.run([os.path.join(self.binadm_dir, 'pmnsadd'), '-n', 'root', root_file],
                       cwd=self.pmns_dir, check=True, stdout=subprocess.DEVNULL)
        self._hangup()

    def start(self, name, line, signature, timeout=60):
        """Puts `line` as agent `name` in pmcd.conf; returns the new agent's pid,
        found by `signature` in its command line."""
        before = set(pids_matching(signature))
        self._set_line(name, line)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [p for p in pids_matching(signature) if p not in before]
            if new:
                return new[0]
            time.sleep(0.005)
        raise RuntimeError('pmcd did not start %s (see %s/pmcd.log)' % (name, self.log_dir))

    def stop(self, name, pid=None, timeout=60, domain=None):
        """Takes agent `name` (and any agent of `domain`) out of pmcd.conf and
        waits for it to exit: `pid`, or else the processes of the program its
        line names."""
        pids = [pid] if pid else self._agent_pids(name, domain)
        self._set_line(name, None, domain)
        deadline = time.monotonic() + timeout
        while any(running(p) for p in pids):
            if time.monotonic() > deadline:
                raise RuntimeError('agent %s (pid %s) did not exit' % (name, pids))
            time.sleep(0.01)

    def _agent_pids(self, name, domain=None):
        pids = []
        for line in self._current().splitlines():
            fields = line.split()
            if _is_agent(fields, name, domain) and 'pipe' in fields:
                programs = [f for f in fields if f.startswith('/') and 'pmda' in f]
                pids += [p for prog in programs for p in pids_matching(prog)]
        return pids

    def agent_log(self, name):
        path = os.path.join(self.log_dir, name + '.log')
        try:
            with open(path, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def _set_line(self, name, line, domain=None):
        """Puts `line` as agent `name`; any other line of the same name or
        domain goes (the installed agent's line is named pmdabcc since the
        package, bcc before: either is taken out while ours or theirs runs)."""
        if line is not None:
            domain = line.split()[1]
        lines = self._current().splitlines(keepends=True)
        # agent lines come before the first [section]; nothing after it is touched
        first_section = next((i for i, l in enumerate(lines) if l.startswith('[')), len(lines))
        kept = [l for i, l in enumerate(lines)
                if i >= first_section or not _is_agent(l.split(), name, domain)]
        if line is not None:
            # agents come before the first [section] ([access])
            at = next((i for i, l in enumerate(kept) if l.startswith('[')), len(kept))
            kept.insert(at, line.rstrip('\n') + '\n')
        self._write(''.join(kept))
        self._hangup()

    def _current(self):
        with open(self.conf_path) as f:
            return f.read()

    def _write(self, text, path=None):
        path = path or self.conf_path
        tmp = path + '.bench'
        with open(tmp, 'w') as f:
            f.write(text)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)

    def _hangup(self):
        with open(self.pid_file) as f:
            os.kill(int(f.read().strip()), signal.SIGHUP)

    def _wait_installed_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(['pminfo', '-f', 'bcc.pmda.module.state'],
                                 capture_output=True, text=True).stdout
            if 'value "' in out:
                return
            time.sleep(0.5)
        self.log('warning: the installed bcc agent is not ready after %ds' % timeout)
