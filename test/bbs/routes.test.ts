/**
 * The BBS routes inside the main app, as the development listener serves them:
 * every refusal — a rate limit, a body of the wrong type, a forbidden domain —
 * is a 200 protobuf answer with a models.Error inside, never problem+json, and
 * the JSON API around them is untouched.
 */
import t from 'tap'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { DEVELOPMENT_IDENTITY } from '../../src/bbs/clients.ts'
import { Error_Type } from '../../src/bbs/gen/error_pb.ts'
import { PingResponseSchema } from '../../src/bbs/gen/ping_pb.ts'
import { TaskGuidRequestSchema, TaskLifecycleResponseSchema, TaskResponseSchema, TaskByGuidRequestSchema, TasksRequestSchema, TasksResponseSchema } from '../../src/bbs/gen/task_requests_pb.ts'
import { Task_State } from '../../src/bbs/gen/task_pb.ts'
import { TaskCreatedEventSchema } from '../../src/bbs/gen/events_pb.ts'
import { SseClient, listen } from '../helpers/sse.ts'

const { app } = await testApp(t, { bbs: { identify: DEVELOPMENT_IDENTITY } })
const { app: limited } = await testApp(t, { bbs: { identify: DEVELOPMENT_IDENTITY }, rateLimit: { max: 3, windowMs: 60_000 } })
const { app: scoped } = await testApp(t, { bbs: { identify: () => ({ name: 'cc', role: 'write', domains: ['mine'], digest: Buffer.alloc(32) }) } })
const { app: jsonOnly } = await testApp(t)

const post = (on: typeof app, url: string, body: Uint8Array, contentType = 'application/x-protobuf') =>
  on.inject({ method: 'POST', url, headers: { 'content-type': contentType, 'x-vcap-request-id': 'vcap-1' }, payload: Buffer.from(body) })

t.test('ping, and a JSON-desired task read over BBS with nanosecond times and enum states', async t => {
  const ping = await post(app, '/v1/ping', new Uint8Array(0))
  t.equal(ping.statusCode, 200)
  t.equal(fromBinary(PingResponseSchema, ping.rawPayload).available, true)
  const def = taskDefinition({ memory_mb: 128 })
  t.equal((await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })).statusCode, 201)
  const res = await post(app, '/v1/tasks/get_by_task_guid.r3', toBinary(TaskByGuidRequestSchema, create(TaskByGuidRequestSchema, { taskGuid: def.guid as string })))
  const task = fromBinary(TaskResponseSchema, res.rawPayload).task!
  t.equal(task.state, Task_State.Pending)
  t.equal(task.taskDefinition?.memoryMb, 128)
  t.equal(task.taskDefinition?.action?.runAction?.path, 'echo')
  t.ok(task.createdAt > 1_700_000_000_000_000_000n && task.createdAt % 1_000_000n === 0n, 'Unix nanoseconds, millisecond precision')
  t.equal(task.firstCompletedAt, 0n, 'never completed: zero')
})

t.test('any content type is read as protobuf, as BBS does', async t => {
  const res = await post(app, '/v1/tasks/list.r3', toBinary(TasksRequestSchema, create(TasksRequestSchema, { domain: 'test' })), 'text/plain')
  t.equal(res.statusCode, 200)
  t.equal(fromBinary(TasksResponseSchema, res.rawPayload).error, undefined)
})

t.test('a rate limit is refused inside a protobuf answer, not a 429 the client would retry', async t => {
  const body = toBinary(TasksRequestSchema, create(TasksRequestSchema))
  for (let i = 0; i < 3; i++) t.equal(fromBinary(TasksResponseSchema, (await post(limited, '/v1/tasks/list.r3', body)).rawPayload).error, undefined, `request ${i + 1} passes`)
  const refused = await post(limited, '/v1/tasks/list.r3', body)
  t.equal(refused.statusCode, 200)
  t.equal(refused.headers['content-type'], 'application/x-protobuf')
  const error = fromBinary(TaskLifecycleResponseSchema, refused.rawPayload).error
  t.equal(error?.type, Error_Type.UnknownError)
  t.match(error?.message, /more than 3 requests/)
  const ping = await post(limited, '/v1/ping', new Uint8Array(0))
  t.equal(fromBinary(PingResponseSchema, ping.rawPayload).available, false, 'a refused ping is unavailable')
})

t.test('a scoped caller: other domains are absent, desiring into them refused', async t => {
  const def = taskDefinition({ domain: 'theirs' })
  t.equal((await scoped.inject({ method: 'POST', url: '/v1/tasks', payload: def })).statusCode, 201, 'desired over JSON (no tokens on that app)')
  for (const url of ['/v1/tasks/cancel', '/v1/tasks/resolving', '/v1/tasks/delete']) {
    const res = await post(scoped, url, toBinary(TaskGuidRequestSchema, create(TaskGuidRequestSchema, { taskGuid: def.guid as string })))
    t.equal(fromBinary(TaskLifecycleResponseSchema, res.rawPayload).error?.type, Error_Type.ResourceNotFound, url)
  }
  const list = await post(scoped, '/v1/tasks/list.r3', toBinary(TasksRequestSchema, create(TasksRequestSchema, { domain: 'theirs' })))
  t.same(fromBinary(TasksResponseSchema, list.rawPayload).tasks, [], 'a list of another domain is empty')
})

t.test('without the BBS option the routes do not exist, and the JSON API is unchanged with it', async t => {
  const res = await post(jsonOnly, '/v1/tasks/desire.r2', new Uint8Array(0))
  t.equal(res.statusCode, 404)
  const bad = await app.inject({ method: 'POST', url: '/v1/tasks', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from([1, 2, 3]) })
  t.equal(bad.statusCode, 415, 'the JSON route still refuses protobuf')
  t.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8')
})

t.test('the task event stream resumes after the Last-Event-ID a reconnecting client sends', async t => {
  const base = await listen(app)
  const created = (c: SseClient) => c.messages.filter(m => m.event === 'task_created').map(m => ({ id: m.id, guid: fromBinary(TaskCreatedEventSchema, Buffer.from(m.data, 'base64')).task!.taskGuid }))
  const first = await SseClient.open(base, '/v1/events/tasks.r1', {}, 'POST')
  t.equal(first.status, 200)
  t.match(first.headers['content-type'], /^text\/event-stream/)
  const x = taskDefinition()
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: x })
  t.ok(await first.until(() => created(first).length === 1), 'the first client sees the task created')
  const seen = created(first)[0]
  t.equal(seen.guid, x.guid)
  t.match(seen.id, /^\d+-\d+$/, 'ids are stream positions')
  first.close()
  const y = taskDefinition()
  const z = taskDefinition()
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: y })
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: z })
  const again = await SseClient.open(base, '/v1/events/tasks.r1', { 'last-event-id': seen.id! }, 'POST')
  t.ok(await again.until(() => created(again).length >= 2), 'the reconnected client catches up')
  t.same(created(again).map(e => e.guid), [y.guid, z.guid], 'exactly the events after the last one seen, in order')
  again.close()
})
