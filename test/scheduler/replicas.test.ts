import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const db = await testDatabase(t)
const fast = {
  DATABASE_URL: db.url,
  TASKBBS_POLL_INTERVAL: '0.5',
  TASKBBS_CONVERGENCE_INTERVAL: '0.5',
  TASKBBS_LEASE_DURATION: '2',
  TASKBBS_HEARTBEAT_INTERVAL: '0.5',
  TASKBBS_SHUTDOWN_TIMEOUT: '5',
  TASKBBS_MAX_TASKS: '32',
  TASKBBS_COMPLETED_TTL: '3600'
}

async function desireMany (base: string, n: number, action: (guid: string) => unknown, prefix: string) {
  const guids: string[] = []
  for (let start = 0; start < n; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, n - start) }, async (_, k) => {
      const guid = `${prefix}-${start + k}`
      const res = await fetch(`${base}/v1/tasks`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ guid, domain: 'replicas', root_fs: 'preloaded:cflinuxfs4', action: action(guid) })
      })
      if (res.status !== 201) throw new Error(`desire ${guid}: ${res.status} ${await res.text()}`)
      guids.push(guid)
    }))
  }
  return guids
}

async function states () {
  const { rows } = await db.pool.query<{ state: string, failed: boolean, n: number }>(
    'SELECT state, failed, count(*)::int AS n FROM tasks GROUP BY 1, 2 ORDER BY 1, 2')
  return rows
}

async function until (what: string, pred: () => Promise<boolean>, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs
  while (!await pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await states())}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

const countLines = async (file: string) => {
  const counts = new Map<string, number>()
  for (const l of (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean)) counts.set(l, (counts.get(l) ?? 0) + 1)
  return counts
}

t.test('1,000 tasks across two server processes: each runs exactly once', async t => {
  const sideEffects = join(tmpdir(), `taskbbs-replicas-${process.pid}.log`)
  t.teardown(() => rm(sideEffects, { force: true }))
  const a = await startServerProcess(t, { ...fast, TASKBBS_CELL_ID: 'cell-a' })
  const b = await startServerProcess(t, { ...fast, TASKBBS_CELL_ID: 'cell-b' })
  // Each run appends its guid once: O_APPEND writes of one short line do not interleave.
  const guids = await desireMany(a.url, 1000, () => ({ run: { path: 'sh', args: ['-c', `echo "$TASKBBS_TASK_GUID" >> ${sideEffects}`], user: 'root' } }), 'once')
  await until('all tasks completed', async () => (await db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE state = 'COMPLETED' AND guid LIKE 'once-%'")).rows[0].n === 1000)
  const counts = await countLines(sideEffects)
  t.equal(counts.size, 1000, 'every task ran')
  t.same([...counts.values()].filter(n => n !== 1), [], 'none ran twice')
  t.same(guids.filter(g => !counts.has(g)), [], 'no task missing')
  const { rows } = await db.pool.query("SELECT cell_id, count(*)::int AS n, bool_or(failed) AS any_failed FROM tasks WHERE guid LIKE 'once-%' GROUP BY 1 ORDER BY 1")
  t.same(rows.map(r => r.cell_id), ['cell-a', 'cell-b'], 'both replicas took work')
  t.notOk(rows.some(r => r.any_failed), 'none failed')
  t.equal(await a.stop(), 0, 'replica a exits 0 on SIGTERM')
  t.equal(await b.stop(), 0, 'replica b exits 0 on SIGTERM')
})

t.test('kill -9 of the replica running tasks, then a restart: every task ends COMPLETED, none stays RUNNING past its lease', async t => {
  const sideEffects = join(tmpdir(), `taskbbs-crash-${process.pid}.log`)
  t.teardown(() => rm(sideEffects, { force: true }))
  const a = await startServerProcess(t, { ...fast, TASKBBS_CELL_ID: 'crash-a', TASKBBS_MAX_TASKS: '10' })
  const guids = await desireMany(a.url, 60, () => ({ run: { path: 'sh', args: ['-c', `sleep 0.3; echo "$TASKBBS_TASK_GUID" >> ${sideEffects}`], user: 'root' } }), 'crash')
  await until('some tasks running', async () => (await db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE state = 'RUNNING' AND guid LIKE 'crash-%'")).rows[0].n > 0)
  await a.kill()
  const killedAt = Date.now()
  const b = await startServerProcess(t, { ...fast, TASKBBS_CELL_ID: 'crash-b' })
  await until('all tasks completed', async () => (await db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE state = 'COMPLETED' AND guid LIKE 'crash-%'")).rows[0].n === guids.length)
  t.ok(Date.now() - killedAt < 2000 + 30000, 'RUNNING tasks of the dead replica did not outlive their lease by much')
  const { rows } = await db.pool.query<{ guid: string, failed: boolean, failure_reason: string, cell_id: string }>(
    "SELECT guid, failed, failure_reason, cell_id FROM tasks WHERE guid LIKE 'crash-%'")
  const lost = rows.filter(r => r.failed)
  t.ok(lost.every(r => r.failure_reason === 'cell disappeared before completion' && r.cell_id === 'crash-a'), 'only tasks of the dead cell failed, with Diego\'s reason')
  t.ok(rows.filter(r => r.cell_id === 'crash-b').length > 0, 'the restarted replica took the rest')
  const counts = await countLines(sideEffects)
  t.same([...counts.values()].filter(n => n !== 1), [], 'no task ran twice')
  for (const r of rows.filter(r => !r.failed)) if (!counts.has(r.guid)) t.fail(`${r.guid} completed without running`)
  t.equal(await b.stop(), 0)
})
