'use strict';

// Jobline dashboard: plain JavaScript over the REST API (/api/jobs...) and the live WebSocket (/ws).

const $ = (id) => document.getElementById(id);

const EXAMPLES = {
  'demo': '{"stages": 3, "stage_ms": 2000}',
  'csv-report': '{"delimiter": ",", "header": true}',
};
const TAKES_FILES = new Set(['csv-report']);
const PAGE_SIZE = 20;

const state = {
  offset: 0,
  count: 0,
  status: '',
  type: '',
  jobs: new Map(),      // job id -> job object as GET /api/jobs/{id} returns it
  order: [],            // job ids shown in the table, in order
  openJob: null,        // id of the job whose page is shown
};

// ---------- HTTP ----------

// A browser signed in with a key (POST /api/session) holds it in an HttpOnly cookie; requests that change something
// send back the CSRF token of the jobline_csrf cookie.
function csrfToken() {
  const found = document.cookie.split('; ').find((c) => c.startsWith('jobline_csrf='));
  return found ? decodeURIComponent(found.substring('jobline_csrf='.length)) : null;
}

async function request(method, path, body, headers) {
  const sent = { ...(headers || {}) };
  const token = csrfToken();
  if (token && method !== 'GET') sent['X-CSRF-Token'] = token;
  const response = await fetch(path, { method, body, headers: sent });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (response.status === 401) {
    $('sign-in').hidden = false;
  }
  if (!response.ok && response.status !== 202) {
    const detail = data && data.detail ? data.detail : `HTTP ${response.status}`;
    throw new Error(detail);
  }
  return data;
}

// ---------- formatting ----------

function seconds(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const s = Math.max(0, Math.round(value));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

function elapsedOf(job, now) {
  const start = Date.parse(job.created_at);
  const end = job.completed_at ? Date.parse(job.completed_at) : now;
  return (end - start) / 1000;
}

function leftOf(job, now) {
  if (job.status !== 'running' || !job.started_at || job.progress <= 0 || job.progress >= 100) {
    return ['completed', 'failed', 'cancelled'].includes(job.status) ? 0 : null;
  }
  const running = (now - Date.parse(job.started_at)) / 1000;
  return running * (100 - job.progress) / job.progress;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '–';
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function statusBadge(status) {
  return el('span', { class: `status ${status}`, text: status });
}

function progressBar(job) {
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(job.progress) });
  const fill = el('div');
  fill.style.width = `${job.progress}%`;
  if (job.status === 'completed') fill.style.background = 'var(--completed)';
  if (job.status === 'failed') fill.style.background = 'var(--failed)';
  bar.append(fill);
  return bar;
}

// ---------- live updates ----------

const live = { socket: null, retryMs: 500 };

function connectLive() {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(`${scheme}${location.host}/ws`);
  live.socket = socket;
  socket.onopen = () => {
    live.retryMs = 500;
    $('live').textContent = 'live';
    $('live').classList.add('on');
    socket.send(JSON.stringify({ subscribe: '*' }));
  };
  socket.onmessage = (event) => onLiveMessage(JSON.parse(event.data));
  socket.onclose = () => {
    $('live').textContent = 'reconnecting';
    $('live').classList.remove('on');
    setTimeout(() => { connectLive(); refreshAll(); }, live.retryMs);
    live.retryMs = Math.min(live.retryMs * 2, 10000);
  };
}

function onLiveMessage(message) {
  if (message.type === 'job_progress') {
    const job = state.jobs.get(message.job_id);
    if (!job) return;
    job.progress = message.progress;
    job.progress_message = message.message;
    if (message.stage) job.stage = message.stage;
    showJob(job);
  } else if (message.type === 'job_status') {
    const job = message.status;
    if (job.status === 'deleted') {
      removeJob(message.job_id);
    } else {
      const isNew = !state.jobs.has(job.job_id);
      state.jobs.set(job.job_id, job);
      if (isNew) maybeInsert(job);
      showJob(job);
      if (state.openJob === job.job_id) scheduleTimeline();
    }
    scheduleStats();
  }
}

// ---------- job list ----------

async function loadJobs() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
  if (state.status) params.set('status', state.status);
  if (state.type) params.set('type', state.type);
  try {
    const page = await request('GET', `/api/jobs?${params}`);
    state.count = page.count;
    state.order = page.jobs.map((job) => job.job_id);
    page.jobs.forEach((job) => state.jobs.set(job.job_id, job));
    renderRows();
  } catch (error) {
    $('page-info').textContent = `Could not load jobs: ${error.message}`;
  }
}

function matchesFilters(job) {
  return (!state.status || job.status === state.status) && (!state.type || job.type === state.type);
}

function maybeInsert(job) {
  if (state.offset === 0 && matchesFilters(job) && !state.order.includes(job.job_id)) {
    state.order.unshift(job.job_id);
    state.count += 1;
    if (state.order.length > PAGE_SIZE) state.order.pop();
    renderRows();
  }
}

function removeJob(jobId) {
  state.jobs.delete(jobId);
  if (state.order.includes(jobId)) {
    state.order = state.order.filter((id) => id !== jobId);
    state.count = Math.max(0, state.count - 1);
    renderRows();
  }
  if (state.openJob === jobId) location.hash = '#/';
}

function renderRows() {
  const rows = $('job-rows');
  rows.replaceChildren(...state.order.map((id) => rowFor(state.jobs.get(id))).filter(Boolean));
  if (state.order.length === 0) {
    rows.append(el('tr', {}, el('td', { colspan: '7', class: 'message', text: 'No jobs yet.' })));
  }
  const first = state.count === 0 ? 0 : state.offset + 1;
  $('page-info').textContent = `${first}–${state.offset + state.order.length} of ${state.count}`;
  $('page-prev').disabled = state.offset === 0;
  $('page-next').disabled = state.offset + PAGE_SIZE >= state.count;
}

function rowFor(job) {
  if (!job) return null;
  const now = Date.now();
  const actions = el('td', { class: 'actions-cell' });
  if (job.status === 'pending' || job.status === 'running') {
    actions.append(el('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'data-id': job.job_id, text: 'Cancel' }));
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    actions.append(el('button', { type: 'button', 'data-action': 'retry', 'data-id': job.job_id, text: 'Retry' }));
  }
  actions.append(el('button', { type: 'button', 'data-action': 'delete', 'data-id': job.job_id, text: 'Delete' }));
  return el('tr', { 'data-id': job.job_id },
    el('td', { 'data-label': 'Job' }, el('a', { href: `#/jobs/${job.job_id}`, class: 'job-link', text: job.job_id.slice(0, 8) })),
    el('td', { 'data-label': 'Type', text: job.type }),
    el('td', { 'data-label': 'Status', class: 'status-cell' }, statusBadge(job.status)),
    el('td', { 'data-label': 'Progress', class: 'progress-cell' }, progressBar(job),
      el('div', { class: 'progress-text', text: `${job.progress}% ${job.error || job.progress_message || ''}` })),
    el('td', { 'data-label': 'Elapsed', class: 'elapsed', text: seconds(elapsedOf(job, now)) }),
    el('td', { 'data-label': 'Left', class: 'left', text: seconds(leftOf(job, now)) }),
    actions);
}

function showJob(job) {
  const row = document.querySelector(`tr[data-id="${job.job_id}"]`);
  if (row) row.replaceWith(rowFor(job));
  if (state.openJob === job.job_id) renderJobPage(job);
}

function tick() {
  const now = Date.now();
  for (const id of state.order) {
    const job = state.jobs.get(id);
    const row = document.querySelector(`tr[data-id="${id}"]`);
    if (!job || !row || !['pending', 'running'].includes(job.status)) continue;
    row.querySelector('.elapsed').textContent = seconds(elapsedOf(job, now));
    row.querySelector('.left').textContent = seconds(leftOf(job, now));
  }
}

// ---------- stats ----------

let statsTimer = null;

function scheduleStats() {
  if (statsTimer) return;
  statsTimer = setTimeout(() => { statsTimer = null; loadStats(); }, 500);
}

async function loadStats() {
  try {
    const stats = await request('GET', '/api/jobs/stats');
    $('counts').replaceChildren(...Object.entries(stats.counts).map(([status, n]) =>
      el('span', { class: `count count-${status}`, 'data-status': status, text: `${status} ${n}` })));
    $('types').replaceChildren(...stats.types.map((t) => el('span', { class: 'type-stat', 'data-type': t.type,
      text: `${t.type}: ${t.total} jobs · success ${t.success_rate === null ? '–' : Math.round(t.success_rate * 100) + '%'}`
        + ` · avg ${t.average_duration_seconds === null ? '–' : seconds(t.average_duration_seconds)}` })));
  } catch (error) {
    $('counts').textContent = 'stats unavailable';
  }
}

// ---------- actions ----------

async function act(action, jobId) {
  try {
    if (action === 'cancel') await request('POST', `/api/jobs/${jobId}/cancel`);
    if (action === 'retry') await request('POST', `/api/jobs/${jobId}/retry`);
    if (action === 'delete') await request('DELETE', `/api/jobs/${jobId}`);
  } catch (error) {
    $('submit-result').textContent = `${action} failed: ${error.message}`;
    $('submit-result').classList.add('error');
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) act(button.dataset.action, button.dataset.id);
});

// ---------- submit ----------

function setupForm(types) {
  const select = $('submit-type');
  select.replaceChildren(...types.map((t) => el('option', { value: t, text: t })));
  $('filter-type').append(...types.map((t) => el('option', { value: t, text: t })));
  const onType = () => {
    $('submit-input').value = EXAMPLES[select.value] || '{}';
    $('submit-files-label').hidden = !TAKES_FILES.has(select.value);
  };
  select.addEventListener('change', onType);
  onType();
  $('submit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const output = $('submit-result');
    output.classList.remove('error');
    const type = select.value;
    const input = $('submit-input').value.trim() || '{}';
    const files = $('submit-files').files;
    try {
      let answer;
      if (TAKES_FILES.has(type) && files.length > 0) {
        const form = new FormData();
        form.append('type', type);
        form.append('input', input);
        for (const file of files) form.append('file', file, file.name);
        answer = await request('POST', '/api/jobs', form);
      } else {
        let parsed;
        try {
          parsed = JSON.parse(input);
        } catch (error) {
          throw new Error(`Input is not valid JSON: ${error.message}`);
        }
        answer = await request('POST', '/api/jobs', JSON.stringify({ type, input: parsed }),
          { 'Content-Type': 'application/json' });
      }
      output.replaceChildren('Submitted ', el('a', { href: `#/jobs/${answer.job_id}`, text: answer.job_id.slice(0, 8) }));
    } catch (error) {
      output.textContent = error.message;
      output.classList.add('error');
    }
  });
}

// ---------- job page ----------

async function openJob(jobId) {
  state.openJob = jobId;
  $('list-view').hidden = true;
  $('job-view').hidden = false;
  try {
    const job = await request('GET', `/api/jobs/${jobId}`);
    state.jobs.set(jobId, job);
    renderJobPage(job);
    await loadTimeline(jobId);
  } catch (error) {
    $('job-title').textContent = `Job ${jobId}: ${error.message}`;
  }
}

function renderJobPage(job) {
  $('job-title').textContent = `${job.type} job ${job.job_id}`;
  $('job-status').replaceWith(Object.assign(statusBadge(job.status), { id: 'job-status' }));
  $('job-bar').style.width = `${job.progress}%`;
  $('job-bar').style.background = { completed: 'var(--completed)', failed: 'var(--failed)', cancelled: 'var(--cancelled)' }[job.status] || '';
  $('job-percent').textContent = `${job.progress}%`;
  $('job-message').textContent = job.error ? `Error: ${job.error}` : (job.progress_message || '');
  const now = Date.now();
  const facts = [
    ['Owner', job.owner], ['Attempt', String(job.attempt)], ['Stage', job.stage ? `${job.stage} (${job.stage_number} of ${job.stages_total})` : '–'],
    ['Created', when(job.created_at)], ['Started', when(job.started_at)], ['Finished', when(job.completed_at)],
    ['Elapsed', seconds(elapsedOf(job, now))], ['Left', seconds(leftOf(job, now))],
    ['Max attempts', String(job.max_attempts)],
  ];
  if (job.next_attempt_at) facts.push(['Next attempt', when(job.next_attempt_at)]);
  (job.errors || []).forEach((e) => facts.push([`Attempt ${e.attempt} failed`, e.error]));
  $('job-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  const actions = [];
  if (job.status === 'pending' || job.status === 'running') {
    actions.push(el('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'data-id': job.job_id, text: 'Cancel' }));
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    actions.push(el('button', { type: 'button', 'data-action': 'retry', 'data-id': job.job_id, text: 'Retry' }));
  }
  actions.push(el('button', { type: 'button', 'data-action': 'delete', 'data-id': job.job_id, text: 'Delete' }));
  $('job-actions').replaceChildren(...actions);
  $('job-stages').replaceChildren(...job.stages.map((stage) => {
    const took = stage.started_at && stage.completed_at
      ? ` · ${seconds((Date.parse(stage.completed_at) - Date.parse(stage.started_at)) / 1000)}` : '';
    const status = stage.completed_at ? 'done' : (stage.started_at ? 'running' : 'waiting');
    return el('li', { 'data-stage': stage.name, class: `stage-${status}`,
      text: `${stage.name}: ${status}${stage.started_at ? ' · started ' + when(stage.started_at) : ''}${took}` });
  }));
  const files = [...job.artifacts, ...job.files];
  $('job-files-card').hidden = files.length === 0;
  $('job-files').replaceChildren(...files.map((f) => el('li', {},
    el('a', { href: f.url, text: f.name }), ` (${f.size} bytes)`)));
  if (job.status === 'completed') loadResult(job.job_id);
  else $('job-result-card').hidden = true;
}

async function loadResult(jobId) {
  try {
    const answer = await request('GET', `/api/jobs/${jobId}/result`);
    if (state.openJob !== jobId) return;
    $('job-result').textContent = JSON.stringify(answer.result, null, 2);
    $('job-result-card').hidden = false;
  } catch (error) {
    $('job-result-card').hidden = true;
  }
}

let timelineTimer = null;

function scheduleTimeline() {
  if (timelineTimer) return;
  timelineTimer = setTimeout(() => { timelineTimer = null; if (state.openJob) loadTimeline(state.openJob); }, 300);
}

async function loadTimeline(jobId) {
  try {
    const history = await request('GET', `/api/jobs/${jobId}/events`);
    if (state.openJob !== jobId) return;
    $('job-timeline').replaceChildren(...history.events.map((event) => el('li', { 'data-type': event.type },
      el('span', { class: 'when', text: when(event.timestamp) }),
      `${event.type} #${event.sequence}${event.attempt ? ' (attempt ' + event.attempt + ')' : ''}${describe(event)}`)));
  } catch (error) {
    $('job-timeline').replaceChildren(el('li', { class: 'message', text: error.message }));
  }
}

function describe(event) {
  const data = event.data || {};
  if (event.type === 'ProgressReported') return ` · ${data.progress}% ${data.message || ''}`;
  if (event.type === 'StageStarted' || event.type === 'StageCompleted') return ` · ${data.name}`;
  if (event.type === 'JobFailed') return ` · ${data.error}`;
  if (event.type === 'AttemptFailed') return ` · ${data.error}; retry at ${when(data.retry_at)}`;
  if (event.type === 'JobStarted') return ` · worker ${data.worker_id}`;
  return '';
}

// ---------- routing ----------

function route() {
  const match = location.hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  if (match) {
    openJob(match[1]);
  } else {
    state.openJob = null;
    $('job-view').hidden = true;
    $('list-view').hidden = false;
    loadJobs();
  }
}

function refreshAll() {
  loadStats();
  if (state.openJob) openJob(state.openJob); else loadJobs();
}

function setupSignIn() {
  // Where an identity provider is configured, the page offers its sign-in beside the key.
  fetch('/api/session').then((r) => (r.ok ? r.json() : {})).then((options) => {
    if (options.oidc_login) {
      $('sign-in-oidc-link').href = options.oidc_login;
      $('sign-in-oidc').hidden = false;
    }
  }).catch(() => {});
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await request('POST', '/api/session', JSON.stringify({ key: $('sign-in-key').value }),
        { 'Content-Type': 'application/json' });
      location.reload();
    } catch (e) {
      $('sign-in-error').textContent = e.message;
    }
  });
}

async function start() {
  setupSignIn();
  $('filter-status').addEventListener('change', (e) => { state.status = e.target.value; state.offset = 0; loadJobs(); });
  $('filter-type').addEventListener('change', (e) => { state.type = e.target.value; state.offset = 0; loadJobs(); });
  $('page-prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); loadJobs(); });
  $('page-next').addEventListener('click', () => { state.offset += PAGE_SIZE; loadJobs(); });
  setupForm(['demo', 'csv-report']);
  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshAll(); });
  setInterval(tick, 1000);
  connectLive();
  loadStats();
  route();
}

start();
