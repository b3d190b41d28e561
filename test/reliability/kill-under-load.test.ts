/**
 * kill -9 of a server process in the middle of a steady desire load: every
 * desire that was answered 201 is stored. A request in flight at the kill may
 * be stored without its answer (the client saw no 201 and may retry, getting
 * 409 TASK_EXISTS); what must never happen is a 201 for a task that is gone.
 */
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { byStatus, sleep, startLoader } from './load.ts'

const db = await testDatabase(t)
// API-only: the subject is the write path, not running tasks.
const env = { DATABASE_URL: db.url, TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false' }

t.test('every desire answered 201 before a kill -9 is stored, in two rounds of crash and restart', async t => {
  const rounds = 2
  let totalAcked = 0
  let totalSent = 0
  let totalStored = 0
  for (let round = 1; round <= rounds; round++) {
    const server = await startServerProcess(t, env)
    const loader = startLoader(server.url, { prefix: `kill${round}`, workers: 8 })
    await sleep(2000)
    const answeredBeforeKill = loader.sent.length
    await server.kill()
    const killedAt = Date.now()
    await sleep(300)
    const sent = await loader.stop()
    const acked = sent.filter(s => s.status === 201).map(s => s.guid)
    const { rows } = await db.pool.query<{ guid: string }>('SELECT guid FROM tasks WHERE guid LIKE $1', [`kill${round}-%`])
    const stored = new Set(rows.map(r => r.guid))
    const lost = acked.filter(g => !stored.has(g))
    const unanswered = sent.filter(s => s.status === 0)
    const storedUnacked = [...stored].filter(g => !acked.includes(g))
    t.comment(`figures: round ${round}: ${sent.length} desires sent (${answeredBeforeKill} answered before the kill), answers ${JSON.stringify(byStatus(sent))}; ` +
      `acknowledged ${acked.length}, stored ${stored.size}, acknowledged but lost ${lost.length}, stored without an answer ${storedUnacked.length}`)
    t.ok(acked.length > 100, `a real load was acknowledged (${acked.length})`)
    t.same(lost, [], 'no acknowledged task is lost')
    t.same(sent.filter(s => s.status !== 201 && s.status !== 0), [], 'every answer was 201 (no 5xx before the kill)')
    t.ok(unanswered.every(s => s.at >= killedAt - 1000), 'requests went unanswered only around the kill')
    t.ok(storedUnacked.length <= 8, `at most one request per connection was in flight and stored unanswered (${storedUnacked.length})`)
    totalAcked += acked.length
    totalSent += sent.length
    totalStored += stored.size
  }
  // A restarted server serves what the dead ones acknowledged.
  const server = await startServerProcess(t, env)
  const res = await fetch(`${server.url}/v1/tasks?domain=load&limit=1000`)
  t.equal(res.status, 200)
  t.comment(`figures: total: ${rounds} kill -9 under load, ${totalSent} desires sent, ${totalAcked} acknowledged, ${totalStored} stored, 0 acknowledged lost`)
  t.equal(await server.stop(), 0, 'the last server exits 0 on SIGTERM')
})
