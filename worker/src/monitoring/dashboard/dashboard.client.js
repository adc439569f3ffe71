// The owner dashboard in the browser: reads /owner/api/* (same origin; the browser resends the Basic
// credentials it asked for) and draws with uPlot (served by the worker, /owner/assets/uplot.js).
// Everything shown is set as text, never as HTML.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const charts = {};
  let data = null;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  const iso = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const num = (x) => (x === null || x === undefined ? '' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

  async function getJson(url, init) {
    const res = await fetch(url, Object.assign({ credentials: 'same-origin' }, init));
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return res.json();
  }

  function draw(id, buckets, lines) {
    const target = $(id);
    const width = Math.max(300, target.clientWidth || 500);
    const xs = buckets.map((b) => b.t / 1000);
    const opts = {
      width,
      height: 200,
      series: [{}].concat(lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, spanGaps: false }))),
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
    };
    const series = [xs].concat(lines.map((l) => buckets.map(l.value)));
    if (charts[id]) charts[id].destroy();
    target.textContent = '';
    charts[id] = new uPlot(opts, series, target);
  }

  function selected() {
    const g = $('group').value;
    if (g === 'overall') return data.overall;
    const [kind, key] = [g.slice(0, g.indexOf(':')), g.slice(g.indexOf(':') + 1)];
    return (kind === 'route' ? data.routes : data.models)[key] || [];
  }

  function render() {
    const b = selected();
    draw('chart-requests', b, [{ label: 'requests', color: '#2563eb', value: (x) => x.requests }, { label: 'errors', color: '#dc2626', value: (x) => x.errors }]);
    draw('chart-errors', b, [{ label: 'error rate', color: '#dc2626', value: (x) => (x.requests ? x.errorRate : null) }]);
    draw('chart-latency', b, [{ label: 'p50', color: '#059669', value: (x) => (x.requests ? x.p50 : null) }, { label: 'p95', color: '#d97706', value: (x) => (x.requests ? x.p95 : null) }]);
    draw('chart-tokens', b, [{ label: 'in', color: '#7c3aed', value: (x) => x.tokensIn }, { label: 'out', color: '#db2777', value: (x) => x.tokensOut }]);
    draw('chart-thumbs', b, [{ label: 'thumbs-down rate', color: '#b91c1c', value: (x) => x.downRate }]);
  }

  function fillGroups() {
    const select = $('group');
    const keep = select.value;
    select.textContent = '';
    select.appendChild(Object.assign(el('option', 'Overall'), { value: 'overall' }));
    for (const r of Object.keys(data.routes).sort()) select.appendChild(Object.assign(el('option', 'Route ' + r), { value: 'route:' + r }));
    for (const m of Object.keys(data.models).sort()) select.appendChild(Object.assign(el('option', 'Model ' + m), { value: 'model:' + m }));
    select.value = [...select.options].some((o) => o.value === keep) ? keep : 'overall';
  }

  async function loadSeries() {
    const span = Number($('range').value);
    const to = Date.now();
    const bucket = Math.max(60, Math.round(span / 1000 / 120));
    data = await getJson('/owner/api/series?from=' + (to - span) + '&to=' + to + '&bucket=' + bucket);
    fillGroups();
    render();
  }

  async function loadAlerts() {
    const { alerts } = await getJson('/owner/api/alerts');
    const body = $('alerts');
    body.textContent = '';
    if (!alerts.length) body.appendChild(el('tr')).appendChild(el('td', 'No alerts.', 'muted'));
    for (const a of alerts) {
      const tr = el('tr');
      tr.dataset.testid = 'dashboard-alert';
      tr.append(el('td', a.series), el('td', a.kind + ' ' + a.direction), el('td', iso(a.startedAt)), el('td', a.closed ? iso(a.endedAt) : 'ongoing'));
      tr.append(el('td', num(a.value), 'num'), el('td', num(a.expected), 'num'), el('td', a.score.toFixed(1), 'num'));
      tr.append(el('td', a.postedAt ? 'posted' : a.postError || 'not posted', a.postError ? 'error' : 'muted'));
      const link = el('a', 'requests');
      link.href = '#' + a.link.split('#')[1];
      tr.append(el('td')).lastChild.appendChild(link);
      body.appendChild(tr);
    }
  }

  async function loadRequests() {
    const section = $('requests-section');
    const hash = location.hash.slice(1);
    if (!hash.startsWith('requests?')) {
      section.hidden = true;
      return;
    }
    const params = new URLSearchParams(hash.slice('requests?'.length));
    const { requests } = await getJson('/owner/api/requests?' + params);
    section.hidden = false;
    $('requests-title').textContent = 'Requests ' + (params.get('route') || 'on every route') + ' from ' + iso(Number(params.get('from'))) + ' to ' + iso(Number(params.get('to')));
    const body = $('requests');
    body.textContent = '';
    for (const r of requests) {
      const tr = el('tr');
      tr.append(el('td', iso(r.at)), el('td', r.method + ' ' + r.route), el('td', r.status, r.status >= 500 ? 'num error' : 'num'), el('td', num(r.ms), 'num'));
      tr.append(el('td', [r.provider, r.model].filter(Boolean).join(' · ')), el('td', r.template || ''), el('td', (r.tokensIn ?? '') + ' / ' + (r.tokensOut ?? '') + (r.tokensEstimated ? ' ≈' : ''), 'num'));
      tr.append(el('td', Object.entries(r.stages).map(([k, v]) => k + ' ' + v).join(', ')), el('td', r.requestId, 'muted'));
      body.appendChild(tr);
    }
    section.scrollIntoView();
  }

  async function refresh() {
    $('status').textContent = 'loading…';
    try {
      await Promise.all([loadSeries(), loadAlerts(), loadRequests()]);
      $('status').textContent = 'updated ' + iso(Date.now());
    } catch (error) {
      $('status').textContent = String(error.message || error);
    }
  }

  $('range').addEventListener('change', refresh);
  $('group').addEventListener('change', render);
  window.addEventListener('hashchange', () => loadRequests().catch((e) => ($('status').textContent = String(e))));
  $('detect').addEventListener('click', async () => {
    $('status').textContent = 'detecting…';
    try {
      const run = await getJson('/owner/api/detect', { method: 'POST' });
      $('status').textContent = run.series + ' series checked, ' + run.created.length + ' new alert(s)';
      await loadAlerts();
    } catch (error) {
      $('status').textContent = String(error.message || error);
    }
  });
  refresh();
  setInterval(refresh, 60_000);
})();
