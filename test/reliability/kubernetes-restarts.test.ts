/**
 * At most once on Kubernetes, with real server processes on the test control
 * plane: pods are the truth about running work. A replica that stops leaves
 * its pods running and releases its leases; one that dies leaves them to be
 * adopted when its lease runs out; either way each task's pod is created
 * once, and each outcome and callback is recorded once. A task fails "cell
 * disappeared before completion" only when its pod's node is really gone.
 */
import { type KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node'
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { testDatabase } from '../helpers/database.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts'
import { annotate, testCluster, testNamespace } from '../helpers/cluster.ts'
import { sleep } from './load.ts'

const KUBERNETES_SERVER = fileURLToPath(new URL('../helpers/kubernetes-server.ts', import.meta.url))
const LEASE_S = 3
const db = await testDatabase(t)
const cluster = await testCluster(t)

const serverEnv = (namespace: string) => ({
  DATABASE_URL: db.url,
  TASKBBS_EXECUTOR: 'kubernetes',
  TASKBBS_K8S_KUBECONFIG: cluster.kubeconfig,
  TASKBBS_K8S_NAMESPACE: namespace,
  TASKBBS_K8S_PRELOADED_IMAGES: JSON.stringify({ cflinuxfs4: 'cloudfoundry/cflinuxfs4:latest' }),
  TASKBBS_K8S_RESYNC_INTERVAL: '1',
  // The node scenario pins tasks to nodes by name, which the operator must allow.
  TASKBBS_K8S_ALLOWED_NODE_LABELS: 'kubernetes.io/hostname',
  TASKBBS_POLL_INTERVAL: '0.5',
  TASKBBS_CONVERGENCE_INTERVAL: '0.5',
  TASKBBS_LEASE_DURATION: String(LEASE_S),
  TASKBBS_HEARTBEAT_INTERVAL: '0.5',
  // Shorter than the tasks: a drain that waited for them, then handed them back, would run them twice.
  TASKBBS_SHUTDOWN_TIMEOUT: '1',
  TASKBBS_COMPLETED_TTL: '3600',
  TASKBBS_MAX_TASKS: '100'
})
/** The simulated container's end: the runner's outcome (its termination message) says it succeeded. */
const succeeds = (annotations: Record<string, string>) => annotate({ ...annotations, 'taskbbs.test/termination-message': JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0 }) })
const startReplica = (namespace: string, cell: string, extra: Record<string, string> = {}) =>
  startServerProcess(t, { ...serverEnv(namespace), TASKBBS_CELL_ID: cell, ...extra }, KUBERNETES_SERVER)

/** Every pod the API server saw created in the namespace, by task guid: a watch from before the first one. */
async function watchCreations (kc: KubeConfig, namespace: string) {
  const uids = new Map<string, Set<string>>()
  const finished = new Map<string, number>()
  const controller = await new Watch(kc).watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type: string, pod: V1Pod) => {
    const guid = pod.metadata?.annotations?.['taskbbs.io/guid']
    if (!guid) return
    if (type === 'ADDED') uids.set(guid, (uids.get(guid) ?? new Set()).add(pod.metadata!.uid!))
    if ((pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') && !finished.has(guid)) finished.set(guid, Date.now())
  }, () => {})
  t.teardown(() => controller.abort())
  return { uids, finished, created: () => [...uids.values()].reduce((n, s) => n + s.size, 0) }
}

async function desire (server: ServerProcess, body: Record<string, unknown>) {
  const res = await fetch(`${server.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ domain: 'restarts', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: '/bin/work', user: 'root' } }, ...body }) })
  if (res.status !== 201) throw new Error(`desire failed: ${res.status} ${await res.text()}`)
}

interface Row { guid: string, state: string, failed: boolean, failure_reason: string, cell_id: string, lease_owner: string | null }
const rows = async (like: string) => (await db.pool.query<Row>(
  'SELECT guid, state, failed, failure_reason, cell_id, lease_owner FROM tasks WHERE guid LIKE $1 ORDER BY guid', [like])).rows

async function until<T> (what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

t.test('a rolling restart of two replicas while 50 tasks run: each pod created once, none failed, each outcome and callback once', async t => {
  const namespace = await testNamespace(t, cluster, 'rolling')
  const pods = await watchCreations(cluster.kc, namespace)
  const receiver = await startReceiver(t, [200])
  const a1 = await startReplica(namespace, 'roll-a1')
  const b1 = await startReplica(namespace, 'roll-b1')
  const N = 50
  for (let i = 0; i < N; i++) {
    await desire(i % 2 ? b1 : a1, { guid: `roll-${i}`, completion_callback_url: receiver.url, env: succeeds({ 'taskbbs.test/run-duration': '9s' }) })
  }
  await until('every task RUNNING on a node', async () => { const r = await rows('roll-%'); return r.length === N && r.every(x => x.state === 'RUNNING' && x.cell_id === 'kwok-node-0') })
  const held = (await rows('roll-%')).reduce((m, r) => m.set(r.lease_owner ?? '', (m.get(r.lease_owner ?? '') ?? 0) + 1), new Map<string, number>())

  const figures: string[] = []
  const roll = async (old: ServerProcess, oldCell: string, newCell: string) => {
    const at = Date.now()
    t.equal(await old.stop(), 0, `${oldCell} exits 0 on SIGTERM`)
    const stopped = Date.now() - at
    // The replacement starts while the other replica adopts the stopped one's tasks.
    const [next] = await Promise.all([
      startReplica(namespace, newCell),
      until(`no task leased to ${oldCell}`, async () => (await rows('roll-%')).every(r => r.state !== 'RUNNING' || (r.lease_owner !== oldCell && r.lease_owner !== null)))
        .then(() => figures.push(`${oldCell}: exit ${stopped} ms after SIGTERM, its tasks adopted ${Date.now() - at} ms after it`))
    ])
    return next
  }
  const a2 = await roll(a1, 'roll-a1', 'roll-a2')
  const b2 = await roll(b1, 'roll-b1', 'roll-b2')

  await receiver.waitFor(N, 60_000)
  await until('every task resolved and deleted', async () => (await rows('roll-%')).length === 0)
  await sleep(1500) // a few more polls, adoption and sweep passes: nothing may start a task again
  const bodies = receiver.received.map(r => JSON.parse(r.body) as { task_guid: string, failed: boolean, failure_reason: string })
  const perGuid = (list: string[]) => list.reduce((m, g) => m.set(g, (m.get(g) ?? 0) + 1), new Map<string, number>())
  const callbacks = perGuid(bodies.map(b => b.task_guid))
  const { rows: completions } = await db.pool.query<{ guid: string, n: number }>(
    "SELECT guid, count(*)::int AS n FROM task_events WHERE guid LIKE 'roll-%' AND type = 'task_changed' AND state = 'COMPLETED' GROUP BY guid")
  t.comment(`figures: ${N} tasks (${[...held].map(([c, n]) => `${n} on ${c}`).join(', ')}); ${figures.join('; ')}; ` +
    `pods created ${pods.created()} for ${pods.uids.size} tasks; failed ${bodies.filter(b => b.failed).length}; callbacks ${bodies.length}`)
  t.equal(pods.uids.size, N, 'every task got a pod')
  t.same([...pods.uids].filter(([, uids]) => uids.size !== 1).map(([g]) => g), [], 'no task got a second pod: none ran twice')
  t.same(bodies.filter(b => b.failed), [], 'none failed')
  t.equal(callbacks.size, N, 'a callback for every task')
  t.same([...callbacks].filter(([, n]) => n !== 1), [], 'each callback once')
  t.equal(completions.length, N, 'every task completed')
  t.same(completions.filter(c => c.n !== 1), [], 'each outcome recorded once')
  await until('no pod outlives its task', async () => (await cluster.core.listNamespacedPod({ namespace })).items.length === 0, 10_000)
  t.equal(await a2.stop(), 0)
  t.equal(await b2.stop(), 0)
})

t.test('kill -9 of the replica holding 10 running tasks: another adopts them when the lease runs out, and pods that finished meanwhile give their results', async t => {
  const namespace = await testNamespace(t, cluster, 'killed')
  const pods = await watchCreations(cluster.kc, namespace)
  // The survivor is full (one task, at most one) so that the doomed replica claims all ten; adoption ignores capacity.
  const survivor = await startReplica(namespace, 'survivor-k', { TASKBBS_MAX_TASKS: '1' })
  await desire(survivor, { guid: 'blocker-k', env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await until('the survivor full', async () => (await rows('blocker-k'))[0]?.lease_owner === 'survivor-k')
  const doomed = await startReplica(namespace, 'doomed-k', { TASKBBS_MAX_TASKS: '10' })
  for (let i = 0; i < 10; i++) {
    // The short ones end while no replica watches; the long ones are still running when adopted.
    await desire(doomed, { guid: `killed-${i}`, env: succeeds({ 'taskbbs.test/run-duration': i < 5 ? '1500ms' : '8s' }) })
  }
  await until('every task RUNNING on a node', async () => { const r = await rows('killed-%'); return r.length === 10 && r.every(x => x.state === 'RUNNING' && x.cell_id === 'kwok-node-0' && x.lease_owner === 'doomed-k') })
  await doomed.kill()
  const killedAt = Date.now()
  await sleep(1000)
  t.same((await rows('killed-%')).filter(r => r.state !== 'RUNNING' || r.lease_owner !== 'doomed-k'), [], 'within the lease nobody takes the tasks over')
  await until('every task adopted or completed by the survivor', async () => (await rows('killed-%')).every(r => r.lease_owner === 'survivor-k' || r.state === 'COMPLETED'))
  const adoptedAfter = Date.now() - killedAt
  await until('every task completed', async () => (await rows('killed-%')).every(r => r.state === 'COMPLETED'), 30_000)
  const done = await rows('killed-%')
  const finishedUnwatched = [...pods.finished].filter(([g, at]) => g.startsWith('killed-') && at < killedAt + adoptedAfter).length
  t.comment(`figures: 10 tasks on the killed replica, adopted ${adoptedAfter} ms after kill -9 (lease ${LEASE_S * 1000} ms, poll 500 ms); ` +
    `${finishedUnwatched} pods finished while no replica watched; ${done.filter(r => !r.failed).length}/10 succeeded; pods created ${pods.created() - 1} (and one for the survivor's own task)`)
  t.ok(adoptedAfter < (LEASE_S + 2) * 1000, `adopted soon after the lease ran out (${adoptedAfter} ms)`)
  t.ok(finishedUnwatched >= 1, 'some pods finished while nobody watched')
  t.same(done.filter(r => r.failed), [], 'none failed: finished pods gave their results, running ones were watched to the end')
  t.same([...pods.uids].filter(([, uids]) => uids.size !== 1).map(([g]) => g), [], 'each task had one pod')
  t.equal([...pods.uids.keys()].filter(g => g.startsWith('killed-')).length, 10, 'every task got its pod')
  const cancel = await fetch(`${survivor.url}/v1/tasks/blocker-k/cancel`, { method: 'POST' })
  t.equal(cancel.status, 200)
  await until('no pod left', async () => (await cluster.core.listNamespacedPod({ namespace })).items.length === 0 || undefined, 10_000)
  t.equal(await survivor.stop(), 0)
})

t.test('a deleted node fails its tasks "cell disappeared before completion"; tasks elsewhere run on', async t => {
  const namespace = await testNamespace(t, cluster, 'nodeloss')
  const node = 'kwok-node-doomed'
  const capacity = { cpu: '32', memory: '256Gi', pods: '110' }
  await cluster.core.createNode({
    body: {
      metadata: { name: node, labels: { type: 'kwok', 'kubernetes.io/hostname': node }, annotations: { 'kwok.x-k8s.io/node': 'fake' } },
      status: { capacity, allocatable: capacity }
    }
  })
  t.teardown(() => cluster.core.deleteNode({ name: node }).catch(() => {}))
  const server = await startReplica(namespace, 'nodeloss-a')
  const forever = annotate({ 'taskbbs.test/run-forever': 'true' })
  for (let i = 0; i < 3; i++) {
    await desire(server, { guid: `onnode-${i}`, env: forever, kubernetes: { node_selector: [{ key: 'kubernetes.io/hostname', value: node }] } })
  }
  await desire(server, { guid: 'elsewhere', env: forever, kubernetes: { node_selector: [{ key: 'kubernetes.io/hostname', value: 'kwok-node-0' }] } })
  await until('the tasks RUNNING on their nodes', async () => {
    const r = await rows('%')
    return r.filter(x => x.guid.startsWith('onnode-') && x.state === 'RUNNING' && x.cell_id === node).length === 3 &&
      r.some(x => x.guid === 'elsewhere' && x.state === 'RUNNING' && x.cell_id === 'kwok-node-0')
  })
  await cluster.core.deleteNode({ name: node })
  const deletedAt = Date.now()
  await until('the tasks of the lost node completed', async () => (await rows('onnode-%')).every(r => r.state === 'COMPLETED'), 15_000)
  const failedAfter = Date.now() - deletedAt
  t.comment(`figures: 3 tasks on a deleted node failed ${failedAfter} ms after its deletion (resync 1000 ms)`)
  for (const r of await rows('onnode-%')) {
    t.match(r, { state: 'COMPLETED', failed: true, failure_reason: 'cell disappeared before completion', cell_id: node }, `${r.guid} failed, naming its lost node`)
  }
  const { rows: logs } = await db.pool.query<{ line: string }>("SELECT line FROM task_logs WHERE guid = 'onnode-0' AND stream = 'system'")
  t.ok(logs.some(l => l.line.includes(`node ${node}`)), 'the task log says which node was lost')
  t.match((await rows('elsewhere'))[0], { state: 'RUNNING', cell_id: 'kwok-node-0' }, 'a task on another node runs on')
  await until('the pods of the lost node deleted', async () =>
    (await cluster.core.listNamespacedPod({ namespace })).items.every(p => p.spec?.nodeName !== node) || undefined, 10_000)
  const cancel = await fetch(`${server.url}/v1/tasks/elsewhere/cancel`, { method: 'POST' })
  t.equal(cancel.status, 200)
  t.equal(await server.stop(), 0)
})
