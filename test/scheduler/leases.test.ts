import t from 'tap'
import type { Executor, ExecutorListener, ExecutorTask } from '../../src/executors/executor.ts'
import { ExecutorRejection } from '../../src/executors/executor.ts'
import { claimTasks, completeLeasedTask, renewLeases } from '../../src/store/scheduling.ts'
import { insertTask } from '../../src/store/tasks.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { SHUTDOWN_REASON } from '../../src/scheduler/scheduler.ts'
import { testDatabase } from '../helpers/database.ts'
import { sh, testScheduler, waitForTask } from '../helpers/scheduler.ts'
import { taskDefinition } from '../helpers/app.ts'

const db = await testDatabase(t)
const desire = (def: Record<string, unknown> = {}) => insertTask(db.pool, taskDefinition(def) as TaskDefinition)

/** An executor that only records and answers as told: the unit under test is the scheduler. */
class ScriptedExecutor implements Executor {
  readonly name = 'scripted'
  started: ExecutorTask[] = []
  cancelled: string[] = []
  listeners = new Set<ExecutorListener>()
  onStart: (task: ExecutorTask) => Promise<void> = async () => {}
  unsupported () { return [] }
  async start (task: ExecutorTask) { this.started.push(task); await this.onStart(task) }
  async cancel (guid: string) { this.cancelled.push(guid) }
  observe (l: ExecutorListener) { this.listeners.add(l); return () => this.listeners.delete(l) }
  complete (guid: string, failed = false) { for (const l of this.listeners) l({ type: 'completed', guid, failed, failureReason: failed ? 'boom' : '', result: 'r' }) }
  async cleanup () {}
  async close () {}
}

t.test('claims skip locked rows: two cells claiming at once never get the same task', async t => {
  for (let i = 0; i < 40; i++) await desire({ guid: `claim-${i}` })
  const [a, b] = await Promise.all([claimTasks(db.pool, 'cell-a', 25, 5000), claimTasks(db.pool, 'cell-b', 25, 5000)])
  const guids = [...a, ...b].map(c => c.guid)
  t.equal(guids.length, 40)
  t.equal(new Set(guids).size, 40, 'no task claimed twice')
})

t.test('a replica that lost its lease cannot record a result (fencing)', async t => {
  const task = await desire({ guid: 'fenced-1' })
  const [claim] = await claimTasks(db.pool, 'cell-old', 100, 5000).then(c => c.filter(x => x.guid === task.guid))
  // Another claim of the same task (after convergence handed it back) bumps the token.
  await db.pool.query("UPDATE tasks SET state = 'PENDING' WHERE guid = 'fenced-1'")
  const [reclaim] = await claimTasks(db.pool, 'cell-new', 100, 5000).then(c => c.filter(x => x.guid === task.guid))
  t.not(reclaim.fencingToken, claim.fencingToken)
  t.equal(await completeLeasedTask(db.pool, 'cell-old', claim, { failed: false, failureReason: '', result: 'stale' }), undefined, 'old holder is fenced off')
  t.equal((await renewLeases(db.pool, 'cell-old', [claim], 5000)).size, 0, 'and cannot renew')
  const done = await completeLeasedTask(db.pool, 'cell-new', reclaim, { failed: false, failureReason: '', result: 'fresh' })
  t.match(done, { state: 'COMPLETED', result: 'fresh' })
})

t.test('a rejected start puts the task back to PENDING with rejection_count, and fails it past the maximum', async t => {
  const exec = new ScriptedExecutor()
  exec.onStart = async () => { throw new ExecutorRejection('no room on this cell') }
  await db.pool.query("UPDATE tasks SET state = 'COMPLETED' WHERE state <> 'COMPLETED'")
  const { scheduler } = await testScheduler(t, db, { executor: exec, maxRejections: 2, pollIntervalMs: 50 })
  const task = await desire({ guid: 'reject-1' })
  const done = await waitForTask(db.pool, task.guid, x => x?.state === 'COMPLETED')
  t.match(done, { failed: true, failure_reason: 'no room on this cell', rejection_count: 3, rejection_reason: 'no room on this cell' })
  t.equal(exec.started.filter(s => s.guid === 'reject-1').length, 3, 'tried once per rejection until the maximum')
  await scheduler.stop()
})

t.test('a start that throws anything else fails the task at once', async t => {
  const exec = new ScriptedExecutor()
  exec.onStart = async () => { throw new Error('image not found') }
  const { scheduler } = await testScheduler(t, db, { executor: exec })
  const task = await desire({ guid: 'startfail-1' })
  t.match(await waitForTask(db.pool, task.guid, x => x?.state === 'COMPLETED'), { failed: true, failure_reason: 'failed to start: image not found' })
  await scheduler.stop()
})

t.test('the executor sees the image password; the API never does', async t => {
  const exec = new ScriptedExecutor()
  const { scheduler } = await testScheduler(t, db, { executor: exec })
  await desire({ guid: 'pw-1', image_username: 'u', image_password: 'p4ss' })
  await waitForTask(db.pool, 'pw-1', x => x?.state === 'RUNNING')
  // The claim commits RUNNING first; the executor is called right after.
  for (let i = 0; i < 200 && !exec.started.some(s => s.guid === 'pw-1'); i++) await new Promise(resolve => setTimeout(resolve, 25))
  t.equal(exec.started.find(s => s.guid === 'pw-1')?.definition.image_password, 'p4ss')
  exec.complete('pw-1')
  t.match(await waitForTask(db.pool, 'pw-1', x => x?.state === 'COMPLETED'), { result: 'r' })
  await scheduler.stop()
})

t.test('a heartbeat that finds the task no longer ours cancels it in the executor', async t => {
  const exec = new ScriptedExecutor()
  const { scheduler } = await testScheduler(t, db, { executor: exec, heartbeatMs: 60_000 })
  await desire({ guid: 'hb-1' })
  await waitForTask(db.pool, 'hb-1', x => x?.state === 'RUNNING')
  for (let i = 0; i < 200 && !exec.started.some(s => s.guid === 'hb-1'); i++) await new Promise(resolve => setTimeout(resolve, 25))
  await db.pool.query("UPDATE tasks SET fencing_token = fencing_token + 1 WHERE guid = 'hb-1'")
  await scheduler.heartbeat()
  t.same(exec.cancelled, ['hb-1'])
  exec.complete('hb-1')
  await scheduler.stop()
  t.match(await waitForTask(db.pool, 'hb-1', () => true), { state: 'RUNNING' }, 'the outcome of a lost lease is not recorded')
})

t.test('SIGTERM-style stop: running work gets the deadline; a started task still running then fails, it is never run again', async t => {
  const { scheduler } = await testScheduler(t, db)
  await desire({ guid: 'drain-quick', action: sh('sleep 0.2') })
  await desire({ guid: 'drain-slow', action: sh('echo started; sleep 30') })
  await waitForTask(db.pool, 'drain-slow', x => x?.state === 'RUNNING')
  await waitForTask(db.pool, 'drain-quick', x => x?.state === 'RUNNING')
  const stopping = Date.now()
  await scheduler.stop(1500)
  t.ok(Date.now() - stopping >= 1400, 'the running task was given the deadline')
  t.match(await waitForTask(db.pool, 'drain-quick', () => true), { state: 'COMPLETED', failed: false }, 'finished within the deadline')
  t.match(await waitForTask(db.pool, 'drain-slow', () => true), { state: 'COMPLETED', failed: true, failure_reason: SHUTDOWN_REASON, rejection_count: 0 }, 'failed, not handed back')
  const { rows } = await db.pool.query<{ line: string }>("SELECT line FROM task_logs WHERE guid = 'drain-slow' ORDER BY seq")
  t.match(rows.map(r => r.line), ['started', /replica shut down before the task finished/], 'the task log says why it stopped')
})

t.test('SIGTERM-style stop: a task whose start never got through goes back to PENDING', async t => {
  const exec = new ScriptedExecutor()
  exec.onStart = () => new Promise(() => {})
  await db.pool.query("UPDATE tasks SET state = 'COMPLETED' WHERE state <> 'COMPLETED'")
  const { scheduler } = await testScheduler(t, db, { executor: exec })
  await desire({ guid: 'never-started' })
  await waitForTask(db.pool, 'never-started', x => x?.state === 'RUNNING')
  await scheduler.stop(100)
  t.match(await waitForTask(db.pool, 'never-started', () => true), { state: 'PENDING', cell_id: '', failed: false, rejection_count: 0 }, 'handed back: it never ran')
  t.same(exec.cancelled, ['never-started'], 'and its start was called off')
  await db.pool.query("UPDATE tasks SET state = 'COMPLETED' WHERE guid = 'never-started'")
})
