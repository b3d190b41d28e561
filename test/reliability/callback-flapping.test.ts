/**
 * Completion callbacks to a receiver that flaps: each request it gets takes
 * the next behaviour of a cycle, 503 → 200 → hang → connection closed, shared
 * by every delivery in flight; a few receivers always fail. Diego's rules
 * must hold for every task: a resolving answer (here 200) ends its delivery
 * and nothing more is sent for it; 503 is retried at once (at most 3 times in
 * a row); a hang or a closed connection waits for the retry interval; a task
 * with no resolving answer within the give-up window is given up (one
 * `callback_given_up` log line). Every task ends resolved or given up, and
 * deleted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { sleep } from './load.ts'

type Behaviour = 503 | 200 | 'hang' | 'close'
const CYCLE: Behaviour[] = [503, 200, 'hang', 'close']
const RETRY_S = 1
const GIVE_UP_S = 5
const TIMEOUT_S = 0.5

interface Hit { guid: string, at: number, behaviour: Behaviour, webhookId: string }

const db = await testDatabase(t)

async function startFlappingReceiver () {
  const hits: Hit[] = []
  let next = 0
  const hanging: ServerResponse[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', d => { body += d })
    req.on('end', () => {
      const path = req.url ?? ''
      const behaviour: Behaviour = path === '/always-503' ? 503 : path === '/always-hang' ? 'hang' : path === '/always-close' ? 'close' : CYCLE[next++ % CYCLE.length]
      let guid = ''
      try { guid = (JSON.parse(body) as { task_guid: string }).task_guid } catch {}
      hits.push({ guid, at: Date.now(), behaviour, webhookId: String(req.headers['webhook-id'] ?? '') })
      if (behaviour === 'hang') hanging.push(res)
      else if (behaviour === 'close') req.socket.destroy()
      else res.writeHead(behaviour).end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits }
}

t.test('a flapping receiver: every callback delivered or given up by the rules, none sent again after a 200', async t => {
  const rx = await startFlappingReceiver()
  const server = await startServerProcess(t, {
    DATABASE_URL: db.url,
    TASKBBS_CALLBACK_TIMEOUT: String(TIMEOUT_S),
    TASKBBS_CALLBACK_RETRY_INTERVAL: String(RETRY_S),
    TASKBBS_CALLBACK_GIVE_UP_AFTER: String(GIVE_UP_S),
    TASKBBS_CALLBACK_POLL_INTERVAL: '0.2',
    TASKBBS_CALLBACK_SIGNING_SECRET: `whsec_${Buffer.from('flapping-test-signing-key-32-bytes!').toString('base64')}`
  })
  const paths: Record<string, number> = { '/flap': 30, '/always-503': 3, '/always-hang': 3, '/always-close': 2 }
  const guids = new Map<string, string>()
  for (const [path, count] of Object.entries(paths)) {
    for (let i = 0; i < count; i++) {
      const guid = `cb${path.replace(/\W/g, '-')}-${i}`
      guids.set(guid, path)
      const res = await fetch(`${server.url}/v1/tasks`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ guid, domain: 'flap', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } }, completion_callback_url: `${rx.url}${path}` })
      })
      t.equal(res.status, 201)
    }
  }
  // Bounded: the give-up window plus a retry round and some slack.
  const deadline = Date.now() + (GIVE_UP_S + 3 * RETRY_S + 10) * 1000
  const left = async () => (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE domain = 'flap'")).rows[0].n
  while (await left() > 0 && Date.now() < deadline) await sleep(200)
  await sleep(2 * RETRY_S * 1000) // any late resend would show up now

  const givenUp = new Set(server.output().split('\n').filter(l => l.includes('"callback_given_up"')).map(l => (JSON.parse(l) as { guid: string }).guid))
  const byGuid = new Map<string, Hit[]>()
  for (const h of rx.hits) byGuid.set(h.guid, [...(byGuid.get(h.guid) ?? []), h])
  const resentAfter200: string[] = []
  const tooSoon: string[] = []
  const tooManyImmediate: string[] = []
  const idChanged: string[] = []
  let resolved = 0
  for (const [guid, hits] of byGuid) {
    const ok = hits.findIndex(h => h.behaviour === 200)
    if (ok >= 0) { resolved++; if (ok < hits.length - 1) resentAfter200.push(guid) }
    if (new Set(hits.map(h => h.webhookId)).size !== 1) idChanged.push(guid)
    // A round: an attempt and up to 3 immediate retries while it gets 503; the next round comes after the retry interval.
    let roundFiveOhThrees = 0
    for (let i = 0; i < hits.length; i++) {
      if (i > 0) {
        const prev = hits[i - 1]
        const gap = hits[i].at - prev.at
        const mayBeImmediate = prev.behaviour === 503 && roundFiveOhThrees <= 3
        if (!mayBeImmediate && gap < RETRY_S * 1000 - 100) tooSoon.push(`${guid}#${i} after ${prev.behaviour}: ${gap} ms`)
        if (gap >= RETRY_S * 1000 - 100) roundFiveOhThrees = 0
      }
      if (hits[i].behaviour === 503 && ++roundFiveOhThrees > 4) tooManyImmediate.push(`${guid}#${i}`)
    }
  }
  const neverResolvable = [...guids].filter(([, p]) => p !== '/flap').map(([g]) => g)
  t.comment(`figures: ${guids.size} callbacks, ${rx.hits.length} attempts received (${JSON.stringify(Object.fromEntries(CYCLE.map(b => [b, rx.hits.filter(h => h.behaviour === b).length])))}), ` +
    `${resolved} resolved, ${givenUp.size} given up, ${await left()} left, resent after a 200: ${resentAfter200.length}, retried too soon: ${tooSoon.length}`)

  t.equal(await left(), 0, 'every task ended (resolved or given up) and was deleted')
  t.equal((await db.pool.query('SELECT 1 FROM callback_deliveries')).rowCount, 0, 'no delivery left in the outbox')
  t.same(resentAfter200, [], 'nothing was sent for a task after its 200')
  t.same(tooSoon, [], 'after a timeout, a closed connection or a 4th 503, the next attempt waited the retry interval')
  t.same(tooManyImmediate, [], 'at most 3 immediate retries after a 503, per round')
  t.same(idChanged, [], 'every attempt of one delivery carried the same webhook-id')
  for (const g of neverResolvable) t.ok(givenUp.has(g), `${g} (never answered 200) was given up`)
  for (const [g, hits] of byGuid) {
    const got200 = hits.some(h => h.behaviour === 200)
    t.ok(got200 !== givenUp.has(g), `${g}: ${got200 ? 'resolved' : 'given up'}, exactly one of the two`)
  }
  t.equal(byGuid.size, guids.size, 'every task got at least one attempt')
  t.equal(await server.stop(), 0)
})
