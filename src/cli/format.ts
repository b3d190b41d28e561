/** What the CLI prints: tables, ages, one task's summary. No colours, so output pipes cleanly. */

export interface TaskView {
  guid: string
  domain: string
  state: string
  cell_id: string
  result: string
  failed: boolean
  failure_reason: string
  created_at: string
  updated_at: string
  annotation?: string
  [field: string]: unknown
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table (header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()
  return [line(header), ...rows.map(line)].join('\n') + '\n'
}

/** 42s, 5m, 3h, 2d: how long ago. */
export function age (iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86400)}d`
}

function oneLine (text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The outcome column: empty until COMPLETED, then the result or the failure reason. */
export function outcome (t: TaskView): string {
  if (t.state !== 'COMPLETED' && t.state !== 'RESOLVING') return ''
  return t.failed ? `failed: ${oneLine(t.failure_reason)}` : oneLine(t.result) || 'ok'
}

export const LIST_HEADER = ['GUID', 'DOMAIN', 'STATE', 'AGE', 'CELL', 'OUTCOME']

export function listRow (t: TaskView, now = Date.now()): string[] {
  return [t.guid, t.domain, t.state, age(t.created_at, now), t.cell_id || '-', outcome(t)]
}

/** `taskbbs get` without --json: the fields a person looks at first, then the definition as JSON. */
export function describe (t: TaskView): string {
  const { guid, domain, state, cell_id: cell, failed, failure_reason: reason, result, created_at: created, updated_at: updated, ...rest } = t
  const status = ['guid', 'domain', 'state', 'cell_id', 'result', 'failed', 'failure_reason', 'rejection_count', 'rejection_reason', 'created_at', 'updated_at', 'first_completed_at']
  const definition = Object.fromEntries(Object.entries(rest).filter(([k]) => !status.includes(k)))
  const rows: Array<[string, string]> = [
    ['guid', guid],
    ['domain', domain],
    ['state', state + (state === 'COMPLETED' || state === 'RESOLVING' ? (failed ? ' (failed)' : ' (succeeded)') : '')],
    ['cell', cell || '-'],
    ['created', `${created} (${age(created)} ago)`],
    ['updated', `${updated} (${age(updated)} ago)`]
  ]
  if (failed) rows.push(['failure', reason])
  if (result) rows.push(['result', result.replace(/\n$/, '').replace(/\n/g, '\n' + ' '.repeat(10))])
  const width = Math.max(...rows.map(r => r[0].length)) + 2
  return rows.map(([k, v]) => `${(k + ':').padEnd(width)}${v}`).join('\n') + '\n' +
    `definition:\n${JSON.stringify(definition, null, 2).replace(/^/gm, '  ')}\n`
}
