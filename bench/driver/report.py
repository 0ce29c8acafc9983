"""Medians, ratios, the table and the targets."""

import statistics

MB = 1024.0  # figures are read in kB


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pick(sessions, *path):
    """The median over sessions of session[path[0]][path[1]]..."""
    values = []
    for s in sessions:
        v = s
        for key in path:
            v = v.get(key) if isinstance(v, dict) else None
        values.append(v)
    return median(values)


def fmt(value, unit):
    if value is None:
        return 'n/a'
    if unit == 'MB':
        return '%.1f MB' % (value / MB)
    if unit == 's':
        return '%.2f s' % value if value < 100 else '%.0f s' % value
    if unit == 'ms':
        return '%.2f ms' % value
    if unit == 'us':
        return '%.0f µs' % value if value >= 10 else '%.1f µs' % value
    if unit == 'ns':
        return '%.0f ns' % value
    return '%g' % value


def ratio(ours, theirs):
    if ours is None or not theirs:
        return None
    return ours / theirs


def fmt_ratio(r):
    if r is None:
        return 'n/a'
    if r == 0:
        return '0'
    if r < 1:
        return '%.3f (1/%.1f)' % (r, 1 / r)
    return '%.2f' % r


def table(headers, rows):
    """A Markdown table (also readable as plain text)."""
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda cells: '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths)) + ' |'
    out = [line(headers), '|' + '|'.join('-' * (w + 2) for w in widths) + '|']
    out += [line(r) for r in rows]
    return '\n'.join(out)


def comparison_rows(results):
    """(figure, python value, pmdabcc value, ratio, unit) for every row."""
    theirs, ours = results['runs']['python'], results['runs']['pmdabcc']
    fetches = results['settings']['fetches']
    per = 10000.0 / fetches
    rows = []

    def add(label, unit, t, o):
        rows.append((label, t, o, ratio(o, t), unit))

    add('time from start to ready', 's', pick(theirs, 'ready', 'ready_seconds'),
        pick(ours, 'ready', 'ready_seconds'))
    add('CPU time from start to ready', 's', pick(theirs, 'ready', 'cpu_seconds'),
        pick(ours, 'ready', 'cpu_seconds'))
    add('peak memory (VmHWM) at ready', 'MB', pick(theirs, 'at_ready', 'VmHWM'),
        pick(ours, 'at_ready', 'VmHWM'))
    for when, key in (('after startup', 'start'), ('after %d fetches' % fetches, 'after')):
        for field in ('Rss', 'Pss', 'Private_Dirty'):
            add('%s %s' % (field, when), 'MB', pick(theirs, key, field), pick(ours, key, field))
    add('peak memory (VmHWM) after %d fetches' % fetches, 'MB', pick(theirs, 'after', 'VmHWM'),
        pick(ours, 'after', 'VmHWM'))
    cpu = lambda runs: (pick(runs, 'fetch', 'agent_cpu_seconds') or 0) * per
    add('agent CPU per 10,000 fetches', 's', cpu(theirs), cpu(ours))
    add('fetch latency p50 (client, through pmcd)', 'us', pick(theirs, 'fetch', 'p50_us'),
        pick(ours, 'fetch', 'p50_us'))
    add('fetch latency p99 (client, through pmcd)', 'us', pick(theirs, 'fetch', 'p99_us'),
        pick(ours, 'fetch', 'p99_us'))
    for workload, what in KERNEL_LABELS.items():
        base = pick(results['baseline'], workload)
        add('loop: %s (no agent: %s)' % (what, fmt(base, 'ns')), 'ns',
            pick(theirs, 'kernel', workload), pick(ours, 'kernel', workload))
    add('BPF program time per run (kernel bpf_stats)', 'ns', pick(theirs, 'bpf_ns_per_run'),
        pick(ours, 'bpf_ns_per_run'))
    for n, runs in sorted(results['scale'].items()):
        mods = runs['modules']
        label = '%d module%s (%s)' % (n, '' if n == 1 else 's', ', '.join(mods))
        add('scale, %s: time to ready' % label, 's', pick(runs['python'], 'ready', 'ready_seconds'),
            pick(runs['pmdabcc'], 'ready', 'ready_seconds'))
        add('scale, %s: VmHWM' % label, 'MB', pick(runs['python'], 'at_ready', 'VmHWM'),
            pick(runs['pmdabcc'], 'at_ready', 'VmHWM'))
        add('scale, %s: Private_Dirty' % label, 'MB', pick(runs['python'], 'start', 'Private_Dirty'),
            pick(runs['pmdabcc'], 'start', 'Private_Dirty'))
    return rows


KERNEL_LABELS = {
    'getpid': 'ns per getpid()',
    'ctxswitch': 'ns per context switch',
    'tcp': 'ns per loopback TCP connection',
}


def render_comparison(results):
    rows = [(label, fmt(t, unit), fmt(o, unit), fmt_ratio(r))
            for label, t, o, r, unit in comparison_rows(results)]
    return table(['figure (median of %d)' % results['settings']['reps'], 'Python agent',
                  'pmdabcc', 'pmdabcc / Python'], rows)


def render_floor(results):
    floor = results.get('floor')
    if not floor:
        return 'pmdabpf: not measured (%s)' % results.get('floor_skipped', 'not installed')
    rows = []
    for label, key in (('VmHWM (peak)', 'VmHWM'), ('Rss', 'Rss'), ('Pss', 'Pss'),
                       ('Private_Dirty', 'Private_Dirty')):
        b = pick(floor['pmdabpf'], 'start', key)
        o = pick(floor['pmdabcc'], 'start', key)
        rows.append((label, fmt(b, 'MB'), fmt(o, 'MB'), fmt_ratio(ratio(o, b))))
    mods = ', '.join(floor['modules'])
    return table(['after startup, %s' % mods, "pmdabpf (PCP's C agent)", 'pmdabcc',
                  'pmdabcc / pmdabpf'], rows)


def render_growth(results):
    g = results.get('growth')
    if not g:
        return ''
    a, b = g['at'], g['later']
    # (Pss also moves when other processes map or unmap the same libraries)
    parts = ['%s %+d kB' % (k, b[k] - a[k]) for k in ('Rss', 'Private_Dirty')]
    return 'pmdabcc memory from %d to %d fetches: %s' % (g['from'], g['to'], ', '.join(parts))


def targets(results):
    """(target, measured, verdict) for each target of the benchmark."""
    theirs, ours = results['runs']['python'], results['runs']['pmdabcc']
    out = []

    def check(name, o, t, limit, unit):
        r = ratio(o, t)
        ok = r is not None and r <= limit
        out.append((name, '%s vs %s: %s' % (fmt(o, unit), fmt(t, unit), fmt_ratio(r)),
                    'met' if ok else 'MISSED'))

    check('steady Private_Dirty ≤ 1/8 of theirs', pick(ours, 'after', 'Private_Dirty'),
          pick(theirs, 'after', 'Private_Dirty'), 1 / 8, 'MB')
    pd = pick(ours, 'after', 'Private_Dirty')
    mods = results['modules']
    has_pair = 'runqlat' in mods and 'tcplife' in mods
    out.append(('steady Private_Dirty ≤ 20 MB' + ('' if has_pair else
                ' (tcplife not in this run)'), fmt(pd, 'MB') + ' with ' + ', '.join(mods),
                'met' if pd is not None and pd <= 20 * MB else 'MISSED'))
    check('peak memory at startup ≤ 1/2', pick(ours, 'at_ready', 'VmHWM'),
          pick(theirs, 'at_ready', 'VmHWM'), 1 / 2, 'MB')
    check('time to ready ≤ 1/2', pick(ours, 'ready', 'ready_seconds'),
          pick(theirs, 'ready', 'ready_seconds'), 1 / 2, 's')
    check('agent CPU per fetch ≤ 1/20', pick(ours, 'fetch', 'agent_cpu_seconds'),
          pick(theirs, 'fetch', 'agent_cpu_seconds'), 1 / 20, 's')
    check('p99 fetch latency ≤ 1/5', pick(ours, 'fetch', 'p99_us'),
          pick(theirs, 'fetch', 'p99_us'), 1 / 5, 'us')
    check('kernel cost: BPF time per program run no higher than theirs',
          pick(ours, 'bpf_ns_per_run'), pick(theirs, 'bpf_ns_per_run'), 1.0, 'ns')
    # the loop timings (in the table) move by more than the BPF cost with the
    # machine's other load; the kernel's own accounting of the programs does not
    g = results.get('growth')
    if g:
        grew = g['later']['Private_Dirty'] - g['at']['Private_Dirty']
        out.append(('Private_Dirty does not grow from %d to %d fetches (≤ 256 kB)'
                    % (g['from'], g['to']), '%+d kB' % grew, 'met' if grew <= 256 else 'MISSED'))
    return out


def render_targets(results):
    return table(['target', 'measured (pmdabcc vs Python)', ''], targets(results))
