/**
 * Fair callback delivery: a receiver that never answers cannot hold up the
 * callbacks of another. 200 completions whose callbacks hang, then 50 to a
 * receiver that answers at once, on another port and on the same host:port
 * (another path). Before, the healthy callbacks waited behind every hanging
 * attempt ahead of them: ceil(200 / 32) callback timeouts. The rule checked
 * here is that structure: every healthy callback arrives before a single
 * hanging attempt could have timed out, and the hanging destination's breaker
 * opens while the healthy origin's stays closed. Latency against the figure
 * with nothing hanging (p99 within 2×) is a performance figure, measured as a
 * ratio in the same run by `npm run bench -- --only callback-fairness`
 * (BENCHMARKS.md); it is printed here too. Real loopback receivers, real
 * PostgreSQL, the production default of 32 slots.
 */
import t, { type Test } from 'tap'
import type { CallbackWorker, CallbackWorkerOptions } from '../../src/callbacks/worker.ts'
import { testDatabase } from '../helpers/database.ts'
import { fairnessRound, percentile, startCallbackReceiver } from '../helpers/fair-callbacks.ts'
import { quietLog } from '../helpers/scheduler.ts'

const db = await testDatabase(t)
const HANGING = 200
const HEALTHY = 50
const worker: Omit<CallbackWorkerOptions, 'pool' | 'databaseUrl' | 'workerId'> = {
  policy: { enforce: false, allow: [] }, requestTimeoutMs: 5000, retryIntervalMs: 3000, giveUpAfterMs: 30_000,
  concurrency: 32, pollIntervalMs: 200, log: quietLog
}
const figures = (l: number[]) => `p50 ${percentile(l, 50)} ms, p99 ${percentile(l, 99)} ms`

const healthy = await startCallbackReceiver(t)
const hanging = await startCallbackReceiver(t)

// After the healthy callbacks are in, the worker runs on until the hanging
// destination's first attempts timed out and its breaker opened.
const untilOpen = (hangUrl: string) => async (w: CallbackWorker) => {
  const deadline = Date.now() + worker.requestTimeoutMs * 2 + 5000
  while (w.fair.destinationHealth(hangUrl) !== 'open' && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
}

const round = (prefix: string, hangingCount: number, hangUrl: string, healthyUrl: string) => fairnessRound({
  pool: db.pool, databaseUrl: db.url, hanging: hangingCount, hangUrl, healthy: HEALTHY, healthyUrl, healthyHits: healthy.hits,
  worker, deadlineMs: 60_000, prefix, keepRunning: hangingCount ? untilOpen(hangUrl) : undefined
})

// A first round warms connections and prepared statements, so that the baseline is not the cold start.
await round('warm', 0, `${hanging.base}/hang`, `${healthy.base}/ok`)

// Twice, in alternating order (base, cross, same; then same, cross, base).
const REPEATS = 2
const runs = { base: [] as number[][], cross: [] as number[][], same: [] as number[][] }
const p99s = (rounds: number[][]) => rounds.map(l => percentile(l, 99))
const pooledP99 = (rounds: number[][]) => percentile(rounds.flat(), 99)

const measure = {
  async base (t: Test, i: number) {
    const r = await round(`base${i}`, 0, `${hanging.base}/hang`, `${healthy.base}/ok`)
    t.equal(r.missing, 0, 'no hanging receiver: every healthy callback arrived')
    t.comment(`figures: no hanging receiver: ${figures(r.latencies)}`)
    runs.base.push(r.latencies)
  },
  async cross (t: Test, i: number) {
    const r = await round(`cross${i}`, HANGING, `${hanging.base}/hang`, `${healthy.base}/ok`)
    t.comment(`figures: hanging receiver on another port: ${figures(r.latencies)}; it got ${hanging.hits.filter(h => h.guid.startsWith(`cross${i}-`)).length} requests meanwhile`)
    t.equal(r.missing, 0, 'another port: every healthy callback arrived')
    runs.cross.push(r.latencies)
    t.equal(r.worker.fair.destinationHealth(`${hanging.base}/hang`), 'open', 'the hanging destination\'s breaker opened')
    t.match(r.worker.fair.originStates().find(s => s.origin === healthy.base), { open: false, failures: 0 }, 'the healthy origin\'s stayed closed')
  },
  async same (t: Test, i: number) {
    const r = await round(`same${i}`, HANGING, `${healthy.base}/hang`, `${healthy.base}/ok`)
    t.comment(`figures: hanging path on the same origin: ${figures(r.latencies)}; it got ${healthy.hits.filter(h => h.guid.startsWith(`same${i}-hang`)).length} requests meanwhile`)
    t.equal(r.missing, 0, 'same origin: every healthy callback arrived')
    runs.same.push(r.latencies)
    t.equal(r.worker.fair.destinationHealth(`${healthy.base}/hang`), 'open', 'the hanging path\'s breaker opened')
    t.equal(r.worker.fair.originHealth(healthy.base), 'healthy', 'the origin stayed healthy: its other path answers')
  }
}

for (let i = 1; i <= REPEATS; i++) {
  const order = i % 2 === 1 ? (['base', 'cross', 'same'] as const) : (['same', 'cross', 'base'] as const)
  t.test(`round ${i}: ${order.join(', ')} (base: no hanging receiver; cross: 200 hanging callbacks on another port; same: on another path of the same host:port)`, async t => {
    for (const m of order) await measure[m](t, i)
  })
}

t.test('every healthy callback arrived before any hanging attempt could time out', async t => {
  for (const [name, rounds] of [['another port', runs.cross], ['same origin', runs.same]] as const) {
    const worst = Math.max(...rounds.flat())
    t.ok(worst < worker.requestTimeoutMs, `${name}: the slowest of ${rounds.flat().length} took ${worst} ms, under the ${worker.requestTimeoutMs} ms timeout`)
  }
})

t.test('figures: the healthy receiver\'s latency with and without 200 hanging callbacks', async t => {
  t.comment(`figures: p99 per round: no hanging ${p99s(runs.base).join(', ')} ms; another port ${p99s(runs.cross).join(', ')} ms; same origin ${p99s(runs.same).join(', ')} ms`)
  t.comment(`figures: p99 of all rounds: no hanging ${pooledP99(runs.base)} ms; another port ${pooledP99(runs.cross)} ms; same origin ${pooledP99(runs.same)} ms`)
  t.equal(runs.cross.length + runs.same.length + runs.base.length, 3 * REPEATS, 'every round ran')
})

t.test('behind an open breaker Diego\'s rules still hold: one request in flight per task, the retry interval, given up after the window', async t => {
  const timings = { requestTimeoutMs: 300, retryIntervalMs: 600, giveUpAfterMs: 2500 }
  const givenUp: Array<{ guid: string, reason: string, attempts: number }> = []
  const log = { ...quietLog, warn: (o: object) => { if ((o as { event?: string }).event === 'callback_given_up') givenUp.push(o as never) } }
  const rx = await startCallbackReceiver(t)
  const r = fairnessRound({
    pool: db.pool, databaseUrl: db.url, hanging: 40, hangUrl: `${rx.base}/hang`, healthy: 0, healthyUrl: `${rx.base}/ok`, healthyHits: rx.hits,
    worker: { ...worker, ...timings, log }, deadlineMs: 0, prefix: 'rules', keepRunning: async () => {
      const deadline = Date.now() + timings.giveUpAfterMs + 5000
      while (givenUp.length < 40 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    }
  })
  await r
  const left = (await db.pool.query("SELECT count(*)::int AS n FROM tasks WHERE guid LIKE 'rules-%'")).rows[0].n
  const hits = new Map<string, number[]>()
  for (const h of rx.hits) hits.set(h.guid, [...(hits.get(h.guid) ?? []), h.at])
  const tooSoon = [...hits].flatMap(([guid, at]) => at.slice(1).map((a, i) => a - at[i]).filter(gap => gap < timings.requestTimeoutMs + timings.retryIntervalMs - 100).map(gap => `${guid}: ${gap} ms`))
  const unsent = givenUp.filter(g => /circuit open/.test(g.reason))
  t.comment(`figures: 40 hanging callbacks, ${rx.hits.length} requests, ${givenUp.length} given up (${unsent.length} without another request, ${unsent.filter(g => g.attempts === 0).length} never attempted)`)
  t.equal(givenUp.length, 40, 'every delivery was given up within the window and a bound')
  t.equal(new Set(givenUp.map(g => g.guid)).size, 40, 'each once')
  t.equal(left, 0, 'and its task deleted')
  t.same(tooSoon, [], 'no task had a second request before its first timed out and the retry interval passed')
  t.ok(rx.hits.length < 40, `the open breaker kept requests few: ${rx.hits.length}`)
})
