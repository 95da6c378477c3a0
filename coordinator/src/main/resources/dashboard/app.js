// fleetrun dashboard: the fleet report (GET /v1/fleet, then live from the event-bus bridge's raw
// WebSocket, address fleetrun.fleet), drawn as totals, charts, a worker table and batch cards.
// Plain JS, no build step. With a token: taken once from ?token= or typed in, kept for the tab.
'use strict';

(function () {
  const FLEET = 'fleetrun.fleet';
  const WINDOW_MS = 5 * 60 * 1000;
  const state = { token: null, updates: 0, source: 'none', report: null, history: [], expanded: new Set(),
    failuresSeen: new Map(), ws: null, pollTimer: null, pingTimer: null, retry: 0 };
  window.fleetrunState = state; // for tests and curious operators

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- formatting ----
  const fmt = {
    int: (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US')),
    rate: (n) => (n == null ? '–' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)),
    cores: (n) => (n == null ? '–' : n.toFixed(2)),
    bytes: (b) => {
      if (b == null) return '–';
      const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let i = 0;
      while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
      return (b >= 100 || i === 0 ? Math.round(b) : b.toFixed(1)) + ' ' + u[i];
    },
    dur: (ms) => {
      if (ms == null) return '–';
      if (ms < 1000) return Math.max(0, Math.round(ms)) + 'ms';
      const s = Math.round(ms / 1000);
      if (s < 60) return s + 's';
      if (s < 3600) return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
      return Math.floor(s / 3600) + 'h' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
    },
    ms: (v) => (v == null ? '–' : v < 10 ? v.toFixed(1) + ' ms' : Math.round(v) + ' ms'),
  };

  // ---- token and HTTP ----
  function initToken() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl) {
      sessionStorage.setItem('fleetrun.token', fromUrl);
      url.searchParams.delete('token');
      history.replaceState(null, '', url.pathname + url.search + url.hash); // keep it out of the address bar
    }
    state.token = sessionStorage.getItem('fleetrun.token');
  }

  async function api(path) {
    const headers = state.token ? { Authorization: 'Bearer ' + state.token } : {};
    const r = await fetch(path, { headers, cache: 'no-store' });
    if (r.status === 401) {
      askToken(state.token ? 'That token was refused.' : '');
      throw new Error('unauthorized');
    }
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  }

  function askToken(message) {
    $('token-form').classList.remove('hidden');
    $('token-error').textContent = message || '';
    setConn('wait', 'token needed');
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token-input').value.trim();
    if (!t) return;
    sessionStorage.setItem('fleetrun.token', t);
    state.token = t;
    $('token-form').classList.add('hidden');
    start();
  });

  function setConn(kind, text) {
    const c = $('conn');
    c.className = 'conn conn-' + kind;
    c.textContent = text;
  }

  // ---- live updates: the bridge's raw WebSocket, polling while it is down ----
  function connect() {
    if (state.ws) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = state.token ? '?token=' + encodeURIComponent(state.token) : '';
    const ws = new WebSocket(proto + '//' + location.host + '/eventbus/websocket' + q);
    ws.binaryType = 'arraybuffer';
    state.ws = ws;
    ws.onopen = () => {
      state.retry = 0;
      ws.send(JSON.stringify({ type: 'register', address: FLEET }));
      state.pingTimer = setInterval(() => ws.send(JSON.stringify({ type: 'ping' })), 5000);
      stopPolling();
      setConn('live', 'live');
    };
    ws.onmessage = (m) => {
      const text = typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data);
      let msg;
      try { msg = JSON.parse(text); } catch (e) { return; }
      if (msg.type === 'rec' && msg.address === FLEET && msg.body) {
        state.source = 'bridge';
        update(msg.body);
      } else if (msg.type === 'err') {
        setConn('wait', 'bridge: ' + (msg.body || 'error'));
      }
    };
    ws.onclose = () => {
      clearInterval(state.pingTimer);
      state.ws = null;
      setConn('wait', 'reconnecting…');
      startPolling();
      state.retry = Math.min(state.retry + 1, 5);
      setTimeout(connect, 1000 * state.retry);
    };
  }

  function startPolling() {
    if (state.pollTimer) return;
    state.pollTimer = setInterval(() => {
      api('/v1/fleet').then((r) => { state.source = 'poll'; update(r); }).catch(() => {});
    }, 2000);
  }

  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  async function start() {
    try {
      const [report, hist] = await Promise.all([api('/v1/fleet'), api('/v1/fleet/history')]);
      state.history = hist.points || [];
      state.source = 'http';
      update(report);
      connect();
    } catch (e) {
      if (e.message !== 'unauthorized') {
        setConn('wait', 'coordinator unreachable');
        setTimeout(start, 3000);
      }
    }
  }

  // ---- rendering ----
  function update(r) {
    state.report = r;
    state.updates++;
    document.body.dataset.updates = String(state.updates);
    const last = state.history.length ? state.history[state.history.length - 1].t : 0;
    if (r.generatedAtMs > last) {
      const t = r.totals;
      state.history.push({ t: r.generatedAtMs, tasksPerSecond: t.tasksPerSecond, cap: t.cap, liveChildren: t.liveChildren,
        cpuCores: t.cpuCores, childrenCpuCores: t.childrenCpuCores, rssBytes: t.rssBytes, childrenRssBytes: t.childrenRssBytes });
      while (state.history.length && r.generatedAtMs - state.history[0].t > WINDOW_MS) state.history.shift();
    }
    renderTotals(r);
    renderCharts();
    renderWorkers(r.workers);
    renderBatches(r.batches);
  }

  function stat(label, value, cls) {
    const d = el('div', 'stat' + (cls ? ' ' + cls : ''));
    d.append(el('span', 'stat-value', value), el('span', 'stat-label', label));
    return d;
  }

  function renderTotals(r) {
    const t = r.totals;
    const lag = r.queueLag && r.queueLag.polledAtMs ? fmt.int(r.queueLag.total) : '–';
    $('totals').replaceChildren(
      stat('workers up', t.up + ' / ' + t.workers, t.down > 0 ? 'warn' : ''),
      stat('children / cap', t.liveChildren + ' / ' + t.cap),
      stat('tasks/s', fmt.rate(t.tasksPerSecond)),
      stat('running', fmt.int(t.runningTasks)),
      stat('queued', fmt.int(t.queuedTasks)),
      stat('queue lag', lag),
      stat('suspect', fmt.int(t.suspectTasks), t.suspectTasks > 0 ? 'warn' : ''),
      stat('zombies', fmt.int(t.zombies), t.zombies > 0 ? 'bad' : ''));
  }

  function renderCharts() {
    const h = state.history;
    const times = h.map((p) => p.t);
    const css = getComputedStyle(document.documentElement);
    const c1 = css.getPropertyValue('--c1').trim(), c2 = css.getPropertyValue('--c2').trim();
    FleetCharts.draw($('chart-rate'), times, [{ values: h.map((p) => p.tasksPerSecond), color: c1, fill: true }],
      { window: WINDOW_MS, format: (v) => fmt.rate(v) });
    FleetCharts.draw($('chart-children'), times, [
      { label: 'live', values: h.map((p) => p.liveChildren), color: c1, fill: true },
      { label: 'cap', values: h.map((p) => p.cap), color: c2, dashed: true }], { window: WINDOW_MS, format: (v) => fmt.int(v), minMax: 1 });
    FleetCharts.draw($('chart-cpu'), times, [
      { label: 'workers', values: h.map((p) => p.cpuCores), color: c2 },
      { label: 'tasks', values: h.map((p) => p.childrenCpuCores), color: c1, fill: true }],
    { window: WINDOW_MS, format: (v) => v.toFixed(v < 1 ? 2 : 1) });
    FleetCharts.draw($('chart-rss'), times, [
      { label: 'workers', values: h.map((p) => p.rssBytes), color: c2 },
      { label: 'tasks', values: h.map((p) => p.childrenRssBytes), color: c1, fill: true }],
    { window: WINDOW_MS, format: (v) => fmt.bytes(v) });
  }

  function cell(row, text, cls) {
    const td = el('td', cls, text);
    row.append(td);
    return td;
  }

  function renderWorkers(workers) {
    const body = $('workers').querySelector('tbody');
    const rows = workers.map((w) => {
      const s = w.sample;
      const tr = el('tr');
      tr.dataset.worker = w.workerId;
      if (w.state === 'DOWN') tr.classList.add('down');
      cell(tr, w.workerId, 'mono');
      cell(tr, s.host);
      const st = cell(tr, '');
      const label = w.state === 'DOWN' ? 'down' : !s.healthy ? 'unhealthy' : s.memoryPaused ? 'memory low' : 'up';
      st.append(el('span', 'badge badge-' + label.replace(' ', '-'), label));
      const bar = cell(tr, '', 'wide');
      bar.append(meter(s.liveChildren, s.cap, s.liveChildren + ' / ' + s.cap));
      cell(tr, fmt.int(s.queued), 'num');
      cell(tr, fmt.rate(w.tasksPerSecond), 'num');
      cell(tr, fmt.cores(s.processCpuCores), 'num');
      cell(tr, fmt.cores(s.childrenCpuCores), 'num');
      cell(tr, fmt.bytes(s.rssBytes), 'num');
      cell(tr, fmt.bytes(s.childrenRssBytes), 'num');
      cell(tr, fmt.int(s.openFds), 'num');
      cell(tr, fmt.int(s.threads), 'num');
      cell(tr, fmt.int(s.zombies), 'num' + (s.zombies > 0 ? ' bad' : ''));
      cell(tr, s.spawnLatencyMs && s.spawnLatencyMs.count ? fmt.ms(s.spawnLatencyMs.p95) : '–', 'num');
      cell(tr, fmt.dur(w.ageMs) + ' ago', 'num' + (w.state === 'DOWN' ? ' bad' : ''));
      cell(tr, fmt.int(w.restarts), 'num');
      if (w.suspectTaskIds && w.suspectTaskIds.length) {
        tr.title = 'suspect tasks: ' + w.suspectTaskIds.join(', ');
      }
      return tr;
    });
    body.replaceChildren(...rows);
    $('workers-empty').classList.toggle('hidden', workers.length > 0);
    $('workers-count').textContent = workers.length ? String(workers.length) : '';
  }

  function meter(value, max, text) {
    const m = el('div', 'meter');
    const fill = el('div', 'meter-fill');
    fill.style.width = Math.min(100, max > 0 ? (100 * value) / max : 0) + '%';
    m.append(fill, el('span', 'meter-text', text));
    return m;
  }

  function renderBatches(batches) {
    const box = $('batches');
    const keep = new Set(batches.map((b) => b.batchId));
    for (const card of [...box.children]) if (!keep.has(card.dataset.batch)) card.remove();
    batches.forEach((b, i) => {
      let card = box.querySelector('[data-batch="' + CSS.escape(b.batchId) + '"]');
      if (!card) card = newCard(b);
      if (box.children[i] !== card) box.insertBefore(card, box.children[i] || null);
      fillCard(card, b);
    });
    $('batches-empty').classList.toggle('hidden', batches.length > 0);
    $('batches-count').textContent = batches.length ? String(batches.length) : '';
  }

  function newCard(b) {
    const card = el('article', 'batch');
    card.dataset.batch = b.batchId;
    const head = el('div', 'batch-head');
    head.append(el('span', 'batch-name'), el('span', 'batch-id mono', b.batchId), el('span', 'badge batch-state'),
      el('span', 'batch-rate'));
    const bar = el('div', 'progress');
    for (const k of ['ok', 'fail', 'run', 'queue']) bar.append(el('div', 'seg seg-' + k));
    const foot = el('div', 'batch-foot');
    const toggle = el('button', 'link failures-toggle', 'failures');
    toggle.type = 'button';
    toggle.addEventListener('click', () => {
      if (state.expanded.has(b.batchId)) state.expanded.delete(b.batchId);
      else state.expanded.add(b.batchId);
      state.failuresSeen.delete(b.batchId);
      fillCard(card, card.batch);
    });
    foot.append(el('span', 'batch-counts'), toggle);
    card.append(head, bar, foot, el('div', 'failures hidden'));
    return card;
  }

  function fillCard(card, b) {
    card.batch = b;
    card.querySelector('.batch-name').textContent = b.name || '(unnamed)';
    const st = card.querySelector('.batch-state');
    st.textContent = b.state.toLowerCase();
    st.className = 'badge batch-state state-' + b.state.toLowerCase();
    const finished = b.finishedAtMs != null;
    card.querySelector('.batch-rate').textContent = fmt.rate(b.tasksPerSecond) + ' tasks/s · '
      + (finished ? 'took ' + fmt.dur(b.elapsedMs) : 'ETA ' + (b.etaMs == null ? '–' : fmt.dur(b.etaMs))
        + ' · ' + fmt.dur(b.elapsedMs) + ' so far');
    const total = Math.max(1, b.taskCount);
    const segs = card.querySelectorAll('.seg');
    [b.succeeded, b.failed, b.running, b.queued].forEach((n, i) => { segs[i].style.width = (100 * n) / total + '%'; });
    const by = Object.entries(b.failedByOutcome || {}).map(([o, n]) => o + ' ' + n).join(', ');
    const counts = card.querySelector('.batch-counts');
    counts.replaceChildren(
      el('span', 'done', b.done + ' / ' + b.taskCount + ' done'),
      el('span', 'failed' + (b.failed ? ' bad' : ''), b.failed + ' failed' + (by ? ' (' + by + ')' : '')),
      el('span', 'running', b.running + ' running'),
      el('span', 'queued', b.queued + ' queued'));
    if (b.suspect) counts.append(el('span', 'warn', b.suspect + ' suspect'));
    const toggle = card.querySelector('.failures-toggle');
    toggle.classList.toggle('hidden', !b.failed);
    const open = state.expanded.has(b.batchId) && b.failed > 0;
    toggle.textContent = open ? 'hide failures' : 'show failures';
    const list = card.querySelector('.failures');
    list.classList.toggle('hidden', !open);
    if (open && state.failuresSeen.get(b.batchId) !== b.failed) {
      state.failuresSeen.set(b.batchId, b.failed);
      loadFailures(list, b).catch((e) => {
        state.failuresSeen.delete(b.batchId); // try again on the next update
        list.replaceChildren(el('p', 'error', 'cannot list the failed tasks: ' + e.message));
      });
    }
  }

  async function loadFailures(list, b) {
    const outcomes = Object.keys(b.failedByOutcome || {});
    const pages = await Promise.all(outcomes.map((o) =>
      api('/v1/batches/' + encodeURIComponent(b.batchId) + '/tasks?limit=20&state=' + encodeURIComponent(o))));
    const table = el('table', 'grid failures-table');
    const head = el('tr');
    for (const h of ['task', 'outcome', 'exit', 'signal', 'cause', 'took', 'command']) head.append(el('th', null, h));
    table.append(el('thead'), el('tbody'));
    table.tHead.append(head);
    for (const t of pages.flatMap((p) => p.items)) {
      const tr = el('tr', 'failure');
      tr.dataset.task = t.taskId;
      const a = el('button', 'link mono', t.taskId);
      a.type = 'button';
      a.addEventListener('click', () => openTask(t.taskId).catch((e) => showTaskError(t.taskId, e)));
      tr.append(el('td'), el('td', 'bad', t.outcome), el('td', 'num', t.exitCode == null ? '–' : String(t.exitCode)),
        el('td', null, t.signal || '–'), el('td', null, t.cause || '–'), el('td', 'num', fmt.dur(t.durationMs)),
        el('td', 'mono cmd', t.cmd || ''));
      tr.firstChild.append(a);
      table.tBodies[0].append(tr);
    }
    const more = pages.reduce((n, p) => n + Math.max(0, p.total - p.items.length), 0);
    list.replaceChildren(table);
    if (more) list.append(el('p', 'empty', more + ' more not shown (see GET /v1/batches/{id}/tasks)'));
  }

  async function openTask(taskId) {
    const t = await api('/v1/tasks/' + encodeURIComponent(taskId));
    const a = t.attempts.length ? t.attempts[t.attempts.length - 1] : null;
    const r = a && a.result;
    $('task-title').textContent = taskId;
    const facts = $('task-facts');
    facts.replaceChildren();
    const fact = (k, v) => facts.append(el('dt', null, k), el('dd', null, v == null || v === '' ? '–' : String(v)));
    fact('state', t.state);
    fact('command', t.spec ? (t.spec.cmd || (t.spec.argv || []).join(' ')) : null);
    fact('worker', a && (a.workerId + ' on ' + a.host));
    fact('attempt', a && a.attempt + (a.runs > 1 ? ' (ran ' + a.runs + ' times)' : ''));
    if (r) {
      fact('outcome', r.outcome);
      fact('exit code', r.exitCode);
      fact('signal', r.signal);
      fact('cause', r.cause);
      fact('error', r.error);
      fact('wall time', fmt.dur(r.endedAtMs - r.startedAtMs));
    }
    $('task-stderr').textContent = r ? text(r.stderr) : '(no result yet)';
    $('task-stdout').textContent = r ? text(r.stdout) : '';
    $('task-dialog').showModal();
  }

  function showTaskError(taskId, e) {
    $('task-title').textContent = taskId;
    $('task-facts').replaceChildren(el('dt', null, 'error'), el('dd', 'error', e.message));
    $('task-stderr').textContent = '';
    $('task-stdout').textContent = '';
    if (!$('task-dialog').open) $('task-dialog').showModal();
  }

  function text(c) {
    if (!c || c.totalBytes === 0) return '(empty)';
    return c.truncated ? c.head + '\n[… ' + (c.totalBytes - c.keptBytes) + ' bytes not kept …]\n' + c.tail : c.head + c.tail;
  }

  // closing the dialog puts focus back on the task link; a focus ring there is only noise
  $('task-dialog').addEventListener('close', () => document.activeElement && document.activeElement.blur());
  window.addEventListener('resize', () => renderCharts());
  initToken();
  start();
})();
