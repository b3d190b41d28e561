import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { freePort } from '../../src/store/embedded.ts'
import { failTask, insertTask } from '../../src/store/tasks.ts'
import { benchDefinition } from '../lib/definition.ts'
import { forEachConcurrently, migratedPool } from '../lib/pool.ts'
import { startNode } from '../lib/process.ts'
import { type Row, log, percentile, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const here = (p: string) => new URL(p, import.meta.url).pathname

async function latency (url: string, count: number): Promise<{ p50: number, p99: number }> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    const res = await fetch(url)
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
    samples.push(performance.now() - t0)
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) }
}

/**
 * List and get latency and server memory as the store grows (a tenth of the
 * tasks PENDING, the rest COMPLETED, over 10 domains). Each size is compared
 * with the smallest: a ratio near 1 means the cost does not grow with the table.
 */
export async function scale (ctx: BenchContext): Promise<Row[]> {
  const sizes = ctx.quick ? [1000, 10000] : [1000, 10000, 100000]
  const url = await ctx.createDatabase('bench_scale')
  const pool = await migratedPool(url, 32)
  const measured: Array<{ size: number, list: number, pending: number, domain: number, get: number, rssMb: number }> = []
  let filled = 0
  for (const size of sizes) {
    log(`scale: filling to ${size} tasks`)
    // 500 tasks per transaction: the fill is not measured, and with fsync on one
    // commit per task (each NOTIFYing, so one at a time) would take most of the run.
    const from = filled
    await forEachConcurrently(Math.ceil((size - from) / 500), 4, async b => {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        for (let i = from + b * 500; i < Math.min(size, from + (b + 1) * 500); i++) {
          const guid = `scale-${i}`
          await insertTask(client, { ...benchDefinition(guid), domain: `domain-${i % 10}` } as TaskDefinition)
          if (i % 10 !== 0) await failTask(client, guid, 'benchmark filler')
        }
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    })
    filled = size
    await pool.query('ANALYZE tasks')
    const port = await freePort()
    const server = await startNode(here('../../src/server.ts'), {
      DATABASE_URL: url, TASKBBS_PORT: String(port), TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_LOG_LEVEL: 'error'
    }, `http://127.0.0.1:${port}`)
    const base = server.url
    const reps = ctx.quick ? 100 : 300
    await latency(`${base}/v1/tasks?limit=100`, 20)
    const list = await latency(`${base}/v1/tasks?limit=100`, reps)
    const pending = await latency(`${base}/v1/tasks?state=PENDING&limit=100`, reps)
    const domain = await latency(`${base}/v1/tasks?domain=domain-7&limit=100`, reps)
    const get = await latency(`${base}/v1/tasks/scale-${size - 1}`, reps)
    const rssMb = Math.round(await server.rssKb() / 1024)
    await server.stop()
    measured.push({ size, list: list.p50, pending: pending.p50, domain: domain.p50, get: get.p50, rssMb })
    log(`scale ${size}: list p50 ${list.p50.toFixed(2)} ms, pending ${pending.p50.toFixed(2)} ms, domain ${domain.p50.toFixed(2)} ms, get ${get.p50.toFixed(2)} ms, rss ${rssMb} MB`)
  }
  // The same requests to a server in Kubernetes executor mode, at the largest size. With the
  // scheduler off (an API replica) the executor is built, its client loaded and desires checked
  // against it, but no pod is watched, so the kubeconfig's loopback server is never contacted.
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-bench-kubeconfig-'))
  const kubeconfig = join(dir, 'kubeconfig')
  await writeFile(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: bench',
    'clusters: [{name: bench, cluster: {server: "https://127.0.0.1:1"}}]',
    'users: [{name: bench, user: {token: bench}}]',
    'contexts: [{name: bench, context: {cluster: bench, user: bench}}]', ''
  ].join('\n'))
  const k8sPort = await freePort()
  const k8s = await startNode(here('../../src/server.ts'), {
    DATABASE_URL: url, TASKBBS_PORT: String(k8sPort), TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_LOG_LEVEL: 'error',
    TASKBBS_EXECUTOR: 'kubernetes', TASKBBS_K8S_KUBECONFIG: kubeconfig
  }, `http://127.0.0.1:${k8sPort}`)
  const last = sizes.at(-1)!
  for (const path of ['/v1/tasks?limit=100', '/v1/tasks?state=PENDING&limit=100', '/v1/tasks?domain=domain-7&limit=100', `/v1/tasks/scale-${last - 1}`]) {
    await latency(`${k8s.url}${path}`, ctx.quick ? 100 : 300)
  }
  const k8sRssMb = Math.round(await k8s.rssKb() / 1024)
  await k8s.stop()
  await rm(dir, { recursive: true, force: true })
  log(`scale ${last}, Kubernetes executor mode: rss ${k8sRssMb} MB`)
  await pool.end()
  const first = measured[0]
  const rows: Row[] = []
  for (const m of measured.slice(1)) {
    for (const [key, label] of [['list', 'list first page'], ['pending', 'list PENDING'], ['domain', 'list by domain'], ['get', 'get by guid']] as const) {
      rows.push({ scenario: `${label} p50 at ${m.size}`, subject: 'taskbbs', value: m[key], unit: 'ms', baseline: `same at ${first.size}`, baselineValue: first[key], ratio: ratioOf(m[key], first[key], false), goal: '≈ 1 (flat)' })
    }
    rows.push({ scenario: `server RSS at ${m.size}`, subject: 'taskbbs', value: m.rssMb, unit: 'MB', baseline: `same at ${first.size}`, baselineValue: first.rssMb, ratio: ratioOf(m.rssMb, first.rssMb, false), goal: '≈ 1 (flat)' })
  }
  const largest = measured.at(-1)!
  rows.push({ scenario: `server RSS, local executor, at ${largest.size} stored / ${largest.size / 10} pending`, subject: 'taskbbs', value: largest.rssMb, unit: 'MB', baseline: `same at ${first.size}`, baselineValue: first.rssMb, ratio: ratioOf(largest.rssMb, first.rssMb, false), goal: '≤ 100 MB' })
  rows.push({ scenario: `server RSS, Kubernetes executor (API replica), at ${largest.size} stored / ${largest.size / 10} pending`, subject: 'taskbbs', value: k8sRssMb, unit: 'MB', baseline: 'local executor, same size', baselineValue: largest.rssMb, ratio: ratioOf(k8sRssMb, largest.rssMb, false), goal: '≤ 140 MB' })
  return rows
}
