/**
 * The viewer's browser script (plain ES2020, no dependencies). It reads the embedded JSON and
 * renders, from the location hash: the list of runs; a run's tasks with filters by worker,
 * outcome and arm; a task's forecasts, each arm's clearing rounds (bids and score parts, the
 * router's call) and each attempt's steps, diff and judge log. Data is inserted as text nodes only.
 */
export const VIEW_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('view-data').textContent);
  var root = document.getElementById('app');

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) continue;
      if (k === 'onclick' || k === 'onchange') el[k] = attrs[k]; else el.setAttribute(k, String(attrs[k]));
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function money(x) {
    if (x === null || x === undefined || !isFinite(x)) return '–';
    var a = Math.abs(x), s = a >= 100 ? a.toFixed(2) : a >= 1 ? a.toFixed(3) : a.toFixed(4);
    return (x < 0 ? '\u2212' : '') + '$' + s;
  }
  function num(x, d) { return x === null || x === undefined || !isFinite(x) ? '–' : Number(x).toFixed(d === undefined ? 3 : d); }
  function int(x) { return x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'); }
  function params() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('=');
      out[decodeURIComponent(i < 0 ? part : part.slice(0, i))] = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
    });
    return out;
  }
  function link(p) {
    return '#' + Object.keys(p).filter(function (k) { return p[k] !== undefined && p[k] !== ''; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(p[k]); }).join('&');
  }
  function badge(ok) { return h('span', { class: ok ? 'badge pass' : 'badge fail' }, ok ? 'resolved' : 'failed'); }
  function table(head, rows, cls) {
    return h('table', { class: cls || '' }, h('thead', null, h('tr', null, head.map(function (c) { return h('th', null, c); }))),
      h('tbody', null, rows.map(function (r) { return h('tr', null, r.map(function (c) { return h('td', null, c); })); })));
  }
  function findRun(id) { return data.runs.filter(function (r) { return r.id === id; })[0]; }
  // A task's statement, forecasts, rounds and attempts sit in their own JSON block, parsed on first open.
  function full(task) {
    if (task.loaded) return task;
    var block = document.getElementById(task.detail);
    var d = block ? JSON.parse(block.textContent) : { statement: '', forecasts: [], rounds: [], attempts: [] };
    task.statement = d.statement; task.forecasts = d.forecasts; task.rounds = d.rounds; task.attempts = d.attempts; task.loaded = true;
    return task;
  }

  function runsPage() {
    return [h('h1', null, 'Runs'),
      data.runs.length === 0 ? h('p', null, 'This store has no runs yet.') :
      table(['run', 'kind', 'created', 'status', 'tasks', 'attempts', 'workers', 'arms'], data.runs.map(function (r) {
        var n = r.tasks.reduce(function (s, t) { return s + t.attempts.length; }, 0);
        return [h('a', { href: link({ run: r.id }), class: 'run-link' }, r.id), r.kind, r.createdAt.replace('T', ' ').slice(0, 19), r.status,
          r.tasks.length, n, r.workers.join(', '), r.arms.join(', ') || '–'];
      }))];
  }

  function matches(task, p) {
    var attempts = task.attempts.filter(function (a) {
      return (!p.worker || a.workerId === p.worker) && (!p.arm || a.arms.indexOf(p.arm) >= 0);
    });
    var rounds = task.rounds.filter(function (r) { return !p.arm || r.arm === p.arm; });
    if (p.worker && attempts.length === 0 && !task.forecasts.some(function (f) { return f.workerId === p.worker; })) return null;
    if (p.arm && rounds.length === 0 && attempts.length === 0) return null;
    var solved = attempts.some(function (a) { return a.resolved; });
    if (p.outcome === 'resolved' && !solved) return null;
    if (p.outcome === 'failed' && (solved || attempts.length === 0)) return null;
    if (p.outcome === 'none' && attempts.length > 0) return null;
    return { attempts: attempts, rounds: rounds, solved: solved };
  }

  function filters(run, p) {
    function select(name, label, options) {
      return h('label', null, label + ' ', h('select', { id: 'filter-' + name, onchange: function (e) {
        var q = Object.assign({}, p); q[name] = e.target.value; delete q.attempt; location.hash = link(q);
      } }, options.map(function (o) { return h('option', { value: o[0], selected: (p[name] || '') === o[0] }, o[1]); })));
    }
    return h('div', { class: 'filters' },
      select('worker', 'worker', [['', 'all']].concat(run.workers.map(function (w) { return [w, w]; }))),
      select('outcome', 'outcome', [['', 'all'], ['resolved', 'resolved'], ['failed', 'failed'], ['none', 'not attempted']]),
      run.arms.length ? select('arm', 'arm', [['', 'all']].concat(run.arms.map(function (a) { return [a, a]; }))) : null);
  }

  function runPage(run, p) {
    var rows = [];
    run.tasks.forEach(function (task) {
      var m = matches(task, p);
      if (!m) return;
      var cost = m.attempts.reduce(function (s, a) { return s + a.costUsd; }, 0);
      var winners = m.rounds.map(function (r) { return r.arm + ' r' + r.round + ': ' + (r.workerIds.join(', ') || 'none'); }).join('; ');
      rows.push([h('a', { href: link(Object.assign({}, p, { task: task.id })), class: 'task-link' }, task.id), task.title === task.id ? '' : task.title,
        task.forecasts.length, m.rounds.length, m.attempts.length,
        m.attempts.length ? h('span', null, m.attempts.filter(function (a) { return a.resolved; }).length + '/' + m.attempts.length) : '–',
        money(cost), winners || '–']);
    });
    return [h('p', { class: 'crumbs' }, h('a', { href: '#' }, 'runs'), ' / ', run.id),
      h('h1', null, run.kind + ' run ' + run.id),
      filters(run, p),
      h('p', { class: 'count' }, rows.length + ' of ' + run.tasks.length + ' tasks'),
      table(['task', 'title', 'forecasts', 'rounds', 'attempts', 'resolved', 'cost', 'allocation'], rows, 'tasks')];
  }

  function roundView(r, attemptsByKey) {
    var d = r.detail || {};
    var parts = [h('h4', null, r.arm + ' \u2014 round ' + r.round + ': ' + (r.workerIds.join(', ') || 'no one assigned'))];
    if (Array.isArray(d.bids)) {
      parts.push(table(['worker', 'p', 'ask', 'e', '\u03c6', 'score', 'note'], d.bids.map(function (b) {
        var win = r.workerIds.indexOf(b.workerId) >= 0;
        return [h('span', { class: win ? 'winner' : '' }, b.workerId + (win ? ' \u2605' : '')), num(b.p), num(b.ask, 2), num(b.e, 3), num(b.phi, 2), num(b.score, 2),
          b.fallback ? 'fallback bid' : (b.reason || '')];
      }), 'bids'));
    }
    if (Array.isArray(d.menus)) {
      // Plan arms: every worker's menu, one row per plan; the won plan is starred.
      var won = d.plan || {};
      parts.push(table(['worker', 'budget', 'steps', 'p', 'tokens', 'ask', 'note'], d.menus.flatMap(function (m) {
        if (!Array.isArray(m.plans)) return [[m.workerId, '\u2013', '', '', '', '', m.reason || 'no menu']];
        return m.plans.map(function (pl) {
          var win = won.workerId === m.workerId && won.budgetUsd === pl.budgetUsd && won.maxSteps === pl.maxSteps;
          return [h('span', { class: win ? 'winner' : '' }, m.workerId + (win ? ' \u2605' : '')), pl.budgetUsd === undefined ? '' : money(pl.budgetUsd), pl.maxSteps === undefined ? '' : String(pl.maxSteps), num(pl.pSuccess), int(pl.expectedTokens), num(pl.ask, 3), win ? 'won plan: its caps bound the attempt' : ''];
        });
      }), 'menus'));
    }
    if (d.router && typeof d.router === 'object') {
      var rt = d.router;
      parts.push(h('div', { class: 'router' }, h('b', null, 'router call'), ' (' + (rt.model || '') + '): chose ', h('b', null, String(rt.choice || rt.named || 'nothing')),
        rt.reason ? ' \u2014 \u201c' + rt.reason + '\u201d' : '', rt.valid === false ? ' [invalid: ' + (rt.invalidReason || '') + ']' : '',
        rt.costUsd !== undefined ? ' \u00b7 ' + money(rt.costUsd) : ''));
    }
    if (r.payments && r.payments.length) {
      parts.push(h('p', { class: 'payments' }, 'payments: ' + r.payments.map(function (x) { return x.workerId + ' ' + num(x.amount, 4) + (x.reason ? ' (' + x.reason + ')' : ''); }).join(', ')));
    }
    var keys = Array.isArray(d.attempts) ? d.attempts.map(function (a) { return a.jobKey; }) : [];
    keys.forEach(function (k) {
      var a = attemptsByKey[k];
      if (a) parts.push(h('p', null, 'attempt: ', h('a', { href: '#attempt-' + k, class: 'attempt-ref' }, a.workerId), ' ', badge(a.resolved)));
    });
    if (!Array.isArray(d.bids) && !d.router && !Array.isArray(d.menus)) {
      var rest = Object.assign({}, d); delete rest.attempts; delete rest.arm; delete rest.mechanism; delete rest.currency;
      var keys2 = Object.keys(rest);
      if (keys2.length === 1 && keys2[0] === 'spec') parts.push(h('p', { class: 'spec' }, 'rule: ' + rest.spec));
      else if (keys2.length > 0) parts.push(h('pre', { class: 'detail' }, JSON.stringify(rest, null, 1)));
    }
    return h('div', { class: 'round' }, parts);
  }

  function attemptView(a) {
    return h('details', { class: 'attempt', id: 'attempt-' + a.key, open: true },
      h('summary', null, badge(a.resolved), ' ', h('b', null, a.workerId), ' round ' + a.round + (a.arms.length ? ' \u00b7 ' + a.arms.join(', ') : '') +
        ' \u00b7 ' + a.steps.length + ' steps \u00b7 ' + int(a.tokens) + ' tokens \u00b7 ' + money(a.costUsd) + ' \u00b7 ' + (a.wallTimeMs / 1000).toFixed(1) + ' s \u00b7 ' + (a.exitReason || '')),
      h('ol', { class: 'steps' }, a.steps.map(function (s) {
        return h('li', { class: 'step' },
          h('div', { class: 'step-head' }, 'step ' + s.index + ' \u00b7 exit ' + (s.exitCode === null ? '–' : s.exitCode) + ' \u00b7 ' + int(s.tokens) + ' tokens \u00b7 ' + money(s.costUsd)),
          h('pre', { class: 'command' }, '$ ' + (s.command === null ? '(no command)' : s.command)),
          s.output ? h('pre', { class: 'output' }, s.output) : null);
      })),
      h('h5', null, 'diff'), h('pre', { class: 'diff' }, a.diff || '(empty)'),
      h('h5', null, 'judge'), a.judge ? [h('p', null, a.judge.detail), h('pre', { class: 'judge' }, a.judge.log)] : h('p', null, 'no judge log stored'));
  }

  function taskPage(run, task, p) {
    full(task);
    var m = matches(task, p) || { attempts: [], rounds: [] };
    var byKey = {};
    task.attempts.forEach(function (a) { byKey[a.key] = a; });
    var forecasts = task.forecasts.filter(function (f) { return !p.worker || f.workerId === p.worker; });
    var back = Object.assign({}, p); delete back.task;
    return [h('p', { class: 'crumbs' }, h('a', { href: '#' }, 'runs'), ' / ', h('a', { href: link(back) }, run.id), ' / ', task.id),
      h('h1', null, task.title),
      filters(run, p),
      h('details', { class: 'statement' }, h('summary', null, 'problem statement'), h('pre', null, task.statement)),
      h('h2', null, 'Forecasts and bids (' + forecasts.length + ')'),
      forecasts.length ? table(['worker', 'treatment', 'p', 'tokens', 'ask', 'valid', 'rationale'], forecasts.map(function (f) {
        return [f.workerId, f.treatment + (f.repeat ? ' #' + f.repeat : ''), num(f.p), int(f.tokens), f.ask === null ? '–' : num(f.ask, 4), f.valid ? 'yes' : 'no: ' + (f.invalidReason || ''), f.rationale || ''];
      }), 'forecasts') : h('p', null, 'none'),
      h('h2', null, 'Clearing rounds (' + m.rounds.length + ')'),
      m.rounds.length ? m.rounds.map(function (r) { return roundView(r, byKey); }) : h('p', null, 'none'),
      h('h2', null, 'Attempts (' + m.attempts.length + ')'),
      m.attempts.map(attemptView)];
  }

  function render() {
    var p = params();
    root.textContent = '';
    var run = p.run ? findRun(p.run) : undefined;
    var task = run && p.task ? run.tasks.filter(function (t) { return t.id === p.task; })[0] : undefined;
    if (p.run && !run) append(root, [h('p', null, 'No run ' + p.run + ' in this view.'), runsPage()]);
    else if (task && !task.loaded && !document.getElementById(task.detail) && document.readyState === 'loading') {
      // The page shows the run table before the per-task blocks below the script are parsed.
      append(root, h('p', { class: 'count' }, 'loading ' + task.id + '…'));
      document.addEventListener('DOMContentLoaded', render, { once: true });
    } else if (task) append(root, taskPage(run, task, p));
    else if (run) append(root, runPage(run, p));
    else append(root, runsPage());
    window.scrollTo(0, 0);
  }
  window.addEventListener('hashchange', render);
  if (!location.hash && data.runs.length === 1) location.hash = link({ run: data.runs[0].id }); else render();
})();
`;
