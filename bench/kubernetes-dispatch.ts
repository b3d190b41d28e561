/**
 * `node bench/kubernetes-dispatch.ts [--quick] [--tasks N] [--concurrency C]`
 *
 * How fast the Kubernetes executor turns tasks into pods, against the floor:
 * a bare `createNamespacedPod` loop creating the very same pod objects, at
 * the same concurrency, on the same cluster, in the same run.
 *
 * Method. After a warm-up of N/10 pods per side, N tasks (2000; --quick
 * 200) at concurrency C (32) through executor.start(), which builds the pod
 * from the definition, creates it (with retries) and tracks it while its
 * informer watches every pod of its namespace; and N pods through the raw
 * loop. To cancel out drift (etcd and the watch caches grow as pods pile
 * up), each side runs in two halves in ABBA order: raw, executor, executor,
 * raw. Pods are annotated to run forever, so no pod finishes during the measurement: both sides see the
 * same scheduler and KWOK load, and the figure is dispatch alone. Each side
 * has its own namespace; the executor's informer sees only its own pods.
 * Results go to bench/results/kubernetes-dispatch.json. The cluster is the
 * test control plane (test/cluster/), started here with room for the pods,
 * or the one in TASKBBS_TEST_KUBECONFIG. The machine is shared and noisy:
 * compare ratios between runs, not rates.
 */
import type { V1Pod } from '@kubernetes/client-node'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { arch, cpus, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskDefinition } from '../src/domain/task-definition.ts'
import type { ExecutorTask } from '../src/executors/executor.ts'
import { KubernetesExecutor } from '../src/executors/kubernetes/index.ts'
import { type PodSettings, taskObjects } from '../src/executors/kubernetes/pod.ts'
import { connect, startCluster, stopCluster, testAnnotations } from '../test/helpers/cluster.ts'

function arg (name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const quick = process.argv.includes('--quick')
const tasks = arg('--tasks', quick ? 200 : 2000)
const concurrency = arg('--concurrency', 32)
// The first pods of a fresh cluster are slower whoever creates them (caches,
// connections, the scheduler's first passes): a tenth of N per side first.
const WARMUP = Math.max(20, Math.round(tasks / 10))
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`)

let clusterDir: string | undefined
let kubeconfig = process.env.TASKBBS_TEST_KUBECONFIG
if (!kubeconfig) {
  clusterDir = await mkdtemp(join(tmpdir(), 'taskbbs-bench-cluster-'))
  log(`starting a test cluster in ${clusterDir}`)
  kubeconfig = await startCluster(clusterDir, { TASKBBS_CLUSTER_NODE_PODS: String(2 * tasks + 4 * WARMUP + 100) })
}
const cluster = connect(kubeconfig)
const run = Math.random().toString(36).slice(2, 7)
const namespaces = { raw: `bench-raw-${run}`, executor: `bench-exec-${run}` }
for (const name of Object.values(namespaces)) await cluster.core.createNamespace({ body: { metadata: { name } } })

const settings: PodSettings = {
  namespace: namespaces.executor,
  preloadedImages: {},
  cpuMillisPerWeight: 10,
  runnerImage: 'taskbbs:bench',
  artifactEgress: [],
  trustedCertsConfigMap: '',
  icmpEgress: 'reject',
  allowPrivileged: false
}
const executor = new KubernetesExecutor({
  ...settings,
  kubeConfig: cluster.kc,
  resyncMs: 30_000,
  unschedulableTimeoutMs: 0,
  logMaxBytes: 1 << 20,
  collectLogs: true,
  logStreams: 64,
  decoratePod: testAnnotations
})

/** A typical small task: one run action, limits, env; the pod runs until deleted. */
function task (side: string, i: number): ExecutorTask {
  const guid = `bench-${side}-${run}-${i}`
  const definition = {
    guid,
    domain: 'bench',
    root_fs: 'docker:///busybox#1.36',
    memory_mb: 64,
    disk_mb: 128,
    cpu_weight: 10,
    env: [{ name: 'TEST_POD_ANNOTATIONS', value: JSON.stringify({ 'taskbbs.test/run-forever': 'true' }) }, { name: 'MODE', value: 'bench' }],
    action: { run: { path: '/bin/work', args: ['--item', String(i)], user: 'root' } }
  } as TaskDefinition
  return { guid, domain: 'bench', definition }
}

function rawPod (i: number): V1Pod {
  const t = task('raw', i)
  const { pod } = taskObjects(t, { ...settings, namespace: namespaces.raw })
  testAnnotations(pod, t)
  return pod
}

const dispatch = {
  raw: (i: number) => cluster.core.createNamespacedPod({ namespace: namespaces.raw, body: rawPod(i) }).then(() => {}),
  executor: (i: number) => executor.start(task('exec', i))
}

/** Runs count calls at the given concurrency; returns per-call latencies (ms). */
async function pool (count: number, from: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = []
  let next = from
  const worker = async () => {
    while (next < from + count) {
      const i = next++
      const t0 = performance.now()
      await call(i)
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return latencies
}

const measured = { raw: { ms: 0, latencies: [] as number[] }, executor: { ms: 0, latencies: [] as number[] } }
const started = Date.now()
try {
  log(`warm-up: ${WARMUP} pods each (connections, caches, informer sync)`)
  await pool(WARMUP, 0, dispatch.raw)
  await pool(WARMUP, 0, dispatch.executor)
  const half = Math.ceil(tasks / 2)
  const done = { raw: 0, executor: 0 }
  for (const side of ['raw', 'executor', 'executor', 'raw'] as const) {
    const count = done[side] === 0 ? half : tasks - half
    const t0 = performance.now()
    const latencies = await pool(count, WARMUP + done[side], dispatch[side])
    const ms = performance.now() - t0
    done[side] += count
    measured[side].ms += ms
    measured[side].latencies.push(...latencies)
    log(`${side}: ${count} pods in ${(ms / 1000).toFixed(2)} s (${(count / ms * 1000).toFixed(0)}/s)`)
  }
} finally {
  await executor.close()
  for (const name of Object.values(namespaces)) await cluster.core.deleteNamespace({ name }).catch(() => {})
  if (clusterDir) {
    await stopCluster(clusterDir).catch(err => log(`stopping the cluster failed: ${err}`))
    await rm(clusterDir, { recursive: true, force: true })
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}
const summary = (side: 'raw' | 'executor') => {
  const m = measured[side]
  return {
    pods: m.latencies.length,
    seconds: +(m.ms / 1000).toFixed(3),
    per_second: +(m.latencies.length / m.ms * 1000).toFixed(1),
    latency_ms: { p50: +quantile(m.latencies, 0.5).toFixed(1), p90: +quantile(m.latencies, 0.9).toFixed(1), p99: +quantile(m.latencies, 0.99).toFixed(1), max: +Math.max(...m.latencies).toFixed(1) }
  }
}
const raw = summary('raw')
const exec = summary('executor')
const ratio = +(exec.per_second / raw.per_second).toFixed(3)
const rows = [
  ['', 'pods', 'seconds', 'pods/s', 'p50 ms', 'p99 ms'],
  ['raw createNamespacedPod', raw.pods, raw.seconds, raw.per_second, raw.latency_ms.p50, raw.latency_ms.p99],
  ['executor.start()', exec.pods, exec.seconds, exec.per_second, exec.latency_ms.p50, exec.latency_ms.p99]
].map(r => r.map(String))
const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)))
console.log(rows.map(r => r.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join('  ')).join('\n'))
console.log(`executor / raw = ${ratio} (concurrency ${concurrency}, ${tasks} pods each)`)

const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', arch: arch(), memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version }
await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(new URL('./results/kubernetes-dispatch.json', import.meta.url), JSON.stringify({
  at: new Date().toISOString(), quick, tasks, concurrency, order: 'ABBA (raw, executor, executor, raw), two halves per side', seconds: Math.round((Date.now() - started) / 1000), machine, raw, executor: exec, ratio
}, null, 2) + '\n')
log('wrote bench/results/kubernetes-dispatch.json')
