import t from 'tap'
import { taskDefinition, testApp } from '../helpers/app.ts'

const { app } = await testApp(t)

t.test('POST /v1/tasks stores a PENDING task and answers 201 with it', async t => {
  const def = taskDefinition({ guid: 'desire-1', annotation: 'hello' })
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/tasks/desire-1')
  const task = res.json()
  t.match(task, { guid: 'desire-1', domain: 'test', state: 'PENDING', failed: false, cell_id: '', result: '', rejection_count: 0, annotation: 'hello' })
  t.ok(Date.parse(task.created_at))
  const got = await app.inject({ method: 'GET', url: '/v1/tasks/desire-1' })
  t.equal(got.statusCode, 200)
  t.same(got.json(), task)
})

t.test('a duplicate guid is 409 TASK_EXISTS and leaves the first task untouched', async t => {
  const def = taskDefinition({ guid: 'dup-1', annotation: 'first' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })).statusCode, 201)
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { ...def, annotation: 'second' } })
  t.equal(res.statusCode, 409)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { code: 'TASK_EXISTS', status: 409, type: 'urn:taskbbs:problem:TASK_EXISTS' })
  t.equal((await app.inject({ method: 'GET', url: '/v1/tasks/dup-1' })).json().annotation, 'first')
})

t.test('the image password is never returned', async t => {
  const def = taskDefinition({ guid: 'secret-1', image_username: 'me', image_password: 'hunter2-secret' })
  const created = await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })
  t.equal(created.statusCode, 201)
  t.notMatch(created.body, /hunter2-secret/)
  t.equal(created.json().image_username, 'me')
  for (const url of ['/v1/tasks/secret-1', '/v1/tasks?domain=test']) {
    t.notMatch((await app.inject({ method: 'GET', url })).body, /hunter2-secret/, url)
  }
})

t.test('GET of an unknown guid is 404 TASK_NOT_FOUND', async t => {
  const res = await app.inject({ method: 'GET', url: '/v1/tasks/nope' })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { code: 'TASK_NOT_FOUND', instance: '/v1/tasks/nope' })
})

t.test('a guid outside [a-zA-Z0-9_-] in a path is 422 naming guid', async t => {
  const res = await app.inject({ method: 'GET', url: '/v1/tasks/bad%20guid' })
  t.equal(res.statusCode, 422)
  t.match(res.json().errors, [{ field: 'params.guid' }])
})

t.test('lifecycle: cancel → COMPLETED failed "task was cancelled", resolving → RESOLVING, delete → gone', async t => {
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid: 'life-1' }) })
  const cancelled = await app.inject({ method: 'POST', url: '/v1/tasks/life-1/cancel' })
  t.equal(cancelled.statusCode, 200)
  t.match(cancelled.json(), { state: 'COMPLETED', failed: true, failure_reason: 'task was cancelled' })
  t.ok(cancelled.json().first_completed_at)
  const resolving = await app.inject({ method: 'POST', url: '/v1/tasks/life-1/resolving' })
  t.equal(resolving.statusCode, 200)
  t.equal(resolving.json().state, 'RESOLVING')
  const deleted = await app.inject({ method: 'DELETE', url: '/v1/tasks/life-1' })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  t.equal((await app.inject({ method: 'GET', url: '/v1/tasks/life-1' })).statusCode, 404)
})

t.test('illegal transitions are 409 INVALID_STATE_TRANSITION', async t => {
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid: 'illegal-1' }) })
  const cases: Array<[string, string, string]> = [
    ['POST', '/v1/tasks/illegal-1/resolving', 'a PENDING task cannot be resolved'],
    ['DELETE', '/v1/tasks/illegal-1', 'a PENDING task cannot be deleted']
  ]
  for (const [method, url, why] of cases) {
    const res = await app.inject({ method: method as 'POST', url })
    t.equal(res.statusCode, 409, why)
    t.equal(res.json().code, 'INVALID_STATE_TRANSITION', why)
  }
  await app.inject({ method: 'POST', url: '/v1/tasks/illegal-1/cancel' })
  const again = await app.inject({ method: 'POST', url: '/v1/tasks/illegal-1/cancel' })
  t.equal(again.statusCode, 409, 'a COMPLETED task cannot be cancelled')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/tasks/illegal-1' })).statusCode, 409, 'a COMPLETED task must be resolving before delete')
  await app.inject({ method: 'POST', url: '/v1/tasks/illegal-1/resolving' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/tasks/illegal-1/resolving' })).statusCode, 409, 'resolving twice: only one client claims it')
  t.equal((await app.inject({ method: 'POST', url: '/v1/tasks/illegal-1/cancel' })).statusCode, 409, 'a RESOLVING task cannot be cancelled')
})

t.test('transitions on an unknown guid are 404', async t => {
  for (const [method, url] of [['POST', '/v1/tasks/ghost/cancel'], ['POST', '/v1/tasks/ghost/resolving'], ['DELETE', '/v1/tasks/ghost']]) {
    t.equal((await app.inject({ method: method as 'POST', url })).json().code, 'TASK_NOT_FOUND', `${method} ${url}`)
  }
})

t.test('50 concurrent desires of one guid: exactly one 201 and 49 × 409', async t => {
  const def = taskDefinition({ guid: 'race-1' })
  const results = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: '/v1/tasks', payload: def })))
  const codes = results.map(r => r.statusCode)
  t.equal(codes.filter(c => c === 201).length, 1)
  t.equal(codes.filter(c => c === 409).length, 49)
})

t.test('unknown routes and methods are problem+json 404', async t => {
  const res = await app.inject({ method: 'GET', url: '/v2/nothing' })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { code: 'NOT_FOUND' })
})

t.test('health and readiness', async t => {
  t.same((await app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' })
  t.same((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' })
})
