// The summary by domain and state, the filters (kept in the URL's hash) and
// the task list.
import { $, ago, el, outcome, stateBadge } from './dom.js'
import { listing, tasks } from './state.js'

const STATES = ['PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING']
const SHOWN = 2000

export const view = { selected: null }
let afterDraw = () => {}
let onSelect = () => {}

/** Hooks of the detail view: drawn after the list, opened by a click on a row. */
export function connectDetail ({ draw, select }) { afterDraw = draw; onSelect = select }

function filters () {
  return { domain: $('filter-domain').value, state: $('filter-state').value, text: $('filter-text').value.trim().toLowerCase() }
}

/** Filters and the open task live in the URL's hash, so a reload or a shared link shows the same view. */
export function saveHash () {
  const f = filters()
  const q = new URLSearchParams()
  if (f.domain) q.set('domain', f.domain)
  if (f.state) q.set('state', f.state)
  if (f.text) q.set('q', f.text)
  if (view.selected) q.set('task', view.selected)
  const hash = q.toString()
  window.history.replaceState(null, '', hash ? `#${hash}` : location.pathname)
}

export function restoreHash () {
  const q = new URLSearchParams(location.hash.slice(1))
  ensureDomainOption(q.get('domain') || '')
  $('filter-domain').value = q.get('domain') || ''
  $('filter-state').value = q.get('state') || ''
  $('filter-text').value = q.get('q') || ''
  view.selected = q.get('task')
}

function ensureDomainOption (domain) {
  if (!domain) return
  const select = $('filter-domain')
  if ([...select.options].some((o) => o.value === domain)) return
  select.append(new Option(domain, domain))
}

function matches (t, f) {
  if (f.domain && t.domain !== f.domain) return false
  if (f.state && t.state !== f.state) return false
  if (f.text && !t.guid.toLowerCase().includes(f.text) && !(t.annotation || '').toLowerCase().includes(f.text)) return false
  return true
}

let frame = 0
/** Draws on the next frame, once however many changes came before it. */
export function render () {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw() })
}

for (const id of ['filter-domain', 'filter-state']) $(id).addEventListener('change', () => { saveHash(); render() })
$('filter-text').addEventListener('input', () => { saveHash(); render() })

function drawSummary (all, f) {
  // Tasks by domain and state; a click on a count filters by both.
  const byDomain = new Map()
  for (const t of all) {
    const row = byDomain.get(t.domain) || { PENDING: 0, RUNNING: 0, COMPLETED: 0, failed: 0, RESOLVING: 0, total: 0 }
    row[t.state]++
    if (t.state === 'COMPLETED' && t.failed) row.failed++
    row.total++
    byDomain.set(t.domain, row)
  }
  $('summary').tBodies[0].replaceChildren(...[...byDomain.keys()].sort().map((domain) => {
    const row = byDomain.get(domain)
    return el('tr', { dataset: { domain } }, el('th', { text: domain }), ...['PENDING', 'RUNNING', 'COMPLETED', 'failed', 'RESOLVING', 'total'].map((k) => {
      const state = STATES.includes(k) ? k : (k === 'failed' ? 'COMPLETED' : '')
      const cell = el('td', { className: `count${row[k] ? '' : ' zero'}${f.domain === domain && f.state === state ? ' selected' : ''}`, text: String(row[k]), title: `${domain}, ${k}` })
      cell.addEventListener('click', () => { $('filter-domain').value = domain; $('filter-state').value = state; saveHash(); render() })
      return cell
    }))
  }))
}

function draw () {
  const f = filters()
  const all = [...tasks.values()]
  for (const t of all) ensureDomainOption(t.domain)
  drawSummary(all, f)
  const shown = all.filter((t) => matches(t, f)).sort((a, b) => b.created_at.localeCompare(a.created_at))
  $('tasks').tBodies[0].replaceChildren(...shown.slice(0, SHOWN).map((t) => {
    const tr = el('tr', { className: t.guid === view.selected ? 'selected' : '', dataset: { guid: t.guid, state: t.state } },
      el('td', { text: t.guid }),
      el('td', { text: t.domain }),
      el('td', {}, stateBadge(t.state, t.failed)),
      el('td', { className: 'outcome', text: outcome(t), title: outcome(t) }),
      el('td', { className: 'cell', text: t.cell_id || '—', title: t.cell_id }),
      el('td', { text: ago(t.updated_at), title: t.updated_at }))
    tr.addEventListener('click', () => onSelect(t.guid))
    return tr
  }))
  $('empty').hidden = shown.length > 0
  $('count').textContent = `${shown.length} of ${all.length} tasks`
  $('truncated').hidden = !listing.truncated && shown.length <= SHOWN
  $('truncated').textContent = listing.truncated ? `Only the first ${listing.max} tasks were loaded.` : `Showing ${SHOWN} of ${shown.length}; narrow the filters.`
  if (view.selected) afterDraw()
}
