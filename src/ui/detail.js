// The detail panel of one task: its fields, the state history this page saw,
// the result, logs and callback attempts, and cancel.
import { api } from './api.js'
import { $, ago, el, isoTime, stateBadge } from './dom.js'
import { render, saveHash, view } from './list.js'
import { apply, observed, removed, tasks } from './state.js'

const STATUS_FIELDS = new Set(['guid', 'domain', 'state', 'cell_id', 'result', 'failed', 'failure_reason', 'rejection_count', 'rejection_reason', 'created_at', 'updated_at', 'first_completed_at'])
let logsFor = null
let logSeq = 0
let logTimer = 0

export function select (guid) {
  view.selected = guid
  saveHash()
  $('detail-error').textContent = ''
  render()
  refreshDetail()
}

$('close-detail').addEventListener('click', () => { view.selected = null; $('detail').hidden = true; saveHash(); render() })

$('cancel').addEventListener('click', async () => {
  const guid = view.selected
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

export function drawDetail () {
  const selected = view.selected
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
  // ISO times in UTC, like every other time on the page (not the browser's 12-hour local clock).
  $('history').replaceChildren(...(observed.get(selected) || []).map((h) => el('li', {},
    el('time', { text: isoTime(h.at), title: h.at, dateTime: h.at }), ' ', stateBadge(h.state, h.failed), ' ', el('span', { className: 'muted', text: h.note }))))
  $('result').textContent = t ? (t.state === 'COMPLETED' || t.state === 'RESOLVING' ? (t.failed ? `(failed: ${t.failure_reason})` : t.result || '(empty)') : '(not completed yet)') : ''
  if (t) $('definition').textContent = JSON.stringify(Object.fromEntries(Object.entries(t).filter(([k]) => !STATUS_FIELDS.has(k))), null, 2)
}

/** Callbacks and logs are read on demand, again on each change, and every 2 s while the task runs. */
export async function refreshDetail () {
  const guid = view.selected
  if (!guid) return
  clearTimeout(logTimer)
  if (logsFor !== guid) { logsFor = guid; logSeq = 0; $('logs').replaceChildren() }
  if (!tasks.has(guid)) return
  try {
    const [callbacks, logs] = await Promise.all([
      api(`/v1/tasks/${encodeURIComponent(guid)}/callbacks`),
      api(`/v1/tasks/${encodeURIComponent(guid)}/logs?after_seq=${logSeq}&limit=1000`)
    ])
    if (view.selected !== guid) return
    drawCallbacks(callbacks.delivery)
    for (const l of logs.lines) {
      $('logs').append(el('span', { className: l.stream, text: `${l.line}\n` }))
      logSeq = l.seq
    }
  } catch (err) {
    if (view.selected === guid && tasks.has(guid)) $('detail-error').textContent = err.message
  }
  const t = tasks.get(guid)
  if (t && (t.state === 'PENDING' || t.state === 'RUNNING')) logTimer = setTimeout(refreshDetail, 2000)
}

function drawCallbacks (delivery) {
  const box = $('callbacks')
  if (!delivery) { box.textContent = tasks.get(view.selected)?.completion_callback_url ? 'No callback pending.' : 'This task has no completion callback.'; return }
  box.replaceChildren(
    el('div', { className: 'callback-url', text: `${delivery.url} · next attempt ${delivery.next_attempt_at}` }),
    delivery.attempts.length
      // In a scrolling box of its own: a long history or error text must not widen the panel.
      ? el('div', { className: 'attempts' }, el('table', {}, el('thead', {}, el('tr', {}, ...['#', 'at', 'status', 'outcome', 'ms'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...delivery.attempts.map((a) => el('tr', {}, el('td', { text: String(a.attempt) }), el('td', { text: a.at }),
          el('td', { className: 'error', text: a.status ? String(a.status) : (a.error || ''), title: a.error || '' }), el('td', { text: a.outcome }), el('td', { text: String(a.duration_ms) }))))))
      : el('div', { text: 'No attempt yet.' }))
}
