import { lookup } from 'node:dns/promises'
import { hostname } from 'node:os'
import t, { type Test } from 'tap'
import { callbackUrlErrors, forbiddenAddress, guardedLookup, type UrlPolicy } from '../../src/callbacks/url-policy.ts'
import { CallbackWorker } from '../../src/callbacks/worker.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { cancelTask, getTask, insertTask } from '../../src/store/tasks.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { quietLog } from '../helpers/scheduler.ts'

const production: UrlPolicy = { enforce: true, allow: [] }

t.test('outside development, loopback, link-local, metadata and unspecified addresses are refused', async t => {
  for (const ip of ['127.0.0.1', '127.9.9.9', '::1', '169.254.169.254', '169.254.1.1', 'fe80::1', 'fd00:ec2::254', '0.0.0.0', '::', '::ffff:127.0.0.1']) {
    t.ok(forbiddenAddress(production, ip), `${ip} refused`)
  }
  for (const ip of ['8.8.8.8', '10.1.2.3', '2001:db8::1']) t.equal(forbiddenAddress(production, ip), undefined, `${ip} allowed`)
  t.equal(forbiddenAddress({ enforce: false, allow: [] }, '127.0.0.1'), undefined, 'development mode allows everything')
  t.equal(forbiddenAddress({ enforce: true, allow: ['127.0.0.0/8'] }, '127.0.0.1'), undefined, 'the operator allow-list wins')
})

const { app, pool, url } = await testApp(t, { unsupported: def => callbackUrlErrors(production, def) })

t.test('a callback URL to a forbidden literal address or localhost is refused at desire time, naming the field', async t => {
  for (const u of ['http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://169.254.169.254/latest/meta-data', 'http://localhost:9/x', 'http://api.localhost/x']) {
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ completion_callback_url: u }) })
    t.equal(res.statusCode, 422, u)
    t.match(res.json().errors, [{ field: 'completion_callback_url', message: /^callbacks to \S+, a [a-z() -]+ address, are refused by this server; ask the operator|^callbacks to \S*localhost, a name for this machine, are refused/ }], u)
  }
  const ok = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ completion_callback_url: 'https://hooks.example.com/cb' }) })
  t.equal(ok.statusCode, 201, 'a public name passes; it is checked again at delivery')
})

t.test('at delivery the check runs on every address the name resolves to', async t => {
  const refused = await new Promise<Error | null>(resolve => guardedLookup(production)('localhost', {}, err => resolve(err)))
  t.match(refused, { code: 'CALLBACK_ADDRESS_FORBIDDEN', message: /localhost resolves to .*loopback/ })
  const allowed = await new Promise<unknown>(resolve => guardedLookup({ enforce: true, allow: ['localhost'] })('localhost', {}, (err, addr) => resolve(err ?? addr)))
  t.match(allowed, /^(127\.0\.0\.1|::1)$/)
})

const name = hostname()
const addresses = await lookup(name, { all: true }).catch(() => [])
const hostileNameSkip = addresses.length > 0 && addresses.every(a => forbiddenAddress(production, a.address))
  ? false
  : `this machine's hostname ${name} does not resolve to loopback only, so it cannot stand in for a hostile name`

t.test('a name that resolves to loopback is refused at delivery: one attempt, given up, task deleted, receiver never hit', { skip: hostileNameSkip }, async t => {
  const rx = await startReceiver(t, [200])
  const port = new URL(rx.url).port
  const guid = `policy-${Date.now()}`
  const warnings: Array<Record<string, unknown>> = []
  const worker = new CallbackWorker({
    pool, databaseUrl: url, workerId: 'policy', policy: production, requestTimeoutMs: 1000, retryIntervalMs: 1000, giveUpAfterMs: 5000,
    concurrency: 2, pollIntervalMs: 50, log: { ...quietLog, warn: (o: object) => { warnings.push(o as Record<string, unknown>) } }
  })
  await worker.start()
  t.teardown(() => worker.stop())
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid, completion_callback_url: `http://${name}:${port}/cb` }) })
  await app.inject({ method: 'POST', url: `/v1/tasks/${guid}/cancel` })
  for (let i = 0; i < 200 && await getTask(pool, guid); i++) await new Promise(r => setTimeout(r, 25))
  t.equal(await getTask(pool, guid), undefined, 'given up and deleted')
  t.equal(rx.received.length, 0, 'nothing reached the loopback receiver')
  t.match(warnings.find(w => w.guid === guid), { event: 'callback_given_up', attempts: 1, reason: /loopback/ })
})

t.test('every spelling of a loopback or metadata address is refused at desire time', async t => {
  // WHATWG URL parsing turns these into the plain address before the policy sees the host.
  for (const u of ['http://2130706433/cb', 'http://0x7f000001/cb', 'http://127.1/cb', 'http://0177.0.0.1/cb', 'http://[::ffff:127.0.0.1]/cb',
    'http://[::ffff:7f00:1]/cb', 'http://[0:0:0:0:0:ffff:a9fe:a9fe]/cb', 'http://169.254.169.254./latest', 'http://0/cb', 'http://[::]/cb',
    'http://LOCALHOST/cb', 'http://[fe80::1]/cb', 'http://[fd00:ec2::254]/latest']) {
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ completion_callback_url: u }) })
    t.equal(res.statusCode, 422, u)
    t.match(res.json().errors, [{ field: 'completion_callback_url', message: /^callbacks to \S+, a [a-z() -]+ address, are refused by this server; ask the operator|^callbacks to \S*localhost, a name for this machine, are refused/ }], u)
  }
})

/** A production worker delivering what an earlier, laxer policy (development mode, a removed allow-list entry) accepted. */
async function deliverUnderProduction (t: Test, callbackUrl: string) {
  const guid = `stored-${Math.random().toString(36).slice(2, 8)}`
  // Straight into the store: the server that accepted it is gone, the row is still in the outbox.
  await insertTask(pool, taskDefinition({ guid, completion_callback_url: callbackUrl }) as unknown as TaskDefinition)
  const warnings: Array<Record<string, unknown>> = []
  const worker = new CallbackWorker({
    pool, databaseUrl: url, workerId: 'strict', policy: production, requestTimeoutMs: 1000, retryIntervalMs: 1000, giveUpAfterMs: 5000,
    concurrency: 2, pollIntervalMs: 50, log: { ...quietLog, warn: (o: object) => { warnings.push(o as Record<string, unknown>) } }
  })
  await worker.start()
  t.teardown(() => worker.stop())
  await cancelTask(pool, guid)
  for (let i = 0; i < 200 && await getTask(pool, guid); i++) await new Promise(r => setTimeout(r, 25))
  t.equal(await getTask(pool, guid), undefined, 'given up and deleted')
  return warnings.find(w => w.guid === guid)
}

t.test('an IP-literal callback stored under a laxer policy is refused at delivery too (no DNS lookup to catch it)', async t => {
  const rx = await startReceiver(t, [200])
  const given = await deliverUnderProduction(t, rx.url)
  t.equal(rx.received.length, 0, 'nothing reached the loopback receiver')
  t.match(given, { event: 'callback_given_up', attempts: 1, reason: /loopback/ })
})

t.test('redirects are not followed: a 302 resolves the callback and its Location is never requested', async t => {
  const rx = await startReceiver(t, [302, 200])
  const worker = new CallbackWorker({
    pool, databaseUrl: url, workerId: 'redirects', policy: { enforce: false, allow: [] }, requestTimeoutMs: 1000, retryIntervalMs: 1000,
    giveUpAfterMs: 5000, concurrency: 2, pollIntervalMs: 50, log: quietLog
  })
  await worker.start()
  t.teardown(() => worker.stop())
  const guid = `redirect-${Date.now()}`
  await insertTask(pool, taskDefinition({ guid, completion_callback_url: rx.url }) as unknown as TaskDefinition)
  await cancelTask(pool, guid)
  await rx.waitFor(1)
  for (let i = 0; i < 200 && await getTask(pool, guid); i++) await new Promise(r => setTimeout(r, 25))
  t.equal(await getTask(pool, guid), undefined, 'the 302 resolved the task (Diego: any answer but 503/504)')
  await new Promise(r => setTimeout(r, 300))
  t.equal(rx.received.length, 1, 'the Location (/redirected) was never requested')
})
