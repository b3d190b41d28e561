/**
 * GA4GH TES 1.1 over real HTTP (inject) on the real app, a real PostgreSQL and
 * the scheduler with the local executor; inputs come from and outputs go to a
 * real HTTP server on loopback.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { testScheduler, waitForTask } from '../helpers/scheduler.ts'
import { convergeOnce } from '../../src/store/converge.ts'
import { getTask } from '../../src/store/tasks.ts'
import { startStorage } from './files.ts'

const h = await testApp(t)
await testScheduler(t, h)
/** A gzipped tar of two files, as a DIRECTORY input would name. */
function tarball (): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tes-tgz-'))
  try {
    writeFileSync(join(dir, 'one.txt'), '1\n')
    writeFileSync(join(dir, 'two.txt'), '2\n')
    execFileSync('tar', ['-czf', join(dir, 'pack.tgz'), '-C', dir, 'one.txt', 'two.txt'])
    return readFileSync(join(dir, 'pack.tgz'))
  } finally { rmSync(dir, { recursive: true, force: true }) }
}
const storage = await startStorage(t, { 'in.txt': 'hello input\n', 'words.txt': 'b\na\nc\n', 'pack.tgz': tarball() })
const TES = '/ga4gh/tes/v1'

async function create (task: Record<string, unknown>): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: `${TES}/tasks`, payload: task })
  if (res.statusCode !== 200) throw new Error(`create failed: ${res.statusCode} ${res.body}`)
  return res.json().id
}
async function get (id: string, view = 'FULL') {
  const res = await h.app.inject({ url: `${TES}/tasks/${id}?view=${view}` })
  if (res.statusCode !== 200) throw new Error(`get failed: ${res.statusCode} ${res.body}`)
  return res.json()
}
const TERMINAL = ['COMPLETE', 'EXECUTOR_ERROR', 'SYSTEM_ERROR', 'CANCELED']
async function waitState (id: string, states: string[], timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const task = await get(id, 'MINIMAL')
    if (states.includes(task.state)) {
      // Log lines are flushed in batches: the final view is read once they are in.
      if (TERMINAL.includes(task.state)) await waitForTask(h.pool, id, x => x !== undefined && x.state !== 'RUNNING')
      return get(id)
    }
    if (Date.now() > deadline) throw new Error(`task ${id} is ${task.state}, not ${states.join('/')}`)
    await new Promise(r => setTimeout(r, 25))
  }
}
const executor = (command: string[], extra: Record<string, unknown> = {}) => ({ image: 'busybox:1.36', command, ...extra })

t.test('service-info names the TES 1.1 artifact and the storage it takes', async t => {
  const res = await h.app.inject({ url: `${TES}/service-info` })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { type: { group: 'org.ga4gh', artifact: 'tes', version: '1.1.0' }, storage: ['http://', 'https://'], tesResources_backend_parameters: [] })
  t.match(res.json(), { organization: { url: /^http:\/\/localhost(:\d+)?\/docs$/ }, documentationUrl: /\/docs$/ }, 'it points at this server\'s own API documentation')
})

t.test('inputs are downloaded and written, two executors share the files, an output is uploaded, and the FULL view reports it all', async t => {
  const id = await create({
    name: 'sort-words',
    tags: { project: 'alpha' },
    inputs: [
      { url: `${storage.url}/files/words.txt`, path: '/data/words.txt', type: 'FILE' },
      { content: 'from content\n', path: '/data/note.txt' }
    ],
    outputs: [{ url: `${storage.url}/out/sorted`, path: '/data/sorted.txt' }],
    volumes: ['/scratch'],
    executors: [
      executor(['sort'], { workdir: '/data', stdin: '/data/words.txt', stdout: '/data/sorted.txt' }),
      executor(['sh', '-c', 'cat note.txt; echo "$GREETING" >&2; test -d ../scratch'], { workdir: '/data', env: { GREETING: 'hi there' } })
    ]
  })
  t.match(id, /^[0-9a-f-]{36}$/, 'the id is the taskbbs guid, a UUID')
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'COMPLETE', JSON.stringify(task.logs))
  t.equal(storage.uploads.get('/out/sorted')?.toString(), 'a\nb\nc\n', 'the executor read its stdin from one input and the output got its stdout file')
  const [log] = task.logs
  t.equal(log.logs.length, 2)
  t.match(log.logs[0], { exit_code: 0, stdout: '', stderr: '' }, 'stdout went to the file, not the log')
  t.match(log.logs[1], { exit_code: 0, stdout: 'from content\n', stderr: 'hi there\n' })
  for (const e of log.logs) t.ok(Date.parse(e.start_time) <= Date.parse(e.end_time), 'start before end')
  t.ok(Date.parse(log.logs[0].end_time) <= Date.parse(log.logs[1].start_time), 'executors ran one after another')
  t.same(log.outputs, [{ url: `${storage.url}/out/sorted`, path: '/data/sorted.txt', size_bytes: '6' }])
  t.ok(log.start_time && log.end_time)
  t.ok(log.system_logs.some((l: string) => l.includes('executor 1 started')))
  t.match(task, { name: 'sort-words', tags: { project: 'alpha' }, volumes: ['/scratch'], creation_time: /Z$/ })
  t.equal(task.inputs[1].content, 'from content\n', 'FULL keeps input content')

  const basic = await get(id, 'BASIC')
  t.equal(basic.inputs[1].content, undefined, 'BASIC leaves out input content')
  t.equal(basic.logs[0].system_logs, undefined, 'and system logs')
  t.equal(basic.logs[0].logs[1].stdout, undefined, 'and executor stdout')
  t.equal(basic.logs[0].logs[1].exit_code, 0, 'but keeps exit codes')
  t.same(await get(id, 'MINIMAL'), { id, state: 'COMPLETE' })
  t.same(await get(id, 'MINIMAL'), (await h.app.inject({ url: `${TES}/tasks/${id}` })).json(), 'MINIMAL is the default view')
})

t.test('an executor exiting non-zero is EXECUTOR_ERROR with its exit code; later executors do not run', async t => {
  const id = await create({ executors: [executor(['sh', '-c', 'echo oops >&2; exit 3']), executor(['echo', 'never'])] })
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'EXECUTOR_ERROR')
  t.equal(task.logs[0].logs.length, 1, 'the second executor never started')
  t.match(task.logs[0].logs[0], { exit_code: 3, stderr: 'oops\n' })
  t.match(task.logs[0].metadata, { 'taskbbs.failure_reason': 'executor 0: run sh: exited with status 3' })
})

t.test('ignore_error records the exit code and goes on to the next executor', async t => {
  const id = await create({ executors: [executor(['sh', '-c', 'exit 5'], { ignore_error: true }), executor(['echo', 'after'])] })
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'COMPLETE')
  t.same(task.logs[0].logs.map((l: { exit_code: number }) => l.exit_code), [5, 0])
  t.equal(task.logs[0].logs[1].stdout, 'after\n')
})

t.test('a DIRECTORY input from an archive is unpacked at its path; the same archive as a FILE input fails saying to use DIRECTORY', async t => {
  const dir = await create({ inputs: [{ url: `${storage.url}/files/pack.tgz`, path: '/data/pack', type: 'DIRECTORY' }], executors: [executor(['sh', '-c', 'cat one.txt two.txt'], { workdir: '/data/pack' })] })
  const unpacked = await waitState(dir, TERMINAL)
  t.equal(unpacked.state, 'COMPLETE')
  t.equal(unpacked.logs[0].logs[0].stdout, '1\n2\n')
  const file = await create({ inputs: [{ url: `${storage.url}/files/pack.tgz`, path: '/data/pack.tgz' }], executors: [executor(['true'])] })
  const failed = await waitState(file, TERMINAL)
  t.equal(failed.state, 'SYSTEM_ERROR')
  t.match(failed.logs[0].system_logs.join('\n'), /input 0: run sh: exited with status 1/)
  t.match(failed.logs[0].system_logs.join('\n'), /\[TES_INPUT\] stderr: the URL did not give one file .*use type DIRECTORY/, 'the system logs say why')
})

t.test('a failed input download is SYSTEM_ERROR and no executor runs', async t => {
  const id = await create({ inputs: [{ url: `${storage.url}/files/missing`, path: '/in/x' }], executors: [executor(['echo', 'hi'])] })
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'SYSTEM_ERROR')
  t.same(task.logs[0].logs, [])
  t.match(task.logs[0].metadata['taskbbs.failure_reason'], /^input 0: /)
})

t.test('an output that was not written is SYSTEM_ERROR naming the path', async t => {
  const id = await create({ outputs: [{ url: `${storage.url}/out/none`, path: '/nothing/here' }], executors: [executor(['true'])] })
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'SYSTEM_ERROR')
  t.match(task.logs[0].system_logs.join('\n'), /output 0: run sh: exited with status 1/)
  t.match(task.logs[0].system_logs.join('\n'), /\[TES_OUTPUT_0\] stderr: \/nothing\/here is not a file/)
  t.equal(storage.uploads.has('/out/none'), false)
})

t.test('a task whose input is still downloading is INITIALIZING; cancel makes it CANCELED; cancelling again changes nothing', async t => {
  const id = await create({ inputs: [{ url: `${storage.url}/slow/x`, path: '/in/x' }], executors: [executor(['echo', 'hi'])] })
  await waitState(id, ['INITIALIZING'])
  const res = await h.app.inject({ method: 'POST', url: `${TES}/tasks/${id}:cancel` })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {})
  t.equal((await get(id, 'MINIMAL')).state, 'CANCELED')
  t.equal((await h.app.inject({ method: 'POST', url: `${TES}/tasks/${id}:cancel` })).statusCode, 200)
})

t.test('a running executor is RUNNING, and cancelling stops it', async t => {
  const id = await create({ executors: [executor(['sleep', '30'])] })
  const running = await waitState(id, ['RUNNING'])
  t.match(running.logs[0].logs[0], { exit_code: -1 })
  t.notOk(running.logs[0].logs[0].end_time)
  const started = Date.now()
  await h.app.inject({ method: 'POST', url: `${TES}/tasks/${id}:cancel` })
  const task = await waitState(id, TERMINAL)
  t.equal(task.state, 'CANCELED')
  t.ok(Date.now() - started < 5000)
})

t.test('unknown ids and tasks desired through /v1 answer 404 on every TES route', async t => {
  const v1 = await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: { guid: 'plain-v1', domain: 'tes', root_fs: 'docker:///library/busybox#1', action: { run: { path: 'true', user: 'root' } } } })
  t.equal(v1.statusCode, 201)
  for (const id of ['no-such-task', 'plain-v1']) {
    t.equal((await h.app.inject({ url: `${TES}/tasks/${id}` })).statusCode, 404)
    const cancel = await h.app.inject({ method: 'POST', url: `${TES}/tasks/${id}:cancel` })
    t.equal(cancel.statusCode, 404)
    t.match(cancel.json(), { code: 'TASK_NOT_FOUND' })
  }
  const listed = (await h.app.inject({ url: `${TES}/tasks?page_size=2047` })).json().tasks.map((x: { id: string }) => x.id)
  t.notOk(listed.includes('plain-v1'), 'nor are they listed')
})

t.test('bad input answers 400 naming each field, never 5xx', async t => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no executors', { name: 'x' }, /executors.*required/],
    ['empty executors', { executors: [] }, /executors/],
    ['relative stdout', { executors: [executor(['true'], { stdout: 'out.txt' })] }, /executors\[0\]\.stdout/],
    ['s3 input', { inputs: [{ url: 's3://bucket/key', path: '/in' }], executors: [executor(['true'])] }, /inputs\[0\]\.url: must be an http or https URL/],
    ['input without url or content', { inputs: [{ path: '/in' }], executors: [executor(['true'])] }, /inputs\[0\]\.url: is required unless content/],
    ['wildcard output', { outputs: [{ url: 'http://127.0.0.1:1/o', path: '/out/*.txt' }], executors: [executor(['true'])] }, /outputs\[0\]\.path: wildcards/],
    ['directory output', { outputs: [{ url: 'http://127.0.0.1:1/o', path: '/out', type: 'DIRECTORY' }], executors: [executor(['true'])] }, /outputs\[0\]\.type/],
    ['two images', { executors: [executor(['true']), { image: 'alpine:3', command: ['true'] }] }, /executors\[1\]\.image: must be the image of executors\[0\]/],
    ['not an image', { executors: [{ image: 'UPPER/Case', command: ['true'] }] }, /executors\[0\]\.image/],
    ['unknown field', { executors: [executor(['true'])], priority: 3 }, /priority: is not a known field/],
    ['malformed server field', { state: 'DONE', executors: [executor(['true'])] }, /state: must be one of/],
    ['strict backend parameters', { resources: { backend_parameters: { VmSize: 'big' }, backend_parameters_strict: true }, executors: [executor(['true'])] }, /resources\.backend_parameters: taskbbs supports no backend parameters \(got VmSize\)/],
    ['bad zone', { resources: { zones: ['not a zone!'] }, executors: [executor(['true'])] }, /resources\.zones\[0\]/],
    ['negative ram', { resources: { ram_gb: -1 }, executors: [executor(['true'])] }, /resources\.ram_gb/],
    ['NUL in a stored tag', { tags: { a: 'x\u0000y' }, executors: [executor(['true'])] }, /tags\.a: must not contain NUL/],
    ['lone surrogate in the description', { description: 'x\ud800', executors: [executor(['true'])] }, /description: must not contain a lone UTF-16 surrogate/]
  ]
  for (const [name, body, detail] of cases) {
    const res = await h.app.inject({ method: 'POST', url: `${TES}/tasks`, payload: body as object })
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { code: 'BAD_REQUEST', detail }, name)
  }
  const list = await h.app.inject({ url: `${TES}/tasks?page_size=0&view=ALL` })
  t.equal(list.statusCode, 400)
  t.match(list.json().detail, /page_size.*view|view.*page_size/)
  t.match((await h.app.inject({ url: `${TES}/tasks?page_token=bogus` })).json(), { code: 'BAD_REQUEST', detail: /page_token/ })
  t.match((await h.app.inject({ url: `${TES}/tasks?tag_key=a&tag_value=1&tag_value=2` })).json(), { code: 'BAD_REQUEST', detail: /tag_value/ })
  t.equal((await h.app.inject({ url: `${TES}/tasks/bad%20id` })).statusCode, 400)
  for (const qs of ['name_prefix=a%00', 'tag_key=k%00', 'tag_key=k&tag_value=%00']) {
    t.match((await h.app.inject({ url: `${TES}/tasks?${qs}` })).json(), { status: 400, code: 'BAD_REQUEST' }, `a NUL in a filter: ${qs}`)
  }
  t.equal((await h.app.inject({ method: 'POST', url: `${TES}/tasks`, payload: '{"executors": [', headers: { 'content-type': 'application/json' } })).statusCode, 400)
})

t.test('a task read back and submitted again is a new task: the server fields it carries are ignored', async t => {
  const first = await waitState(await create({ name: 'again', executors: [executor(['echo', 'x'])] }), TERMINAL)
  t.ok(first.logs?.[0].logs.length, 'it carries its logs')
  const second = await get(await create(first))
  t.not(second.id, first.id)
  t.equal(second.name, 'again')
  t.not(second.creation_time, first.creation_time)
})

t.test('resources become limits and the Kubernetes block; ignored backend parameters are neither stored nor returned', async t => {
  const id = await create({
    resources: { cpu_cores: 2, ram_gb: 1.5, disk_gb: 10, preemptible: true, zones: ['eu-west-1a', 'eu-west-1b'], backend_parameters: { VmSize: 'big' } },
    executors: [executor(['true'])]
  })
  const stored = await getTask(h.pool, id)
  t.match(stored, {
    domain: 'tes',
    root_fs: 'docker:///library/busybox#1.36',
    memory_mb: 1536,
    disk_mb: 10240,
    kubernetes: {
      resources: { requests: { cpu: '2', memory: '1536Mi' } },
      tolerations: [{ key: 'taskbbs.io/preemptible', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b'] }] }] } } }
    }
  })
  const task = await waitState(id, TERMINAL)
  t.same(task.resources, { cpu_cores: 2, ram_gb: 1.5, disk_gb: 10, preemptible: true, zones: ['eu-west-1a', 'eu-west-1b'] })
  t.ok(task.logs[0].system_logs.some((l: string) => l.includes('ignoring unsupported backend_parameters: VmSize')), 'the system log says it was ignored')
})

t.test('list: newest first, filters by name prefix, state and tags, pages with tokens', async t => {
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    ids.push(await create({ name: `batch-${i % 2 ? 'odd' : 'even'}-${i}`, tags: { run: 'list-test', parity: i % 2 ? 'odd' : 'even', ...(i === 4 ? { flag: '' } : {}) }, executors: [executor(['true'])] }))
  }
  for (const id of ids) await waitState(id, TERMINAL)
  const list = async (qs: string) => {
    const res = await h.app.inject({ url: `${TES}/tasks?${qs}` })
    t.equal(res.statusCode, 200, qs)
    return res.json()
  }
  const mine = (await list('tag_key=run&tag_value=list-test')).tasks.map((x: { id: string }) => x.id)
  t.same(mine, [...ids].reverse(), 'newest first, MINIMAL by default')
  t.same((await list('tag_key=run&tag_value=list-test')).tasks[0], { id: ids[4], state: 'COMPLETE' })
  t.same((await list('name_prefix=batch-odd')).tasks.map((x: { id: string }) => x.id), [ids[3], ids[1]])
  t.same((await list('name_prefix=batch_')).tasks, [], 'LIKE wildcards in the prefix are literal')
  t.same((await list('tag_key=run&tag_value=list-test&tag_key=parity&tag_value=even')).tasks.map((x: { id: string }) => x.id), [ids[4], ids[2], ids[0]])
  t.same((await list('tag_key=flag')).tasks.map((x: { id: string }) => x.id), [ids[4]], 'a key without value matches any value')
  t.same((await list('tag_key=run&tag_value=list-test&state=COMPLETE')).tasks.length, 5)
  t.same((await list('tag_key=run&tag_value=list-test&state=EXECUTOR_ERROR')).tasks, [])

  const seen: string[] = []
  let token: string | undefined
  let pages = 0
  do {
    const page = await list(`tag_key=run&tag_value=list-test&page_size=2&view=BASIC${token ? `&page_token=${token}` : ''}`)
    t.ok(page.tasks.length <= 2)
    for (const x of page.tasks) { seen.push(x.id); t.ok(x.executors && x.creation_time, 'BASIC has the document') }
    token = page.next_page_token
    pages++
  } while (token)
  t.same(seen, [...ids].reverse(), 'pages cover every task once, in order')
  t.equal(pages, 3)

  const filler: string[] = []
  for (let i = 0; i < 33; i++) filler.push(await create({ tags: { run: 'full-page' }, executors: [executor(['true'])] }))
  const full = await list('tag_key=run&tag_value=full-page&view=FULL&page_size=2047')
  t.equal(full.tasks.length, 32, 'a FULL page holds at most 32 tasks, however large page_size is')
  t.ok(full.next_page_token, 'and says there is more')
  // Settled, so that the next test compares lists of tasks that no longer change.
  for (const id of filler) await waitState(id, TERMINAL)
})

t.test('the state filter selects exactly the tasks the view shows in that state', async t => {
  const all = (await h.app.inject({ url: `${TES}/tasks?page_size=2047` })).json().tasks as Array<{ id: string, state: string }>
  const states = new Set(all.map(x => x.state))
  t.ok(states.has('COMPLETE') && states.has('EXECUTOR_ERROR') && states.has('SYSTEM_ERROR') && states.has('CANCELED'), [...states].join())
  for (const state of ['QUEUED', 'INITIALIZING', 'RUNNING', 'COMPLETE', 'EXECUTOR_ERROR', 'SYSTEM_ERROR', 'CANCELED', 'PAUSED', 'PREEMPTED', 'CANCELING', 'UNKNOWN']) {
    const filtered = (await h.app.inject({ url: `${TES}/tasks?page_size=2047&state=${state}` })).json().tasks.map((x: { id: string }) => x.id)
    t.same(filtered, all.filter(x => x.state === state).map(x => x.id), state)
  }
})

t.test('convergence keeps completed TES tasks readable, while unresolved /v1 tasks are deleted', async t => {
  const id = await create({ executors: [executor(['true'])] })
  await waitState(id, TERMINAL)
  const v1 = await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: { guid: 'v1-converged', domain: 'tes', root_fs: 'docker:///library/busybox#1', action: { run: { path: 'true', user: 'root' } } } })
  t.equal(v1.statusCode, 201)
  await waitForTask(h.pool, 'v1-converged', x => x?.state === 'COMPLETED')
  const report = await convergeOnce(h.pool, { pendingTimeoutMs: 1_800_000, kickPendingMs: 30_000, resolvingTimeoutMs: 30_000, completedTtlMs: 0 })
  t.ok(report!.deletedCompleted.includes('v1-converged'))
  t.notOk(report!.deletedCompleted.includes(id))
  t.equal((await get(id, 'MINIMAL')).state, 'COMPLETE')
  // It goes the Diego way when someone decides to: resolving, then delete.
  t.equal((await h.app.inject({ method: 'POST', url: `/v1/tasks/${id}/resolving` })).statusCode, 200)
  t.equal((await h.app.inject({ method: 'DELETE', url: `/v1/tasks/${id}` })).statusCode, 204)
  t.equal((await h.app.inject({ url: `${TES}/tasks/${id}` })).statusCode, 404)
})
