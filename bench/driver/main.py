"""pmdabcc's benchmark against PCP's retired Python BCC agent.

Both agents run one after the other under the running pmcd, with the same
bcc.conf and the same modules: every module that our registry has, that the
Python agent has too, and that both run on this kernel. Run by bench/run.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

from measure import BpfStats, Client, LoaderWatch, bpf_program_totals, memory
from modules import ModuleSections, ordered
from ours import OurAgent
from pmcd_agents import Pmcd, pcp_conf
from reference import PmdaBpf, PythonAgent, installed_version
import report

FULL = dict(reps=5, fetches=10000, growth=100000, scale_reps=3,
            kernel={'getpid': 1000000, 'ctxswitch': 50000, 'tcp': 1000})
QUICK = dict(reps=2, fetches=1000, growth=10000, scale_reps=1,
             kernel={'getpid': 300000, 'ctxswitch': 10000, 'tcp': 300})
KERNEL_TRIALS = 3


def say(*args):
    print('[bench]', *args, file=sys.stderr, flush=True)


def machine():
    def first(path, key):
        try:
            for line in open(path):
                if line.startswith(key):
                    return line.split(':', 1)[1].strip()
        except OSError:
            pass
        return '?'
    return {
        'date': datetime.datetime.now().strftime('%Y-%m-%d %H:%M'),
        'cpu': first('/proc/cpuinfo', 'model name'),
        'cpus': os.cpu_count(),
        'memory': first('/proc/meminfo', 'MemTotal'),
        'kernel': platform.release(),
        'debian': open('/etc/debian_version').read().strip()
                  if os.path.exists('/etc/debian_version') else '?',
        'pcp': installed_version('pcp'),
        'bcc': installed_version('libbpfcc'),
        'python': platform.python_version(),
        'load': ' '.join(open('/proc/loadavg').read().split()[:3]),
    }


class Bench:
    def __init__(self, args, settings):
        self.args = args
        self.s = settings
        work = args.work
        os.makedirs(work, exist_ok=True)
        self.client = Client(os.path.join(args.build, 'bcc-bench-client'))
        self.ours = OurAgent(work, args.build, args.source)
        self.theirs = PythonAgent(work)
        self.sections = ModuleSections(self.ours.shipped_conf, self.theirs.shipped_conf)
        self.bpf = PmdaBpf(work, pcp_conf()['PCP_PMDAS_DIR'])
        self.pmcd = None

    # one agent, started by pmcd and measured -------------------------------

    def session(self, agent, types, fetches=0, growth=0, kernel=False, fatal=True,
                prefix=None, loaders=False):
        conf = self.sections.conf_text(types, for_python=agent is self.theirs, fatal=fatal)
        with open(agent.conf, 'w') as f:
            f.write(conf)
        pid = self.pmcd.start('bcc', agent.pmcd_line(), agent.signature())
        out = {'pid': pid}
        watch = LoaderWatch(pid) if loaders else None
        if watch:
            watch.start()
        try:
            try:
                out['ready'] = self.client.ready(pid)
            finally:
                if watch:
                    out['loaders'] = watch.stop()
            out['at_ready'] = memory(pid)
            time.sleep(0.5)
            out['start'] = memory(pid)
            if fetches:
                out['fetch'] = self.client.fetch(pid, fetches, prefix)
                out['after'] = memory(pid)
            if growth:
                self.client.fetch(pid, growth - fetches)
                out['later'] = memory(pid)
            if kernel:
                out['kernel'] = self.kernel_costs()
                out['bpf_ns_per_run'] = self.bpf_time_per_run(pid)
            if fatal is False:
                out['states'] = module_states()
        except Exception as e:
            log = agent.log() if agent is self.ours else self.pmcd.agent_log('bcc')
            raise RuntimeError('%s: %s\n--- its log (end) ---\n%s'
                               % (agent.name, e, '\n'.join(log.splitlines()[-25:])))
        finally:
            self.pmcd.stop('bcc', pid)
        return out

    def kernel_costs(self):
        """ns per event of each loop: the fastest of a few trials, the one
        least disturbed by whatever else the machine runs."""
        return {w: min(self.client.kernel(w, n) for _ in range(KERNEL_TRIALS))
                for w, n in self.s['kernel'].items()}

    def bpf_time_per_run(self, pid):
        """Mean ns per run of the agent's BPF programs while the loops run
        again, from the kernel's own accounting: unlike the loops' timings,
        untouched by other load on the machine."""
        with BpfStats():
            time_before, runs_before = bpf_program_totals(pid)
            for w, n in self.s['kernel'].items():
                self.client.kernel(w, n)
            time_after, runs_after = bpf_program_totals(pid)
        runs = runs_after - runs_before
        return (time_after - time_before) / runs if runs else None

    # phases -----------------------------------------------------------------

    def choose_modules(self):
        """Every module of our registry that both agents run on this kernel."""
        ours_types = self.ours.types()
        excluded = {}
        candidates = []
        for t in ordered(ours_types):
            if t not in self.sections.sections:
                excluded[t] = 'no section in our bcc.conf'
            elif not self.theirs.module_exists(self.sections.their_module[t]):
                excluded[t] = 'the Python agent has no such module'
            else:
                candidates.append(t)
        say('our modules: %s; checking which the Python agent runs here' % ', '.join(ours_types))
        theirs_ok = []
        for t in candidates:
            error = self.theirs.try_compile(self.sections.conf_text([t], for_python=True))
            if error:
                excluded[t] = 'the Python agent cannot run it here: ' + error
            else:
                theirs_ok.append(t)
        # which run here: `pmdabcc --check` (outside pmcd) with every section
        # of the shipped bcc.conf; then the agent with those that run, under
        # pmcd, is "pmdabcc with every module"
        say('pmdabcc --check with all its modules, to see which run here')
        configured = [t for t in ordered(ours_types) if t in self.sections.sections]
        states, output = self.ours.check(self.sections.conf_text(configured, fatal=False))
        active = [t for t in configured
                  if states.get(self.sections.sections[t][0]) in ('active', 'partial')]
        for t in configured:
            if t not in active:
                say('  %s: %s' % (t, next((l for l in output.splitlines()
                                           if l.startswith(self.sections.sections[t][0] + ':')),
                                          'no state')))
        say('starting pmdabcc with every module that runs here (%d)' % len(active))
        everything = self.session(self.ours, active, fatal=False, loaders=True,
                                  fetches=self.s['fetches'])
        for t in candidates:
            if t in theirs_ok and t not in active:
                excluded[t] = 'pmdabcc does not run it here'
        common = [t for t in theirs_ok if t in active]
        return common, excluded, everything, active

    def run(self):
        results = {'settings': {k: v for k, v in self.s.items()}}
        with Pmcd(log=say) as pmcd:
            results['machine'] = machine()  # once the lock is ours: date and load of the run
            self.pmcd = pmcd
            pmcd.stop('bcc', domain=149)  # nothing of ours or theirs attached while we measure
            common, excluded, everything, active = self.choose_modules()
            results['modules'], results['excluded'] = common, excluded
            for t, why in excluded.items():
                say('not compared: %s (%s)' % (t, why))
            if not common:
                raise RuntimeError('no module runs under both agents on this kernel')
            say('compared modules: %s' % ', '.join(common))

            runs = {'python': [], 'pmdabcc': []}
            baseline = []
            for rep in range(self.s['reps']):
                say('repetition %d of %d' % (rep + 1, self.s['reps']))
                baseline.append(self.kernel_costs())
                agents = [self.theirs, self.ours] if rep % 2 == 0 else [self.ours, self.theirs]
                for agent in agents:
                    growth = self.s['growth'] if agent is self.ours and rep == 0 else 0
                    runs[agent.name].append(self.session(
                        agent, common, fetches=self.s['fetches'], growth=growth, kernel=True))
                    say('  %s: ready in %.2fs, %d fetches p50 %.0fµs' % (
                        agent.name, runs[agent.name][-1]['ready']['ready_seconds'],
                        self.s['fetches'], runs[agent.name][-1]['fetch']['p50_us']))
            results['runs'], results['baseline'] = runs, baseline
            first = runs['pmdabcc'][0]
            results['growth'] = {'from': self.s['fetches'], 'to': self.s['growth'],
                                 'at': first['after'], 'later': first['later']}

            results['scale'] = {}
            for n in sorted({1, 4, len(common)}):
                if n > len(common):
                    continue
                subset = common[:n]
                if n == len(common):
                    runs_n = {'python': runs['python'], 'pmdabcc': runs['pmdabcc']}
                else:
                    say('scale: %d module(s)' % n)
                    runs_n = {a.name: [self.session(a, subset) for _ in range(self.s['scale_reps'])]
                              for a in (self.theirs, self.ours)}
                runs_n['modules'] = subset
                results['scale'][n] = runs_n
            results['ours_everything'] = {'modules': active, 'run': everything}

            if self.bpf.available():
                say('pmdabpf (the floor): %s' % ', '.join(self.bpf.modules))
                results['floor'] = self.floor()
            else:
                results['floor_skipped'] = '%s is not installed' % self.bpf.binary
        results['machine']['load_after'] = ' '.join(open('/proc/loadavg').read().split()[:3])
        return results

    def floor(self):
        """pmdabpf and pmdabcc, each with runqlat and biolatency under this
        pmcd, one after the other, in alternating order: memory after
        startup, and agent CPU over the same number of fetches of the same
        two histograms (bpf.runq.latency and bpf.disk.all.latency against
        bcc.runq.latency and bcc.disk.all.latency)."""
        out = {'modules': self.bpf.modules, 'pmdabpf': [], 'pmdabcc': [],
               'fetches': self.s['fetches']}
        # pmdabpf's names, as its Install would add them (put back at the end)
        self.pmcd.add_namespace('bpf', self.bpf.pmns_file)
        ours = [t for t in self.bpf.modules if t in self.ours.types()]
        for rep in range(self.s['scale_reps']):
            for which in (('pmdabpf', 'pmdabcc') if rep % 2 == 0 else ('pmdabcc', 'pmdabpf')):
                if which == 'pmdabpf':
                    out['pmdabpf'].append(self.bpf_session())
                elif ours == self.bpf.modules:
                    out['pmdabcc'].append(self.session(
                        self.ours, ours, fetches=self.s['fetches'],
                        prefix=','.join('bcc.' + m for m in self.bpf.metrics)))
        return out

    def bpf_session(self):
        pid = self.pmcd.start('bpf', self.bpf.pmcd_line(), self.bpf.signature())
        out = {'pid': pid}
        try:
            wait_for_log(self.pmcd, 'bpf', 'pmdabpf(%d) Info: bpf pmda init complete' % pid)
            out['ready'] = self.client.ready(pid, prefix='bpf')
            out['at_ready'] = memory(pid)
            time.sleep(0.5)
            out['start'] = memory(pid)
            out['fetch'] = self.client.fetch(pid, self.s['fetches'],
                                             ','.join('bpf.' + m for m in self.bpf.metrics))
            out['after'] = memory(pid)
        finally:
            self.pmcd.stop('bpf', pid)
        return out


def wait_for_log(pmcd, name, text, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in pmcd.agent_log(name):
            return
        time.sleep(0.02)
    raise RuntimeError('%s: "%s" not in its log after %ds' % (name, text, timeout))


def module_states():
    out = subprocess.run(['pminfo', '-f', 'bcc.pmda.module.state'], capture_output=True,
                         text=True).stdout
    states = {}
    for line in out.splitlines():
        # inst [0 or "runqlat"] value "active"
        parts = line.split('"')
        if len(parts) >= 4 and 'inst' in parts[0]:
            states[parts[1]] = parts[3]
    return states


def render(results):
    m = results['machine']
    out = ['pmdabcc benchmark, %s: %s, %d CPUs, %s RAM; kernel %s; Debian %s; PCP %s; '
           'BCC %s; Python %s; load average %s at start, %s at end'
           % (m['date'], m['cpu'], m['cpus'], m['memory'], m['kernel'], m['debian'], m['pcp'],
              m['bcc'], m['python'], m['load'], m['load_after']),
           '',
           'Modules compared: %s.' % ', '.join(results['modules'])]
    for t, why in results['excluded'].items():
        out.append('Not compared: %s (%s).' % (t, why))
    out += ['', report.render_lean_targets(results), '',
            report.render_comparison(results), '', report.render_growth(results), '',
            report.render_floor(results), '', report.render_everything(results), '',
            report.render_targets(results)]
    return '\n'.join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--quick', action='store_true', help='a CI-sized run (about two minutes)')
    p.add_argument('--reps', type=int, help='repetitions of each figure')
    p.add_argument('--fetches', type=int, help='fetches per repetition')
    p.add_argument('--source', default='.')
    p.add_argument('--build', default='build')
    p.add_argument('--work', default='/var/tmp/pmdabcc-bench')
    args = p.parse_args()
    settings = dict(QUICK if args.quick else FULL)
    if args.reps:
        settings['reps'] = args.reps
    if args.fetches:
        settings['fetches'] = args.fetches
        settings['growth'] = max(settings['growth'], 10 * args.fetches)
    if os.geteuid() != 0:
        sys.exit('run as root: BPF and pmcd need it')
    results = Bench(args, settings).run()
    text = render(results)
    print(text)
    out_dir = os.path.join(args.build, 'bench')
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'results.md'), 'w') as f:
        f.write(text + '\n')
    with open(os.path.join(out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1, default=str)
    say('written to %s/results.md and results.json' % out_dir)


if __name__ == '__main__':
    main()
