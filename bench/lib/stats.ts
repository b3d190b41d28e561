/** Percentile of a sample (nearest rank); 0 for an empty one. */
export function percentile (values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export interface Row {
  scenario: string
  subject: string
  value: number
  unit: string
  baseline: string
  baselineValue: number
  /** subject / baseline when higher is better; baseline / subject when lower is better. */
  ratio: number
  goal?: string
  extra?: Record<string, number | string>
}

export function ratioOf (subject: number, baseline: number, higherIsBetter = true): number {
  if (subject === 0 || baseline === 0) return 0
  return Number((higherIsBetter ? subject / baseline : baseline / subject).toFixed(3))
}

/**
 * Whether a row meets its goal. A goal with a unit (`≤ 100 MB`, `≤ 10 ms`) bounds
 * the value itself; one without bounds the ratio: `≥ x`, `> x`, `≤ x`, `≈ 1`
 * (flat: the ratio, better-is-higher, at least 0.8), `≫ 1` (at least 10).
 */
export function goalMet (r: Row): boolean | undefined {
  const goal = r.goal?.trim()
  if (!goal) return undefined
  if (goal.startsWith('≈')) return r.ratio >= 0.8
  if (goal.startsWith('≫')) return r.ratio >= 10
  const m = /^(≥|>|≤|<)\s*([\d.]+)\s*([a-zA-Z/]+)?/.exec(goal)
  if (!m) return undefined
  const x = m[3] ? r.value : r.ratio
  const bound = Number(m[2])
  switch (m[1]) {
    case '≥': return x >= bound
    case '>': return x > bound
    case '≤': return x <= bound
    default: return x < bound
  }
}

export function table (rows: Row[]): string {
  const head = ['scenario', 'taskbbs', 'baseline', 'ratio', 'goal', 'met']
  const body = rows.map(r => {
    const met = goalMet(r)
    return [
      `${r.scenario}`,
      `${fmt(r.value)} ${r.unit}`,
      `${r.baseline}: ${fmt(r.baselineValue)} ${r.unit}`,
      r.ratio.toFixed(2),
      r.goal ?? '',
      met === undefined ? '' : met ? 'yes' : 'NO'
    ]
  })
  const widths = head.map((h, i) => Math.max(h.length, ...body.map(b => b[i].length)))
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
  return [line(head), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n')
}

function fmt (n: number): string {
  return n >= 100 ? Math.round(n).toString() : n.toFixed(n >= 10 ? 1 : 2)
}

export function log (msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`)
}
