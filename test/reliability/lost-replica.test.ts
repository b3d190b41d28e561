/**
 * A replica killed (kill -9) while it holds leases on running tasks. Diego's
 * rule: a task whose cell disappeared is failed, not retried. So once its
 * lease runs out, and not before, convergence on the surviving replica
 * completes each of those tasks as failed "cell disappeared before
 * completion", still naming the dead cell; none is handed to another replica,
 * so none runs twice. Meanwhile the survivor runs new work as usual.
 */
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { sleep } from './load.ts'

const db = await testDatabase(t)
const LEASE_S = 3
const HEARTBEAT_S = 0.5
const env = {
  DATABASE_URL: db.url,
  TASKBBS_POLL_INTERVAL: '0.5',
  TASKBBS_CONVERGENCE_INTERVAL: '0.5',
  TASKBBS_LEASE_DURATION: String(LEASE_S),
  TASKBBS_HEARTBEAT_INTERVAL: String(HEARTBEAT_S),
  TASKBBS_COMPLETED_TTL: '3600'
}
const HELD = 6

async function rows (like: string) {
  return (await db.pool.query<{ guid: string, state: string, failed: boolean, failure_reason: string, cell_id: string, rejection_count: number, updated_at: Date }>(
    'SELECT guid, state, failed, failure_reason, cell_id, rejection_count, updated_at FROM tasks WHERE guid LIKE $1 ORDER BY guid', [like])).rows
}

async function until (what: string, pred: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!await pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

t.test('tasks of a killed replica fail "cell disappeared" once the lease expires; none is retried or runs twice', async t => {
  const starts = join(tmpdir(), `taskbbs-lost-replica-${process.pid}.log`)
  // Each run records its guid and pid, then becomes a long sleep (exec keeps the pid).
  const script = `echo "$TASKBBS_TASK_GUID $$" >> ${starts}; exec sleep 60`
  const pids = async () => (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(l => l.split(' '))
  t.teardown(async () => {
    // The dead replica's task processes outlive it (each leads its own process group): end them.
    for (const [, pid] of await pids()) { try { process.kill(-Number(pid), 'SIGKILL') } catch {} }
    await rm(starts, { force: true })
  })

  const a = await startServerProcess(t, { ...env, TASKBBS_CELL_ID: 'doomed-a', TASKBBS_MAX_TASKS: String(HELD) })
  for (let i = 0; i < HELD; i++) {
    const res = await fetch(`${a.url}/v1/tasks`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ guid: `held-${i}`, domain: 'lost', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'sh', args: ['-c', script], user: 'root' } } })
    })
    t.equal(res.status, 201)
  }
  await until('every task running on a', async () => (await rows('held-%')).every(r => r.state === 'RUNNING' && r.cell_id === 'doomed-a'))
  await until('every task started', async () => (await pids()).length === HELD)
  const b = await startServerProcess(t, { ...env, TASKBBS_CELL_ID: 'survivor-b' })

  await a.kill()
  const killedAt = Date.now()
  await sleep(1000)
  t.ok((await rows('held-%')).every(r => r.state === 'RUNNING'), 'before the lease runs out the tasks stay RUNNING')

  // New work meanwhile goes to the survivor and completes.
  for (let i = 0; i < 4; i++) {
    await fetch(`${b.url}/v1/tasks`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ guid: `fresh-${i}`, domain: 'lost', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } } })
    })
  }
  await until('every held task completed', async () => (await rows('held-%')).every(r => r.state === 'COMPLETED'), 30_000)
  const failedAt = Date.now()
  await until('fresh work done', async () => (await rows('fresh-%')).every(r => r.state === 'COMPLETED'))
  await sleep(2 * 1000 * 0.5 + 500) // two more convergence and poll periods: nothing may pick the tasks up again

  const held = await rows('held-%')
  const earliest = Math.min(...held.map(r => r.updated_at.getTime()))
  const runs = new Map<string, number>()
  for (const [guid] of await pids()) runs.set(guid, (runs.get(guid) ?? 0) + 1)
  t.comment(`figures: ${HELD} tasks held by the killed replica, failed ${earliest - killedAt} ms after the kill (lease ${LEASE_S * 1000} ms, heartbeat ${HEARTBEAT_S * 1000} ms), ` +
    `${held.filter(r => r.failure_reason === 'cell disappeared before completion').length} failed "cell disappeared", runs per task ${JSON.stringify([...new Set(runs.values())])}, ` +
    `duplicate runs ${[...runs.values()].filter(n => n > 1).length}, survivor completed ${(await rows('fresh-%')).filter(r => !r.failed).length}/4 new tasks`)
  for (const r of held) {
    t.match(r, { state: 'COMPLETED', failed: true, failure_reason: 'cell disappeared before completion', cell_id: 'doomed-a', rejection_count: 0 }, `${r.guid}: failed, not retried, still naming the dead cell`)
  }
  t.ok(earliest >= killedAt + (LEASE_S - HEARTBEAT_S) * 1000 - 250, `none failed before its lease could have run out (${earliest - killedAt} ms after the kill)`)
  t.ok(failedAt - killedAt < (LEASE_S + 5) * 1000, 'all failed soon after the lease ran out')
  t.equal(runs.size, HELD, 'each held task started once on the dead replica')
  t.same([...runs.values()].filter(n => n !== 1), [], 'none ran twice')
  t.ok((await rows('fresh-%')).every(r => r.cell_id === 'survivor-b' && !r.failed), 'the survivor ran the new work')
  t.equal(await b.stop(), 0, 'the survivor exits 0 on SIGTERM')
})
