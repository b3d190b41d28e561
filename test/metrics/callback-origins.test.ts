/**
 * Per-origin callback metrics: deliveries in flight and open breakers by
 * receiver origin host (from this replica's worker), deliveries waiting for a
 * retry after a failed attempt (from the outbox). The label is the host and
 * port only, and the set of labels is bounded.
 */
import t from 'tap'
import { CallbackWorker } from '../../src/callbacks/worker.ts'
import { MAX_ORIGIN_LABELS, originLabel } from '../../src/metrics/callback-origins.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { startCallbackReceiver } from '../helpers/fair-callbacks.ts'
import { parseExposition } from '../helpers/prometheus.ts'
import { quietLog } from '../helpers/scheduler.ts'

let worker: CallbackWorker | undefined
const h = await testApp(t, { callbacks: () => worker })
const scrape = async () => parseExposition((await h.app.inject({ method: 'GET', url: '/metrics' })).body).samples

t.test('the label is the origin\'s host and port: no scheme, user info, path or query', async t => {
  t.equal(originLabel('http://127.0.0.1:8080'), '127.0.0.1:8080')
  t.equal(originLabel('https://user:secret@hooks.example.com'), 'hooks.example.com')
  t.equal(originLabel('http://[::1]:9000'), '[::1]:9000')
})

t.test('a hanging receiver shows in flight, then with an open breaker and failing deliveries', async t => {
  const rx = await startCallbackReceiver(t)
  worker = new CallbackWorker({
    pool: h.pool, databaseUrl: h.url, workerId: 'metrics-worker', policy: { enforce: false, allow: [] },
    requestTimeoutMs: 400, retryIntervalMs: 5000, giveUpAfterMs: 30_000, concurrency: 8, pollIntervalMs: 50, log: quietLog
  })
  await worker.start()
  t.teardown(async () => { await worker?.stop(); worker = undefined })
  for (let i = 0; i < 6; i++) {
    const def = taskDefinition({ guid: `m-hang-${i}`, completion_callback_url: `${rx.base}/hang` })
    t.equal((await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: def })).statusCode, 201)
    t.equal((await h.app.inject({ method: 'POST', url: `/v1/tasks/${def.guid}/cancel` })).statusCode, 200)
  }
  const label = originLabel(rx.base)
  const deadline = Date.now() + 5000
  while (rx.hits.length < 1 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  let s = await scrape()
  t.ok((s.get(`taskbbs_callback_origin_in_flight{origin="${label}"}`) ?? 0) >= 1, 'in flight while the receiver hangs')
  t.equal(s.get(`taskbbs_callback_origin_circuit_open{origin="${label}"}`), 0, 'the breaker is closed before any timeout')
  while ((s.get(`taskbbs_callback_origin_circuit_open{origin="${label}"}`) ?? 0) === 0 && Date.now() < deadline + 5000) {
    await new Promise(resolve => setTimeout(resolve, 100))
    s = await scrape()
  }
  t.equal(s.get(`taskbbs_callback_origin_circuit_open{origin="${label}"}`), 1, 'open after the timeouts')
  t.ok((s.get(`taskbbs_callback_failing_deliveries{origin="${label}"}`) ?? 0) >= 3, `failing deliveries counted: ${s.get(`taskbbs_callback_failing_deliveries{origin="${label}"}`)}`)
  t.notOk([...s.keys()].some(k => k.includes('/hang')), 'no path in any label')
})

t.test('however many origins, at most the bound of labels', async t => {
  const fake = { fair: { originStates: () => Array.from({ length: 100 }, (_, i) => ({ origin: `http://10.0.0.${i}:80`, inFlight: i % 3, failures: 0, open: i % 2 === 0 })) } }
  worker = fake as unknown as CallbackWorker
  t.teardown(() => { worker = undefined })
  const s = await scrape()
  const inFlight = [...s.keys()].filter(k => k.startsWith('taskbbs_callback_origin_in_flight{'))
  t.equal(inFlight.length, MAX_ORIGIN_LABELS + 1, `${MAX_ORIGIN_LABELS} origins and "other"`)
  t.equal(inFlight.reduce((n, k) => n + (s.get(k) ?? 0), 0), Array.from({ length: 100 }, (_, i) => i % 3).reduce((a, b) => a + b, 0), 'nothing lost in the sum')
})
