/**
 * Bearer-token authentication and domain scoping: every /v1 route needs a
 * token; a token's role bounds what it may do; and a token never sees nor
 * touches another domain's tasks (404 as if absent, never 403).
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { readTokens } from '../../src/config/tokens.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { SseClient, listen } from '../helpers/sse.ts'

const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  writerA: 'writer-a-token-0123456789',
  readerA: 'reader-a-token-0123456789',
  readerAB: 'reader-ab-token-0123456789',
  hashed: 'hashed-token-0123456789abcdef'
}
const { grants, problems } = readTokens(JSON.stringify([
  { name: 'ops', token: TOKENS.admin, domains: '*', role: 'admin' },
  { name: 'ci-a', token: TOKENS.writerA, domains: ['a'], role: 'write' },
  { name: 'dash-a', token: TOKENS.readerA, domains: ['a'], role: 'read' },
  { name: 'dash-ab', token: TOKENS.readerAB, domains: ['a', 'b'], role: 'read' },
  { name: 'hashed', sha256: createHash('sha256').update(TOKENS.hashed).digest('hex'), domains: ['a'], role: 'write' }
]))
if (problems.length) throw new Error(problems.join('; '))

const { app } = await testApp(t, { auth: new Authenticator(grants) })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
type Method = 'GET' | 'POST' | 'DELETE'

async function call (method: Method, url: string, token?: string, payload?: unknown) {
  return app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) })
}

// Every route, as the OpenAPI document lists them, with {guid} filled in.
const spec = app.swagger() as unknown as { paths: Record<string, Record<string, { security?: unknown[], responses: Record<string, unknown> }>> }
const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.keys(ops).filter(m => ['get', 'post', 'delete', 'put', 'patch'].includes(m)).map(m => ({ method: m.toUpperCase() as Method, path })))
const protectedRoutes = routes.filter(r => r.path.startsWith('/v1/') || r.path === '/metrics')
const guidRoutes = routes.filter(r => r.path.startsWith('/v1/tasks/{guid}'))

await call('POST', '/v1/tasks', TOKENS.admin, taskDefinition({ guid: 'in-a', domain: 'a' }))
await call('POST', '/v1/tasks', TOKENS.admin, taskDefinition({ guid: 'in-b', domain: 'b' }))

t.test('a request without a token is 401 UNAUTHORIZED with WWW-Authenticate: Bearer, on every /v1 route and /metrics', async t => {
  for (const r of protectedRoutes) {
    const res = await call(r.method, r.path.replace('{guid}', 'in-a'))
    t.equal(res.statusCode, 401, `${r.method} ${r.path}`)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="taskbbs"', `${r.method} ${r.path}`)
    t.match(res.json(), { code: 'UNAUTHORIZED', status: 401 })
  }
})

t.test('a wrong or malformed token is 401 with error="invalid_token"; a near miss is as wrong as any', async t => {
  for (const header of [`Bearer ${TOKENS.admin}x`, `Bearer ${TOKENS.admin.slice(0, -1)}Z`, 'Bearer nope', `Basic ${TOKENS.admin}`, 'Bearer']) {
    const res = await app.inject({ method: 'GET', url: '/v1/tasks', headers: { authorization: header } })
    t.equal(res.statusCode, 401, header.slice(0, 12))
    t.match(res.headers['www-authenticate'], /^Bearer realm="taskbbs", error="invalid_token"$/)
    t.equal(res.json().code, 'UNAUTHORIZED')
  }
})

t.test('a token given as its sha256 digest works like the token itself', async t => {
  t.equal((await call('GET', '/v1/tasks/in-a', TOKENS.hashed)).statusCode, 200)
})

t.test('/healthz, /readyz, /openapi.json and /docs need no token', async t => {
  for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
    const res = await app.inject({ method: 'GET', url })
    t.ok(res.statusCode < 400, `${url} → ${res.statusCode}`)
  }
})

t.test("another domain's guid is 404 TASK_NOT_FOUND on every /v1/tasks/{guid} route, exactly like a missing guid, and the task is untouched", async t => {
  t.ok(guidRoutes.length >= 5, `the guid routes are found: ${guidRoutes.map(r => `${r.method} ${r.path}`).join(', ')}`)
  for (const r of guidRoutes) {
    const other = await call(r.method, r.path.replace('{guid}', 'in-b'), TOKENS.writerA)
    const missing = await call(r.method, r.path.replace('{guid}', 'no-such-task'), TOKENS.writerA)
    t.equal(other.statusCode, 404, `${r.method} ${r.path}`)
    t.equal(other.json().code, 'TASK_NOT_FOUND', `${r.method} ${r.path}`)
    t.equal(other.json().detail.replace('in-b', 'X'), missing.json().detail.replace('no-such-task', 'X'), 'the same words as for a missing task')
  }
  const b = await call('GET', '/v1/tasks/in-b', TOKENS.admin)
  t.match(b.json(), { state: 'PENDING', failed: false }, 'the other domain\'s task is unchanged')
})

t.test('a token sees and changes its own domain\'s tasks', async t => {
  await call('POST', '/v1/tasks', TOKENS.writerA, taskDefinition({ guid: 'own-a', domain: 'a' }))
  t.equal((await call('GET', '/v1/tasks/own-a', TOKENS.readerA)).statusCode, 200)
  t.equal((await call('GET', '/v1/tasks/own-a/logs', TOKENS.readerA)).statusCode, 200)
  t.equal((await call('POST', '/v1/tasks/own-a/cancel', TOKENS.writerA)).statusCode, 200)
  t.equal((await call('POST', '/v1/tasks/own-a/resolving', TOKENS.writerA)).statusCode, 200)
  t.equal((await call('DELETE', '/v1/tasks/own-a', TOKENS.writerA)).statusCode, 204)
})

t.test('a read token that tries to write is 403 FORBIDDEN, even on its own domain, and nothing changes', async t => {
  const writes: Array<[Method, string, unknown?]> = [
    ['POST', '/v1/tasks', taskDefinition({ guid: 'by-reader', domain: 'a' })],
    ['POST', '/v1/tasks/in-a/cancel'],
    ['POST', '/v1/tasks/in-a/resolving'],
    ['DELETE', '/v1/tasks/in-a']
  ]
  for (const [method, url, payload] of writes) {
    const res = await call(method, url, TOKENS.readerA, payload)
    t.equal(res.statusCode, 403, `${method} ${url}`)
    t.equal(res.json().code, 'FORBIDDEN')
  }
  t.equal((await call('GET', '/v1/tasks/by-reader', TOKENS.admin)).statusCode, 404)
  t.equal((await call('GET', '/v1/tasks/in-a', TOKENS.admin)).json().state, 'PENDING')
})

t.test('desiring into a domain the token does not cover is 403 FORBIDDEN and stores nothing', async t => {
  const res = await call('POST', '/v1/tasks', TOKENS.writerA, taskDefinition({ guid: 'sneaky', domain: 'b' }))
  t.equal(res.statusCode, 403)
  t.match(res.json(), { code: 'FORBIDDEN', detail: /domain "b"/ })
  t.equal((await call('GET', '/v1/tasks/sneaky', TOKENS.admin)).statusCode, 404)
})

t.test('listing shows only the token\'s domains; asking for another domain gives an empty page', async t => {
  const domains = async (token: string, query = '') => (await call('GET', `/v1/tasks${query}`, token)).json().tasks.map((x: { domain: string }) => x.domain)
  t.same([...new Set(await domains(TOKENS.readerA))], ['a'])
  t.same(await domains(TOKENS.readerA, '?domain=b'), [])
  t.same([...new Set(await domains(TOKENS.readerAB))].sort(), ['a', 'b'])
  t.same(await domains(TOKENS.readerAB, '?domain=b'), ['b'])
  t.same([...new Set(await domains(TOKENS.admin))].sort(), ['a', 'b'])
})

t.test('events stream only the token\'s domains, whatever the domain filter asks', async t => {
  const base = await listen(app)
  const mine = await SseClient.open(base, '/v1/events', bearer(TOKENS.readerA))
  const asksOther = await SseClient.open(base, '/v1/events?domain=b', bearer(TOKENS.readerA))
  const all = await SseClient.open(base, '/v1/events', bearer(TOKENS.admin))
  const anonymous = await SseClient.open(base, '/v1/events')
  t.teardown(() => { for (const c of [mine, asksOther, all, anonymous]) c.close() })
  t.equal(anonymous.status, 401)
  await call('POST', '/v1/tasks', TOKENS.admin, taskDefinition({ guid: 'ev-b', domain: 'b' }))
  await call('POST', '/v1/tasks', TOKENS.admin, taskDefinition({ guid: 'ev-a', domain: 'a' }))
  await all.waitFor(2)
  await mine.waitFor(1)
  await new Promise(resolve => setTimeout(resolve, 100))
  t.same(all.events().map(e => e.guid), ['ev-b', 'ev-a'])
  t.same(mine.events().map(e => e.guid), ['ev-a'])
  t.same(asksOther.events(), [])
})

t.test('/metrics needs an admin token', async t => {
  t.equal((await call('GET', '/metrics', TOKENS.admin)).statusCode, 200)
  const res = await call('GET', '/metrics', TOKENS.writerA)
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'FORBIDDEN')
})

t.test('the OpenAPI document declares the bearer scheme, applies it to every /v1 route and lifts it from health checks', async t => {
  const doc = app.swagger() as unknown as { components: { securitySchemes: Record<string, unknown> }, security: unknown[], paths: typeof spec.paths }
  t.match(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' })
  t.same(doc.security, [{ bearer: [] }])
  t.same(doc.paths['/healthz'].get.security, [])
  t.same(doc.paths['/readyz'].get.security, [])
  for (const r of protectedRoutes) {
    const op = doc.paths[r.path][r.method.toLowerCase()]
    t.notOk(op.security, `${r.method} ${r.path} uses the global security`)
    t.ok(op.responses['401'], `${r.method} ${r.path} documents 401`)
  }
  t.ok(doc.paths['/v1/tasks'].post.responses['403'], 'desire documents 403')
})

t.test('without an authenticator (development) every route is open', async t => {
  const { app: open } = await testApp(t)
  t.equal((await open.inject({ method: 'GET', url: '/v1/tasks' })).statusCode, 200)
  t.equal((await open.inject({ method: 'GET', url: '/metrics' })).statusCode, 200)
})
