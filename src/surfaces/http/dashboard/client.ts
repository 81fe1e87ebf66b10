/**
 * @module surfaces/http/dashboard/client
 * The dashboard's browser script, served at `/assets/app.js`: plain JavaScript (no framework, no
 * build step), DOM built with `textContent` only (agent-controlled text is never parsed as HTML),
 * hash routing between pages, the API key kept in `sessionStorage` and sent as a bearer header,
 * and live updates read from `GET /v1/events` with `fetch` streaming (EventSource cannot send the
 * Authorization header, and the key must not go into a URL).
 */

/** The script's source. Written without template literals so it can live in this string. */
export const DASHBOARD_JS = String.raw`
const state = { key: sessionStorage.getItem('airlock.key') || '', me: null, session: null, abort: null };
const $ = (id) => document.getElementById(id);
const view = () => $('view');

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const badge = (text) => h('span', { class: 'badge ' + text }, text);
const when = (iso) => iso ? new Date(iso).toLocaleTimeString() : '';

async function api(path, init) {
  const res = await fetch(path, { ...(init || {}), headers: { authorization: 'Bearer ' + state.key, 'content-type': 'application/json', ...((init && init.headers) || {}) } });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) { const err = new Error((body && body.error && body.error.message) || ('HTTP ' + res.status)); err.status = res.status; throw err; }
  return body;
}

function showLogin(message) {
  $('login').hidden = false; view().replaceChildren(); $('signout').hidden = true; $('whoami').textContent = 'not signed in';
  $('login-error').textContent = message || '';
  $('key').focus();
}

async function signIn(key) {
  state.key = key;
  try {
    state.me = await api('/v1/whoami');
  } catch (e) {
    sessionStorage.removeItem('airlock.key'); state.key = '';
    showLogin(e.status === 401 ? 'That key is not valid for this server.' : e.message);
    return;
  }
  sessionStorage.setItem('airlock.key', key);
  $('login').hidden = true; $('signout').hidden = false;
  $('whoami').textContent = state.me.name + ' @ ' + state.me.tenant + ' (' + state.me.role + ')';
  listen();
  route();
}

const canReview = () => state.me && (state.me.role === 'reviewer' || state.me.role === 'admin');

async function refreshCount() {
  if (!canReview()) { $('pending-count').textContent = '–'; return; }
  try {
    const { approvals } = await api('/v1/approvals');
    $('pending-count').textContent = String(approvals.length);
    $('pending-count').classList.toggle('has', approvals.length > 0);
  } catch { /* shown on the page itself */ }
}

function findingsTable(findings) {
  if (!findings || !findings.length) return h('p', { class: 'muted' }, 'No findings.');
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Severity'), h('th', {}, 'Category'), h('th', {}, 'Message'))),
    h('tbody', {}, findings.map((f) => h('tr', {}, h('td', { class: 'mono' }, f.rule), h('td', { class: 'sev-' + f.severity }, f.severity), h('td', {}, f.category), h('td', {}, f.message, f.match ? h('div', { class: 'mono muted' }, f.match) : null)))));
}

function actionBlock(action) {
  if (!action) return h('p', { class: 'muted' }, '(action details not available: raised before this server started)');
  if (action.kind === 'command') return h('pre', { 'aria-label': 'command' }, action.argv.map((a) => /^[\w@%+=:,.\/-]+$/.test(a) ? a : JSON.stringify(a)).join(' '));
  if (action.kind === 'code') return h('div', {}, h('div', { class: 'muted' }, action.language + ' code'), h('pre', {}, action.code));
  return h('pre', {}, JSON.stringify(action, null, 2));
}

async function pageApprovals() {
  const root = h('div', {}, h('h2', {}, 'Pending approvals'));
  if (!canReview()) {
    root.append(h('div', { class: 'card' }, h('p', {}, 'Your key has the role ' + state.me.role + ': only reviewer and admin keys can see and answer approvals.')));
    return root;
  }
  const { approvals } = await api('/v1/approvals');
  if (!approvals.length) root.append(h('p', { class: 'muted', id: 'no-approvals' }, 'Nothing is waiting for a human right now. New asks appear here live.'));
  for (const a of approvals) {
    const status = h('p', { role: 'status', class: 'muted' });
    const answer = async (decision, scope) => {
      for (const b of card.querySelectorAll('button')) b.disabled = true;
      try {
        const r = await api('/v1/approvals/' + encodeURIComponent(a.id) + '/' + decision, { method: 'POST', body: JSON.stringify(scope ? { scope } : {}) });
        status.className = r.status === 'approved' ? 'ok' : 'error';
        status.textContent = r.status + ' by ' + r.answeredBy + (r.scope === 'session' ? ' (for the session)' : '');
      } catch (e) { status.className = 'error'; status.textContent = e.message; for (const b of card.querySelectorAll('button')) b.disabled = false; }
      refreshCount();
    };
    const { programs, ...rest } = a.details || {};
    const programList = Array.isArray(programs) && programs.length ? h('div', {}, h('h3', {}, 'Programs it would run'), h('ul', { class: 'programs' }, programs.map((p) => h('li', {},
      h('code', {}, [p.path || p.program].concat(p.args || []).join(' ')), p.via && p.via.length ? h('span', { class: 'muted' }, ' via ' + p.via.join(' › ')) : null, p.dynamic ? h('span', { class: 'sev-medium' }, ' (known only at run time)') : null)))) : null;
    const details = Object.keys(rest).length ? h('details', {}, h('summary', {}, 'More analysis'), h('pre', {}, JSON.stringify(rest, null, 2))) : null;
    const card = h('article', { class: 'card approval', 'data-approval-id': a.id, 'aria-label': 'approval ' + a.summary },
      h('h3', {}, badge('ask'), ' ', a.summary),
      h('div', { class: 'muted' }, 'session ', h('span', { class: 'mono' }, (a.requester && a.requester.session) || '?'), ' · requested by ', (a.requester && (a.requester.user || a.requester.agent)) || '?', ' · expires ', when(a.expiresAt)),
      h('h3', {}, 'What it would run'), actionBlock(a.action),
      programList, details,
      h('h3', {}, 'Why Airlock asks'), h('ul', {}, (a.verdictReasons.length ? a.verdictReasons : ['(no reason recorded)']).map((r) => h('li', {}, r))),
      a.ruleIds.length ? h('p', {}, 'Policy rules: ', a.ruleIds.map((r) => h('code', {}, r + ' '))) : null,
      h('h3', {}, 'Findings'), findingsTable(a.findings),
      h('div', { class: 'actions' },
        h('button', { class: 'primary', type: 'button', onclick: () => answer('approve', 'once') }, 'Approve once'),
        h('button', { type: 'button', onclick: () => answer('approve', 'session') }, 'Approve for this session'),
        h('button', { class: 'danger', type: 'button', onclick: () => answer('deny') }, 'Deny')),
      status);
    root.append(card);
  }
  return root;
}

function verdictChart(runs) {
  const done = runs.filter((r) => r.verdict).slice().reverse();
  const W = 640, H = 140, pad = 24;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H); svg.setAttribute('class', 'chart'); svg.setAttribute('role', 'img');
  const counts = { allow: 0, ask: 0, deny: 0 };
  for (const r of done) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
  svg.setAttribute('aria-label', 'Verdicts over time: ' + counts.allow + ' allowed, ' + counts.ask + ' asked, ' + counts.deny + ' denied');
  if (!done.length) return svg;
  const t0 = Date.parse(done[0].startedAt), t1 = Math.max(t0 + 1000, Date.parse(done[done.length - 1].startedAt));
  const buckets = 24, span = (t1 - t0) / buckets + 1;
  const rows = Array.from({ length: buckets }, () => ({ allow: 0, ask: 0, deny: 0 }));
  for (const r of done) { const i = Math.min(buckets - 1, Math.floor((Date.parse(r.startedAt) - t0) / span)); rows[i][r.verdict] += 1; }
  const max = Math.max(1, ...rows.map((b) => b.allow + b.ask + b.deny));
  const bw = (W - pad * 2) / buckets;
  const colors = { allow: '#1d7a3a', ask: '#a35c00', deny: '#b3261e' };
  rows.forEach((b, i) => {
    let y = H - pad;
    for (const v of ['allow', 'ask', 'deny']) {
      if (!b[v]) continue;
      const hgt = (b[v] / max) * (H - pad * 2);
      y -= hgt;
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      rect.setAttribute('x', String(pad + i * bw + 1)); rect.setAttribute('y', String(y)); rect.setAttribute('width', String(Math.max(1, bw - 2))); rect.setAttribute('height', String(hgt)); rect.setAttribute('fill', colors[v]);
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title'); title.textContent = b[v] + ' ' + v; rect.append(title);
      svg.append(rect);
    }
  });
  const label = (x, text, anchor) => { const t = document.createElementNS('http://www.w3.org/2000/svg', 'text'); t.setAttribute('x', String(x)); t.setAttribute('y', String(H - 6)); t.setAttribute('text-anchor', anchor); t.textContent = text; svg.append(t); };
  label(pad, new Date(t0).toLocaleTimeString(), 'start'); label(W - pad, new Date(t1).toLocaleTimeString(), 'end');
  return svg;
}

async function pageTimeline() {
  const { sessions } = await api('/v1/sessions');
  const root = h('div', {}, h('h2', {}, 'Runs'));
  const select = h('select', { id: 'session-select', 'aria-label': 'Session' }, h('option', { value: '' }, 'All sessions'), sessions.map((s) => h('option', { value: s.id, selected: s.id === state.session }, s.name + ' (' + s.id.slice(0, 6) + ')')));
  select.addEventListener('change', () => { state.session = select.value || null; route(); });
  root.append(h('div', { class: 'card' }, h('label', { for: 'session-select' }, 'Session'), select));
  const { runs } = await api('/v1/runs' + (state.session ? '?session=' + encodeURIComponent(state.session) : ''));
  root.append(h('div', { class: 'card' }, h('h3', {}, 'Verdicts over time'), verdictChart(runs),
    h('div', { class: 'legend' }, ['allow', 'ask', 'deny'].map((v) => h('span', {}, badge(v), ' ' + runs.filter((r) => r.verdict === v).length)))));
  const rows = runs.map((r) => h('tr', { class: 'run-row', 'data-run-id': r.id },
    h('td', { class: 'nowrap' }, when(r.startedAt)),
    h('td', {}, h('a', { href: '#/runs/' + r.id }, r.summary)),
    h('td', {}, r.verdict ? badge(r.verdict) : badge(r.status)),
    h('td', {}, r.exitCode === null ? '–' : String(r.exitCode)),
    h('td', {}, r.durationMs === null ? '…' : r.durationMs + ' ms'),
    h('td', {}, r.limitsHit.length ? r.limitsHit.join(', ') : '–'),
    h('td', {}, r.network.attempts ? r.network.attempts + ' (' + r.network.refused + ' refused)' : '–'),
    h('td', {}, r.redacted ? 'yes' : '–'),
    h('td', {}, String(r.findings))));
  root.append(h('div', { class: 'card' }, runs.length ? h('table', { 'aria-label': 'runs' },
    h('thead', {}, h('tr', {}, ['Time', 'Action', 'Verdict', 'Exit', 'Duration', 'Limits hit', 'Egress', 'Redacted', 'Findings'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)) : h('p', { class: 'muted' }, 'No runs yet.')));
  return root;
}

async function pageRun(id) {
  const r = await api('/v1/runs/' + encodeURIComponent(id));
  const res = r.result;
  const root = h('div', {}, h('p', {}, h('a', { href: '#/timeline' }, '← Timeline')), h('h2', {}, r.summary));
  root.append(h('div', { class: 'card' }, h('dl', { class: 'kv' },
    h('dt', {}, 'Verdict'), h('dd', {}, res ? badge(res.verdict) : badge(r.status)),
    h('dt', {}, 'Status'), h('dd', {}, r.status + (r.error ? ': ' + r.error : '')),
    h('dt', {}, 'Session'), h('dd', { class: 'mono' }, r.session),
    h('dt', {}, 'Requested by'), h('dd', {}, r.requestedBy),
    h('dt', {}, 'Started'), h('dd', {}, new Date(r.startedAt).toLocaleString()),
    h('dt', {}, 'Duration'), h('dd', {}, res ? res.durationMs + ' ms' : '…'),
    h('dt', {}, 'Exit code'), h('dd', {}, res && res.exitCode !== null ? String(res.exitCode) : '–'),
    h('dt', {}, 'Approval'), h('dd', {}, res && res.approval ? res.approval.answer + (res.approval.by ? ' by ' + res.approval.by : '') : '–'),
    h('dt', {}, 'Audit id'), h('dd', { class: 'mono' }, (res && res.auditId) || '–'))));
  root.append(h('div', { class: 'card' }, h('h3', {}, 'Action'), actionBlock(r.action)));
  if (res) {
    root.append(h('div', { class: 'card' }, h('h3', {}, 'Findings'), findingsTable(res.findings),
      res.reasons && res.reasons.length ? h('div', {}, h('h3', {}, 'Reasons'), h('ul', {}, res.reasons.map((x) => h('li', {}, x)))) : null));
    const hit = Object.entries(res.limits).filter(([k, v]) => k !== 'enforced' && v === true).map(([k]) => k);
    root.append(h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h3', {}, 'Changed files'), res.files.changed.length ? h('ul', {}, res.files.changed.map((f) => h('li', { class: 'mono' }, f))) : h('p', { class: 'muted' }, 'None.')),
      h('div', { class: 'card' }, h('h3', {}, 'Limits and egress'), h('p', {}, 'Limits hit: ', hit.length ? hit.join(', ') : 'none'),
        res.network.length ? h('ul', {}, res.network.map((n) => h('li', {}, (n.allowed ? 'allowed ' : 'refused ') + n.host + ':' + n.port + (n.reason ? ' — ' + n.reason : '')))) : h('p', { class: 'muted' }, 'No network attempts recorded.'))));
    root.append(h('div', { class: 'card' }, h('h3', {}, 'Output' + (res.redacted ? ' (redacted by verification)' : '')), h('pre', { 'aria-label': 'stdout' }, res.stdout || '(empty stdout)'), res.stderr ? h('pre', { 'aria-label': 'stderr' }, res.stderr) : null));
  }
  const chain = h('div', { class: 'card', id: 'chain' }, h('h3', {}, 'Audit hash chain'));
  root.append(chain);
  if (canReview()) {
    api('/v1/runs/' + encodeURIComponent(id) + '/audit').then((a) => {
      if (!a.events.length) { chain.append(h('p', { class: 'muted' }, 'No audit events recorded for this run.')); return; }
      chain.append(h('table', { 'aria-label': 'audit events of this run' }, h('thead', {}, h('tr', {}, ['#', 'Type', 'Hash', 'Previous'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, a.events.map((e) => h('tr', {}, h('td', {}, String(e.seq)), h('td', { class: 'mono' }, e.type), h('td', { class: 'mono' }, e.hash.slice(0, 16) + '…'), h('td', { class: 'mono' }, e.prevHash.slice(0, 16) + '…'))))));
    }).catch((e) => chain.append(h('p', { class: 'error' }, e.message)));
    api('/v1/audit/status').then((s) => chain.append(h('p', { class: s.ok ? 'ok' : 'error' }, s.ok ? 'Intact: the whole chain verifies (' + s.tenantEvents + ' events are your tenant\'s)' + (r.result && r.result.auditId ? '; this run is event ' + r.result.auditId : '') : 'BROKEN at event ' + s.firstBad.seq + ': ' + s.firstBad.message))).catch((e) => chain.append(h('p', { class: 'error' }, e.message)));
  } else chain.append(h('p', { class: 'muted' }, 'Reviewer or admin keys can see the chain status.'));
  return root;
}

async function pageAudit() {
  const root = h('div', {}, h('h2', {}, 'Audit trail'));
  if (!canReview()) { root.append(h('p', {}, 'Only reviewer and admin keys can read the audit trail.')); return root; }
  const [status, { events }] = await Promise.all([api('/v1/audit/status'), api('/v1/audit?limit=1000')]);
  root.append(h('div', { class: 'card' }, h('p', { class: status.ok ? 'ok' : 'error', id: 'chain-status' }, status.ok ? 'Hash chain intact: the whole log verifies; ' + status.tenantEvents + ' events are your tenant\'s.' : 'Hash chain BROKEN at event ' + status.firstBad.seq + ': ' + status.firstBad.message)));
  const recent = events.slice(-200).reverse();
  root.append(h('div', { class: 'card' }, h('table', { 'aria-label': 'audit events' }, h('thead', {}, h('tr', {}, ['#', 'Time', 'Type', 'Session', 'Details', 'Hash'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, recent.map((e) => h('tr', {}, h('td', {}, String(e.seq)), h('td', { class: 'nowrap' }, when(e.ts)), h('td', { class: 'mono' }, e.type), h('td', { class: 'mono' }, (e.session || '').slice(0, 8)),
      h('td', {}, h('code', {}, JSON.stringify(e.payload).slice(0, 160))), h('td', { class: 'mono' }, e.hash.slice(0, 12))))))));
  return root;
}

async function pagePolicy() {
  const p = await api('/v1/policy');
  return h('div', {}, h('h2', {}, 'Policy in effect'), h('div', { class: 'card' }, h('dl', { class: 'kv' },
    h('dt', {}, 'Source'), h('dd', { class: 'mono' }, p.source || 'built-in default'), h('dt', {}, 'Mode'), h('dd', {}, p.mode), h('dt', {}, 'SHA-256'), h('dd', { class: 'mono' }, p.hash || '–'))),
    h('div', { class: 'card' }, h('pre', { class: 'tall', 'aria-label': 'policy' }, JSON.stringify(p.policy, null, 2))));
}

let routing = 0;
async function route() {
  if (!state.me) return;
  const hash = location.hash || '#/approvals';
  const [, page, arg] = hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', false);
  const current = document.querySelector('nav a[data-page="' + (page === 'runs' ? 'timeline' : page) + '"]');
  if (current) current.setAttribute('aria-current', 'page');
  const mine = ++routing;
  try {
    const el = page === 'timeline' ? await pageTimeline() : page === 'runs' ? await pageRun(arg) : page === 'audit' ? await pageAudit() : page === 'policy' ? await pagePolicy() : await pageApprovals();
    if (mine === routing) { view().replaceChildren(el); document.title = 'Airlock · ' + (page || 'approvals'); }
  } catch (e) {
    if (e.status === 401) return showLogin('Your key was rejected; sign in again.');
    if (mine === routing) view().replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
  }
  refreshCount();
}

async function listen() {
  if (state.abort) state.abort.abort();
  const ctrl = new AbortController(); state.abort = ctrl;
  try {
    const res = await fetch('/v1/events', { headers: { authorization: 'Bearer ' + state.key, accept: 'text/event-stream' }, signal: ctrl.signal });
    if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
    $('live').textContent = '● live';
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let timer = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) !== -1) {
        const block = buf.slice(0, i); buf = buf.slice(i + 2);
        if (!/^event: (?!ready)/m.test(block)) continue;
        // Re-render soon after a burst of events, not once per event.
        clearTimeout(timer); timer = setTimeout(() => { if (!document.querySelector('.approval button:focus')) route(); else refreshCount(); }, 150);
      }
    }
  } catch (e) {
    if (ctrl.signal.aborted) return;
  }
  $('live').textContent = '○ reconnecting';
  setTimeout(() => { if (state.abort === ctrl) listen(); }, 2000);
}

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('key').value.trim()); });
  $('signout').addEventListener('click', () => { sessionStorage.removeItem('airlock.key'); state.key = ''; state.me = null; if (state.abort) state.abort.abort(); showLogin(); });
  if (state.key) signIn(state.key); else showLogin();
});
`;
