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
  page: 'jobs',         // jobs, job, activity or workers
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
    const activityType = $('activity-type');
    const known = new Set([...activityType.options].map((o) => o.value));
    stats.types.filter((t) => !known.has(t.type)).forEach((t) => activityType.append(el('option', { value: t.type, text: t.type })));
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
    renderGantt(attemptsOf(history.events), Date.now());
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


// ---------- charts (SVG drawn here: a few shapes need no library, and the CSP stays 'self' only) ----------

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  children.filter(Boolean).forEach((child) => node.append(child));
  return node;
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// Completed (below) and failed (stacked on top) per minute, one bar each; every bar carries its numbers.
function renderThroughput(activity) {
  const width = 720; const height = 200; const left = 34; const bottom = 22; const top = 8;
  const max = Math.max(1, ...activity.minutes.map((m) => m.completed + m.failed));
  const step = (width - left) / activity.minutes.length;
  const scale = (n) => (n / max) * (height - bottom - top);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `${activity.completed} completed and ${activity.failed} failed in the last hour` });
  chart.append(svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }),
    svg('text', { x: 0, y: top + 8, text: String(max) }), svg('text', { x: 0, y: height - bottom, text: '0' }));
  activity.minutes.forEach((m, i) => {
    const x = left + i * step + 1;
    const done = scale(m.completed); const failed = scale(m.failed);
    const bar = svg('g', { class: 'minute', 'data-minute': m.minute, 'data-completed': m.completed, 'data-failed': m.failed },
      svg('title', { text: `${clock(m.minute)}: ${m.completed} completed, ${m.failed} failed` }));
    if (m.completed > 0) {
      bar.append(svg('rect', { class: 'completed', x, width: step - 2, y: height - bottom - done, height: done, 'data-count': m.completed }));
    }
    if (m.failed > 0) {
      bar.append(svg('rect', { class: 'failed', x, width: step - 2, y: height - bottom - done - failed, height: failed, 'data-count': m.failed }));
    }
    chart.append(bar);
    if (i % 15 === 0 || i === activity.minutes.length - 1) {
      chart.append(svg('text', { x, y: height - 6, text: clock(m.minute) }));
    }
  });
  $('chart-throughput').replaceChildren(chart);
  const total = $('throughput-total');
  total.textContent = `${activity.completed} completed · ${activity.failed} failed since ${clock(activity.from)}`;
  total.dataset.completed = activity.completed;
  total.dataset.failed = activity.failed;
}

// One row per type: the p95 bar behind the p50 bar, on one scale for all types.
function renderDurations(activity) {
  const rows = activity.durations;
  if (rows.length === 0) {
    $('chart-durations').replaceChildren(el('p', { class: 'message', text: 'No job ran to its end in the last hour.' }));
    return;
  }
  const width = 720; const left = 140; const right = 150; const rowHeight = 26;
  const max = Math.max(...rows.map((r) => r.p95_seconds), 0.001);
  const scale = (s) => (s / max) * (width - left - right);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${rows.length * rowHeight + 4}`, role: 'img', 'aria-label': 'Run time per type' });
  rows.forEach((r, i) => {
    const y = i * rowHeight + 4;
    chart.append(svg('g', { class: 'duration-row', 'data-type': r.type, 'data-count': r.count,
      'data-p50': r.p50_seconds, 'data-p95': r.p95_seconds },
    svg('text', { x: 0, y: y + 15, text: r.type }),
    svg('rect', { class: 'p95', x: left, y, height: rowHeight - 8, width: Math.max(1, scale(r.p95_seconds)) }),
    svg('rect', { class: 'p50', x: left, y: y + 4, height: rowHeight - 16, width: Math.max(1, scale(r.p50_seconds)) }),
    svg('text', { class: 'duration-label', x: left + scale(r.p95_seconds) + 6, y: y + 15,
      text: `p50 ${seconds(r.p50_seconds)} · p95 ${seconds(r.p95_seconds)} · ${r.count} jobs` })));
  });
  $('chart-durations').replaceChildren(chart);
}

function renderQueues(queues) {
  const max = Math.max(1, ...queues.map((q) => q.pending));
  $('queue-rows').replaceChildren(...queues.map((q) => {
    const bar = el('div', { class: 'queue-bar' });
    bar.style.width = `${Math.round((q.pending / max) * 100)}%`;
    return el('tr', { 'data-type': q.type, 'data-priority': String(q.priority) },
      el('td', { 'data-label': 'Type', text: q.type }),
      el('td', { 'data-label': 'Priority', text: String(q.priority) }),
      el('td', { 'data-label': 'Pending', class: 'pending', text: String(q.pending) }),
      el('td', { 'data-label': 'Running', class: 'running', text: String(q.running) }),
      el('td', { class: 'progress-cell' }, bar));
  }));
  if (queues.length === 0) {
    $('queue-rows').append(el('tr', {}, el('td', { colspan: '5', class: 'message', text: 'No job waits or runs.' })));
  }
}

async function loadActivity() {
  const type = $('activity-type').value;
  try {
    const [activity, queues] = await Promise.all([
      request('GET', `/api/jobs/activity${type ? '?type=' + encodeURIComponent(type) : ''}`),
      request('GET', '/api/jobs/queues')]);
    if (state.page !== 'activity') return;
    renderThroughput(activity);
    renderDurations(activity);
    renderQueues(queues.queues);
  } catch (error) {
    $('throughput-total').textContent = `Could not load the activity: ${error.message}`;
  }
}

// The attempts of a job from its events: per attempt, its stages with when each started and ended, and how.
function attemptsOf(events) {
  const attempts = new Map();
  const open = (n, at) => {
    if (!attempts.has(n)) attempts.set(n, { attempt: n, start: at, end: null, worker: null, stages: [] });
    return attempts.get(n);
  };
  const closeRunning = (a, at, how) => a.stages.filter((s) => !s.end).forEach((s) => { s.end = at; s.state = how; });
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    const data = event.data || {};
    if (event.type === 'JobStarted') {
      // A new attempt ends whatever an earlier one left running (its worker was gone).
      attempts.forEach((a) => { if (!a.end) { closeRunning(a, at, 'failed'); a.end = at; } });
      open(event.attempt, at).worker = data.worker_id;
    } else if (!event.attempt || !attempts.has(event.attempt)) {
      continue;
    } else if (event.type === 'StageStarted') {
      attempts.get(event.attempt).stages.push({ name: data.name, start: at, end: null, state: 'running' });
    } else if (event.type === 'StageCompleted') {
      const stage = attempts.get(event.attempt).stages.find((s) => s.name === data.name && !s.end);
      if (stage) { stage.end = at; stage.state = 'done'; }
    } else if (['AttemptFailed', 'JobFailed', 'JobCancelled', 'JobReleased', 'JobCompleted'].includes(event.type)) {
      const a = attempts.get(event.attempt);
      closeRunning(a, at, event.type === 'JobCompleted' ? 'done' : 'failed');
      a.end = a.end || at;
    }
  }
  return [...attempts.values()].sort((a, b) => a.attempt - b.attempt);
}

// One row per attempt, one bar per stage, on one time axis from the first start.
function renderGantt(attempts, now) {
  const target = $('job-gantt');
  if (attempts.length === 0) {
    target.replaceChildren(el('p', { class: 'message', text: 'Not started yet.' }));
    return;
  }
  const width = 720; const left = 150; const rowHeight = 30;
  const start = Math.min(...attempts.map((a) => a.start));
  const end = Math.max(start + 1, ...attempts.flatMap((a) => [a.end || now, ...a.stages.map((s) => s.end || now)]));
  const x = (t) => left + ((t - start) / (end - start)) * (width - left - 10);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${attempts.length * rowHeight + 20}`, role: 'img', 'aria-label': 'Stages per attempt' });
  attempts.forEach((a, i) => {
    const y = i * rowHeight + 4;
    const row = svg('g', { class: 'gantt-row', 'data-attempt': a.attempt },
      svg('text', { x: 0, y: y + 16, text: `Attempt ${a.attempt}${a.worker ? ' · ' + a.worker : ''}`.slice(0, 26) }));
    a.stages.forEach((stage) => {
      const from = x(stage.start); const to = x(stage.end || now);
      row.append(svg('g', { class: 'gantt-bar', 'data-stage': stage.name, 'data-state': stage.state },
        svg('title', { text: `${stage.name}: ${stage.state}, ${seconds(((stage.end || now) - stage.start) / 1000)}` }),
        svg('rect', { class: stage.state, x: from, y, width: Math.max(2, to - from), height: rowHeight - 10 }),
        svg('text', { x: from + 3, y: y + 14, text: stage.name })));
    });
    chart.append(row);
  });
  chart.append(svg('text', { x: left, y: attempts.length * rowHeight + 16, text: when(new Date(start).toISOString()) }),
    svg('text', { x: width - 70, y: attempts.length * rowHeight + 16, text: `+${seconds((end - start) / 1000)}` }));
  target.replaceChildren(chart);
}

// ---------- workers ----------

async function loadWorkers() {
  try {
    const answer = await request('GET', '/api/workers');
    if (state.page !== 'workers') return;
    const now = Date.now();
    $('worker-rows').replaceChildren(...answer.workers.map((w) => {
      const slots = el('div', { class: 'slots' });
      if (w.slots_total) {
        const bar = el('div', { class: 'bar' }); const fill = el('div');
        fill.style.width = `${Math.round((w.slots_in_use / w.slots_total) * 100)}%`;
        bar.append(fill);
        slots.append(bar);
      }
      slots.append(el('span', { class: 'slot-count', text: `${w.slots_in_use}/${w.slots_total === null ? '–' : w.slots_total}` }));
      const jobs = el('td', { 'data-label': 'Jobs', class: 'worker-jobs' });
      if (w.jobs === null) jobs.textContent = '–';
      else w.jobs.forEach((j) => jobs.append(el('a', { href: `#/jobs/${j.job_id}`, text: `${j.job_id.slice(0, 8)} #${j.attempt}` }), ' '));
      return el('tr', { 'data-worker': w.worker_id, 'data-kind': w.kind },
        el('td', { 'data-label': 'Worker', text: w.worker_id, title: w.instances.join(', ') }),
        el('td', { 'data-label': 'Kind', class: 'kind', text: w.kind }),
        el('td', { 'data-label': 'Status', class: 'status-cell' }, statusBadge(w.status)),
        el('td', { 'data-label': 'Types', class: 'types-cell', text: w.types.join(', ') }),
        el('td', { 'data-label': 'Slots' }, slots),
        jobs,
        el('td', { 'data-label': 'Last heartbeat', class: 'seen', text: `${seconds((now - Date.parse(w.last_seen_at)) / 1000)} ago` }));
    }));
    $('workers-note').textContent = answer.workers.length === 0 ? 'No worker announced.' : '';
  } catch (error) {
    $('workers-note').textContent = `Could not load the workers: ${error.message}`;
  }
}

// ---------- routing ----------

const VIEWS = { jobs: 'list-view', job: 'job-view', activity: 'activity-view', workers: 'workers-view' };

function show(page) {
  state.page = page;
  Object.entries(VIEWS).forEach(([name, id]) => { $(id).hidden = name !== page; });
  document.querySelectorAll('.nav a').forEach((a) => a.classList.toggle('current', a.dataset.page === page));
}

function route() {
  const match = location.hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  if (match) {
    show('job');
    openJob(match[1]);
    return;
  }
  state.openJob = null;
  if (location.hash === '#/activity') {
    show('activity');
    loadActivity();
  } else if (location.hash === '#/workers') {
    show('workers');
    loadWorkers();
  } else {
    show('jobs');
    loadJobs();
  }
}

// The activity and workers pages have no live stream of their own: they read again while shown.
function refreshPage() {
  if (document.hidden) return;
  if (state.page === 'activity') loadActivity();
  if (state.page === 'workers') loadWorkers();
}

function refreshAll() {
  loadStats();
  if (state.openJob) openJob(state.openJob);
  else if (state.page === 'jobs') loadJobs();
  else refreshPage();
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
  setInterval(refreshPage, 2000);
  $('activity-type').addEventListener('change', loadActivity);
  connectLive();
  loadStats();
  route();
}

start();
