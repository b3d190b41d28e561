import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { CallbackWorker, type CallbackWorkerOptions } from '../../src/callbacks/worker.ts'
import { parseSigningSecret } from '../../src/callbacks/signing.ts'
import { getTask } from '../../src/store/tasks.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { closedPort, startReceiver } from '../helpers/receiver.ts'
import { quietLog } from '../helpers/scheduler.ts'

const h = await testApp(t)
const timings = { requestTimeoutMs: 300, retryIntervalMs: 600, giveUpAfterMs: 2500 }
const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')
const givenUp: object[] = []

async function startWorker (extra: Partial<CallbackWorkerOptions> = {}) {
  const worker = new CallbackWorker({
    pool: h.pool, databaseUrl: h.url, workerId: 'test-worker', policy: { enforce: false, allow: [] },
    ...timings, concurrency: 8, pollIntervalMs: 50, signingKey: parseSigningSecret(secret),
    log: { ...quietLog, error: (o: object, m: string) => console.error(m, o), warn: (obj: object, m: string) => { givenUp.push(obj); if (!(obj as { event?: string }).event) console.error(m, obj) } },
    ...extra
  })
  await worker.start()
  t.teardown(() => worker.stop())
  return worker
}
await startWorker()

/** Desires a task with the callback and completes it (cancel completes a PENDING task, and Diego calls back for it too). */
async function complete (url: string, extra: Record<string, unknown> = {}) {
  const def = taskDefinition({ completion_callback_url: url, annotation: 'note', ...extra })
  t.equal((await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: def })).statusCode, 201)
  t.equal((await h.app.inject({ method: 'POST', url: `/v1/tasks/${def.guid}/cancel` })).statusCode, 200)
  return def.guid as string
}

async function gone (guid: string, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  while (await getTask(h.pool, guid)) {
    if (Date.now() > deadline) return false
    await new Promise(r => setTimeout(r, 20))
  }
  return true
}

for (const status of [200, 201, 302, 400, 404, 500]) {
  t.test(`a ${status} answer resolves the task and deletes it after exactly one attempt`, async t => {
    const rx = await startReceiver(t, [status])
    const guid = await complete(rx.url)
    await rx.waitFor(1)
    t.ok(await gone(guid), 'the task is deleted')
    await new Promise(r => setTimeout(r, timings.retryIntervalMs + 200))
    t.equal(rx.received.length, 1, 'no second attempt')
  })
}

t.test('the callback body is the TaskCallback JSON', async t => {
  const rx = await startReceiver(t, [200])
  const guid = await complete(rx.url)
  await rx.waitFor(1)
  const body = JSON.parse(rx.received[0].body)
  t.same(Object.keys(body).sort(), ['annotation', 'created_at', 'failed', 'failure_reason', 'result', 'task_guid'])
  t.match(body, { task_guid: guid, failed: true, failure_reason: 'task was cancelled', result: '', annotation: 'note' })
  t.ok(Date.parse(body.created_at))
  t.equal(rx.received[0].headers['content-type'], 'application/json')
})

t.test('while the callback is in flight the task is RESOLVING, so no client can claim it', async t => {
  const rx = await startReceiver(t, ['hang'])
  const guid = await complete(rx.url)
  await rx.waitFor(1)
  t.equal((await getTask(h.pool, guid))?.state, 'RESOLVING')
  t.equal((await h.app.inject({ method: 'POST', url: `/v1/tasks/${guid}/resolving` })).statusCode, 409)
})

t.test('503 then 200: exactly two attempts, the second at once', async t => {
  const rx = await startReceiver(t, [503, 200])
  const guid = await complete(rx.url)
  await rx.waitFor(2)
  t.ok(await gone(guid))
  t.equal(rx.received.length, 2)
  t.ok(rx.received[1].at - rx.received[0].at < timings.retryIntervalMs / 2, 'no wait before the retry')
})

t.test('504 ×4 then 200: four immediate attempts, then one after the retry interval', async t => {
  const rx = await startReceiver(t, [504, 504, 504, 504, 200])
  const guid = await complete(rx.url)
  await rx.waitFor(4)
  // The receiver has answered the fourth attempt; its record is committed a moment later.
  const attempts = async () => (await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/callbacks` })).json().delivery.attempts as Array<{ status: number, outcome: string }>
  const deadline = Date.now() + 2000
  let recorded = await attempts()
  while (recorded.length < 4 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 20))
    recorded = await attempts()
  }
  t.same(recorded.map(a => [a.status, a.outcome]),
    [[504, 'retry_now'], [504, 'retry_now'], [504, 'retry_now'], [504, 'retry_later']], 'every attempt is recorded')
  await rx.waitFor(5)
  t.ok(await gone(guid))
  const gaps = rx.received.slice(1).map((r, i) => r.at - rx.received[i].at)
  t.ok(gaps.slice(0, 3).every(g => g < timings.retryIntervalMs / 2), `first four back to back: ${gaps}`)
  t.ok(gaps[3] >= timings.retryIntervalMs - 50, `the fifth waited the retry interval: ${gaps[3]} ms`)
  t.equal(rx.received.length, 5)
})

t.test('a receiver that hangs past the timeout is retried after the interval and given up after the window', async t => {
  const rx = await startReceiver(t, ['hang'])
  const guid = await complete(rx.url)
  await rx.waitFor(2)
  t.ok(rx.received[1].at - rx.received[0].at >= timings.requestTimeoutMs + timings.retryIntervalMs - 100, 'a timeout waits the retry interval, no immediate retry')
  const status = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/callbacks` })
  t.match(status.json().delivery.attempts[0], { attempt: 1, outcome: 'retry_later', error: /timed out/ })
  t.ok(await gone(guid, timings.giveUpAfterMs + 3000), 'given up and deleted')
  t.ok(rx.received.length >= 3 && rx.received.length <= 5, `attempts until the window closed: ${rx.received.length}`)
  t.match(givenUp.find(g => (g as { guid: string }).guid === guid), { event: 'callback_given_up', reason: /timed out/ }, 'one structured log line per give-up')
})

t.test('a closed port is retried after the interval and given up after the window', async t => {
  const port = await closedPort()
  const guid = await complete(`http://127.0.0.1:${port}/cb`)
  await new Promise(r => setTimeout(r, 200))
  const status = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/callbacks` })
  t.match(status.json().delivery.attempts, [{ attempt: 1, outcome: 'retry_later', error: /ECONNREFUSED/ }])
  t.ok(await gone(guid, timings.giveUpAfterMs + 3000), 'given up and deleted')
  t.match(givenUp.find(g => (g as { guid: string }).guid === guid), { event: 'callback_given_up', reason: /ECONNREFUSED/ })
})

t.test('the signature verifies with the Standard Webhooks reference library', async t => {
  const rx = await startReceiver(t, [200])
  await complete(rx.url)
  await rx.waitFor(1)
  const { headers, body } = rx.received[0]
  t.match(headers['webhook-signature'], /^v1,/)
  const verified = new Webhook(secret).verify(body, {
    'webhook-id': headers['webhook-id'] as string,
    'webhook-timestamp': headers['webhook-timestamp'] as string,
    'webhook-signature': headers['webhook-signature'] as string
  })
  t.same(verified, JSON.parse(body))
  t.throws(() => new Webhook(secret).verify(body.replace('note', 'tampered'), {
    'webhook-id': headers['webhook-id'] as string,
    'webhook-timestamp': headers['webhook-timestamp'] as string,
    'webhook-signature': headers['webhook-signature'] as string
  }), 'a changed body does not verify')
})

t.test('retries keep the same webhook-id, so consumers can deduplicate', async t => {
  const rx = await startReceiver(t, [503, 200])
  await complete(rx.url)
  await rx.waitFor(2)
  t.equal(rx.received[0].headers['webhook-id'], rx.received[1].headers['webhook-id'])
})

t.test('a client that resolved the task first keeps it: no callback is sent', async t => {
  const rx = await startReceiver(t, [200])
  await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid: 'client-first', completion_callback_url: rx.url }) })
  // Complete and claim in one transaction, before the worker can act.
  await h.pool.query(`BEGIN; UPDATE tasks SET state = 'COMPLETED' WHERE guid = 'client-first'; UPDATE tasks SET state = 'RESOLVING' WHERE guid = 'client-first'; COMMIT`)
  await new Promise(r => setTimeout(r, 300))
  t.equal(rx.received.length, 0)
  t.equal((await getTask(h.pool, 'client-first'))?.state, 'RESOLVING', 'the client still holds it')
})
