import { CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api, type V1Pod } from '@kubernetes/client-node'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { ExecutorEvent, ExecutorTask } from '../../src/executors/executor.ts'
import { KubernetesExecutor } from '../../src/executors/kubernetes/index.ts'
import type { KubernetesExecutorOptions } from '../../src/executors/kubernetes/options.ts'

const run = promisify(execFile)
const CLUSTER_DIR = fileURLToPath(new URL('../cluster/', import.meta.url))
const SCRIPT = join(CLUSTER_DIR, 'cluster.sh')
const BIN = process.env.TASKBBS_CLUSTER_BIN ?? join(CLUSTER_DIR, '.bin')

export interface TestCluster {
  kubeconfig: string
  kc: KubeConfig
  core: CoreV1Api
  networking: NetworkingV1Api
}

interface TapLike {
  teardown (fn: () => unknown): void
  setTimeout? (ms: number): void
}

/**
 * Builds the control plane binaries if needed. Several test files may get
 * here at once: one builds under a lock, the others wait for it and then
 * find the binaries fresh.
 */
export async function buildCluster (): Promise<void> {
  await mkdir(BIN, { recursive: true })
  await run('flock', [join(BIN, '.build.lock'), SCRIPT, 'build'], { maxBuffer: 64 << 20 })
}

/** Starts a cluster whose state lives in dir; resolves to its kubeconfig path. */
export async function startCluster (dir: string, env: Record<string, string> = {}): Promise<string> {
  await buildCluster()
  const { stdout } = await run(SCRIPT, ['start', dir], { env: { ...process.env, ...env }, maxBuffer: 64 << 20 })
  return stdout.trim().split('\n').pop()!
}

export async function stopCluster (dir: string): Promise<void> {
  await run(SCRIPT, ['stop', dir], { maxBuffer: 64 << 20 })
}

export function connect (kubeconfig: string): TestCluster {
  const kc = new KubeConfig()
  kc.loadFromFile(kubeconfig)
  return { kubeconfig, kc, core: kc.makeApiClient(CoreV1Api), networking: kc.makeApiClient(NetworkingV1Api) }
}

/**
 * The test control plane for one test file (test/cluster/README.md): the
 * cluster in TASKBBS_TEST_KUBECONFIG when that is set, else one started in a
 * temporary directory now and stopped when the file's tests end. A cold
 * build of the binaries takes minutes, so the file's timeout is raised
 * while it runs.
 */
export async function testCluster (t: TapLike, env: Record<string, string> = {}): Promise<TestCluster> {
  const shared = process.env.TASKBBS_TEST_KUBECONFIG
  if (shared) return connect(shared)
  const fresh = ['etcd', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'kwok'].every(b => existsSync(join(BIN, b)))
  if (!fresh) t.setTimeout?.(15 * 60_000)
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-cluster-'))
  t.teardown(async () => {
    await stopCluster(dir).catch(err => process.stderr.write(`stopping the test cluster in ${dir} failed: ${err}\n`))
    await rm(dir, { recursive: true, force: true })
  })
  const kubeconfig = await startCluster(dir, env)
  killOnExit(dir)
  return connect(kubeconfig)
}

/**
 * The teardown above stops the cluster in order; when the test process ends
 * before that finishes (the runner does not always wait for a root teardown),
 * whatever is still running is killed here, synchronously, so that no etcd or
 * API server outlives the file.
 */
function killOnExit (dir: string): void {
  process.once('exit', () => {
    let pids: string
    try { pids = readFileSync(join(dir, 'pids'), 'utf8') } catch { return }
    for (const line of pids.split('\n')) {
      const pid = Number(line.trim().split(/\s+/)[1])
      if (pid > 0) { try { process.kill(pid, 'SIGKILL') } catch {} }
    }
    try { rmSync(dir, { recursive: true, force: true }) } catch {}
  })
}

/** A fresh namespace for the caller's objects, deleted at teardown (so a shared cluster stays clean). */
export async function testNamespace (t: TapLike, cluster: TestCluster, prefix = 'taskbbs-test'): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`
  await cluster.core.createNamespace({ body: { metadata: { name } } })
  t.teardown(() => cluster.core.deleteNamespace({ name }).catch(() => {}))
  return name
}

/**
 * The simulated kubelet decides a pod's fate from annotations
 * (taskbbs.test/exit-code, /oom, /run-forever, /run-duration). Tests set them
 * per task through the env var TEST_POD_ANNOTATIONS (a JSON object), which
 * this decoratePod copies onto the pod.
 */
export function testAnnotations (pod: V1Pod, task: ExecutorTask): void {
  const raw = task.definition.env?.find(e => e.name === 'TEST_POD_ANNOTATIONS')?.value
  if (raw) Object.assign(pod.metadata!.annotations!, JSON.parse(raw))
}

export const annotate = (annotations: Record<string, string>) => [{ name: 'TEST_POD_ANNOTATIONS', value: JSON.stringify(annotations) }]

/** A Kubernetes executor on the test cluster with short timings; closed at teardown. */
export function testExecutor (t: TapLike, cluster: TestCluster, namespace: string, overrides: Partial<KubernetesExecutorOptions> = {}): KubernetesExecutor {
  const executor = new KubernetesExecutor({
    kubeConfig: cluster.kc,
    namespace,
    preloadedImages: { cflinuxfs4: 'cloudfoundry/cflinuxfs4:latest' },
    cpuMillisPerWeight: 10,
    runnerImage: 'taskbbs:test',
    artifactEgress: [],
    trustedCertsConfigMap: '',
    icmpEgress: 'reject',
    allowPrivileged: false,
    resyncMs: 1000,
    unschedulableTimeoutMs: 0,
    logMaxBytes: 1 << 20,
    collectLogs: true,
    logStreams: 16,
    decoratePod: testAnnotations,
    log: { warn () {} },
    ...overrides
  })
  t.teardown(() => executor.close())
  return executor
}

/** Every event an executor emits, with a way to wait for the one a test expects. */
export function recordEvents (executor: { observe (l: (e: ExecutorEvent) => void): () => void }) {
  const events: ExecutorEvent[] = []
  const waiters: Array<() => void> = []
  executor.observe(e => {
    events.push(e)
    for (const w of waiters.splice(0)) w()
  })
  async function next<T extends ExecutorEvent['type']> (guid: string, type: T, timeoutMs = 15_000): Promise<Extract<ExecutorEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = events.find(e => e.guid === guid && e.type === type)
      if (found) return found as Extract<ExecutorEvent, { type: T }>
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no ${type} event for ${guid} within ${timeoutMs} ms; got ${JSON.stringify(events.filter(e => e.guid === guid))}`)
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, left)
        waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }
  return { events, next, of: (guid: string) => events.filter(e => e.guid === guid) }
}

/** Polls until check returns a value other than undefined; fails after timeoutMs naming what it waited for. */
export async function eventually<T> (what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/**
 * A container log the test writes, served by kwok for one pod (its Logs
 * resource, test/cluster/README.md) as a kubelet serves a container's log:
 * each line written is one CRI log line of the container's stdout.
 */
export interface FakeContainerLog {
  file: string
  /** Appends lines to the log, each with the current time. */
  write (...lines: string[]): Promise<void>
  /** The same, as lines the container wrote to its stderr. */
  writeStderr (...lines: string[]): Promise<void>
}

/** CRI log lines, as the container runtime writes them (TIMESTAMP STREAM F LINE). */
const criLines = (stream: 'stdout' | 'stderr', lines: string[]) =>
  lines.map(l => `${new Date().toISOString().replace('Z', '000000Z')} ${stream} F ${l}\n`).join('')

/** What the test cluster serves as the log of a pod without a Logs resource of its own (cluster.sh). */
export const DEFAULT_POD_LOG_LINE = 'taskbbs test cluster: simulated container, no real output'

export async function fakeContainerLog (t: TapLike, cluster: TestCluster, namespace: string, pod: string, container = 'task'): Promise<FakeContainerLog> {
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-podlog-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'container.log')
  await writeFile(file, '')
  const custom = cluster.kc.makeApiClient(CustomObjectsApi)
  await custom.createNamespacedCustomObject({
    group: 'kwok.x-k8s.io',
    version: 'v1alpha1',
    namespace,
    plural: 'logs',
    body: { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: pod, namespace }, spec: { logs: [{ containers: [container], logsFile: file }] } }
  })
  // kwok learns of the resource through an informer; until then it serves
  // the pod the cluster's default log (DEFAULT_POD_LOG_LINE). A moment here
  // makes that rare; specs that compare whole logs set that line aside.
  await new Promise(resolve => setTimeout(resolve, 250))
  return {
    file,
    async write (...lines: string[]) {
      await appendFile(file, criLines('stdout', lines))
    },
    async writeStderr (...lines: string[]) {
      await appendFile(file, criLines('stderr', lines))
    }
  }
}
