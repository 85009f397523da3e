// wirecoder web UI: plain JavaScript over /api/v1/ (no build step, no network beyond this server).
'use strict';

const $ = (s) => document.querySelector(s);
const NS = 'http://www.w3.org/2000/svg';
const QUAD_COLORS = { 1: '#86efac', 2: '#16a34a', 3: '#fca5a5', 4: '#b91c1c', other: '#9ca3af' };
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5', '#0d9488', '#a16207', '#9ca3af'];
const state = { filter: {}, next: null, events: [], world: null, selected: null };

function el(tag, attrs, text) {
  const e = tag.startsWith('svg:') ? document.createElementNS(NS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function qs(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filter, ...(extra || {}) })) if (v !== undefined && v !== '') p.set(k, v);
  return p.toString();
}

async function api(path, extra) {
  const q = qs(extra);
  const r = await fetch('/api/v1/' + path + (q ? (path.includes('?') ? '&' : '?') + q : ''));
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || r.statusText);
  return body;
}

function showError(e) { $('#error').textContent = e ? String(e.message || e) : ''; }

// ---- filters ----
function readFilters() {
  const f = {};
  for (const [k, v] of new FormData($('#filters')).entries()) if (String(v).trim()) f[k] = String(v).trim();
  // A bare CAMEO root of two digits filters as a code prefix, like --root.
  return f;
}
function writeFilters() {
  for (const inp of $('#filters').querySelectorAll('input, select')) inp.value = state.filter[inp.name] || '';
  const params = new URLSearchParams(state.filter);
  history.replaceState(null, '', params.toString() ? '?' + params : location.pathname);
  $('#csv').href = '/api/v1/events?' + qs({ format: 'csv' });
}
function setFilter(f) { state.filter = f; writeFilters(); refresh(); }

// ---- events table ----
function actorCell(a) { return a ? (a.actor ? a.actor : a.text) : '–'; }
function rowOf(ev) {
  const tr = el('tr', { 'data-id': ev.id });
  tr.append(el('td', {}, ev.day || '–'), el('td', { title: ev.source.text }, actorCell(ev.source)),
    el('td', { class: 'q' + ev.quad_class, title: (ev.plover || '') + ' goldstein ' + ev.goldstein }, ev.cameo),
    el('td', { title: ev.target ? ev.target.text : '' }, actorCell(ev.target)), el('td', {}, ev.modality),
    el('td', {}, ev.evidence_text.length > 90 ? ev.evidence_text.slice(0, 90) + '…' : ev.evidence_text));
  tr.addEventListener('click', () => openEvent(ev.id, ev.article_id));
  return tr;
}
async function loadEvents(more) {
  const extra = { limit: 100 };
  if (more && state.next) extra.cursor = state.next;
  const r = await api('events', extra);
  const tbody = $('#events tbody');
  if (!more) { tbody.textContent = ''; state.events = []; }
  state.events.push(...r.events);
  for (const ev of r.events) tbody.append(rowOf(ev));
  state.next = r.next;
  $('#more').hidden = !r.next;
  $('#count').textContent = state.events.length + (r.next ? '+ events' : ' events');
  if (!state.events.length) tbody.append(el('tr', {}, '')).append(el('td', { colspan: 6, class: 'muted' }, 'No events match.'));
  document.body.dataset.tableReady = '1';
}

// ---- article view with evidence ----
function cpSlice(cps, s, e) { return cps.slice(s, e).join(''); }
// Fetches an article without the page filters (they are event filters).
async function fetchArticle(id) {
  const r = await fetch('/api/v1/articles/' + id);
  const body = await r.json();
  if (!r.ok) throw new Error(body.message);
  return body;
}

function renderArticle(doc, activeId) {
  state.selected = activeId;
  $('#article-title').textContent = doc.title || ('Article ' + doc.article_id);
  $('#article-meta').textContent = [doc.published, doc.url || doc.path].filter(Boolean).join(' · ');
  const cps = Array.from(doc.text);
  // Boundaries of every span; each piece between two boundaries gets the classes covering it.
  const spans = [];
  for (const en of doc.entities || []) spans.push({ s: en.start, e: en.end, cls: 'ent', title: en.type + (en.actor ? ' ' + en.actor : '') });
  for (const q of doc.quotes || []) spans.push({ s: q.start, e: q.end, cls: 'quote', title: 'quote' + (q.speaker ? ' — ' + q.speaker.text : '') });
  for (const ev of doc.events || []) spans.push({ s: ev.evidence.start, e: ev.evidence.end, cls: 'evidence', ev });
  const cuts = new Set([0, cps.length]);
  for (const sp of spans) { cuts.add(sp.s); cuts.add(sp.e); }
  const points = [...cuts].filter((x) => x >= 0 && x <= cps.length).sort((a, b) => a - b);
  const box = $('#article');
  box.textContent = '';
  let active = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    let node = document.createTextNode(cpSlice(cps, a, b));
    const covering = spans.filter((sp) => sp.s <= a && sp.e >= b && sp.e > sp.s);
    for (const sp of covering.filter((x) => x.cls !== 'evidence')) {
      const w = el('span', { class: sp.cls, title: sp.title }); w.append(node); node = w;
    }
    const evs = covering.filter((x) => x.cls === 'evidence');
    if (evs.length) {
      const isActive = evs.some((x) => x.ev.id === activeId);
      const m = el('mark', { class: 'evidence' + (isActive ? ' active' : ''), 'data-event': evs.map((x) => x.ev.id).join(' '),
        title: evs.map((x) => `${actorCell(x.ev.source)} —${x.ev.cameo}→ ${actorCell(x.ev.target)} (${x.ev.modality})`).join('\n') });
      m.append(node); node = m;
      m.addEventListener('click', () => renderArticle(doc, evs[0].ev.id));
      if (isActive && !active) active = m;
    }
    box.append(node);
  }
  const ev = (doc.events || []).find((x) => x.id === activeId);
  const info = $('#evidence');
  info.textContent = '';
  if (ev) {
    info.classList.remove('muted');
    info.append(el('b', {}, `${actorCell(ev.source)} —${ev.cameo}${ev.plover ? ' ' + ev.plover : ''}→ ${actorCell(ev.target)}`),
      document.createTextNode(` (${ev.modality}, ${ev.date || 'undated'}${ev.place ? ', ' + ev.place.name : ''}): “${ev.evidence_text}”`));
  } else {
    info.textContent = (doc.events || []).length + ' events in this article.';
  }
  if (active) active.scrollIntoView({ block: 'center' });
}
async function openEventById(id) {
  try {
    const ev = await (await fetch('/api/v1/events/' + id)).json();
    if (ev.article_id) renderArticle(await fetchArticle(ev.article_id), id);
  } catch (e) { showError(e); }
}
// Table clicks go straight to the article (the row already knows it).
async function openEvent(id, articleId) {
  try {
    renderArticle(await fetchArticle(articleId), id);
    for (const tr of document.querySelectorAll('#events tr.selected')) tr.classList.remove('selected');
    const tr = document.querySelector(`#events tr[data-id="${id}"]`);
    if (tr) tr.classList.add('selected');
  } catch (e) { showError(e); }
}

// ---- timeline (stacked bars, brush to filter) ----
async function loadTimeline() {
  const interval = $('#t-interval').value, by = $('#t-by').value;
  const r = await api('counts', { interval, by, top: 10 });
  const svg = $('#timeline'); svg.textContent = '';
  const W = 600, H = 150, L = 30, n = r.periods.length;
  const legend = $('#t-legend'); legend.textContent = '';
  if (!n) { svg.append(el('svg:text', { x: 10, y: 20 }, 'No dated events.')); return; }
  const totals = r.periods.map((_, i) => r.series.reduce((s, x) => s + x.counts[i], 0));
  const max = Math.max(1, ...totals), bw = (W - L) / n;
  const color = (s, i) => by === 'quad' ? (QUAD_COLORS[s.key] || QUAD_COLORS.other) : PALETTE[i % PALETTE.length];
  r.series.forEach((s, si) => {
    const c = color(s, si);
    const item = el('span'); item.append(el('i', { style: 'background:' + c }), document.createTextNode(s.label)); legend.append(item);
  });
  const base = new Array(n).fill(0);
  r.series.forEach((s, si) => {
    s.counts.forEach((v, i) => {
      if (!v) return;
      const h = v / max * (H - 10);
      base[i] += h;
      const rect = el('svg:rect', { x: L + i * bw, y: H - base[i], width: Math.max(1, bw - 1), height: h, fill: color(s, si) });
      rect.append(el('svg:title', {}, `${r.periods[i].key} ${s.label}: ${v}`));
      svg.append(rect);
    });
  });
  svg.append(el('svg:text', { x: 0, y: 10 }, String(max)), el('svg:text', { x: L, y: H + 14 }, r.periods[0].key),
    el('svg:text', { x: W - 60, y: H + 14 }, r.periods[n - 1].key));
  // Brushing: drag across bars to set since/until to the periods covered.
  let start = null; const brush = el('svg:rect', { class: 'brush', y: 0, height: H, width: 0, x: 0 });
  svg.append(brush);
  const xOf = (evt) => { const b = svg.getBoundingClientRect(); return (evt.clientX - b.left) / b.width * W; };
  svg.onmousedown = (e) => { start = xOf(e); brush.setAttribute('x', start); brush.setAttribute('width', 0); };
  svg.onmousemove = (e) => { if (start === null) return; const x = xOf(e); brush.setAttribute('x', Math.min(start, x)); brush.setAttribute('width', Math.abs(x - start)); };
  svg.onmouseup = (e) => {
    if (start === null) return; const x = xOf(e);
    const i0 = Math.max(0, Math.floor((Math.min(start, x) - L) / bw)), i1 = Math.min(n - 1, Math.floor((Math.max(start, x) - L) / bw));
    start = null;
    if (i1 < i0) return;
    setFilter({ ...state.filter, since: r.periods[i0].start, until: r.periods[i1].end });
  };
}

// ---- map (equirectangular, grid clustering) ----
async function loadMap() {
  const svg = $('#map');
  if (!state.world) state.world = await (await fetch('/world.json')).json();
  const W = 720, H = 360, px = (lon) => (lon + 180) / 360 * W, py = (lat) => (90 - lat) / 180 * H;
  if (!svg.querySelector('.land')) {
    const g = el('svg:g', { id: 'land' });
    for (const c of state.world.countries) {
      let d = '';
      for (const ring of c.p) {
        for (let i = 0; i < ring.length; i += 2) d += (i ? 'L' : 'M') + px(ring[i]).toFixed(1) + ' ' + py(ring[i + 1]).toFixed(1);
        d += 'Z';
      }
      const path = el('svg:path', { d, class: 'land' }); path.append(el('svg:title', {}, c.name)); g.append(path);
    }
    svg.append(g);
  }
  for (const old of svg.querySelectorAll('.clusters')) old.remove();
  const r = await api('map');
  $('#map-info').textContent = `${r.located} located, ${r.unlocated} not`;
  const cell = 18, clusters = new Map();
  for (const p of r.points) {
    const x = px(p.lon), y = py(p.lat), key = Math.floor(x / cell) + ',' + Math.floor(y / cell);
    const c = clusters.get(key) || { x: 0, y: 0, n: 0, conflict: 0, names: [], ids: [] };
    c.x += x * p.events; c.y += y * p.events; c.n += p.events; c.conflict += p.conflict;
    c.names.push(p.name + ' (' + p.events + ')'); c.ids.push(...p.event_ids);
    clusters.set(key, c);
  }
  const g = el('svg:g', { class: 'clusters' });
  for (const c of clusters.values()) {
    const x = c.x / c.n, y = c.y / c.n, rad = 3 + Math.sqrt(c.n) * 1.6;
    const circ = el('svg:circle', { cx: x, cy: y, r: rad, class: 'cluster' + (c.conflict * 2 < c.n ? ' coop' : ''), 'data-names': c.names.join('; ') });
    circ.append(el('svg:title', {}, c.names.join('\n')));
    circ.addEventListener('click', () => { if (c.ids.length) openEventById(c.ids[0]); });
    g.append(circ);
    if (c.n > 1) g.append(el('svg:text', { x: x - 3, y: y + 3 }, String(c.n)));
  }
  svg.append(g);
}

// ---- actor network (circular layout, edges by cooperation/conflict) ----
async function loadNetwork() {
  const r = await api('network', { limit: 60 });
  const svg = $('#network'); svg.textContent = '';
  if (!r.nodes.length) { svg.append(el('svg:text', { x: 10, y: 20 }, 'No dyadic events.')); return; }
  const W = 600, H = 420, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 50;
  const nodes = [...r.nodes].sort((a, b) => b.events - a.events).slice(0, 40);
  const pos = new Map();
  nodes.forEach((n, i) => { const a = 2 * Math.PI * i / nodes.length; pos.set(n.id, [cx + R * Math.cos(a), cy + R * Math.sin(a), a]); });
  const maxE = Math.max(1, ...r.edges.map((e) => e.events));
  for (const e of r.edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    if (!a || !b) continue;
    const color = e.conflict > e.cooperation ? '#dc2626' : '#16a34a';
    const line = el('svg:path', { d: `M${a[0]} ${a[1]} Q${cx} ${cy} ${b[0]} ${b[1]}`, fill: 'none', stroke: color, 'stroke-opacity': 0.55, 'stroke-width': 0.8 + 4 * e.events / maxE });
    line.append(el('svg:title', {}, `${e.source} → ${e.target}: ${e.events} (${e.cooperation} cooperation, ${e.conflict} conflict)`));
    svg.append(line);
  }
  const maxN = Math.max(...nodes.map((n) => n.events));
  for (const n of nodes) {
    const [x, y, a] = pos.get(n.id);
    const g = el('svg:g', { class: 'node', 'data-actor': n.id });
    g.append(el('svg:circle', { cx: x, cy: y, r: 3 + 6 * Math.sqrt(n.events / maxN), fill: '#1d4ed8' }));
    const tx = cx + (R + 12) * Math.cos(a), ty = cy + (R + 12) * Math.sin(a);
    g.append(el('svg:text', { x: tx, y: ty + 3, 'text-anchor': Math.cos(a) < -0.1 ? 'end' : (Math.cos(a) > 0.1 ? 'start' : 'middle') }, n.id));
    g.append(el('svg:title', {}, `${n.id}: ${n.events} events — click to filter`));
    g.addEventListener('click', () => setFilter({ ...state.filter, actor: n.id }));
    svg.append(g);
  }
}

// ---- alerts of the watch rules (not filtered: each is a standing question of its own) ----
function withEvidence(sentence, evidence) {
  const frag = document.createDocumentFragment();
  const i = evidence ? sentence.indexOf(evidence) : -1;
  if (i < 0) { frag.append(document.createTextNode(sentence)); return frag; }
  frag.append(document.createTextNode(sentence.slice(0, i)), el('mark', { class: 'evidence' }, evidence),
    document.createTextNode(sentence.slice(i + evidence.length)));
  return frag;
}
async function loadAlerts() {
  const r = await fetch('/api/v1/alerts?limit=50');
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || r.statusText);
  const ul = $('#alerts');
  ul.textContent = '';
  for (const a of body.alerts) {
    const ev = a.event || {};
    const li = el('li', { class: 'alert', 'data-alert': a.alert_id, 'data-event': ev.id });
    const head = el('div', { class: 'alert-head' });
    const day = ev.date || (a.article && a.article.published) || 'undated';
    head.append(el('b', {}, a.rule), document.createTextNode(` ${day} · ${actorCell(ev.source)} —${ev.cameo}→ ${actorCell(ev.target)}` +
      (a.count > 1 ? ` · ${a.count} reports` : '')));
    const p = el('div', { class: 'alert-sentence' });
    p.append(withEvidence(a.sentence_text || '', a.evidence_text || ''));
    li.append(head, p);
    if (a.reasons && a.reasons.length) li.append(el('div', { class: 'muted' }, a.reasons.join('; ')));
    if (ev.id && ev.article_id) li.addEventListener('click', () => openEvent(ev.id, ev.article_id));
    ul.append(li);
  }
  $('#alerts-count').textContent = body.alerts.length
    ? body.alerts.length + (body.next ? '+' : '') + ' alerts' : 'none yet (wirecoder watch add)';
  document.body.dataset.alertsReady = '1';
}

async function refresh() {
  showError(null);
  document.body.dataset.tableReady = '';
  // The table first: the charts walk every matching event and may take longer.
  const first = await Promise.allSettled([loadEvents(false)]);
  const res = first.concat(await Promise.allSettled([loadTimeline(), loadMap(), loadNetwork()]));
  const bad = res.find((x) => x.status === 'rejected');
  if (bad) showError(bad.reason);
  document.body.dataset.ready = '1';
}

function init() {
  state.filter = Object.fromEntries(new URLSearchParams(location.search));
  writeFilters();
  $('#filters').addEventListener('submit', (e) => { e.preventDefault(); setFilter(readFilters()); });
  $('#reset').addEventListener('click', () => setFilter({}));
  $('#more').addEventListener('click', () => loadEvents(true).catch(showError));
  $('#t-interval').addEventListener('change', () => loadTimeline().catch(showError));
  $('#t-by').addEventListener('change', () => loadTimeline().catch(showError));
  // stats takes no filters
  fetch('/api/v1/stats').then((r) => r.json()).then((s) => { $('#stats').textContent = `${s.articles} articles · ${s.events} events`; }).catch(() => {});
  refresh();
  loadAlerts().catch(showError);
}
init();
