/**
 * FairShare, the rules that share callback slots between receivers: how many
 * deliveries an origin and a destination may have in flight, by what is known
 * of them (unknown, healthy, open breaker), and which due deliveries a claim
 * starts first.
 */
import t from 'tap'
import { FairShare } from '../../src/callbacks/fairness.ts'

const A = 'http://a.example:80'
const B = 'http://b.example:80'
const cand = (origin: string, path: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: `${origin}${path}#${from + i}`, origin, destination: `${origin}${path}` }))

function fill (f: FairShare, origin: string, destination: string, n: number) {
  for (let i = 0; i < n; i++) f.start(origin, destination)
}

t.test('defaults derive from the slots: a quarter for an unknown origin, half that per destination, three quarters once it answers', async t => {
  const f = new FairShare({ concurrency: 32 })
  t.equal(f.originSlots, 8)
  t.equal(f.destinationSlots, 4)
  t.equal(f.healthySlots, 24)
  t.equal(f.breakerThreshold, 3)
  t.equal(f.freeFor(A, `${A}/x`), 4, 'a new destination of a new origin: 4')
  const tiny = new FairShare({ concurrency: 1 })
  t.equal(tiny.freeFor(A, `${A}/x`), 1, 'one slot still lets every receiver have one')
})

t.test('an unknown origin holds at most its share, so a first-seen receiver cannot take every slot', async t => {
  const f = new FairShare({ concurrency: 32 })
  t.equal(f.pick(cand(A, '/x', 100), 32).length, 4, 'one path: the destination share')
  const g = new FairShare({ concurrency: 32 })
  const spread = Array.from({ length: 100 }, (_, i) => cand(A, `/t${i}`, 1)[0])
  t.equal(g.pick(spread, 32).length, 8, 'a path per task: the origin share')
})

t.test('an origin that answers gets three quarters of the slots; a quarter stays for the others', async t => {
  const f = new FairShare({ concurrency: 32 })
  f.start(A, `${A}/x`)
  f.record(A, `${A}/x`, 'answer')
  f.end(A, `${A}/x`)
  t.equal(f.originHealth(A), 'healthy')
  t.equal(f.pick(cand(A, '/x', 100), 32).length, 24)
})

t.test('claims rotate over origins: the oldest of each origin before the second-oldest of any', async t => {
  const f = new FairShare({ concurrency: 32 })
  const picked = f.pick([...cand(A, '/x', 10), ...cand(B, '/y', 3)], 6)
  t.same(picked.map(c => c.origin), [A, B, A, B, A, B])
  t.same(picked.filter(c => c.origin === A).map(c => c.id), cand(A, '/x', 3).map(c => c.id), 'oldest first within an origin')
})

t.test('a destination with no free slot does not block its origin\'s other destinations', async t => {
  const f = new FairShare({ concurrency: 32 })
  fill(f, A, `${A}/hang`, 4)
  const picked = f.pick([...cand(A, '/hang', 50), ...cand(A, '/ok', 3)], 8)
  t.same(picked.map(c => c.destination), [`${A}/ok`, `${A}/ok`, `${A}/ok`])
  t.same(f.full(), { origins: [], destinations: [`${A}/hang`], open: [] }, 'the full destination is named for the claim to skip')
})

t.test('timeouts in a row open a destination\'s breaker: one probe at a time until it answers', async t => {
  const f = new FairShare({ concurrency: 32 })
  const d = `${A}/hang`
  fill(f, A, d, 3)
  for (let i = 0; i < 2; i++) f.record(A, d, 'failure')
  t.equal(f.destinationHealth(d), 'unknown', 'two failures: not yet')
  f.record(A, d, 'failure')
  t.equal(f.destinationHealth(d), 'open', 'three in a row: open')
  for (let i = 0; i < 3; i++) f.end(A, d)
  t.equal(f.pick(cand(A, '/hang', 10), 32).length, 1, 'one probe')
  f.start(A, d)
  t.equal(f.pick(cand(A, '/hang', 10), 32).length, 0, 'and no more while it is in flight')
  t.ok(f.full().open.includes(d))
  f.record(A, d, 'answer')
  f.end(A, d)
  t.equal(f.destinationHealth(d), 'healthy', 'the probe answered: closed')
  t.equal(f.pick(cand(A, '/hang', 100), 32).length, 24, 'and, the origin having answered too, the healthy share')
})

t.test('any HTTP answer closes a breaker and resets the count: a 503 is an answer, only timeouts and connection errors count', async t => {
  const f = new FairShare({ concurrency: 32 })
  const d = `${A}/x`
  f.record(A, d, 'failure')
  f.record(A, d, 'failure')
  f.record(A, d, 'answer')
  f.record(A, d, 'failure')
  f.record(A, d, 'failure')
  t.equal(f.destinationHealth(d), 'healthy', 'never three in a row')
})

t.test('an origin opens when several of its destinations fail with no answer in between, not when one path hangs', async t => {
  const f = new FairShare({ concurrency: 32 })
  for (let i = 0; i < 10; i++) f.record(A, `${A}/hang`, 'failure')
  t.equal(f.destinationHealth(`${A}/hang`), 'open')
  t.not(f.originHealth(A), 'open', 'one hanging path does not cut off the host')
  f.record(B, `${B}/t1`, 'failure')
  f.record(B, `${B}/t2`, 'failure')
  t.not(f.originHealth(B), 'open')
  f.record(B, `${B}/t3`, 'failure')
  t.equal(f.originHealth(B), 'open', 'three paths of one host failed: the host is open')
  t.equal(f.pick(Array.from({ length: 20 }, (_, i) => cand(B, `/n${i}`, 1)[0]), 32).length, 1, 'one probe for the whole origin')
  f.record(B, `${B}/t9`, 'answer')
  t.equal(f.originHealth(B), 'healthy', 'an answer from any path closes it')
  t.same(f.originStates().find(s => s.origin === B), { origin: B, inFlight: 0, failures: 0, open: false })
})

t.test('slots are counted until the delivery ends, and never below zero', async t => {
  const f = new FairShare({ concurrency: 8 })
  fill(f, A, `${A}/x`, 1)
  t.same(f.originStates(), [{ origin: A, inFlight: 1, failures: 0, open: false }])
  f.end(A, `${A}/x`)
  f.end(A, `${A}/x`)
  t.same(f.originStates(), [{ origin: A, inFlight: 0, failures: 0, open: false }])
})

t.test('idle keys are forgotten, failing ones kept longer, so that a path per task does not grow memory without end', async t => {
  const f = new FairShare({ concurrency: 8, forgetAfterMs: 20, forgetFailingAfterMs: 60_000 })
  for (let i = 0; i < 100; i++) {
    f.start(A, `${A}/task-${i}`)
    f.record(A, `${A}/task-${i}`, 'answer')
    f.end(A, `${A}/task-${i}`)
  }
  f.start(B, `${B}/x`)
  f.record(B, `${B}/x`, 'failure')
  f.end(B, `${B}/x`)
  t.equal(f.size, 103)
  await new Promise(resolve => setTimeout(resolve, 50))
  f.start(A, `${A}/new`)
  f.end(A, `${A}/new`)
  t.same(f.originStates().map(s => s.origin).sort(), [A, B], 'A is back (just used), B kept (failing)')
  t.equal(f.size, 4, 'A, its newest path, B and its failing path')
  t.same(f.full(), { origins: [], destinations: [], open: [] })
})

t.test('full and open keys follow every change', async t => {
  const f = new FairShare({ concurrency: 32 })
  fill(f, A, `${A}/x`, 4)
  t.same(f.full(), { origins: [], destinations: [`${A}/x`], open: [] })
  f.record(A, `${A}/x`, 'answer')
  t.same(f.full(), { origins: [], destinations: [], open: [] }, 'an answer raises the share: no longer full')
  for (let i = 0; i < 3; i++) f.record(A, `${A}/x`, 'failure')
  t.same(f.full(), { origins: [], destinations: [`${A}/x`], open: [`${A}/x`] }, 'open, and 4 in flight is over its one slot')
  for (let i = 0; i < 4; i++) f.end(A, `${A}/x`)
  t.same(f.full(), { origins: [], destinations: [], open: [`${A}/x`] }, 'nothing in flight: a probe may start')
})
