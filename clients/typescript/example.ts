/**
 * The TypeScript client at work: desire a task, wait for it to complete, read
 * its result, resolve and delete it — every call typed by the types that
 * openapi-typescript generated from openapi/openapi.json (generated/taskbbs.ts).
 *
 *   TASKBBS_URL=http://127.0.0.1:8080 [TASKBBS_TOKEN=…] node example.ts [GUID]
 *
 * Prints one JSON line of what it saw; exits non-zero on the first surprise.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './generated/taskbbs.ts'

type Task = components['schemas']['Task']
type Problem = components['schemas']['Problem']

const baseUrl = process.env.TASKBBS_URL ?? 'http://127.0.0.1:8080'
const token = process.env.TASKBBS_TOKEN
const guid = process.argv[2] ?? `ts-client-${Date.now()}`

const client = createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} })

function fail (what: string, detail: unknown): never {
  process.stderr.write(`${what}: ${JSON.stringify(detail)}\n`)
  process.exit(1)
}

// A bad definition answers 422 with every bad field; the error is typed as a Problem.
const bad = await client.POST('/v1/tasks', {
  body: { guid: 'not a guid', domain: 'clients', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } } }
})
const problem: Problem | undefined = bad.error
if (bad.response.status !== 422 || problem?.code !== 'VALIDATION_FAILED') fail('expected a 422 for a bad guid', bad.error)

const desired = await client.POST('/v1/tasks', {
  body: {
    guid,
    domain: 'clients',
    root_fs: 'preloaded:cflinuxfs4',
    action: { run: { path: 'sh', args: ['-c', 'echo 42 > result.txt'], user: 'root' } },
    result_file: 'result.txt',
    annotation: 'desired by the TypeScript client'
  }
})
if (!desired.data) fail('desire failed', desired.error)

let task: Task = desired.data
const deadline = Date.now() + 30_000
while (task.state !== 'COMPLETED') {
  if (Date.now() > deadline) fail('the task did not complete in 30 s', task)
  await new Promise(resolve => setTimeout(resolve, 100))
  const got = await client.GET('/v1/tasks/{guid}', { params: { path: { guid } } })
  if (!got.data) fail('get failed', got.error)
  task = got.data
}
if (task.failed) fail('the task failed', task.failure_reason)

const listed = await client.GET('/v1/tasks', { params: { query: { domain: 'clients', state: 'COMPLETED' } } })
if (!listed.data?.tasks.some(t => t.guid === guid)) fail('the completed task is not listed', listed.data)

const resolving = await client.POST('/v1/tasks/{guid}/resolving', { params: { path: { guid } } })
if (resolving.data?.state !== 'RESOLVING') fail('resolving failed', resolving.error)

const deleted = await client.DELETE('/v1/tasks/{guid}', { params: { path: { guid } } })
if (deleted.response.status !== 204) fail('delete failed', deleted.error)

const gone = await client.GET('/v1/tasks/{guid}', { params: { path: { guid } } })
process.stdout.write(JSON.stringify({
  client: 'typescript',
  guid,
  result: task.result.trim(),
  bad_field: problem?.errors?.[0]?.field,
  after_delete: gone.error?.code
}) + '\n')
