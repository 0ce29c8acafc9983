"""Our agent, run from the build folder (the installed one is left alone)."""

import os
import subprocess


class OurAgent:
    name = 'pmdabcc'

    def __init__(self, work, build, source):
        self.binary = os.path.abspath(os.path.join(build, 'pmdabcc'))
        self.modules_dir = os.path.abspath(os.path.join(source, 'modules'))
        self.shipped_conf = os.path.abspath(os.path.join(source, 'bcc.conf'))
        self.dir = os.path.join(work, 'pmdabcc')
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, 'bcc.conf')
        self.log_file = os.path.join(self.dir, 'pmdabcc.log')

    def types(self):
        out = subprocess.run([self.binary, '--list-modules'], capture_output=True, text=True,
                             check=True)
        return out.stdout.split()

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
