/**
 * Adoption, as the scheduler sees it: with an executor whose work outlives its
 * replica, a stopping replica releases its leases and leaves the work
 * running; another replica adopts the task under a new fencing token, with the
 * run and the number of output lines already stored, and records the outcome
 * once. A lease that runs out (a replica died) is adopted too, not failed by
 * convergence. The executor is scripted: the unit under test is the scheduler.
 */
import t from 'tap'
import type { Executor, ExecutorEvent, ExecutorListener, ExecutorTask } from '../../src/executors/executor.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { CELL_DISAPPEARED_REASON, convergeOnce } from '../../src/store/converge.ts'
import { claimTasks } from '../../src/store/scheduling.ts'
import { getTask, insertTask } from '../../src/store/tasks.ts'
import { taskDefinition } from '../helpers/app.ts'
import { testDatabase } from '../helpers/database.ts'
import { testScheduler, waitForTask } from '../helpers/scheduler.ts'

const db = await testDatabase(t)
const desire = (guid: string) => insertTask(db.pool, taskDefinition({ guid }) as TaskDefinition)
const row = async (guid: string) => (await db.pool.query<{ state: string, lease_owner: string | null, fencing_token: string, run_id: string, logs_seen: number, cell_id: string }>(
  'SELECT state, lease_owner, fencing_token, run_id, logs_seen, cell_id FROM tasks WHERE guid = $1', [guid])).rows[0]
const hour = 3_600_000

/** Work that outlives the replica: started or adopted tasks keep "running" until the test says how they end. */
class DurableExecutor implements Executor {
  readonly name = 'durable'
  started: ExecutorTask[] = []
  adopted: ExecutorTask[] = []
  cancelled: string[] = []
  cleaned: string[] = []
  forgotten: string[] = []
  listeners = new Set<ExecutorListener>()
  unsupported () { return [] }
  async start (task: ExecutorTask) { this.started.push(task) }
  async adopt (task: ExecutorTask) { this.adopted.push(task) }
  async cancel (guid: string) { this.cancelled.push(guid) }
  observe (l: ExecutorListener) { this.listeners.add(l); return () => this.listeners.delete(l) }
  emit (e: ExecutorEvent) { for (const l of this.listeners) l(e) }
  async listRuns () { return [] }
  async removeRun () {}
  async cleanup (guid: string) { this.cleaned.push(guid) }
  async forget (guid: string) { this.forgotten.push(guid) }
  async close () {}
}

t.test('a stopping replica leaves the work running and releases its lease at once; another adopts it and records the outcome once', async t => {
  const a = new DurableExecutor()
  const { scheduler: sa } = await testScheduler(t, db, { executor: a, cellId: 'cell-a' })
  await desire('handover-1')
  await waitForTask(db.pool, 'handover-1', x => x?.state === 'RUNNING')
  const claimed = await row('handover-1')
  a.emit({ type: 'placed', guid: 'handover-1', cellId: 'node-7' })
  a.emit({ type: 'log', guid: 'handover-1', source: 'TASK', stream: 'stdout', line: 'one', seq: 1 })
  a.emit({ type: 'log', guid: 'handover-1', source: 'TASK', stream: 'stdout', line: 'two', seq: 2 })
  await waitForTask(db.pool, 'handover-1', x => x?.cell_id === 'node-7')

  const stopping = Date.now()
  await sa.stop(30_000)
  t.ok(Date.now() - stopping < 5000, 'the stop does not wait for the work to end')
  t.same(a.cancelled, [], 'the work was not cancelled')
  t.same(a.cleaned, [], 'nor removed')
  t.match(await row('handover-1'), { state: 'RUNNING', lease_owner: null, logs_seen: 2, cell_id: 'node-7' }, 'RUNNING, lease released, output count stored, still on its cell')
  a.emit({ type: 'completed', guid: 'handover-1', failed: false, failureReason: '', result: 'from the old replica' })

  const b = new DurableExecutor()
  await testScheduler(t, db, { executor: b, cellId: 'cell-b' })
  await waitForTask(db.pool, 'handover-1', () => b.adopted.length === 1)
  t.same(b.started, [], 'the task was not started again')
  const adopted = b.adopted[0]
  t.match(adopted, { guid: 'handover-1', runId: claimed.run_id, logsSeen: 2 }, 'adopted with its run and the output already stored')
  t.ok(BigInt(adopted.fencingToken!) > BigInt(claimed.fencing_token), 'under a newer fencing token')
  t.match(await row('handover-1'), { state: 'RUNNING', lease_owner: 'cell-b', cell_id: 'node-7' })
  b.emit({ type: 'log', guid: 'handover-1', source: 'TASK', stream: 'stdout', line: 'three', seq: 3 })
  b.emit({ type: 'completed', guid: 'handover-1', failed: false, failureReason: '', result: '42' })
  t.match(await waitForTask(db.pool, 'handover-1', x => x?.state === 'COMPLETED'), { failed: false, result: '42' })
  const { rows: lines } = await db.pool.query<{ seq: number, line: string }>("SELECT seq, line FROM task_logs WHERE guid = 'handover-1' ORDER BY seq")
  t.match(lines.filter(l => /^(one|two|three)$/.test(l.line)).map(l => l.line), ['one', 'two', 'three'], 'the task log goes on where the first replica stopped')
  t.equal(new Set(lines.map(l => l.seq)).size, lines.length, 'no line number reused')
  const { rows: [events] } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM task_events WHERE guid = 'handover-1' AND state = 'COMPLETED'")
  t.equal(events.n, 1, 'one outcome recorded')
  t.same(b.cleaned, ['handover-1'], 'the adopter removes the work once the outcome is recorded')
})

t.test('a replica that died: convergence leaves its tasks RUNNING for adoption, and a replica adopts them once the lease runs out', async t => {
  await desire('orphan-1')
  await claimTasks(db.pool, 'dead-cell', 10, 300)
  const quiet = { pendingTimeoutMs: hour, kickPendingMs: hour, resolvingTimeoutMs: hour, completedTtlMs: hour }
  await new Promise(resolve => setTimeout(resolve, 400))
  t.same((await convergeOnce(db.pool, { ...quiet, adoption: true }))!.lostRunning, [], 'not failed by convergence')
  t.match(await row('orphan-1'), { state: 'RUNNING', lease_owner: 'dead-cell' })
  const c = new DurableExecutor()
  await testScheduler(t, db, { executor: c, cellId: 'cell-c', pollIntervalMs: 100 })
  await waitForTask(db.pool, 'orphan-1', () => c.adopted.some(x => x.guid === 'orphan-1'))
  t.match(await row('orphan-1'), { state: 'RUNNING', lease_owner: 'cell-c' })
  c.emit({ type: 'lost', guid: 'orphan-1', reason: 'pod taskbbs-orphan-1-x of this task was gone when this replica took the task over' })
  t.match(await waitForTask(db.pool, 'orphan-1', x => x?.state === 'COMPLETED'), { failed: true, failure_reason: CELL_DISAPPEARED_REASON }, 'lost work fails with Diego\'s reason')
  const { rows } = await db.pool.query<{ line: string }>("SELECT line FROM task_logs WHERE guid = 'orphan-1'")
  t.match(rows.map(r => r.line), [/was gone when this replica took the task over/], 'the task log says what happened')
})

t.test('a replica restarted under the same cell id adopts its own leases at once', async t => {
  await desire('mine-1')
  await claimTasks(db.pool, 'cell-same', 10, hour)
  const d = new DurableExecutor()
  await testScheduler(t, db, { executor: d, cellId: 'cell-same' })
  await waitForTask(db.pool, 'mine-1', () => d.adopted.some(x => x.guid === 'mine-1'))
  t.same(d.started, [], 'not started again')
  t.ok(await getTask(db.pool, 'mine-1'))
})

t.test('a replica that finds its lease taken over stops watching but leaves the work alone; its late outcome is dropped', async t => {
  const e = new DurableExecutor()
  const notHeld: string[] = []
  const { scheduler } = await testScheduler(t, db, { executor: e, cellId: 'cell-slow', heartbeatMs: 60_000, onNotHeld: guid => notHeld.push(guid) })
  await desire('taken-1')
  await waitForTask(db.pool, 'taken-1', x => x?.state === 'RUNNING')
  // Another replica adopted it while this one stalled.
  await db.pool.query("UPDATE tasks SET lease_owner = 'cell-fast', fencing_token = fencing_token + 1 WHERE guid = 'taken-1'")
  await scheduler.heartbeat()
  t.same(e.cancelled, [], 'the work is not cancelled: it is the adopter\'s now')
  t.same(e.cleaned, [], 'nor removed')
  t.same(e.forgotten, ['taken-1'], 'only no longer watched here')
  t.same(notHeld, ['taken-1'], 'and a sweep is asked for, in case the task was cancelled')
  e.emit({ type: 'completed', guid: 'taken-1', failed: true, failureReason: 'late', result: '' })
  await new Promise(resolve => setTimeout(resolve, 100))
  t.match(await row('taken-1'), { state: 'RUNNING', lease_owner: 'cell-fast' }, 'the late outcome is not recorded')
})

t.test('an outcome fenced off at recording leaves the work for the lease holder to read', async t => {
  const e = new DurableExecutor()
  await testScheduler(t, db, { executor: e, cellId: 'cell-late', heartbeatMs: 60_000 })
  await desire('fenced-2')
  await waitForTask(db.pool, 'fenced-2', x => x?.state === 'RUNNING')
  await db.pool.query("UPDATE tasks SET lease_owner = 'cell-other', fencing_token = fencing_token + 1 WHERE guid = 'fenced-2'")
  e.emit({ type: 'completed', guid: 'fenced-2', failed: false, failureReason: '', result: 'stale' })
  await waitForTask(db.pool, 'fenced-2', () => e.forgotten.includes('fenced-2'))
  t.same(e.cleaned, [], 'the pod is not deleted: its outcome is read again by the holder')
  t.match(await row('fenced-2'), { state: 'RUNNING', lease_owner: 'cell-other' })
})
