"""Agent CPU per fetch, two trees of pmdabcc in one run, alternating.

Each tree's agent runs under the real pmcd with the same bcc.conf: every
module of our shipped bcc.conf that both trees have (uprobe_hits left
out: its probes on libc functions fire in the agent's own malloc), the
followed JVM for the modules that follow a process. After a workload that
fills the maps (loopback TCP connections, processes, system calls), the
client fetches every bcc.* metric N times and reads the agent's CPU time.
Runs alternate A B A B so that a drift of the machine falls on both.
Run by bench/fetch-cpu.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from measure import Client
from modules import ModuleSections
from ours import OurAgent
from pmcd_agents import Pmcd

LEFT_OUT = {'uprobe_hits'}
# sections whose probes follow a process: they follow the JVM
FOLLOWING = {'ucalls', 'usdt_hits', 'usdt_jvm_threads', 'ustat'}


def say(*args):
    print('[fetch-cpu]', *args, file=sys.stderr, flush=True)


def start_jvm(build):
    target = os.path.join(build, 'java', 'PmdabccJavaTarget.class')
    if not os.path.exists(target) or not os.path.exists('/usr/bin/java'):
        say('no JVM to follow (java or %s missing): the USDT modules stay postponed' % target)
        return None
    # it works once per line it reads, and exits at the end of its input
    return subprocess.Popen(['java', '-XX:+ExtendedDTraceProbes', '-cp', os.path.dirname(target),
                             'PmdabccJavaTarget', '1000', '4'], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def warm_up_jvm(jvm):
    for _ in range(100):
        jvm.stdin.write(b'\n')
    jvm.stdin.flush()
    time.sleep(10)


def conf_for(sections, types, jvm_pid):
    # modules the kernel cannot run (kprobes) fail without stopping the agent
    text = sections.conf_text(types, fatal=False)
    if jvm_pid:
        # the sections that follow a process follow the JVM
        out = []
        for line in text.splitlines():
            if line.startswith('process = '):
                continue
            out.append(line)
            if line.startswith('module = ') and line.split(' = ', 1)[1] in FOLLOWING:
                out.append('process = %d' % jvm_pid)
        text = '\n'.join(out) + '\n'
    return text


def workload(client, jvm):
    if jvm:
        for _ in range(20):
            jvm.stdin.write(b'\n')
        jvm.stdin.flush()
    client.kernel('tcp', 300)
    client.kernel('getpid', 200000)
    client.kernel('ctxswitch', 20000)
    for _ in range(50):
        subprocess.run(['/bin/true'])


def one_run(pmcd, client, agent, conf_text, fetches, jvm):
    with open(agent.conf, 'w') as f:
        f.write(conf_text)
    pid = pmcd.start('bcc', agent.pmcd_line(), agent.signature())
    try:
        client.ready(pid)
        workload(client, jvm)
        time.sleep(1)
        out = client.fetch(pid, fetches)
        running = sorted(set(re.findall(r'module \[([^\]]+)\]: (?:active|partial) in', agent.log())))
        return {'running': running,'cpu_ms': 1000 * out['agent_cpu_seconds'] / fetches,
                'sched_ms': 1000 * out['agent_sched_seconds'] / fetches,
                'p50_ms': out['p50_us'] / 1000, 'p99_ms': out['p99_us'] / 1000,
                'metrics': out['metrics']}
    finally:
        pmcd.stop('bcc', pid)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--a-source', required=True)
    p.add_argument('--a-build', required=True)
    p.add_argument('--a-name', default='A')
    p.add_argument('--b-source', required=True)
    p.add_argument('--b-build', required=True)
    p.add_argument('--b-name', default='B')
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--fetches', type=int, default=300)
    p.add_argument('--work', default='/var/tmp/pmdabcc-fetch-cpu')
    args = p.parse_args()
    client = Client(os.path.join(args.b_build, 'bcc-bench-client'))
    agents = {}
    for name, source, build in ((args.a_name, args.a_source, args.a_build),
                                (args.b_name, args.b_source, args.b_build)):
        agents[name] = OurAgent(os.path.join(args.work, name), build, source)
        # the agent loads custom programs only from folders no one else may write
        for folder in (args.work, os.path.join(args.work, name), agents[name].dir,
                       os.path.join(agents[name].dir, 'custom')):
            os.chmod(folder, 0o755)
    b = agents[args.b_name]
    sections = ModuleSections(b.shipped_conf, b.shipped_conf)
    # modules both trees have: a newer tree's own modules are not compared
    older = set(agents[args.a_name].types())
    types = [t for t in b.types()
             if t in sections.sections and t in older and t not in LEFT_OUT]
    jvm = start_jvm(args.b_build)
    try:
        time.sleep(2)
        if jvm:
            # A young JVM calls thousands of methods it will not call again
            # (class loading, compilation): the first run's ucalls map would
            # be many times the others'. Its work, a while, before any run.
            warm_up_jvm(jvm)
        conf = conf_for(sections, types, jvm.pid if jvm else 0)
        say('modules: %s' % ', '.join(types))
        results = {name: [] for name in agents}
        with Pmcd(log=say) as pmcd:
            for rep in range(args.reps):
                for name in (args.a_name, args.b_name):
                    r = one_run(pmcd, client, agents[name], conf, args.fetches, jvm)
                    results[name].append(r)
                    first = results[args.a_name][0]['running']
                    if r['running'] != first:
                        raise SystemExit('%s runs other modules than %s: %s against %s (see %s)'
                                         % (name, args.a_name, r['running'], first,
                                            agents[name].log_file))
                    say('rep %d %s: %.2f ms CPU per fetch (%.2f scheduled), p50 %.2f ms, '
                        '%d metrics' % (rep + 1, name, r['cpu_ms'], r['sched_ms'], r['p50_ms'],
                                        r['metrics']))
    finally:
        if jvm:
            jvm.kill()
            jvm.wait()
    running = results[args.a_name][0]['running']
    print('Agent CPU per fetch of every bcc.* metric (%d sections, %d running: %s; %d fetches x '
          '%d runs each, alternating):' % (len(types), len(running), ', '.join(running),
                                           args.fetches, args.reps))
    med = {}
    for name in (args.a_name, args.b_name):
        rs = results[name]
        med[name] = statistics.median(r['sched_ms'] for r in rs)
        print('  %-10s %6.2f ms CPU (median of runs: %s), fetch p50 %.2f ms, p99 %.2f ms' % (
            name, med[name], ', '.join('%.2f' % r['sched_ms'] for r in rs),
            statistics.median(r['p50_ms'] for r in rs), statistics.median(r['p99_ms'] for r in rs)))
    if med[args.a_name] > 0:
        print('  ratio %s/%s: %.2f' % (args.b_name, args.a_name, med[args.b_name] / med[args.a_name]))


if __name__ == '__main__':
    main()
