"""The reference agents, from Debian's own `pcp` package.

PCP's retired Python BCC agent (pmdabcc.python and its modules) is taken
from the package file itself, unpacked with `dpkg -x` into the benchmark's
work folder, so that it stays pristine whatever is installed in
$PCP_PMDAS_DIR/bcc (where our agent lives). It runs with /usr/bin/python3
and Debian's python3-bpfcc and python3-pcp, with PCP_PMDAS_DIR pointing at
the copy: it reads bcc.conf from there and imports its modules from there.
"""

import glob
import os
import shutil
import subprocess


def installed_version(package):
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Version}', package],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ''


def unpacked_pcp(work):
    """The root of Debian's pcp package unpacked (the installed version),
    downloaded once into `work`."""
    version = installed_version('pcp')
    if not version:
        raise RuntimeError('the pcp package is not installed (run scripts/prepare-machine.sh)')
    root = os.path.join(work, 'pcp-%s' % version)
    if os.path.exists(os.path.join(root, 'usr/lib/pcp/pmdas/bcc/pmdabcc.python')):
        return root
    debs = os.path.join(work, 'debs')
    os.makedirs(debs, exist_ok=True)
    os.chmod(debs, 0o777)  # apt-get download runs as the _apt user where it can
    pattern = os.path.join(debs, 'pcp_%s_*.deb' % version.replace(':', '%3a'))
    if not glob.glob(pattern):
        subprocess.run(['apt-get', 'download', '-q', 'pcp=%s' % version], cwd=debs, check=True,
                       stdout=subprocess.DEVNULL)
    deb = glob.glob(pattern)[0]
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(['dpkg', '-x', deb, root], check=True)
    return root


class PythonAgent:
    """A fresh copy of the Python agent for each benchmark run."""

    name = 'python'

    def __init__(self, work):
        package = unpacked_pcp(work)
        self.dir = os.path.join(work, 'python-agent')  # PCP_PMDAS_DIR of the copy
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(os.path.join(package, 'usr/lib/pcp/pmdas/bcc'),
                        os.path.join(self.dir, 'bcc'), symlinks=True)
        self.shipped_conf = os.path.join(package, 'etc/pcp/bcc/bcc.conf')
        self.script = os.path.join(self.dir, 'bcc', 'pmdabcc.python')
        self.conf = os.path.join(self.dir, 'bcc', 'bcc.conf')

    def env(self):
        return ['PCP_PMDAS_DIR=' + self.dir, 'PCP_PMDASADM_DIR=' + self.dir]

    def module_exists(self, module):
        """`module` as their bcc.conf names it (runqlat, fs.ext4dist)."""
        path = os.path.join(self.dir, 'bcc', 'modules', *module.split('.')) + '.python'
        return os.path.exists(path)

    def pmcd_line(self):
        # no "-d 149": the agent takes no options and fails with them
        return ('bcc\t149\tpipe\tbinary notready\t/usr/bin/env %s /usr/bin/python3 %s'
                % (' '.join(self.env()), self.script))

    def signature(self):
        return self.script

    def try_compile(self, conf_text):
        """Compiles and attaches the modules of `conf_text` outside pmcd
        (the agent's --trycompile); "" when it works, else its last error."""
        path = os.path.join(self.dir, 'bcc', 'trycompile.conf')
        with open(path, 'w') as f:
            f.write(conf_text)
        env = dict(os.environ)
        env.update(e.split('=', 1) for e in self.env())
        run = subprocess.run(['/usr/bin/python3', self.script, '--trycompile=' + path],
                             cwd=self.dir, env=env, capture_output=True, text=True, timeout=300)
        if run.returncode == 0:
            return ''
        log = os.path.join(self.dir, 'bcc.log')
        text = open(log, errors='replace').read() if os.path.exists(log) else run.stdout
        errors = [l.split('Error: ', 1)[-1] for l in text.splitlines() if 'Error' in l]
        # a module logs its exception, then "Module NOT active!"
        for i in range(len(errors) - 1, 0, -1):
            if 'NOT active' in errors[i]:
                return errors[i - 1]
        return errors[-1] if errors else 'exit %d' % run.returncode


class PmdaBpf:
    """PCP's C agent pmdabpf (libbpf CO-RE), as shipped: the memory floor of
    a native agent. Its own bpf.conf in the work folder enables runqlat and
    biolatency only."""

    name = 'pmdabpf'
    modules = ['runqlat', 'biolatency']
    # the metrics of those modules, below bpf. (theirs) and bcc. (ours)
    metrics = ['runq.latency', 'disk.all.latency']

    def __init__(self, work, pmdas_dir):
        self.binary = os.path.join(pmdas_dir, 'bpf', 'pmdabpf')
        self.pmns_file = os.path.join(pmdas_dir, 'bpf', 'root_bpf')
        self.dir = os.path.join(work, 'pmdabpf')
        os.makedirs(os.path.join(self.dir, 'bpf'), exist_ok=True)
        link = os.path.join(self.dir, 'bpf', 'modules')
        if not os.path.islink(link):
            os.symlink(os.path.join(pmdas_dir, 'bpf', 'modules'), link)
        with open(os.path.join(self.dir, 'bpf', 'bpf.conf'), 'w') as f:
            for m in self.modules:
                f.write('[%s.so]\nenabled = true\n\n' % m)

    def available(self):
        return os.access(self.binary, os.X_OK)

    def pmcd_line(self):
        return 'bpf\t157\tpipe\tbinary\t/usr/bin/env PCP_PMDAS_DIR=%s %s -d 157' % (self.dir,
                                                                                 self.binary)

    def signature(self):
        return self.binary
