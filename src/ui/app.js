// The taskbbs dashboard: tasks by domain and state, kept live from GET /v1/events.
// Plain JS, no build step, no framework. Every value from the server is put on
// the page as text (textContent), never as HTML.

const STATES = ['PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING']
const MAX_TASKS = 10_000 // listed at load; a larger server is filtered by domain first
const TOKEN_KEY = 'taskbbs.token'
const $ = (id) => document.getElementById(id)

const tasks = new Map() // guid → task, as the API shows it
const observed = new Map() // guid → [{ at, state, failed, note }]: the state history as this page saw it
const removed = new Set() // guids deleted while the page watched them
let selected = null
let truncated = false
let token = sessionStorage.getItem(TOKEN_KEY) || ''
let stream = null // AbortController of the event stream

/** An API call with the token; 401 asks for a token, other errors throw with the server's detail. */
async function api (path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers || {}) }
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(path, { ...init, headers })
  if (res.status === 401) {
    askForToken(token ? 'That token was not accepted.' : '')
    throw new Error('unauthorized')
  }
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`
    try { const p = await res.json(); detail = `${p.detail || p.title} (${res.status} ${p.code})` } catch {}
    throw new Error(detail)
  }
  return res.status === 204 ? null : res.json()
}

// ---- token -----------------------------------------------------------------

function askForToken (message) {
  stream?.abort()
  $('main').hidden = true
  $('token-form').hidden = false
  $('token-error').textContent = message
  $('token').focus()
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault()
  token = $('token').value.trim()
  sessionStorage.setItem(TOKEN_KEY, token)
  $('token').value = ''
  start()
})

$('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY)
  token = ''
  askForToken('')
})

// ---- state -----------------------------------------------------------------

function observe (task, note) {
  const h = observed.get(task.guid) || []
  const last = h[h.length - 1]
  if (!last || last.state !== task.state || last.failed !== task.failed) {
    h.push({ at: note === 'listed' ? task.updated_at : new Date().toISOString(), state: task.state, failed: task.failed, note })
    observed.set(task.guid, h)
  }
}

/** Applies one event; a listed task newer than the event (they can cross at load) is kept. */
function apply (event) {
  if (event.type === 'task_removed') {
    tasks.delete(event.guid)
    removed.add(event.guid)
    const h = observed.get(event.guid) || []
    h.push({ at: event.at, state: 'deleted', failed: false, note: 'task_removed' })
    observed.set(event.guid, h)
    return
  }
  const current = tasks.get(event.guid)
  if (current && current.updated_at > event.task.updated_at) return
  tasks.set(event.guid, event.task)
  removed.delete(event.guid)
  const h = observed.get(event.guid) || []
  h.push({ at: event.at, state: event.state, failed: event.task.failed, note: event.type })
  observed.set(event.guid, h)
}

async function loadTasks () {
  const listed = []
  let cursor = ''
  do {
    const page = await api(`/v1/tasks?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    listed.push(...page.tasks)
    cursor = page.next_cursor || ''
  } while (cursor && listed.length < MAX_TASKS)
  truncated = Boolean(cursor)
  tasks.clear()
  for (const t of listed) { tasks.set(t.guid, t); observe(t, 'listed') }
}

// ---- the event stream ------------------------------------------------------

/** Reads text/event-stream from fetch, so the token can go in a header (EventSource cannot send one). */
async function * sse (body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    text += value.replace(/\r\n?/g, '\n')
    let cut
    while ((cut = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, cut)
      text = text.slice(cut + 2)
      const m = { event: 'message', data: [] }
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue
        const i = line.indexOf(':')
        const field = i < 0 ? line : line.slice(0, i)
        const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
        if (field === 'id') m.id = v
        else if (field === 'event') m.event = v
        else if (field === 'data') m.data.push(v)
      }
      if (m.data.length) yield { ...m, data: m.data.join('\n') }
    }
  }
}

function connection (state, text) {
  $('connection').dataset.state = state
  $('connection').textContent = text
}

/**
 * Opens the stream first, then lists tasks, then applies the events that came
 * meanwhile: nothing is missed between the list and the stream. Reconnects
 * with Last-Event-ID, so nothing is missed or repeated across drops either.
 */
async function follow (signal) {
  let lastId = ''
  let first = true
  while (!signal.aborted) {
    try {
      const headers = { accept: 'text/event-stream' }
      if (token) headers.authorization = `Bearer ${token}`
      if (lastId) headers['last-event-id'] = lastId
      const res = await fetch('/v1/events', { headers, signal })
      if (res.status === 401) { askForToken('That token was not accepted.'); return }
      if (!res.ok) throw new Error(`the event stream answered ${res.status}`)
      const pending = []
      let listing = null
      if (first) {
        first = false
        listing = loadTasks().then(() => {
          listing = null
          for (const e of pending.splice(0)) apply(e)
          render()
          if (selected) refreshDetail()
        }, (err) => {
          listing = null
          if (err.message !== 'unauthorized') connection('reconnecting', `cannot list tasks: ${err.message}`)
        })
      }
      connection('live', 'live')
      const iterator = sse(res.body)
      // The list may still be loading: queue events until it is in.
      for await (const m of iterator) {
        if (m.id) lastId = m.id
        if (m.event === 'reset') { await loadTasks(); render(); continue }
        if (!m.event.startsWith('task_')) continue
        const event = JSON.parse(m.data)
        if (listing) pending.push(event)
        else { apply(event); render(); if (event.guid === selected) refreshDetail() }
      }
      await listing
    } catch (err) {
      if (signal.aborted) return
      if (err.message === 'unauthorized') return
      console.warn('event stream:', err)
    }
    connection('reconnecting', 'reconnecting…')
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

// ---- filters ---------------------------------------------------------------

function filters () {
  return { domain: $('filter-domain').value, state: $('filter-state').value, text: $('filter-text').value.trim().toLowerCase() }
}

/** Filters and the open task live in the URL's hash, so a reload or a shared link shows the same view. */
function saveHash () {
  const f = filters()
  const q = new URLSearchParams()
  if (f.domain) q.set('domain', f.domain)
  if (f.state) q.set('state', f.state)
  if (f.text) q.set('q', f.text)
  if (selected) q.set('task', selected)
  const hash = q.toString()
  window.history.replaceState(null, '', hash ? `#${hash}` : location.pathname)
}

function restoreHash () {
  const q = new URLSearchParams(location.hash.slice(1))
  ensureDomainOption(q.get('domain') || '')
  $('filter-domain').value = q.get('domain') || ''
  $('filter-state').value = q.get('state') || ''
  $('filter-text').value = q.get('q') || ''
  selected = q.get('task')
}

function ensureDomainOption (domain) {
  if (!domain) return
  const select = $('filter-domain')
  if ([...select.options].some((o) => o.value === domain)) return
  select.append(new Option(domain, domain))
}

for (const id of ['filter-domain', 'filter-state']) $(id).addEventListener('change', () => { saveHash(); render() })
$('filter-text').addEventListener('input', () => { saveHash(); render() })

function matches (t, f) {
  if (f.domain && t.domain !== f.domain) return false
  if (f.state && t.state !== f.state) return false
  if (f.text && !t.guid.toLowerCase().includes(f.text) && !(t.annotation || '').toLowerCase().includes(f.text)) return false
  return true
}

// ---- rendering -------------------------------------------------------------

let frame = 0
function render () {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw() })
}

function el (tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v)
    else if (k === 'text') node.textContent = v
    else node[k] = v
  }
  node.append(...children)
  return node
}

function stateBadge (state, failed) {
  return el('span', { className: 'state', text: state === 'COMPLETED' && failed ? 'COMPLETED (failed)' : state, dataset: { state, failed: String(Boolean(failed)) } })
}

function outcome (t) {
  if (t.state !== 'COMPLETED' && t.state !== 'RESOLVING') return ''
  return t.failed ? `failed: ${t.failure_reason}` : (t.result.trim() || 'ok')
}

function ago (iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86400)}d ago`
}

function draw () {
  const f = filters()
  const all = [...tasks.values()]
  for (const t of all) ensureDomainOption(t.domain)

  // Tasks by domain and state; a click on a count filters by both.
  const byDomain = new Map()
  for (const t of all) {
    const row = byDomain.get(t.domain) || { PENDING: 0, RUNNING: 0, COMPLETED: 0, failed: 0, RESOLVING: 0, total: 0 }
    row[t.state]++
    if (t.state === 'COMPLETED' && t.failed) row.failed++
    row.total++
    byDomain.set(t.domain, row)
  }
  const summary = $('summary').tBodies[0]
  summary.replaceChildren(...[...byDomain.keys()].sort().map((domain) => {
    const row = byDomain.get(domain)
    return el('tr', { dataset: { domain } }, el('th', { text: domain }), ...['PENDING', 'RUNNING', 'COMPLETED', 'failed', 'RESOLVING', 'total'].map((k) => {
      const state = STATES.includes(k) ? k : (k === 'failed' ? 'COMPLETED' : '')
      const cell = el('td', { className: `count${row[k] ? '' : ' zero'}${f.domain === domain && f.state === state ? ' selected' : ''}`, text: String(row[k]), title: `${domain}, ${k}` })
      cell.addEventListener('click', () => { $('filter-domain').value = domain; $('filter-state').value = state; saveHash(); render() })
      return cell
    }))
  }))

  const shown = all.filter((t) => matches(t, f)).sort((a, b) => b.created_at.localeCompare(a.created_at))
  const body = $('tasks').tBodies[0]
  body.replaceChildren(...shown.slice(0, 2000).map((t) => {
    const tr = el('tr', { className: t.guid === selected ? 'selected' : '', dataset: { guid: t.guid, state: t.state } },
      el('td', { text: t.guid }),
      el('td', { text: t.domain }),
      el('td', {}, stateBadge(t.state, t.failed)),
      el('td', { className: 'outcome', text: outcome(t), title: outcome(t) }),
      el('td', { className: 'cell', text: t.cell_id || '—', title: t.cell_id }),
      el('td', { text: ago(t.updated_at), title: t.updated_at }))
    tr.addEventListener('click', () => select(t.guid))
    return tr
  }))
  $('empty').hidden = shown.length > 0
  $('count').textContent = `${shown.length} of ${all.length} tasks`
  $('truncated').hidden = !truncated && shown.length <= 2000
  $('truncated').textContent = truncated ? `Only the first ${MAX_TASKS} tasks were loaded.` : `Showing 2000 of ${shown.length}; narrow the filters.`
  if (selected) drawDetail()
}

// ---- detail ----------------------------------------------------------------

const STATUS_FIELDS = new Set(['guid', 'domain', 'state', 'cell_id', 'result', 'failed', 'failure_reason', 'rejection_count', 'rejection_reason', 'created_at', 'updated_at', 'first_completed_at'])
let logsFor = null
let logSeq = 0
let logTimer = 0

function select (guid) {
  selected = guid
  saveHash()
  $('detail-error').textContent = ''
  render()
  refreshDetail()
}

$('close-detail').addEventListener('click', () => { selected = null; $('detail').hidden = true; saveHash(); render() })

$('cancel').addEventListener('click', async () => {
  const guid = selected
  if (!guid || !confirm(`Cancel task ${guid}? Its processes are stopped and it completes as failed.`)) return
  $('cancel').disabled = true
  try {
    const task = await api(`/v1/tasks/${encodeURIComponent(guid)}/cancel`, { method: 'POST' })
    apply({ type: 'task_changed', guid, state: task.state, at: task.updated_at, task })
    render()
  } catch (err) {
    $('detail-error').textContent = `Could not cancel: ${err.message}`
  }
})

function drawDetail () {
  const t = tasks.get(selected)
  $('detail').hidden = false
  $('detail-guid').textContent = selected
  const gone = !t
  $('detail-state').replaceWith(Object.assign(stateBadge(gone ? 'deleted' : t.state, t?.failed), { id: 'detail-state' }))
  $('cancel').disabled = gone || !(t.state === 'PENDING' || t.state === 'RUNNING')
  const fields = gone
    ? [['status', removed.has(selected) ? 'deleted while this page watched' : 'not found']]
    : [['domain', t.domain], ['cell', t.cell_id || '—'], ['created', `${t.created_at} (${ago(t.created_at)})`], ['updated', `${t.updated_at} (${ago(t.updated_at)})`],
        ...(t.failed ? [['failure', t.failure_reason]] : []), ...(t.rejection_count ? [['rejections', `${t.rejection_count}: ${t.rejection_reason}`]] : []),
        ...(t.annotation ? [['annotation', t.annotation]] : [])]
  $('detail-fields').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))
  $('history').replaceChildren(...(observed.get(selected) || []).map((h) => el('li', {},
    el('time', { text: new Date(h.at).toLocaleTimeString(), title: h.at }), ' ', stateBadge(h.state, h.failed), ' ', el('span', { className: 'muted', text: h.note }))))
  $('result').textContent = t ? (t.state === 'COMPLETED' || t.state === 'RESOLVING' ? (t.failed ? `(failed: ${t.failure_reason})` : t.result || '(empty)') : '(not completed yet)') : ''
  if (t) $('definition').textContent = JSON.stringify(Object.fromEntries(Object.entries(t).filter(([k]) => !STATUS_FIELDS.has(k))), null, 2)
}

/** Callbacks and logs are read on demand, again on each change, and every 2 s while the task runs. */
async function refreshDetail () {
  const guid = selected
  if (!guid) return
  clearTimeout(logTimer)
  if (logsFor !== guid) { logsFor = guid; logSeq = 0; $('logs').replaceChildren() }
  if (!tasks.has(guid)) return
  try {
    const [callbacks, logs] = await Promise.all([
      api(`/v1/tasks/${encodeURIComponent(guid)}/callbacks`),
      api(`/v1/tasks/${encodeURIComponent(guid)}/logs?after_seq=${logSeq}&limit=1000`)
    ])
    if (selected !== guid) return
    drawCallbacks(callbacks.delivery)
    for (const l of logs.lines) {
      $('logs').append(el('span', { className: l.stream, text: `${l.line}\n` }))
      logSeq = l.seq
    }
  } catch (err) {
    if (selected === guid && tasks.has(guid)) $('detail-error').textContent = err.message
  }
  const t = tasks.get(guid)
  if (t && (t.state === 'PENDING' || t.state === 'RUNNING')) logTimer = setTimeout(refreshDetail, 2000)
}

function drawCallbacks (delivery) {
  const box = $('callbacks')
  if (!delivery) { box.textContent = tasks.get(selected)?.completion_callback_url ? 'No callback pending.' : 'This task has no completion callback.'; return }
  box.replaceChildren(
    el('div', { text: `${delivery.url} · next attempt ${delivery.next_attempt_at}` }),
    delivery.attempts.length
      ? el('table', {}, el('thead', {}, el('tr', {}, ...['#', 'at', 'status', 'outcome', 'ms'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...delivery.attempts.map((a) => el('tr', {}, el('td', { text: String(a.attempt) }), el('td', { text: a.at }),
          el('td', { text: a.status ? String(a.status) : (a.error || '') }), el('td', { text: a.outcome }), el('td', { text: String(a.duration_ms) })))))
      : el('div', { text: 'No attempt yet.' }))
}

// ---- start -----------------------------------------------------------------

function start () {
  $('token-form').hidden = true
  $('main').hidden = false
  $('forget-token').hidden = !token
  restoreHash()
  stream?.abort()
  stream = new AbortController()
  connection('connecting', 'connecting…')
  follow(stream.signal)
}

setInterval(render, 5000) // keeps "updated … ago" current
start()
