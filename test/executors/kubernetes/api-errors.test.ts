/**
 * Which Kubernetes API failures are retried, how long the retries wait, and
 * how a Status body is read.
 */
import { ApiException } from '@kubernetes/client-node'
import t from 'tap'
import { apiFailure, isAlreadyExists, isQuotaRefusal, withRetry } from '../../../src/executors/kubernetes/api-errors.ts'

const status = (code: number, reason: string, message: string, headers: Record<string, string> = {}) =>
  new ApiException(code, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message }), headers)
const fetchFailed = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) })
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 20 }

function flaky (failures: unknown[], value = 'ok') {
  let calls = 0
  return { op: async () => { const f = failures[calls++]; if (f) throw f; return value }, calls: () => calls }
}

t.test('a Status body gives code, reason and message', async t => {
  t.same(apiFailure(status(409, 'AlreadyExists', 'pods "p" already exists')), { status: 409, reason: 'AlreadyExists', message: 'pods "p" already exists', retryAfterMs: undefined })
  t.ok(isAlreadyExists(status(409, 'AlreadyExists', 'x')))
  t.notOk(isAlreadyExists(status(409, 'Conflict', 'the object has been modified')))
  t.match(apiFailure(fetchFailed()), { status: undefined, message: 'fetch failed (ECONNREFUSED)' })
})

t.test('quota refusals are recognised by their message: exceeded, or not counted yet', async t => {
  t.ok(isQuotaRefusal(status(403, 'Forbidden', 'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1')))
  t.ok(isQuotaRefusal(status(403, 'Forbidden', 'pods "p" is forbidden: status unknown for quota: q, resources: pods')))
  t.notOk(isQuotaRefusal(status(403, 'Forbidden', 'pods "p" is forbidden: violates PodSecurity "baseline:latest"')))
})

t.test('429, 5xx and failed connections are retried until they pass', async t => {
  for (const failure of [status(429, 'TooManyRequests', 'slow down'), status(500, 'InternalError', 'etcd'), status(503, 'ServiceUnavailable', 'x'), fetchFailed()]) {
    const f = flaky([failure, failure])
    t.equal(await withRetry(f.op, fast), 'ok')
    t.equal(f.calls(), 3)
  }
})

t.test('answers are not retried: 403, 404, 409, 422 fail at once', async t => {
  for (const code of [403, 404, 409, 422]) {
    const f = flaky([status(code, 'X', 'no')])
    await t.rejects(withRetry(f.op, fast), { code })
    t.equal(f.calls(), 1, `HTTP ${code}`)
  }
})

t.test('retries stop after the configured attempts, with the last error', async t => {
  const f = flaky(Array(10).fill(status(503, 'ServiceUnavailable', 'down')))
  await t.rejects(withRetry(f.op, fast), { code: 503 })
  t.equal(f.calls(), 4)
})

t.test('a 429 waits as long as Retry-After says, capped by the maximum delay', async t => {
  const f = flaky([status(429, 'TooManyRequests', 'slow down', { 'retry-after': '1' })])
  const t0 = performance.now()
  await withRetry(f.op, { attempts: 3, baseDelayMs: 1, maxDelayMs: 150 })
  const waited = performance.now() - t0
  t.ok(waited >= 140 && waited < 1000, `waited ${Math.round(waited)} ms: Retry-After 1 s, capped at 150 ms`)
})
