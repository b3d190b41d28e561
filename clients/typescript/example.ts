/**
 * The TypeScript client at work, as installed with `npm install` of this
 * package: desire a task, wait for it to complete by following the events
 * stream, read its result, resolve and delete it; replay and resume the events
 * stream; receive a completion callback and check its signature.
 *
 *   TASKBBS_URL=http://127.0.0.1:8080 TASKBBS_TOKEN=… TASKBBS_DOMAIN=demo \
 *   [TASKBBS_CALLBACK_SIGNING_SECRET=whsec_…] node example.ts [GUID]
 *
 * The callback part needs a server in development mode (callbacks to loopback
 * are refused otherwise) and its signing secret. Prints one JSON line of what
 * it saw; exits non-zero on the first surprise.
 */
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect, followEvents, InvalidSignatureError, type TaskDefinition, type TaskEvent, verifyCallback, waitForCompletion } from 'taskbbs-client'

const domain = process.env.TASKBBS_DOMAIN || 'default'
const secret = process.env.TASKBBS_CALLBACK_SIGNING_SECRET
const guid = process.argv[2] ?? `ts-client-${Date.now()}`
const seen: Record<string, unknown> = { client: 'typescript', guid }
const client = connect() // TASKBBS_URL, TASKBBS_TOKEN

function fail (what: string, detail: unknown): never {
  process.stderr.write(`${what}: ${JSON.stringify(detail)}\n`)
  process.exit(1)
}

function definition (guid: string, script: string, options: { domain?: string, callbackUrl?: string } = {}): TaskDefinition {
  return {
    guid,
    domain: options.domain ?? domain,
    root_fs: 'preloaded:cflinuxfs4',
    action: { run: { path: 'sh', args: ['-c', script], user: 'root' } },
    result_file: 'result.txt',
    annotation: 'desired by the TypeScript client',
    ...(options.callbackUrl ? { completion_callback_url: options.callbackUrl } : {})
  }
}

// A bad definition answers 422 with every bad field; the error is typed as a Problem.
const bad = await client.POST('/v1/tasks', { body: definition('not a guid', 'true') })
if (bad.response.status !== 422 || bad.error?.code !== 'VALIDATION_FAILED') fail('expected a 422 for a bad guid', bad.error)
seen.bad_field = bad.error.errors?.[0]?.field

// A domain the token does not cover: 403 (no token at all: the server may allow it).
const elsewhere = await client.POST('/v1/tasks', { body: definition(`${guid}-elsewhere`, 'true', { domain: `${domain}-elsewhere` }) })
seen.other_domain = elsewhere.error?.code ?? elsewhere.response.status

const desired = await client.POST('/v1/tasks', { body: definition(guid, 'echo 42 > result.txt') })
if (!desired.data) fail('desire failed', desired.error)
const task = await waitForCompletion(client, guid, { timeoutMs: 60_000 })
if (task.failed) fail('the task failed', task.failure_reason)
seen.result = task.result.trim()

const listed = await client.GET('/v1/tasks', { params: { query: { domain, state: 'COMPLETED' } } })
if (!listed.data?.tasks.some(t => t.guid === guid)) fail('the completed task is not listed', listed.data)
const resolving = await client.POST('/v1/tasks/{guid}/resolving', { params: { path: { guid } } })
if (resolving.data?.state !== 'RESOLVING') fail('resolving failed', resolving.error)
const deleted = await client.DELETE('/v1/tasks/{guid}', { params: { path: { guid } } })
if (deleted.response.status !== 204) fail('delete failed', deleted.error)
const gone = await client.GET('/v1/tasks/{guid}', { params: { path: { guid } } })
seen.after_delete = gone.error?.code

// The task's whole history from the oldest event kept ("0-0"), then again
// resumed after its first event: the same events but the first, none twice.
async function history (after: string): Promise<TaskEvent[]> {
  const events: TaskEvent[] = []
  for await (const event of followEvents(client, { domain, lastEventId: after, signal: AbortSignal.timeout(30_000) })) {
    if (event.type === 'reset' || event.guid !== guid) continue
    events.push(event)
    if (event.type === 'task_removed') break
  }
  return events
}
const replayed = await history('0-0')
const resumed = await history(replayed[0]!.id)
seen.events = replayed.map(e => `${e.type}:${e.state}`)
seen.resumed_after_first = JSON.stringify(resumed.map(e => e.id)) === JSON.stringify(replayed.slice(1).map(e => e.id))

if (secret) {
  // A completion callback, its signature checked; the same body altered is refused.
  const received: Array<{ headers: IncomingHttpHeaders, body: Buffer }> = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk)
    received.push({ headers: req.headers, body: Buffer.concat(chunks) })
    res.end()
    server.emit('callback')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`
  await client.POST('/v1/tasks', { body: definition(`${guid}-cb`, 'echo 7 > result.txt', { callbackUrl: url }) })
  await once(server, 'callback', { signal: AbortSignal.timeout(60_000) })
  const { headers, body } = received[0]!
  const callback = verifyCallback(secret, body, headers)
  try {
    verifyCallback(secret, body.toString().replace('"7', '"8'), headers)
    seen.forged_refused = false
  } catch (err) {
    seen.forged_refused = err instanceof InvalidSignatureError
  }
  seen.callback = { task_guid: callback.task_guid, result: callback.result.trim() }
  server.close()
}

process.stdout.write(JSON.stringify(seen) + '\n')
