/**
 * TES routes behind bearer tokens: every route needs a token; a read token
 * cannot create or cancel; the domain of a TES task comes from the token or
 * the `taskbbs.domain` tag; a token never sees another domain's TES tasks.
 */
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { readTokens } from '../../src/config/tokens.ts'
import { getTask } from '../../src/store/tasks.ts'
import { testApp } from '../helpers/app.ts'

const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  writerA: 'writer-a-token-0123456789',
  writerAB: 'writer-ab-token-0123456789',
  writerB: 'writer-b-token-0123456789',
  readerA: 'reader-a-token-0123456789'
}
const { grants, problems } = readTokens(JSON.stringify([
  { name: 'ops', token: TOKENS.admin, domains: '*', role: 'admin' },
  { name: 'ci-a', token: TOKENS.writerA, domains: ['a'], role: 'write' },
  { name: 'ci-ab', token: TOKENS.writerAB, domains: ['a', 'b'], role: 'write' },
  { name: 'ci-b', token: TOKENS.writerB, domains: ['b'], role: 'write' },
  { name: 'dash-a', token: TOKENS.readerA, domains: ['a'], role: 'read' }
]))
if (problems.length) throw new Error(problems.join('; '))

const h = await testApp(t, { auth: new Authenticator(grants) })
const TES = '/ga4gh/tes/v1'
const task = (tags?: Record<string, string>) => ({ ...(tags ? { tags } : {}), executors: [{ image: 'busybox', command: ['true'] }] })
async function call (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown) {
  return h.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(payload ? { payload: payload as object } : {}) })
}
async function create (token: string, tags?: Record<string, string>) {
  const res = await call('POST', `${TES}/tasks`, token, task(tags))
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
  return res.json().id as string
}

t.test('every TES route needs a token: 401 with WWW-Authenticate: Bearer', async t => {
  for (const [method, url] of [['GET', `${TES}/service-info`], ['GET', `${TES}/tasks`], ['POST', `${TES}/tasks`], ['GET', `${TES}/tasks/x`], ['POST', `${TES}/tasks/x:cancel`]] as const) {
    const res = await call(method, url, undefined, method === 'POST' ? task() : undefined)
    t.equal(res.statusCode, 401, `${method} ${url}`)
    t.match(res.headers['www-authenticate'], /^Bearer/)
    t.equal((await call(method, url, 'not-a-valid-token-at-all', method === 'POST' ? task() : undefined)).statusCode, 401)
  }
})

t.test("a task's domain: the token's only domain, else the taskbbs.domain tag, else 400 for a token of several domains; tes for a token of every domain", async t => {
  t.equal((await getTask(h.pool, await create(TOKENS.writerA)))?.domain, 'a')
  t.equal((await getTask(h.pool, await create(TOKENS.writerAB, { 'taskbbs.domain': 'b' })))?.domain, 'b')
  t.equal((await getTask(h.pool, await create(TOKENS.admin)))?.domain, 'tes')
  t.equal((await getTask(h.pool, await create(TOKENS.admin, { 'taskbbs.domain': 'b' })))?.domain, 'b')
  const several = await call('POST', `${TES}/tasks`, TOKENS.writerAB, task())
  t.equal(several.statusCode, 400)
  t.match(several.json(), { code: 'BAD_REQUEST', errors: [{ field: 'tags.taskbbs.domain', message: /several domains \(a, b\)/ }] })
  const outside = await call('POST', `${TES}/tasks`, TOKENS.writerA, task({ 'taskbbs.domain': 'b' }))
  t.equal(outside.statusCode, 403, 'a tag naming a domain the token does not cover is forbidden')
  t.match(outside.json(), { code: 'FORBIDDEN' })
  const empty = await call('POST', `${TES}/tasks`, TOKENS.admin, task({ 'taskbbs.domain': '' }))
  t.equal(empty.statusCode, 400)
})

t.test('a read token may list and get, not create or cancel', async t => {
  const id = await create(TOKENS.writerA)
  t.equal((await call('GET', `${TES}/tasks/${id}`, TOKENS.readerA)).statusCode, 200)
  t.equal((await call('GET', `${TES}/tasks`, TOKENS.readerA)).statusCode, 200)
  t.equal((await call('POST', `${TES}/tasks`, TOKENS.readerA, task())).statusCode, 403)
  t.equal((await call('POST', `${TES}/tasks/${id}:cancel`, TOKENS.readerA)).statusCode, 403)
})

t.test("another domain's TES task is absent: 404 on get and cancel, left out of lists, and not cancelled", async t => {
  const inB = await create(TOKENS.writerB)
  const get = await call('GET', `${TES}/tasks/${inB}?view=FULL`, TOKENS.writerA)
  t.equal(get.statusCode, 404)
  t.match(get.json(), { code: 'TASK_NOT_FOUND' })
  t.equal((await call('POST', `${TES}/tasks/${inB}:cancel`, TOKENS.writerA)).statusCode, 404)
  t.equal((await getTask(h.pool, inB))?.state, 'PENDING', 'the cancel did not reach it')
  const listed = (await call('GET', `${TES}/tasks?page_size=2047`, TOKENS.writerA)).json().tasks.map((x: { id: string }) => x.id)
  t.notOk(listed.includes(inB))
  t.ok(listed.length > 0)
  const all = (await call('GET', `${TES}/tasks?page_size=2047`, TOKENS.admin)).json().tasks.map((x: { id: string }) => x.id)
  t.ok(all.includes(inB), 'a token of every domain sees it')
  t.equal((await call('POST', `${TES}/tasks/${inB}:cancel`, TOKENS.writerB)).statusCode, 200)
  t.equal((await getTask(h.pool, inB))?.failure_reason, 'task was cancelled')
})
