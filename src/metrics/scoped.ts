import type { Registry } from 'prom-client'

/**
 * The exposition a token limited to some domains may read: only series that
 * carry a `domain` label, and of those only its own domains. Everything else
 * (request rates, scheduler and callback counters, the pool, the process) is
 * about all tenants at once, so it stays with tokens of every domain; a
 * metric added later without a domain label is left out the same way.
 */
export async function scopedExposition (registries: readonly Registry[], domains: readonly string[]): Promise<string> {
  const allowed = new Set(domains)
  const out: string[] = []
  for (const registry of registries) {
    for (const metric of await registry.getMetricsAsJSON()) {
      const values = metric.values.filter(v => typeof v.labels.domain === 'string' && allowed.has(v.labels.domain))
      if (values.length === 0) continue
      out.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`)
      for (const v of values) {
        const name = (v as { metricName?: string }).metricName ?? metric.name
        const labels = Object.entries(v.labels).map(([k, x]) => `${k}="${escapeLabel(String(x))}"`).join(',')
        out.push(`${name}${labels ? `{${labels}}` : ''} ${formatValue(v.value)}`)
      }
    }
  }
  return out.length ? out.join('\n') + '\n' : ''
}

const escapeHelp = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')
const escapeLabel = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')

function formatValue (n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return '+Inf'
  if (n === -Infinity) return '-Inf'
  return String(n)
}
