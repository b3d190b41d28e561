// Small DOM helpers shared by the dashboard's views. Every value from the
// server goes on the page as text (textContent), never as HTML.

export const $ = (id) => document.getElementById(id)

export function el (tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v)
    else if (k === 'text') node.textContent = v
    else node[k] = v
  }
  node.append(...children)
  return node
}

export function stateBadge (state, failed) {
  return el('span', { className: 'state', text: state === 'COMPLETED' && failed ? 'COMPLETED (failed)' : state, dataset: { state, failed: String(Boolean(failed)) } })
}

export function outcome (t) {
  if (t.state !== 'COMPLETED' && t.state !== 'RESOLVING') return ''
  return t.failed ? `failed: ${t.failure_reason}` : (t.result.trim() || 'ok')
}

export function ago (iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86400)}d ago`
}

/** ISO 8601 time of day in UTC with milliseconds, as every other time on the page and in the API. */
export function isoTime (iso) {
  return new Date(iso).toISOString().slice(11, 23) + 'Z'
}
