/**
 * /metrics keeps tenants apart: an admin token limited to some domains reads
 * only series labelled with one of its domains (tasks by state); the rest,
 * which is about every tenant at once, only a token of every domain reads.
 */
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { readTokens } from '../../src/config/tokens.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { parseExposition } from '../helpers/prometheus.ts'

const TOKENS = {
  ops: 'token-of-the-operator-0001',
  adminB: 'token-of-tenant-b-admin-01',
  adminAC: 'token-of-tenant-ac-admin-1',
  writeA: 'token-of-tenant-a-writer-1'
}
const { grants } = readTokens(JSON.stringify([
  { name: 'ops', token: TOKENS.ops, domains: '*', role: 'admin' },
  { name: 'b-admin', token: TOKENS.adminB, domains: ['b'], role: 'admin' },
  { name: 'ac-admin', token: TOKENS.adminAC, domains: ['a', 'c'], role: 'admin' },
  { name: 'a-writer', token: TOKENS.writeA, domains: ['a'], role: 'write' }
]))
const { app } = await testApp(t, { auth: new Authenticator(grants) })
const auth = (token: string) => ({ authorization: `Bearer ${token}` })

for (const [guid, domain] of [['s-a1', 'a'], ['s-a2', 'a'], ['s-b1', 'b'], ['s-q"1', 'q"uote']] as const) {
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', headers: auth(TOKENS.ops), payload: taskDefinition({ guid: guid.replace('"', ''), domain }) })
  if (res.statusCode !== 201) throw new Error(`desire ${guid}: ${res.statusCode} ${res.body}`)
}

async function scrape (token: string) {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: auth(token) })
  return { status: res.statusCode, res, ...(res.statusCode === 200 ? parseExposition(res.body) : { samples: new Map<string, number>(), types: new Map<string, string>() }) }
}

t.test('a token of every domain reads every series', async t => {
  const { samples, types } = await scrape(TOKENS.ops)
  t.equal(samples.get('taskbbs_tasks{domain="a",state="PENDING"}'), 2)
  t.equal(samples.get('taskbbs_tasks{domain="b",state="PENDING"}'), 1)
  t.equal(samples.get('taskbbs_tasks{domain="q\\"uote",state="PENDING"}'), 1)
  t.ok(types.has('process_cpu_seconds_total'))
  t.ok(types.has('taskbbs_http_request_duration_seconds'))
})

t.test('an admin token limited to domain b reads only b\'s series, as a valid exposition', async t => {
  const { res, samples, types } = await scrape(TOKENS.adminB)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.same([...samples.keys()], ['taskbbs_tasks{domain="b",state="PENDING"}'])
  t.same([...types.keys()], ['taskbbs_tasks'])
  t.notMatch(res.body, /domain="a"/, 'nothing of domain a, not even in HELP text')
  t.notMatch(res.body, /process_|taskbbs_http_|taskbbs_scheduler_|taskbbs_db_pool/, 'nothing about all tenants at once')
})

t.test('a token of two domains reads both and nothing else; a domain without tasks has no series', async t => {
  const { samples } = await scrape(TOKENS.adminAC)
  t.same([...samples.keys()].sort(), ['taskbbs_tasks{domain="a",state="PENDING"}'])
  t.equal(samples.get('taskbbs_tasks{domain="a",state="PENDING"}'), 2)
})

t.test('a write token still may not read /metrics', async t => {
  t.equal((await scrape(TOKENS.writeA)).status, 403)
})
