import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const db = await testDatabase(t)
const env = {
  DATABASE_URL: db.url,
  TASKBBS_CALLBACK_RETRY_INTERVAL: '1.5',
  TASKBBS_CALLBACK_GIVE_UP_AFTER: '60',
  TASKBBS_CALLBACK_TIMEOUT: '1',
  TASKBBS_CALLBACK_POLL_INTERVAL: '0.2'
}

t.test('a process killed between attempts: the delivery still happens after a restart', async t => {
  const rx = await startReceiver(t, [503, 503, 503, 503, 200])
  const a = await startServerProcess(t, env)
  const def = { guid: 'survivor', domain: 'cb', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } }, completion_callback_url: rx.url }
  const res = await fetch(`${a.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(def) })
  t.equal(res.status, 201)
  await rx.waitFor(4)
  const scheduled = async () => (await db.pool.query('SELECT 1 FROM callback_deliveries WHERE guid = $1 AND attempts = 4 AND next_attempt_at > now() AND locked_by IS NULL', ['survivor'])).rowCount === 1
  for (let i = 0; i < 100 && !await scheduled(); i++) await new Promise(r => setTimeout(r, 10))
  t.ok(await scheduled(), 'four immediate attempts recorded, the next one scheduled')
  await a.kill()
  const b = await startServerProcess(t, env)
  await rx.waitFor(5)
  for (let i = 0; i < 100; i++) {
    if ((await db.pool.query("SELECT 1 FROM tasks WHERE guid = 'survivor'")).rowCount === 0) break
    await new Promise(r => setTimeout(r, 50))
  }
  t.equal((await db.pool.query("SELECT 1 FROM tasks WHERE guid = 'survivor'")).rowCount, 0, 'resolved and deleted by the new process')
  t.equal(rx.received.length, 5, 'no attempt after the resolving answer')
  t.equal(await b.stop(), 0)
})
