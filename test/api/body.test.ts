/**
 * The request body: only JSON is read, strictly. What JSON.parse would let
 * through (duplicate keys, prototype keys, unbounded nesting) is a 400, a body
 * of another type a 415, an oversized one a 413; each a problem+json answer,
 * and none of them stores anything.
 */
import t, { type Test } from 'tap'
import { taskDefinition, testApp } from '../helpers/app.ts'

const BODY_LIMIT = 1 << 20
const { app } = await testApp(t, { bodyLimit: BODY_LIMIT })

const valid = () => JSON.stringify(taskDefinition({ guid: 'body-ok' }))

async function post (payload: string | Buffer, contentType = 'application/json') {
  return app.inject({ method: 'POST', url: '/v1/tasks', payload, headers: { 'content-type': contentType } })
}

async function problem (t: Test, res: Awaited<ReturnType<typeof post>>, status: number, code: string, why: string) {
  t.equal(res.statusCode, status, `${status} for ${why}`)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `problem+json for ${why}`)
  const body = res.json()
  t.match(body, { status, code, type: `urn:taskbbs:problem:${code}`, instance: '/v1/tasks' }, `${code} for ${why}`)
  t.ok(typeof body.detail === 'string' && body.detail.length > 0, `a detail for ${why}`)
  return body
}

/** Every body in this file must be refused, so the store stays empty. */
async function nothingStored (t: Test) {
  const res = await app.inject({ method: 'GET', url: '/v1/tasks?limit=1000' })
  t.same((res.json() as { tasks: unknown[] }).tasks, [], 'nothing was stored')
}

t.test('a body that is not valid JSON is 400 BAD_REQUEST', async t => {
  for (const text of ['{', '{"guid": }', "{'guid': 'x'}", '{"guid": "x",}', 'nul', '{"a": 1} trailing', '\u0000', '{"a": "\\x"}', '[1, 2']) {
    await problem(t, await post(text), 400, 'BAD_REQUEST', JSON.stringify(text))
  }
  await nothingStored(t)
})

t.test('a JSON body that is not an object is 422 naming the body', async t => {
  for (const text of ['null', '[]', '"task"', '42', 'true']) {
    const body = await problem(t, await post(text), 422, 'VALIDATION_FAILED', text)
    t.same(body.errors.map((e: { field: string }) => e.field), ['(body)'], text)
  }
  await nothingStored(t)
})

t.test('a body of another media type is 415 UNSUPPORTED_MEDIA_TYPE', async t => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx']) {
    const payload = type.startsWith('application/x-www') ? 'guid=x&domain=y' : valid()
    await problem(t, await post(payload, type), 415, 'UNSUPPORTED_MEDIA_TYPE', type)
  }
  await nothingStored(t)
})

t.test('application/json with a charset parameter is JSON', async t => {
  const res = await post(JSON.stringify(taskDefinition({ guid: 'charset-ok', bogus: 1 })), 'application/json; charset=utf-8')
  t.equal(res.statusCode, 422, 'read and validated, not refused for its type')
  await nothingStored(t)
})

t.test('a body over the limit is 413 PAYLOAD_TOO_LARGE', async t => {
  const big = JSON.stringify(taskDefinition({ guid: 'too-big', annotation: 'a'.repeat(BODY_LIMIT) }))
  await problem(t, await post(big), 413, 'PAYLOAD_TOO_LARGE', `${big.length} bytes`)
  await nothingStored(t)
})

t.test('duplicate keys are 400, at any depth and however the key is escaped', async t => {
  const cases = [
    '{"guid": "dup-a", "guid": "dup-b", "domain": "d", "root_fs": "preloaded:x", "action": {"run": {"path": "p", "user": "u"}}}',
    '{"guid": "dup-c", "domain": "d", "root_fs": "preloaded:x", "action": {"run": {"path": "p", "user": "u", "user": "root"}}}',
    '{"guid": "dup-d", "domain": "d", "root_fs": "preloaded:x", "action": {"run": {"path": "p", "user": "u"}}, "\\u0067uid": "dup-e"}',
    '{"guid": "dup-f", "domain": "d", "root_fs": "preloaded:x", "env": [{"name": "A", "value": "1", "value": "2"}], "action": {"run": {"path": "p", "user": "u"}}}'
  ]
  for (const text of cases) {
    const body = await problem(t, await post(text), 400, 'BAD_REQUEST', text)
    t.match(body.detail, /duplicate key/)
  }
  await nothingStored(t)
})

t.test('the same key in sibling objects is not a duplicate', async t => {
  const text = JSON.stringify(taskDefinition({ guid: 'siblings', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], bogus: 1 }))
  t.equal((await post(text)).statusCode, 422, 'parsed, then refused only for the unknown field')
  await nothingStored(t)
})

t.test('__proto__, constructor and prototype keys are 400, at any depth', async t => {
  const base = JSON.parse(valid()) as Record<string, unknown>
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const top = JSON.stringify(base).replace(/^\{/, `{"${key}": {"polluted": true}, `)
    await problem(t, await post(top), 400, 'BAD_REQUEST', `top-level ${key}`)
    const nested = JSON.stringify(base).replace('"run":{', `"run":{"${key}": {"polluted": true}, `)
    await problem(t, await post(nested), 400, 'BAD_REQUEST', `nested ${key}`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
  await nothingStored(t)
})

t.test('a 10,000-deep body is 400 and the server keeps answering', async t => {
  const deepArray = '['.repeat(10000) + ']'.repeat(10000)
  await problem(t, await post(deepArray), 400, 'BAD_REQUEST', '10,000 nested arrays')
  const deepObject = '{"a":'.repeat(10000) + '1' + '}'.repeat(10000)
  await problem(t, await post(deepObject), 400, 'BAD_REQUEST', '10,000 nested objects')
  const deepAction = JSON.stringify(taskDefinition({ guid: 'deep-action' })).replace(/\{"run":\{[^}]*\}\}/, '{"try":{"action":'.repeat(10000) + '{"run":{"path":"p","user":"u"}}' + '}}'.repeat(10000))
  await problem(t, await post(deepAction), 400, 'BAD_REQUEST', '10,000 nested try actions')
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(health.statusCode, 200, 'still answering')
  await nothingStored(t)
})

t.test('an empty or missing body is 422 naming the body', async t => {
  const empty = await problem(t, await post(''), 422, 'VALIDATION_FAILED', 'an empty JSON body')
  t.same(empty.errors.map((e: { field: string }) => e.field), ['(body)'])
  const none = await app.inject({ method: 'POST', url: '/v1/tasks' })
  const missing = await problem(t, none, 422, 'VALIDATION_FAILED', 'no body at all')
  t.same(missing.errors.map((e: { field: string }) => e.field), ['(body)'])
  await nothingStored(t)
})
