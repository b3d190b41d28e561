/**
 * A pod belongs to one run of one task. A task desired again under a guid
 * used before gets a pod of its own and never the earlier task's; pods no
 * live task owns are swept whatever their phase; a cancel reaches a pod
 * whichever replica created it. Real scheduler, Postgres and control plane.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import type { V1Pod } from '@kubernetes/client-node'
import type { ExecutorTask } from '../../../src/executors/executor.ts'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { guidSelector } from '../../../src/executors/kubernetes/run-identity.ts'
import { Sweeper, sweepOnce } from '../../../src/scheduler/sweeper.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { insertTask } from '../../../src/store/tasks.ts'
import { taskDefinition, testApp } from '../../helpers/app.ts'
import { annotate, eventually, fakeContainerLog, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'
import { quietLog, testScheduler, waitForTask } from '../../helpers/scheduler.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'runs')
const h = await testApp(t)

const succeeds = (annotations: Record<string, string> = {}) => annotate({ ...annotations, 'taskbbs.test/termination-message': JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0 }) })
const forever = annotate({ 'taskbbs.test/run-forever': 'true' })
const podsOf = async (guid: string) => (await cluster.core.listNamespacedPod({ namespace, labelSelector: guidSelector(guid) })).items
const runOf = (pod: V1Pod) => pod.metadata!.annotations!['taskbbs.io/run-id']
const task = (guid: string, runId: string, env: Array<{ name: string, value: string }>): ExecutorTask =>
  ({ guid, domain: 'runs', runId, fencingToken: '1', definition: taskDefinition({ guid, domain: 'runs', env }) as TaskDefinition })
async function desire (def: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ domain: 'runs', ...def }) })
  if (res.statusCode !== 201) throw new Error(`desire failed: ${res.body}`)
}
const runIdOf = async (guid: string) => (await h.pool.query<{ run_id: string }>('SELECT run_id FROM tasks WHERE guid = $1', [guid])).rows[0]?.run_id

t.test('a task desired again under a used guid gets a fresh pod; the earlier task\'s pod is never taken for it, and is swept', async t => {
  // What a replica that died left behind: a pod of an earlier task "reused", still running.
  const stale = testExecutor(t, cluster, namespace)
  await stale.start(task('reused', 'earlier-run', forever))
  const old = await eventually('the earlier pod running', async () => (await podsOf('reused')).find(p => p.status?.phase === 'Running'))

  const executor = testExecutor(t, cluster, namespace)
  await testScheduler(t, h, { executor, cellId: 'cell-reuse' })
  await desire({ guid: 'reused', env: succeeds({ 'taskbbs.test/run-duration': '1500ms' }) })
  const runId = await runIdOf('reused')
  const fresh = await eventually('a pod of the new run', async () => (await podsOf('reused')).find(p => runOf(p) === runId))
  t.not(fresh.metadata!.name, old.metadata!.name, 'another name')
  t.not(fresh.metadata!.uid, old.metadata!.uid, 'another pod')
  t.match(await waitForTask(h.pool, 'reused', x => x?.state === 'COMPLETED'), { failed: false, failure_reason: '' }, 'the new task ends with its own pod\'s outcome (the earlier pod never ends)')
  await eventually('the new pod cleaned up after its outcome', async () => (await podsOf('reused')).every(p => runOf(p) !== runId) || undefined)
  t.ok((await podsOf('reused')).some(p => p.metadata!.uid === old.metadata!.uid && !p.metadata!.deletionTimestamp), 'the earlier pod was left alone by the task')
  t.equal(await sweepOnce(h.pool, executor), 1, 'the sweep removes the earlier pod')
  await eventually('no pod of the guid left', async () => (await podsOf('reused')).length === 0 || undefined)
})

t.test('the sweep deletes every pod no live task owns, whatever its phase, and leaves the live one', async t => {
  const other = testExecutor(t, cluster, namespace)
  for (const [guid, state, runId] of [['swept-done', 'COMPLETED', 'run-done'], ['swept-other', 'RUNNING', 'run-now'], ['kept-live', 'RUNNING', 'run-live']]) {
    await insertTask(h.pool, taskDefinition({ guid, domain: 'runs' }) as TaskDefinition)
    await h.pool.query("UPDATE tasks SET state = $2, run_id = $3, lease_owner = 'elsewhere', lease_expires_at = now() + interval '1 hour' WHERE guid = $1", [guid, state, runId])
  }
  await other.start(task('swept-deleted', 'run-x', forever)) // no task at all
  await other.start(task('swept-done', 'run-done', succeeds())) // its task completed; the pod ends Succeeded
  await other.start(task('swept-other', 'run-before', forever)) // its task is RUNNING, but another run
  await other.start(task('kept-live', 'run-live', forever)) // its task RUNNING with this run
  await eventually('the pods in their phases', async () => {
    const pods = (await cluster.core.listNamespacedPod({ namespace })).items
    const phase = (g: string) => pods.find(p => p.metadata!.annotations!['taskbbs.io/guid'] === g)?.status?.phase
    return phase('swept-done') === 'Succeeded' && ['swept-deleted', 'swept-other', 'kept-live'].every(g => phase(g) === 'Running') || undefined
  })
  const sweeper = new Sweeper({ pool: h.pool, executor: testExecutor(t, cluster, namespace), intervalMs: 60_000, log: quietLog })
  await sweeper.runOnce()
  t.equal(sweeper.removed, 3)
  await eventually('only the live pod left', async () => {
    const left = (await cluster.core.listNamespacedPod({ namespace })).items.filter(p => !p.metadata?.deletionTimestamp)
    return left.length === 1 && left[0].metadata!.annotations!['taskbbs.io/guid'] === 'kept-live' || undefined
  })
  await h.pool.query("UPDATE tasks SET state = 'COMPLETED' WHERE guid = 'kept-live'")
  t.equal(await sweepOnce(h.pool, other), 1, 'and once its task is over, that one goes too')
})

t.test('cancel reaches a pod whichever replica created it: held by an adopter, or held by nobody', async t => {
  const a = testExecutor(t, cluster, namespace)
  const { scheduler: sa } = await testScheduler(t, h, { executor: a, cellId: 'cell-creator' })
  await desire({ guid: 'cancel-adopted', env: forever })
  await desire({ guid: 'cancel-unheld', env: forever })
  for (const guid of ['cancel-adopted', 'cancel-unheld']) {
    await eventually(`the pod of ${guid} running`, async () => (await podsOf(guid)).find(p => p.status?.phase === 'Running'))
  }
  await sa.stop(10_000)
  t.ok((await podsOf('cancel-unheld')).every(p => p.status?.phase === 'Running'), 'the stopped replica left its pods running')

  // Nobody holds the task: the cancel completes it, and a sweep anywhere deletes the pod.
  const unheld = await h.app.inject({ method: 'POST', url: '/v1/tasks/cancel-unheld/cancel' })
  t.match(unheld.json(), { state: 'COMPLETED', failure_reason: 'task was cancelled' })
  const b = testExecutor(t, cluster, namespace)
  const sweeper = new Sweeper({ pool: h.pool, executor: b, intervalMs: 60_000, log: quietLog })
  await testScheduler(t, h, { executor: b, cellId: 'cell-adopter', onNotHeld: () => sweeper.soon() })
  await sweeper.runOnce()
  await eventually('the unheld task\'s pod deleted', async () => (await podsOf('cancel-unheld')).length === 0 || undefined)

  // Adopted by another replica: the cancel reaches the adopter, which deletes the pod.
  await waitForTask(h.pool, 'cancel-adopted', () => b.runningTasks().includes('cancel-adopted'))
  const adopted = await h.app.inject({ method: 'POST', url: '/v1/tasks/cancel-adopted/cancel' })
  t.match(adopted.json(), { state: 'COMPLETED', failure_reason: 'task was cancelled' })
  await eventually('the adopted task\'s pod deleted', async () => (await podsOf('cancel-adopted')).length === 0 || undefined)
})

t.test('a pod that finished while no replica watched still gives its outcome, result and output to the replica that adopts it', async t => {
  const guid = 'unwatched-result'
  const a = testExecutor(t, cluster, namespace)
  const { scheduler: sa } = await testScheduler(t, h, { executor: a, cellId: 'cell-gone' })
  const outcome = { v: 1, failed: false, failure_reason: '', frames: 2, result_bytes: 3, result_sha256: createHash('sha256').update('42\n').digest('hex') }
  // The pod waits a second before it starts, long enough to give it its container log, named after its run.
  await desire({ guid, result_file: 'result.txt', env: annotate({ 'taskbbs.test/start-delay': '1s', 'taskbbs.test/run-duration': '500ms', 'taskbbs.test/termination-message': JSON.stringify(outcome) }) })
  const runId = await eventually('the run id', () => runIdOf(guid))
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid, runId))
  await log.write(JSON.stringify({ seq: 1, fd: 'stdout', src: 'TASK', line: 'computing' }), JSON.stringify({ seq: 2, fd: 'stdout', src: 'TASK', line: 'done' }), JSON.stringify({ seq: 3, result: '42\n' }))
  await eventually('the pod created', async () => (await podsOf(guid))[0])
  await sa.stop(10_000)
  await eventually('the pod finished with nobody watching', async () => (await podsOf(guid)).find(p => p.status?.phase === 'Succeeded'))
  t.match(await waitForTask(h.pool, guid, () => true), { state: 'RUNNING' }, 'still RUNNING: nobody recorded it')

  const b = testExecutor(t, cluster, namespace)
  await testScheduler(t, h, { executor: b, cellId: 'cell-adopting' })
  t.match(await waitForTask(h.pool, guid, x => x?.state === 'COMPLETED'), { failed: false, failure_reason: '', result: '42\n' }, 'the adopter records the outcome and result')
  const logs = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/logs` })
  t.match(logs.json().lines.filter((l: { stream: string }) => l.stream === 'stdout').map((l: { line: string }) => l.line), ['computing', 'done'], 'and its output, once')
  await eventually('its pod removed', async () => (await podsOf(guid)).length === 0 || undefined)
})

t.test('a running pod handed over mid-output: the adopter follows its log on from where the first replica stopped, no line twice or lost', async t => {
  const guid = 'handover-log'
  const a = testExecutor(t, cluster, namespace)
  const { scheduler: sa } = await testScheduler(t, h, { executor: a, cellId: 'cell-first' })
  const outcome = { v: 1, failed: false, failure_reason: '', frames: 4, result_bytes: 2, result_sha256: createHash('sha256').update('ok').digest('hex') }
  await desire({ guid, result_file: 'result.txt', env: annotate({ 'taskbbs.test/start-delay': '1s', 'taskbbs.test/run-duration': '5s', 'taskbbs.test/termination-message': JSON.stringify(outcome) }) })
  const runId = await eventually('the run id', () => runIdOf(guid))
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid, runId))
  await log.write(JSON.stringify({ seq: 1, fd: 'stdout', src: 'TASK', line: 'one' }), JSON.stringify({ seq: 2, fd: 'stdout', src: 'TASK', line: 'two' }))
  const stored = async () => (await h.pool.query<{ line: string }>("SELECT line FROM task_logs WHERE guid = $1 AND stream = 'stdout' ORDER BY seq", [guid])).rows.map(r => r.line)
  await eventually('the first lines stored by the first replica', async () => (await stored()).length === 2 || undefined)
  await eventually('their count stored', async () => (await h.pool.query<{ logs_seen: number }>('SELECT logs_seen FROM tasks WHERE guid = $1', [guid])).rows[0].logs_seen === 2 || undefined)
  await sa.stop(10_000)
  await log.write(JSON.stringify({ seq: 3, fd: 'stdout', src: 'TASK', line: 'three' }), JSON.stringify({ seq: 4, fd: 'stdout', src: 'TASK', line: 'four' }), JSON.stringify({ seq: 5, result: 'ok' }))
  const b = testExecutor(t, cluster, namespace)
  await testScheduler(t, h, { executor: b, cellId: 'cell-second' })
  t.match(await waitForTask(h.pool, guid, x => x?.state === 'COMPLETED'), { failed: false, result: 'ok' })
  t.same(await stored(), ['one', 'two', 'three', 'four'], 'each line once, in order')
})
