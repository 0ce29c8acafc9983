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


def floor_figures(results):
    """Medians for pmdabpf and pmdabcc with runqlat + biolatency, or None."""
    floor = results.get('floor')
    if not floor or not floor.get('pmdabpf'):
        return None
    out = {}
    for agent in ('pmdabpf', 'pmdabcc'):
        runs = floor.get(agent) or []
        per_fetch = [r['fetch']['agent_sched_seconds'] / r['fetch']['fetches']
                     for r in runs if r.get('fetch', {}).get('fetches')]
        out[agent] = {
            'VmRSS': pick(runs, 'start', 'VmRSS'),
            'Private_Dirty': pick(runs, 'start', 'Private_Dirty'),
            'Pss': pick(runs, 'start', 'Pss'),
            'VmHWM': pick(runs, 'after', 'VmHWM') or pick(runs, 'start', 'VmHWM'),
            'cpu_per_fetch_us': median(per_fetch) * 1e6 if per_fetch else None,
            'p50_us': pick(runs, 'fetch', 'p50_us'),
            'ready': pick(runs, 'ready', 'ready_seconds'),
        }
    return out


def render_floor(results):
    figures = floor_figures(results)
    if not figures:
        return 'pmdabpf: not measured (%s)' % results.get('floor_skipped', 'not installed')
    b, o = figures['pmdabpf'], figures['pmdabcc']
    rows = []
    for label, key, unit in (('VmRSS after startup', 'VmRSS', 'MB'),
                             ('Pss after startup', 'Pss', 'MB'),
                             ('Private_Dirty after startup', 'Private_Dirty', 'MB'),
                             ('VmHWM (peak) after the fetches', 'VmHWM', 'MB'),
                             ('agent CPU per fetch (schedstat)', 'cpu_per_fetch_us', 'us'),
                             ('fetch latency p50 (client, through pmcd)', 'p50_us', 'us'),
                             ('time from start to ready', 'ready', 's')):
        rows.append((label, fmt(b[key], unit), fmt(o[key], unit), fmt_ratio(ratio(o[key], b[key]))))
    floor = results['floor']
    return table(['%s under one pmcd (median of %d; %d fetches of the two histograms)'
                  % (', '.join(floor['modules']), len(floor['pmdabpf']), floor['fetches']),
                  "pmdabpf (PCP's C agent)", 'pmdabcc', 'pmdabcc / pmdabpf'], rows)


def everything_figures(results):
    e = results.get('ours_everything')
    if not e:
        return None
    run = e['run']
    loaders = run.get('loaders') or {}
    per_fetch = None
    if run.get('fetch', {}).get('fetches'):
        per_fetch = run['fetch']['agent_sched_seconds'] / run['fetch']['fetches'] * 1e6
    return {
        'modules': e['modules'],
        'metrics': run['ready'].get('metrics'),
        'ready': run['ready']['ready_seconds'],
        'agent_cpu': run['ready']['cpu_seconds'],
        'loaders_cpu': run['ready'].get('loaders_cpu_seconds'),
        'loaders': loaders.get('count'),
        'loaders_at_once': loaders.get('most_at_once'),
        'loader_peak': loaders.get('peak_VmHWM'),
        'VmRSS': run['start']['VmRSS'],
        'Private_Dirty': run['start']['Private_Dirty'],
        'VmRSS_after': (run.get('after') or {}).get('VmRSS'),
        'Private_Dirty_after': (run.get('after') or {}).get('Private_Dirty'),
        'VmHWM': (run.get('after') or run['start'])['VmHWM'],
        'cpu_per_fetch_us': per_fetch,
        'fetches': (run.get('fetch') or {}).get('fetches'),
    }


def render_everything(results):
    f = everything_figures(results)
    if not f:
        return ''
    rows = [
        ('time from start to ready', fmt(f['ready'], 's')),
        ('agent CPU from start to ready', fmt(f['agent_cpu'], 's')),
        ('loaders: CPU in all (the agent\'s reaped children)', fmt(f['loaders_cpu'], 's')),
        ('loaders: started, most at once (sampled every 20 ms)',
         '%s, %s' % (f['loaders'], f['loaders_at_once'])),
        ('loaders: peak memory (largest VmHWM sampled)', fmt(f['loader_peak'], 'MB')),
        ('agent VmRSS / Private_Dirty after startup',
         '%s / %s' % (fmt(f['VmRSS'], 'MB'), fmt(f['Private_Dirty'], 'MB'))),
        ('agent VmRSS / Private_Dirty after %d fetches of all %d metrics'
         % (f['fetches'] or 0, f['metrics'] or 0),
         '%s / %s' % (fmt(f['VmRSS_after'], 'MB'), fmt(f['Private_Dirty_after'], 'MB'))),
        ('agent VmHWM (peak)', fmt(f['VmHWM'], 'MB')),
        ('agent CPU per fetch of all metrics (schedstat)', fmt(f['cpu_per_fetch_us'], 'us')),
    ]
    return table(['pmdabcc with every module that runs here (%d: %s)'
                  % (len(f['modules']), ', '.join(f['modules'])), ''], rows)


def lean_targets(results):
    """(target, measured, verdict): the lean agent's targets against pmdabpf and alone."""
    out = []
    verdict = lambda ok: 'met' if ok else 'MISSED'
    figures = floor_figures(results)
    if figures and figures['pmdabcc']['VmRSS'] is not None:
        b, o = figures['pmdabpf'], figures['pmdabcc']

        def against(name, ours, theirs, limit, unit, alternative=None):
            r = ratio(ours, theirs)
            ok = r is not None and r <= limit
            text = '%s vs %s: %s' % (fmt(ours, unit), fmt(theirs, unit), fmt_ratio(r))
            if alternative is not None and ours is not None:
                ok = ok or ours <= alternative
            out.append((name, text, verdict(ok)))

        against('VmRSS ≤ 1.5 × pmdabpf\'s', o['VmRSS'], b['VmRSS'], 1.5, 'MB')
        against('Private_Dirty ≤ 2 × pmdabpf\'s or ≤ 4 MB', o['Private_Dirty'], b['Private_Dirty'],
                2.0, 'MB', alternative=4 * MB)
        against('agent VmHWM ≤ 2 × pmdabpf\'s VmRSS', o['VmHWM'], b['VmRSS'], 2.0, 'MB')
        against('agent CPU per fetch ≤ pmdabpf\'s', o['cpu_per_fetch_us'], b['cpu_per_fetch_us'],
                1.0, 'us')
    else:
        out.append(('against pmdabpf', results.get('floor_skipped', 'not measured'), 'n/a'))
    f = everything_figures(results)
    if f:
        n = '%d modules' % len(f['modules'])
        for label, key, limit in (('VmRSS', 'VmRSS', 25), ('Private_Dirty', 'Private_Dirty', 15)):
            values = [v for v in (f[key], f[key + '_after']) if v is not None]
            worst = max(values) if values else None
            out.append(('every module: agent %s ≤ %d MB' % (label, limit),
                        '%s (largest of after startup and after the fetches; %s)'
                        % (fmt(worst, 'MB'), n),
                        verdict(worst is not None and worst <= limit * MB)))
        out.append(('every module: time to ready (with the loaders\' peak and CPU)',
                    '%s; loaders peak %s, CPU %s' % (fmt(f['ready'], 's'), fmt(f['loader_peak'], 'MB'),
                                                     fmt(f['loaders_cpu'], 's')),
                    'reported'))
    return out


def render_lean_targets(results):
    return table(['target (pmdabcc against pmdabpf, and alone)', 'measured', ''],
                 lean_targets(results))


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
