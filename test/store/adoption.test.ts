/**
 * The SQL of leases whose work outlives its replica (src/store/adoption.ts):
 * every desire gets its own run id; only expired or released leases are
 * adopted, each by one replica, under a newer token; a released lease wakes
 * the schedulers; the cell follows the work; live runs are the RUNNING ones.
 */
import t from 'tap'
import pg from 'pg'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { adoptTasks, liveRuns, placeLeasedTask, releaseLeases, runKey } from '../../src/store/adoption.ts'
import { CHANNELS } from '../../src/store/notify.ts'
import { claimTasks } from '../../src/store/scheduling.ts'
import { insertTask } from '../../src/store/tasks.ts'
import { taskDefinition } from '../helpers/app.ts'
import { testDatabase } from '../helpers/database.ts'

const db = await testDatabase(t)
const desire = (guid: string) => insertTask(db.pool, taskDefinition({ guid }) as TaskDefinition)
const row = async (guid: string) => (await db.pool.query<{ state: string, lease_owner: string | null, fencing_token: string, run_id: string, cell_id: string }>(
  'SELECT state, lease_owner, fencing_token, run_id, cell_id FROM tasks WHERE guid = $1', [guid])).rows[0]
const hour = 3_600_000

t.test('every desire gets a run id of its own, also a second desire of a deleted guid', async t => {
  await desire('run-1')
  const first = (await row('run-1')).run_id
  t.match(first, /^[0-9a-f]{32}$/)
  await db.pool.query("DELETE FROM tasks WHERE guid = 'run-1'")
  await desire('run-1')
  t.not((await row('run-1')).run_id, first)
  const [claimed] = await claimTasks(db.pool, 'cell-a', 10, hour)
  t.match(claimed, { guid: 'run-1', runId: (await row('run-1')).run_id, logsSeen: 0 })
})

t.test('only expired or released leases are adopted, each once, under a newer token; the cell is kept', async t => {
  await desire('live-lease')
  await desire('dead-lease')
  await desire('given-back')
  await claimTasks(db.pool, 'cell-live', 1, hour)
  await claimTasks(db.pool, 'cell-dead', 1, 1)
  const [given] = await claimTasks(db.pool, 'cell-stopping', 1, hour)
  await placeLeasedTask(db.pool, 'cell-stopping', given, 'node-3')
  await new Promise(resolve => setTimeout(resolve, 20))

  const listener = new pg.Client({ connectionString: db.url })
  await listener.connect()
  t.teardown(() => listener.end())
  const notes: string[] = []
  listener.on('notification', n => notes.push(n.channel))
  await listener.query(`LISTEN ${CHANNELS.desired}`)
  t.same(await releaseLeases(db.pool, 'cell-stopping', [given], true), ['given-back'])
  t.same(await releaseLeases(db.pool, 'cell-other', [given], true), [], 'a lease not ours is not released')
  await new Promise(resolve => setTimeout(resolve, 100))
  t.ok(notes.includes(CHANNELS.desired), 'the release woke the schedulers')
  t.match(await row('given-back'), { state: 'RUNNING', lease_owner: null, cell_id: 'node-3' })

  const before = await row('dead-lease')
  const [a, b] = await Promise.all([adoptTasks(db.pool, 'cell-x', 10, hour), adoptTasks(db.pool, 'cell-y', 10, hour)])
  const adopted = [...a, ...b].map(x => x.guid).sort()
  t.same(adopted, ['dead-lease', 'given-back'], 'the live lease is not taken; each of the others by one replica')
  t.ok(BigInt((await row('dead-lease')).fencing_token) > BigInt(before.fencing_token), 'newer token')
  t.match(await row('given-back'), { cell_id: 'node-3' }, 'the work still runs where it ran')
  t.match(await row('live-lease'), { lease_owner: 'cell-live' })
  t.same(await adoptTasks(db.pool, 'cell-z', 10, hour), [], 'nothing left to adopt')
  t.same((await adoptTasks(db.pool, 'cell-live', 10, hour, true)).map(x => x.guid), ['live-lease'], 'a restart under the same cell id takes its own leases')
})

t.test('live runs: RUNNING with that run; a run id "" is live while its guid runs', async t => {
  const runId = (await row('live-lease')).run_id
  await db.pool.query("UPDATE tasks SET state = 'COMPLETED' WHERE guid = 'dead-lease'")
  const live = await liveRuns(db.pool, [
    { guid: 'live-lease', runId },
    { guid: 'live-lease', runId: 'another-run' },
    { guid: 'live-lease', runId: '' },
    { guid: 'dead-lease', runId: (await row('dead-lease')).run_id },
    { guid: 'no-such-task', runId: 'x' }
  ])
  t.same([...live].sort(), [runKey('live-lease', ''), runKey('live-lease', runId)].sort())
})
