// The flow page: draws /ui/api/graph with cytoscape, lays it out with dagre, paints the rates that
// /ui/api/rates pushes every second, and shows a node's detail on click. Every URL is relative to /ui/, so
// the page works wherever the service mounts it (the one local port, or the management interface).
'use strict';

const RATE_LABELS = { received: 'in', matched: 'matched', delivered: 'delivered', retried: 'retried', deadLettered: 'dead' };
const MEASURES = Object.keys(RATE_LABELS);
const state = { rates: {}, totals: {}, graph: null, selected: null, graphKey: '' };

const cy = cytoscape({
  container: document.getElementById('graph'),
  wheelSensitivity: 0.3,
  minZoom: 0.3,
  maxZoom: 2,
  style: [
    { selector: 'node', style: {
      shape: 'round-rectangle', width: 210, height: 74, 'background-color': '#fff',
      'border-width': 3, 'border-color': '#9aa5b1', label: 'data(text)', 'text-wrap': 'wrap',
      'text-max-width': 196, 'text-valign': 'center', 'font-size': 11, color: '#1f2933', 'line-height': 1.35 } },
    { selector: 'node[ready = "True"]', style: { 'border-color': '#2f9e44' } },
    { selector: 'node[ready = "False"]', style: { 'border-color': '#d6336c' } },
    { selector: 'node[kind = "EventSource"]', style: { 'background-color': '#e7f5ff' } },
    { selector: 'node[kind = "Trigger"]', style: { 'background-color': '#fff4e6', height: 92 } },
    { selector: 'node[kind = "DeadLetter"]', style: { 'background-color': '#fff0f6' } },
    { selector: 'node:selected', style: { 'overlay-color': '#1c7ed6', 'overlay-opacity': 0.12, 'overlay-padding': 6 } },
    { selector: 'edge', style: {
      width: 1.5, 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1', 'target-arrow-shape': 'triangle',
      'curve-style': 'bezier', label: 'data(label)', 'font-size': 10, color: '#616e7c',
      'text-background-color': '#fff', 'text-background-opacity': 1, 'text-background-padding': 2,
      'text-wrap': 'ellipsis', 'text-max-width': 180 } },
    { selector: 'edge[kind = "dead-letter"]', style: { 'line-style': 'dashed', 'line-color': '#d6336c', 'target-arrow-color': '#d6336c' } },
  ],
});

function rate(value) {
  return value === undefined ? '0' : value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}

// The measures worth a line on each node: what comes in, and for a Trigger and its subscribers what comes out.
function measuresOf(node) {
  if (node.kind === 'Trigger') return MEASURES;
  if (isSubscriber(node)) return ['matched', 'delivered', 'retried', 'deadLettered'];
  return ['received'];
}

function isSubscriber(node) {
  return node.subscriber !== null && node.kind !== 'DeadLetter';
}

// A measure this service has no meter for yet (nothing counted, or counted by another service) shows as –.
function nodeText(node) {
  const rates = state.rates[node.id] || {};
  const totals = state.totals[node.id] || {};
  const parts = measuresOf(node).map(m => `${RATE_LABELS[m]} ${totals[m] === undefined ? '–' : rate(rates[m])}/s`);
  const rows = [];
  for (let i = 0; i < parts.length; i += 2) rows.push(parts.slice(i, i + 2).join('  ·  '));
  return `${node.kind}\n${node.label}\n${rows.join('\n')}`;
}

function layout() {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  cy.nodes().forEach(n => g.setNode(n.id(), { width: n.outerWidth(), height: n.outerHeight() }));
  cy.edges().forEach(e => g.setEdge(e.source().id(), e.target().id()));
  dagre.layout(g);
  cy.nodes().positions(n => ({ x: g.node(n.id()).x, y: g.node(n.id()).y }));
  cy.fit(undefined, 30);
}

async function loadGraph() {
  const response = await fetch('api/graph');
  const graph = await response.json();
  state.graph = graph;
  document.getElementById('empty').hidden = graph.nodes.length > 0;
  const key = JSON.stringify([graph.nodes.map(n => n.id), graph.edges.map(e => [e.source, e.target])]);
  if (key !== state.graphKey) {
    state.graphKey = key;
    cy.elements().remove();
    cy.add(graph.nodes.map(n => ({ data: { ...n, text: nodeText(n) } })));
    cy.add(graph.edges.map((e, i) => ({ data: { id: `e${i}`, ...e } })));
    layout();
    if (state.selected && cy.getElementById(state.selected).nonempty()) cy.getElementById(state.selected).select();
  } else {
    graph.nodes.forEach(n => cy.getElementById(n.id).data({ ...n, text: nodeText(n) }));
  }
}

function paintRates() {
  cy.nodes().forEach(n => n.data('text', nodeText(n.data())));
  const live = document.querySelector('#detail [data-live]');
  if (live && state.selected) live.innerHTML = ratesTable(state.selected);
}

function connectRates() {
  const status = document.getElementById('live');
  const source = new EventSource('api/rates');
  source.onopen = () => { status.textContent = 'live'; status.classList.remove('off'); };
  source.onerror = () => { status.textContent = 'reconnecting…'; status.classList.add('off'); };
  source.onmessage = message => {
    const { rates, totals } = JSON.parse(message.data);
    state.rates = rates;
    state.totals = totals;
    paintRates();
  };
}

// Hover: the Ready condition's reason and message.
const tooltip = document.getElementById('tooltip');
cy.on('mouseover', 'node', event => {
  const n = event.target.data();
  const position = event.target.renderedPosition();
  tooltip.textContent = `Ready=${n.ready} · ${n.reason || ''}${n.message ? ': ' + n.message : ''}`;
  tooltip.style.left = `${position.x + 20}px`;
  tooltip.style.top = `${position.y + 40}px`;
  tooltip.hidden = false;
});
cy.on('mouseout', 'node', () => { tooltip.hidden = true; });
cy.on('tapstart', () => { tooltip.hidden = true; });
document.getElementById('graph').addEventListener('mouseleave', () => { tooltip.hidden = true; });

cy.on('tap', 'node', event => select(event.target.id()));
cy.on('tap', event => { if (event.target === cy) close(); });
document.getElementById('close').addEventListener('click', close);

function close() {
  state.selected = null;
  cy.nodes().unselect();
  document.getElementById('detail').hidden = true;
  refit();
}

// The panel takes room from the graph: keep every node in view.
function refit() {
  cy.resize();
  cy.fit(undefined, 30);
}

function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function ratesTable(id) {
  const rates = state.rates[id] || {};
  const totals = state.totals[id] || {};
  const rows = MEASURES.filter(m => totals[m] !== undefined || rates[m] !== undefined);
  if (rows.length === 0) return '<p class="note">No events through this node yet.</p>';
  return `<table class="rates"><tr><th></th><th>per second</th><th>total</th></tr>${rows.map(m =>
    `<tr data-measure="${m}"><td>${m}</td><td class="num rate">${rate(rates[m])}</td><td class="num total">${totals[m] ?? 0}</td></tr>`).join('')}</table>`;
}

function eventsTable(events, withOutcome) {
  if (!events || events.length === 0) return '<p class="note">No events recorded here yet.</p>';
  return `<table class="events"><tr><th>id</th><th>type</th><th>time</th>${withOutcome ? '<th>outcome</th>' : ''}<th>data</th></tr>${events.map(e =>
    `<tr><td class="event-id"><code>${escape(e.id)}</code></td><td>${escape(e.type)}</td><td title="${escape(e.time || e.seenAt)}">${escape(clock(e.time || e.seenAt))}</td>${
      withOutcome ? `<td>${escape(e.outcome)}</td>` : ''}<td class="excerpt">${escape(e.dataExcerpt)}</td></tr>`).join('')}</table>`;
}

function clock(timestamp) {
  const time = new Date(timestamp);
  return isNaN(time) ? timestamp : time.toLocaleTimeString([], { hour12: false });
}

async function select(id) {
  state.selected = id;
  const node = state.graph.nodes.find(n => n.id === id);
  const panel = document.getElementById('detail');
  if (panel.hidden) {
    panel.hidden = false;
    refit();
  }
  const response = await fetch(`api/events?node=${encodeURIComponent(id)}`);
  const detail = await response.json();
  if (state.selected !== id) return;
  const trigger = node.kind === 'Trigger';
  document.getElementById('detail-body').innerHTML = `
    <p class="kind">${escape(node.kind)} · ${escape(node.detail)}</p>
    <h2>${escape(node.label)}</h2>
    <p><span class="badge ${escape(node.ready)}">Ready=${escape(node.ready)}</span><span class="reason">${escape(node.reason)}${node.message ? ': ' + escape(node.message) : ''}</span></p>
    <h3>Rates</h3><div data-live>${ratesTable(id)}</div>
    ${trigger ? `<h3>Subscribers</h3><div id="subscribers">${subscribersSection(detail.subscribers)}</div>` : ''}
    <h3>Recent events</h3><div id="recent">${eventsTable(detail.events, isSubscriber(node))}</div>
    ${trigger ? '<h3>Dead letters</h3><div id="dead-letters"><p class="note">Loading…</p></div>' : ''}
    ${trigger ? testerSection(detail) : ''}`;
  if (trigger) {
    loadDeadLetters(id);
    document.getElementById('run-test').addEventListener('click', () => runTest(detail.yaml));
  }
}

function subscribersSection(subscribers) {
  return `${subscribers.map(s => `
    <div class="subscriber" data-subscriber="${s.index}">
      <div class="dest"><b>#${s.index}</b> → ${escape(s.destination)}</div>
      <div class="outcomes">matched ${s.totals.matched ?? 0} · delivered ${s.totals.delivered ?? 0} · retried ${s.totals.retried ?? 0} · dead-lettered ${s.totals.deadLettered ?? 0}</div>
      <div class="outcomes">last: ${s.events.slice(0, 5).map(e => `<code>${escape(e.id)}</code> ${escape(e.outcome)}`).join(', ') || 'none yet'}</div>
    </div>`).join('')}`;
}

// The management API (docs/ui.md): absent from a build without it, which the panel then says.
function triggerPath(id) {
  const [, namespace, name] = id.split('/');
  return `../triggers/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

async function apiError(response, what) {
  const text = await response.text();
  try {
    return `<p class="error">${escape(JSON.parse(text).error)}</p>`;
  } catch (notJson) {
    return response.status === 404
      ? `<p class="note">${what} need the management API (<code>/triggers/…</code>, <code>/tests</code>), which this build of Sluice does not serve.</p>`
      : `<p class="error">HTTP ${response.status}</p>`;
  }
}

async function loadDeadLetters(id) {
  const target = document.getElementById('dead-letters');
  const response = await fetch(`${triggerPath(id)}/deadletters?limit=20`);
  if (!response.ok) { target.innerHTML = await apiError(response, 'Dead letters'); return; }
  const { count, items } = await response.json();
  if (count === 0) { target.innerHTML = '<p class="note">No dead letters.</p>'; return; }
  target.innerHTML = `<p class="reason">${count} dead-lettered; the newest ${items.length}:</p>
    <table><tr><th>id</th><th>#</th><th>error</th><th>data</th><th></th></tr>${items.map(d =>
      `<tr><td><code>${escape(d.id)}</code></td><td>${escape(d.subscriber)}</td><td>${escape(d.errorCode)}</td><td class="excerpt">${escape(d.dataExcerpt)}</td>
       <td><button class="action redrive" type="button" data-id="${escape(d.id)}">Redrive</button></td></tr>`).join('')}</table>
    <p id="redrive-result" class="reason"></p>`;
  target.querySelectorAll('button.redrive').forEach(button => button.addEventListener('click', () => redrive(id, button)));
}

async function redrive(id, button) {
  button.disabled = true;
  const result = document.getElementById('redrive-result');
  const response = await fetch(`${triggerPath(id)}/deadletters/redrives`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [button.dataset.id] }) });
  if (!response.ok) { result.innerHTML = await apiError(response, 'Redrives'); button.disabled = false; return; }
  const redrive = await response.json();
  result.textContent = `Redrive ${redrive.id}: ${redrive.state}`;
}

function testerSection(detail) {
  const last = detail.events[0];
  const sample = {
    specversion: '1.0', id: 'test-1', source: last ? last.source : '/ui', type: last ? last.type : 'example',
    datacontenttype: 'application/json', data: parseOr(last && last.dataExcerpt, { amount: 150 }) };
  return `<h3>Condition tester</h3>
    <p class="reason">Paste a CloudEvent (structured JSON). Nothing is delivered.</p>
    <textarea id="test-event" spellcheck="false">${escape(JSON.stringify(sample, null, 2))}</textarea>
    <p><button id="run-test" class="action" type="button">Which subscribers match?</button></p>
    <div id="test-result"></div>`;
}

function parseOr(text, fallback) {
  try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
}

async function runTest(yaml) {
  const target = document.getElementById('test-result');
  let event;
  try { event = JSON.parse(document.getElementById('test-event').value); } catch (e) {
    target.innerHTML = `<p class="error">Not JSON: ${escape(e.message)}</p>`; return;
  }
  const response = await fetch('../tests', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trigger: yaml, events: [event] }) });
  if (!response.ok) { target.innerHTML = await apiError(response, 'Condition tests'); return; }
  const { results } = await response.json();
  target.innerHTML = `<table><tr><th>#</th><th>matches</th><th>condition → value</th></tr>${results[0].subscribers.map(s =>
    `<tr><td>${s.index}</td><td class="${s.matched ? 'matched' : 'unmatched'}">${s.matched ? 'yes' : 'no'}</td>
     <td><code>${escape(s.condition && s.condition.expression)}</code> → <code>${escape(JSON.stringify(s.condition && s.condition.value))}</code></td></tr>`).join('')}</table>`;
}

// Events of the open panel and the graph's Ready states change too: read them again every few seconds.
async function refresh() {
  await loadGraph();
  if (state.selected) {
    const response = await fetch(`api/events?node=${encodeURIComponent(state.selected)}`);
    const detail = await response.json();
    const node = state.graph.nodes.find(n => n.id === state.selected);
    const recent = document.getElementById('recent');
    if (recent && node) recent.innerHTML = eventsTable(detail.events, isSubscriber(node));
    const subscribers = document.getElementById('subscribers');
    if (subscribers && detail.subscribers) subscribers.innerHTML = subscribersSection(detail.subscribers);
  }
}

loadGraph().then(connectRates);
setInterval(refresh, 3000);
