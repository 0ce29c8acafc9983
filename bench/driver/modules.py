"""Which modules the benchmark enables, and the bcc.conf both agents get.

The module types come from our agent's registry (`pmdabcc --list-modules`),
their sections from our shipped bcc.conf. A module is benchmarked when the
Python agent has it too and both agents run it on this kernel, so modules
join the benchmark as they land.
"""

import configparser

# Compared first, and first in the 1- and 4-module subsets.
PREFERRED = ['runqlat', 'tcplife']

PMDA_KEYS = {'prefix': 'bcc.', 'process_refresh': '0'}


def read_conf(path):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(path)
    return conf


def ordered(types):
    first = [t for t in PREFERRED if t in types]
    return first + sorted(t for t in types if t not in first)


class ModuleSections:
    """Our shipped bcc.conf's sections by module type, and how the Python
    agent names each module (its own bcc.conf: `fs.ext4dist` for ext4dist)."""

    def __init__(self, our_conf, their_conf):
        ours = read_conf(our_conf)
        theirs = read_conf(their_conf)
        self.sections = {}  # type -> (section name, {key: value})
        for name in ours.sections():
            if name == 'pmda' or not ours.has_option(name, 'module'):
                continue
            keys = dict(ours.items(name))
            self.sections.setdefault(keys['module'], (name, keys))
        self.their_module = {}
        for name, (section, keys) in self.sections.items():
            if theirs.has_section(section) and theirs.has_option(section, 'module'):
                self.their_module[name] = theirs.get(section, 'module')
            else:
                self.their_module[name] = name

    def conf_text(self, types, for_python=False, fatal=True):
        """A bcc.conf enabling `types`, with our shipped sections' keys."""
        chosen = [t for t in types if t in self.sections]
        out = ['[pmda]', 'modules = ' + ','.join(self.sections[t][0] for t in chosen)]
        out += ['%s = %s' % kv for kv in PMDA_KEYS.items()]
        out += ['module_failure_fatal = %s' % fatal, '']
        for t in chosen:
            section, keys = self.sections[t]
            out.append('[%s]' % section)
            for key, value in keys.items():
                if key == 'module' and for_python:
                    value = self.their_module[t]
                out.append('%s = %s' % (key, value))
            out.append('')
        return '\n'.join(out)
