import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { type Row, log, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const SCRIPT = new URL('../kubernetes-dispatch.ts', import.meta.url).pathname
const RESULT = new URL('../results/kubernetes-dispatch.json', import.meta.url)

/**
 * Tasks dispatched to pods on the test control plane through the Kubernetes
 * executor against a raw createNamespacedPod loop at the same concurrency
 * (method in bench/kubernetes-dispatch.ts, which runs in its own process and
 * starts its own cluster).
 */
export async function kubernetesDispatch (ctx: BenchContext): Promise<Row[]> {
  log('kubernetes dispatch (starts the test control plane; the first run builds it)')
  const child = spawn(process.execPath, [SCRIPT, ...(ctx.quick ? ['--quick'] : [])], { stdio: ['ignore', 'ignore', 'inherit'] })
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  if (code !== 0) throw new Error(`kubernetes-dispatch exited ${code}`)
  const r = JSON.parse(await readFile(RESULT, 'utf8')) as { tasks: number, concurrency: number, raw: { per_second: number, latency_ms: { p50: number, p99: number } }, executor: { per_second: number, latency_ms: { p50: number, p99: number } } }
  return [{
    scenario: `kubernetes dispatch (${r.tasks} pods, c=${r.concurrency})`, subject: 'taskbbs', value: r.executor.per_second, unit: 'pods/s',
    baseline: 'raw createNamespacedPod loop', baselineValue: r.raw.per_second, ratio: ratioOf(r.executor.per_second, r.raw.per_second), goal: '≥ 0.8',
    extra: { executor_p50_ms: r.executor.latency_ms.p50, executor_p99_ms: r.executor.latency_ms.p99, raw_p50_ms: r.raw.latency_ms.p50, raw_p99_ms: r.raw.latency_ms.p99 }
  }]
}
