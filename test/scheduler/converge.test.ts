import t from 'tap'
import { CELL_DISAPPEARED_REASON, NOT_STARTED_REASON, convergeOnce } from '../../src/store/converge.ts'
import { claimTasks } from '../../src/store/scheduling.ts'
import { getTask, insertTask } from '../../src/store/tasks.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { withTransaction } from '../../src/store/transaction.ts'
import { testDatabase } from '../helpers/database.ts'
import { taskDefinition } from '../helpers/app.ts'

const db = await testDatabase(t)
const desire = (guid: string) => insertTask(db.pool, taskDefinition({ guid }) as TaskDefinition)
const hour = 3_600_000
const quiet = { pendingTimeoutMs: hour, kickPendingMs: hour, resolvingTimeoutMs: hour, completedTtlMs: hour }
const age = (guid: string, column: string, ms: number) =>
  db.pool.query(`UPDATE tasks SET ${column} = clock_timestamp() - make_interval(secs => $2::double precision / 1000) WHERE guid = $1`, [guid, ms])

t.test('PENDING older than the pending timeout fails "not started within time limit"', async t => {
  await desire('old-pending')
  await desire('young-pending')
  await age('old-pending', 'created_at', 10_000)
  const report = await convergeOnce(db.pool, { ...quiet, pendingTimeoutMs: 5000 })
  t.same(report!.expiredPending, ['old-pending'])
  t.match(await getTask(db.pool, 'old-pending'), { state: 'COMPLETED', failed: true, failure_reason: NOT_STARTED_REASON })
  t.match(await getTask(db.pool, 'young-pending'), { state: 'PENDING' })
})

t.test('PENDING untouched past the kick time is offered to schedulers again', async t => {
  await age('young-pending', 'updated_at', 10_000)
  const report = await convergeOnce(db.pool, { ...quiet, kickPendingMs: 5000 })
  t.equal(report!.kickedPending, 1)
})

t.test('RUNNING whose lease expired fails "cell disappeared before completion" and is not retried', async t => {
  await claimTasks(db.pool, 'gone-cell', 10, 1)
  await new Promise(r => setTimeout(r, 20))
  const report = await convergeOnce(db.pool, quiet)
  t.same(report!.lostRunning, ['young-pending'])
  t.match(await getTask(db.pool, 'young-pending'), { state: 'COMPLETED', failed: true, failure_reason: CELL_DISAPPEARED_REASON })
})

t.test('RESOLVING stuck past the resolving timeout goes back to COMPLETED', async t => {
  await db.pool.query("UPDATE tasks SET state = 'RESOLVING' WHERE guid = 'old-pending'")
  await age('old-pending', 'updated_at', 10_000)
  const report = await convergeOnce(db.pool, { ...quiet, resolvingTimeoutMs: 5000 })
  t.same(report!.demotedResolving, ['old-pending'])
  t.match(await getTask(db.pool, 'old-pending'), { state: 'COMPLETED' })
})

t.test('COMPLETED whose first completion is older than the TTL is deleted', async t => {
  await age('old-pending', 'first_completed_at', 10_000)
  const report = await convergeOnce(db.pool, { ...quiet, completedTtlMs: 5000 })
  t.same(report!.deletedCompleted, ['old-pending'])
  t.equal(await getTask(db.pool, 'old-pending'), undefined)
  t.ok(await getTask(db.pool, 'young-pending'), 'younger completed tasks stay')
})

t.test('only one replica converges at a time', async t => {
  await withTransaction(db.pool, async client => {
    await client.query('SELECT pg_advisory_xact_lock(7406221002)')
    t.equal(await convergeOnce(db.pool, quiet), undefined, 'another holder of the lock makes the pass skip')
  })
  t.ok(await convergeOnce(db.pool, quiet), 'after it, the pass runs')
})
