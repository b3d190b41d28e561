/**
 * Logs are JSON lines through fastify's pino logger: each request line has
 * its request id, each line about a task its guid, and no secret ever
 * reaches the log (image_password, bearer tokens, signing secrets).
 */
import { Writable } from 'node:stream'
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { LOG_REDACT } from '../../src/app.ts'
import { readTokens } from '../../src/config/tokens.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'

const TOKEN = 'log-test-token-4f1c2a9b7e'
const IMAGE_PASSWORD = 'image-password-7d3e9a'
const SIGNING_SECRET = 'whsec_c2lnbmluZy1zZWNyZXQtZm9yLWxvZ3M='

const lines: string[] = []
const stream = new Writable({
  write (chunk, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done() }
})
const { app } = await testApp(t, {
  logger: { level: 'debug', redact: LOG_REDACT, stream },
  auth: new Authenticator(readTokens(JSON.stringify([{ name: 'logger-test', token: TOKEN, domains: '*', role: 'admin' }])).grants)
})
const headers = { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'req-log-1' }

await app.inject({ method: 'POST', url: '/v1/tasks', headers, payload: taskDefinition({ guid: 'logged-1', image_username: 'me', image_password: IMAGE_PASSWORD }) })
await app.inject({ method: 'GET', url: '/v1/tasks/logged-1', headers: { ...headers, 'x-request-id': 'req-log-2' } })
await app.inject({ method: 'POST', url: '/v1/tasks/logged-1/cancel', headers: { ...headers, 'x-request-id': 'req-log-3' } })
await app.inject({ method: 'GET', url: '/v1/tasks', headers: { authorization: `Bearer ${TOKEN}-wrong` } })
// What careless code might log one day: the redaction still holds.
app.log.info({
  definition: { guid: 'x', image_password: IMAGE_PASSWORD },
  task: { definition: { image_password: IMAGE_PASSWORD } },
  signing_secret: SIGNING_SECRET,
  callback: { signing_secret: SIGNING_SECRET, signingKey: SIGNING_SECRET },
  req: { headers: { authorization: `Bearer ${TOKEN}` } },
  headers: { authorization: `Bearer ${TOKEN}` },
  token: TOKEN,
  config: { TASKBBS_TOKENS: `[{"token":"${TOKEN}"}]`, TASKBBS_CALLBACK_SIGNING_SECRET: SIGNING_SECRET }
}, 'careless')

const records = lines.map(l => JSON.parse(l) as Record<string, unknown>)

t.test('every line is one JSON object with level, time and msg', async t => {
  t.ok(records.length > 6)
  for (const r of records) t.match(r, { level: Number, time: Number, msg: String })
})

t.test('request lines carry the request id from x-request-id', async t => {
  const ids = new Set(records.map(r => r.reqId).filter(Boolean))
  for (const id of ['req-log-1', 'req-log-2', 'req-log-3']) t.ok(ids.has(id), id)
})

t.test('lines about a task carry its guid, including the request-completed line of /v1/tasks/{guid} routes', async t => {
  t.match(records.find(r => r.msg === 'task desired'), { guid: 'logged-1', reqId: 'req-log-1' })
  t.match(records.find(r => r.msg === 'task cancelled'), { guid: 'logged-1', reqId: 'req-log-3' })
  t.match(records.find(r => r.reqId === 'req-log-2' && r.msg === 'request completed'), { guid: 'logged-1' })
})

t.test('request lines name the token used, never the token itself', async t => {
  t.match(records.find(r => r.reqId === 'req-log-2' && r.msg === 'request completed'), { token_name: 'logger-test' })
})

t.test('no secret reaches the log: image password, bearer token, signing secret', async t => {
  const all = lines.join('\n')
  t.notMatch(all, IMAGE_PASSWORD)
  t.notMatch(all, TOKEN)
  t.notMatch(all, SIGNING_SECRET)
  const careless = records.find(r => r.msg === 'careless') as Record<string, any>
  t.equal(careless.definition.image_password, '[Redacted]')
  t.equal(careless.task.definition.image_password, '[Redacted]')
  t.equal(careless.signing_secret, '[Redacted]')
  t.equal(careless.headers.authorization, '[Redacted]')
  t.notOk(careless.req.headers, 'fastify\'s request serializer leaves headers out altogether')
  t.equal(careless.config.TASKBBS_TOKENS, '[Redacted]')
})
