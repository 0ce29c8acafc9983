"""Our agent, run from the build folder (the installed one is left alone)."""

import os
import shutil
import subprocess


class OurAgent:
    name = 'pmdabcc'

    def __init__(self, work, build, source):
        self.binary = os.path.abspath(os.path.join(build, 'pmdabcc'))
        # the programs laid out as installed: the build folder's flat copy;
        # trees from before the module folders keep them flat in modules/
        staged = os.path.join(build, 'modules')
        self.modules_dir = os.path.abspath(
            staged if os.path.isdir(staged) else os.path.join(source, 'modules'))
        self.shipped_conf = os.path.abspath(os.path.join(source, 'bcc.conf'))
        self.dir = os.path.join(work, 'pmdabcc')
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, 'bcc.conf')
        self.log_file = os.path.join(self.dir, 'pmdabcc.log')
        # programs of `module = custom` sections (the shipped myrunq) are
        # read from the folder of bcc.conf, as they are when installed
        custom = os.path.join(self.dir, 'custom')
        shutil.rmtree(custom, ignore_errors=True)
        shutil.copytree(os.path.abspath(os.path.join(source, 'share', 'custom')), custom)
        for name in os.listdir(custom):
            os.chmod(os.path.join(custom, name), 0o644)

    def types(self):
        out = subprocess.run([self.binary, '--list-modules'], capture_output=True, text=True,
                             check=True)
        return out.stdout.split()

    def check(self, conf_text):
        """Each section's state from `pmdabcc --check` (outside pmcd):
        {section: 'active' | 'partial' | 'failed' | ...} and the output."""
        path = os.path.join(self.dir, 'check.conf')
        with open(path, 'w') as f:
            f.write(conf_text)
        # --check reads programs of custom sections next to its bcc.conf
        run = subprocess.run([self.binary, '--check', '-c', path, '-m', self.modules_dir],
                             capture_output=True, text=True, timeout=600)
        states = {}
        for line in run.stdout.splitlines():
            name, sep, rest = line.partition(': ')
            if sep and rest:
                states[name] = rest.split()[0]
        return states, run.stdout + run.stderr

    def pmcd_line(self):
        return 'bcc\t149\tpipe\tbinary notready\t%s -d 149 -c %s -m %s -l %s' % (
            self.binary, self.conf, self.modules_dir, self.log_file)

    def signature(self):
        return self.binary

    def log(self):
        try:
            with open(self.log_file, errors='replace') as f:
                return f.read()
        except OSError:
            return ''
