/**
 * Rate limiting (TASKBBS_RATE_LIMIT_MAX per TASKBBS_RATE_LIMIT_WINDOW): each
 * bearer token has its own budget, so one client's burst does not starve
 * another behind the same address; with authentication off the budget is per
 * address. Over it: 429 RATE_LIMITED problem+json with Retry-After. Health,
 * readiness and documentation are never limited. Off by default.
 */
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { loadConfig } from '../../src/config/load.ts'
import { readTokens } from '../../src/config/tokens.ts'
import { testApp } from '../helpers/app.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const TOKEN_A = 'token-a-0123456789abcdef'
const TOKEN_B = 'token-b-0123456789abcdef'
const { grants } = readTokens(JSON.stringify([
  { name: 'a', token: TOKEN_A, domains: '*', role: 'write' },
  { name: 'b', token: TOKEN_B, domains: '*', role: 'write' }
]))

t.test('off unless configured', async t => {
  t.equal(loadConfig({}).TASKBBS_RATE_LIMIT_MAX, 0, 'TASKBBS_RATE_LIMIT_MAX defaults to 0: no limit')
  t.equal(loadConfig({ TASKBBS_RATE_LIMIT_MAX: '50', TASKBBS_RATE_LIMIT_WINDOW: '10' }).TASKBBS_RATE_LIMIT_WINDOW, 10)
  t.throws(() => loadConfig({ TASKBBS_RATE_LIMIT_MAX: '-1' }), /TASKBBS_RATE_LIMIT_MAX/)
})

t.test('each token has its own budget; over it, 429 RATE_LIMITED problem+json with Retry-After', async t => {
  const { app } = await testApp(t, { auth: new Authenticator(grants), rateLimit: { max: 5, windowMs: 60_000 } })
  const get = (token: string) => app.inject({ method: 'GET', url: '/v1/tasks', headers: { authorization: `Bearer ${token}` } })
  const a = []
  for (let i = 0; i < 8; i++) a.push(await get(TOKEN_A))
  t.same(a.map(r => r.statusCode), [200, 200, 200, 200, 200, 429, 429, 429], 'token a: 5 answered, then refused')
  const refused = a[5]
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(refused.json(), { status: 429, code: 'RATE_LIMITED', type: 'urn:taskbbs:problem:RATE_LIMITED', detail: /more than 5 requests in 60 s from this token; retry in/ })
  t.ok(Number(refused.headers['retry-after']) > 0, `Retry-After: ${refused.headers['retry-after']}`)
  t.equal(refused.headers['x-ratelimit-limit'], '5')
  t.equal(refused.headers['x-ratelimit-remaining'], '0')
  t.equal((await get(TOKEN_B)).statusCode, 200, 'token b, same address, is not affected')
  const desire = await app.inject({
    method: 'POST', url: '/v1/tasks', headers: { authorization: `Bearer ${TOKEN_A}` },
    payload: { guid: 'limited', domain: 'd', root_fs: 'preloaded:x', action: { run: { path: 'true', user: 'root' } } }
  })
  t.equal(desire.statusCode, 429, 'every non-public route counts, writes too')
  t.equal((await app.inject({ method: 'GET', url: '/v1/tasks/limited', headers: { authorization: `Bearer ${TOKEN_B}` } })).statusCode, 404, 'and the refused desire stored nothing')
  for (let i = 0; i < 20; i++) {
    const health = await app.inject({ method: 'GET', url: i % 2 ? '/healthz' : '/readyz' })
    if (health.statusCode !== 200) { t.fail(`public route refused: ${health.statusCode}`); break }
  }
  t.pass('health and readiness are never limited')
  t.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200, 'nor is the OpenAPI document')
  t.comment(`figures: token a: ${a.filter(r => r.statusCode === 200).length} answered, ${a.filter(r => r.statusCode === 429).length} refused 429; token b unaffected; 20 probes of public routes, 0 refused`)
})

t.test('with authentication off, the budget is per client address; it refills after the window', async t => {
  const { app } = await testApp(t, { rateLimit: { max: 3, windowMs: 1000 } })
  const from = (ip: string) => app.inject({ method: 'GET', url: '/v1/tasks', remoteAddress: ip })
  const one = []
  for (let i = 0; i < 4; i++) one.push((await from('10.9.9.1')).statusCode)
  t.same(one, [200, 200, 200, 429])
  t.equal((await from('10.9.9.2')).statusCode, 200, 'another address has its own budget')
  await new Promise(resolve => setTimeout(resolve, 1100))
  t.equal((await from('10.9.9.1')).statusCode, 200, 'after the window the first address is served again')
})

t.test('the 429 is documented on every route that can answer it, and only there', async t => {
  const { app } = await testApp(t)
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown>, security?: unknown[] }>> }
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const isPublic = Array.isArray(op.security) && op.security.length === 0
      t.equal('429' in op.responses, !isPublic, `${method.toUpperCase()} ${path}: ${isPublic ? 'public, no 429' : '429 documented'}`)
    }
  }
})

t.test('the server reads TASKBBS_RATE_LIMIT_MAX and TASKBBS_RATE_LIMIT_WINDOW', async t => {
  const db = await testDatabase(t)
  const server = await startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_RATE_LIMIT_MAX: '3', TASKBBS_RATE_LIMIT_WINDOW: '30' })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/v1/tasks?limit=1`)).status)
  t.same(statuses, [200, 200, 200, 429])
  t.equal(await server.stop(), 0)
})
