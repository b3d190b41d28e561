import t from 'tap'
import { request as httpsRequest } from 'node:https'
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Agent, request } from 'undici'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { freePort } from '../../src/store/embedded.ts'
import { TaskLifecycleResponseSchema, DesireTaskRequestSchema } from '../../src/bbs/gen/task_requests_pb.ts'
import { Error_Type } from '../../src/bbs/gen/error_pb.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { BbsDriver, buildDriver, makeCertificates } from '../helpers/bbs.ts'

/*
 * The official Diego BBS Go client (code.cloudfoundry.org/bbs, test/bbs/go.mod)
 * against a real taskbbs process: over plain HTTP on loopback as `npm start`
 * serves it in development, and over the mutual TLS listener.
 */

const binary = await buildDriver()
const certs = await makeCertificates(['cc-client', 'full-client', 'stranger'])
t.teardown(() => rm(certs.dir, { recursive: true, force: true }))
const db = await testDatabase(t)
const bbsPort = await freePort()
const server = await startServerProcess(t, {
  DATABASE_URL: db.url,
  TASKBBS_MODE: 'development',
  TASKBBS_TOKENS: '',
  TASKBBS_HOST: '127.0.0.1',
  TASKBBS_BBS_PORT: String(bbsPort),
  TASKBBS_BBS_CERT_FILE: certs.serverCert,
  TASKBBS_BBS_KEY_FILE: certs.serverKey,
  TASKBBS_BBS_CA_FILE: certs.ca,
  TASKBBS_BBS_CLIENTS: JSON.stringify([{ common_name: 'cc-client', domains: ['cf-apps', 'cf-other'] }, { common_name: 'full-client', domains: '*' }]),
  TASKBBS_BODY_LIMIT_BYTES: '65536',
  // Keep-alive comments between events: the client's SSE reader must skip them.
  TASKBBS_EVENTS_HEARTBEAT_INTERVAL: '0.1'
})
const tlsUrl = `https://127.0.0.1:${bbsPort}`

function driver (args: string[]): BbsDriver {
  const d = new BbsDriver(binary, args)
  t.teardown(() => d.close())
  return d
}

const plain = driver(['-url', server.url])
let n = 0
const guid = (prefix: string) => `${prefix}-${process.pid}-${++n}`

// A definition in BBS's own JSON (gogo jsontags), decoded by the Go client into models.TaskDefinition.
function sleeper (overrides: Record<string, unknown> = {}) {
  return {
    rootfs: 'docker:///library/busybox#latest',
    action: { run: { path: 'sleep', args: ['600'], user: 'root' } },
    ...overrides
  }
}

async function waitFor (d: BbsDriver, g: string, done: (task: Record<string, any>) => boolean) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const a = await d.call({ op: 'get', guid: g })
    if (a.ok && done(a.task!)) return a.task!
    if (Date.now() > deadline) throw new Error(`task ${g} did not get there: ${JSON.stringify(a)}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

/** The client's whole task surface, over one wire. */
function clientSurface (wire: string, args: string[]) {
  const c = driver(args)

  t.test(`${wire}: ping answers available`, async t => {
    const a = await c.call({ op: 'ping' })
    t.equal(a.ping, true)
  })

  t.test(`${wire}: desire, duplicate desire, get: every TaskDefinition field reads back as desired`, async t => {
    const g = guid('full')
    const definition = sleeper({
      env: [{ name: 'A', value: '1' }],
      disk_mb: 512,
      memory_mb: 256,
      cpu_weight: 50,
      log_source: 'APP',
      log_guid: 'log-guid',
      metrics_guid: 'metrics-guid',
      result_file: 'result.txt',
      completion_callback_url: 'http://127.0.0.1:1/callback',
      annotation: 'an annotation',
      egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [80, 443], log: true }, { protocol: 'icmp', destinations: ['10.0.0.1'], icmp_info: { type: 8, code: 0 } }],
      cached_dependencies: [{ name: 'dep', from: 'http://127.0.0.1:1/dep.tgz', to: '/deps', cache_key: 'dep-key', checksum_algorithm: 'sha256', checksum_value: 'abc' }],
      legacy_download_user: 'vcap',
      trusted_system_certificates_path: '/etc/cf-system-certificates',
      volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'rw', shared: { volume_id: 'vol-1', mount_config: '{"a":1}' } }],
      network: { properties: { app_id: 'app-1', space_id: 'space-1' } },
      placement_tags: ['blue'],
      max_pids: 100,
      certificate_properties: { organizational_unit: ['app:1', 'space:2'] },
      image_layers: [{ name: 'layer', url: 'http://127.0.0.1:1/layer.tgz', destination_path: '/layer', layer_type: 'EXCLUSIVE', media_type: 'TGZ', digest_algorithm: 'SHA256', digest_value: 'abc' }],
      log_rate_limit: { bytes_per_second: 2048 },
      metric_tags: { source_id: { static: 'metrics-guid' }, instance_id: { dynamic: 'INSTANCE_GUID' } },
      volume_mounted_files: [{ path: 'creds/token', content: 'secret-file' }],
      action: { timeout: { action: { serial: { actions: [{ run: { path: 'sleep', args: ['600'], user: 'root', env: [{ name: 'B', value: '2' }], resource_limits: { nofile: 1024 } } }, { try: { action: { run: { path: 'true', user: 'root' } } } }] } }, timeout_ms: 600000 } }
    })
    const desired = await c.call({ op: 'desire', guid: g, domain: 'cf-apps', definition })
    t.same(desired, { ok: true, ms: desired.ms }, 'DesireTask succeeds')

    const again = await c.call({ op: 'desire', guid: g, domain: 'cf-apps', definition })
    t.equal(again.error?.type, 'ResourceExists', 'a second desire of the guid is ResourceExists')

    const got = await c.call({ op: 'get', guid: g })
    t.ok(got.ok, 'TaskByGuid succeeds')
    t.equal(got.task!.task_guid, g)
    t.equal(got.task!.domain, 'cf-apps')
    t.has(got.task!, definition, 'every field of the definition reads back')
    t.ok(got.task!.created_at > 1e18, 'created_at is Unix nanoseconds')

    // The same task over the JSON API: the fields the JSON API gained, in its own shape.
    const json = await (await fetch(`${server.url}/v1/tasks/${g}`)).json() as Record<string, any>
    t.equal(json.guid, g)
    t.same(json.network, { properties: { app_id: 'app-1', space_id: 'space-1' } })
    t.same(json.metric_tags, { source_id: { static: 'metrics-guid' }, instance_id: { dynamic: 'INSTANCE_GUID' } })
    t.same(json.log_rate_limit, { bytes_per_second: 2048 })
    t.same(json.image_layers[0], { name: 'layer', url: 'http://127.0.0.1:1/layer.tgz', destination_path: '/layer', layer_type: 'EXCLUSIVE', media_type: 'TGZ', digest_algorithm: 'SHA256', digest_value: 'abc' })
    t.same(json.volume_mounted_files, [{ path: 'creds/token', content: 'secret-file' }])
    t.equal(json.legacy_download_user, 'vcap')
    t.notOk('image_password' in json)
    await c.call({ op: 'cancel', guid: g })
  })

  t.test(`${wire}: a task desired over JSON reads back over BBS`, async t => {
    const g = guid('from-json')
    const res = await fetch(`${server.url}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        guid: g, domain: 'cf-apps', root_fs: 'docker:///library/busybox#latest', memory_mb: 64,
        action: { run: { path: 'sleep', args: ['600'], user: 'root' } }, metric_tags: { team: { static: 'blue' } }, log_rate_limit: { bytes_per_second: 0 }
      })
    })
    t.equal(res.status, 201)
    const got = await c.call({ op: 'get', guid: g })
    t.has(got.task, { task_guid: g, rootfs: 'docker:///library/busybox#latest', memory_mb: 64, action: { run: { path: 'sleep', args: ['600'], user: 'root' } }, metric_tags: { team: { static: 'blue' } }, log_rate_limit: {} })
    await c.call({ op: 'cancel', guid: g })
  })

  t.test(`${wire}: list: all, by domain, by cell`, async t => {
    const a = guid('list-a')
    const b = guid('list-b')
    // Domains of this run alone: the other wire's run leaves its tasks behind.
    const one = guid('list-one')
    const two = guid('list-two')
    t.ok((await c.call({ op: 'desire', guid: a, domain: one, definition: sleeper() })).ok)
    t.ok((await c.call({ op: 'desire', guid: b, domain: two, definition: sleeper() })).ok)
    const all = await c.call({ op: 'list' })
    const guids = (all.tasks ?? []).map(x => x.task_guid)
    t.ok(guids.includes(a) && guids.includes(b), 'no filter: both')
    const byDomain = await c.call({ op: 'list', domain: one })
    t.same(byDomain.tasks!.map(x => x.task_guid), [a], 'domain filter')
    const running = await waitFor(c, a, task => task.cell_id !== '')
    const byCell = await c.call({ op: 'list', cell_id: running.cell_id })
    t.ok(byCell.tasks!.some(x => x.task_guid === a), 'cell filter finds the running task')
    t.ok(byCell.tasks!.every(x => x.cell_id === running.cell_id), 'and only that cell\'s')
    const none = await c.call({ op: 'list', domain: 'no-such-domain' })
    t.same(none.tasks ?? [], [], 'an empty list for an unknown domain')
    await c.call({ op: 'cancel', guid: a })
    await c.call({ op: 'cancel', guid: b })
  })

  t.test(`${wire}: cancel, resolving, delete and the errors of each`, async t => {
    const g = guid('life')
    t.ok((await c.call({ op: 'desire', guid: g, domain: 'cf-apps', definition: sleeper() })).ok)
    const early = await c.call({ op: 'resolving', guid: g })
    t.equal(early.error?.type, 'InvalidStateTransition')
    t.match(early.error?.message, /^Cannot transition from (Pending|Running) to Resolving$/)
    t.ok((await c.call({ op: 'cancel', guid: g })).ok, 'cancel')
    const cancelled = await c.call({ op: 'get', guid: g })
    t.has(cancelled.task, { state: 'Completed', failed: true, failure_reason: 'task was cancelled' })
    const twice = await c.call({ op: 'cancel', guid: g })
    t.same(twice.error, { type: 'InvalidStateTransition', message: 'Cannot transition from Completed to Completed' })
    const deleteCompleted = await c.call({ op: 'delete', guid: g })
    t.same(deleteCompleted.error, { type: 'InvalidStateTransition', message: 'Cannot transition from Completed to Resolving' })
    t.ok((await c.call({ op: 'resolving', guid: g })).ok, 'resolving')
    t.ok((await c.call({ op: 'delete', guid: g })).ok, 'delete')
    for (const op of ['get', 'cancel', 'resolving', 'delete']) {
      const gone = await c.call({ op, guid: g })
      t.equal(gone.error?.type, 'ResourceNotFound', `${op} of a deleted task is ResourceNotFound`)
    }
  })

  t.test(`${wire}: a task runs to completion with its result`, async t => {
    const g = guid('run')
    t.ok((await c.call({ op: 'desire', guid: g, domain: 'cf-apps', definition: sleeper({ action: { run: { path: 'sh', args: ['-c', 'echo 42 > result.txt'], user: 'root' } }, result_file: 'result.txt' }) })).ok)
    const done = await waitFor(c, g, task => task.state === 'Completed')
    t.has(done, { failed: false, result: '42\n' })
    t.ok(done.first_completed_at > 1e18)
  })

  t.test(`${wire}: invalid requests are InvalidRequest, never a retry`, async t => {
    const badGuid = await c.call({ op: 'desire', guid: 'bad guid', domain: 'cf-apps', definition: sleeper() })
    t.equal(badGuid.error?.type, 'InvalidRequest')
    t.match(badGuid.error?.message, /guid/)
    t.ok(badGuid.ms < 400, 'answered at once, not after the client\'s 500 ms retries')
    const noDomain = await c.call({ op: 'desire', guid: guid('nodomain'), domain: '', definition: sleeper() })
    t.equal(noDomain.error?.type, 'InvalidRequest')
    const badRootfs = await c.call({ op: 'desire', guid: guid('rootfs'), domain: 'd', definition: sleeper({ rootfs: 'ftp://x' }) })
    t.equal(badRootfs.error?.type, 'InvalidRequest')
    t.match(badRootfs.error?.message, /root_fs/)
    const noAction = await c.call({ op: 'desire', guid: guid('noaction'), domain: 'd', definition: { rootfs: 'docker:///busybox' } })
    t.equal(noAction.error?.type, 'InvalidRequest')
    const twoTags = await c.call({ op: 'desire', guid: guid('tags'), domain: 'd', definition: sleeper({ metric_tags: { x: { static: 'a', dynamic: 'INDEX' } } }) })
    t.match(twoTags.error, { type: 'InvalidRequest', message: /metric_tags\.x/ })

  })

  t.test(`${wire}: events: created, changed with before and after, removed`, async t => {
    const events = driver(args)
    t.ok((await events.call({ op: 'subscribe' })).ok)
    const g = guid('events')
    t.ok((await c.call({ op: 'desire', guid: g, domain: 'cf-apps', definition: sleeper() })).ok)
    type Seen = { type: string, task: any, before: any, after: any }
    const seen: Seen[] = []
    const next = async (): Promise<Seen> => {
      for (;;) {
        const a = await events.call({ op: 'next_event' })
        t.ok(a.ok, 'next event')
        const e = a.event!
        const about = e.task?.task_guid ?? e.after?.task_guid
        if (about === g) { seen.push(e as Seen); return e as Seen }
      }
    }
    const created = await next()
    t.equal(created.type, 'task_created')
    t.equal(created.task.state, 'Pending')
    t.equal(created.task.rootfs, 'docker:///library/busybox#latest')
    let changed = await next()
    if (changed.after.state === 'Running') {
      t.equal(changed.before.state, 'Pending', 'claimed: PENDING → RUNNING')
    }
    t.ok((await c.call({ op: 'cancel', guid: g })).ok)
    while (changed.after.state !== 'Completed') changed = await next()
    t.match(changed, { type: 'task_changed', before: { state: /Pending|Running/ }, after: { state: 'Completed', failed: true } })
    t.ok((await c.call({ op: 'resolving', guid: g })).ok)
    t.ok((await c.call({ op: 'delete', guid: g })).ok)
    const resolving = await next()
    t.match(resolving, { type: 'task_changed', before: { state: 'Completed' }, after: { state: 'Resolving' } })
    const removed = await next()
    t.match(removed, { type: 'task_removed', task: { task_guid: g, state: 'Resolving' } })
    await events.call({ op: 'close_events' })
  })
}

const fullTls = certs.client('full-client')
clientSurface('plain loopback', ['-url', server.url])
clientSurface('mutual TLS', ['-url', tlsUrl, '-ca', certs.ca, '-cert', fullTls.cert, '-key', fullTls.key])

// Both listeners: the mutual TLS one through undici with the client certificate.
const tlsAgent = new Agent({ connect: { ca: readFileSync(certs.ca), cert: readFileSync(fullTls.cert), key: readFileSync(fullTls.key) } })
t.teardown(() => tlsAgent.close())
for (const [wire, base, dispatcher] of [['plain loopback', server.url, undefined], ['mutual TLS', tlsUrl, tlsAgent]] as const) {
  t.test(`${wire}: undecodable and oversized bodies answer 200 protobuf InvalidRequest`, async t => {
    const raw = async (path: string, body: Uint8Array) => {
      const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(body), ...(dispatcher ? { dispatcher } : {}) })
      t.equal(res.statusCode, 200, `${path}: 200`)
      t.equal(res.headers['content-type'], 'application/x-protobuf')
      return fromBinary(TaskLifecycleResponseSchema, new Uint8Array(await res.body.arrayBuffer()))
    }
    const garbage = await raw('/v1/tasks/desire.r2', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))
    t.equal(garbage.error?.type, Error_Type.InvalidRequest, 'an undecodable body')
    const huge = toBinary(DesireTaskRequestSchema, create(DesireTaskRequestSchema, { taskGuid: 'huge', domain: 'd', taskDefinition: { rootFs: 'docker:///x', annotation: 'x'.repeat(70_000) } }))
    const tooBig = await raw('/v1/tasks/desire.r2', huge)
    t.equal(tooBig.error?.type, Error_Type.InvalidRequest, 'a body over the limit')
    const empty = await raw('/v1/tasks/cancel', new Uint8Array(0))
    t.equal(empty.error?.type, Error_Type.InvalidRequest, 'an empty guid')
  })
}

t.test('mutual TLS: the client certificate decides the domains', async t => {
  const cc = driver(['-url', tlsUrl, '-ca', certs.ca, '-cert', certs.client('cc-client').cert, '-key', certs.client('cc-client').key])
  t.equal((await cc.call({ op: 'ping' })).ping, true, 'ping over mutual TLS')
  const g = guid('tls')
  t.ok((await cc.call({ op: 'desire', guid: g, domain: 'cf-apps', definition: sleeper() })).ok, 'desire into a granted domain')
  t.equal((await cc.call({ op: 'get', guid: g })).task?.task_guid, g)
  const forbidden = await cc.call({ op: 'desire', guid: guid('tls-no'), domain: 'elsewhere', definition: sleeper() })
  t.match(forbidden.error, { type: 'InvalidRequest', message: /domain "elsewhere"/ })

  const other = guid('other-domain')
  t.ok((await plain.call({ op: 'desire', guid: other, domain: 'elsewhere', definition: sleeper() })).ok)
  t.equal((await cc.call({ op: 'get', guid: other })).error?.type, 'ResourceNotFound', 'another domain\'s task is absent')
  t.equal((await cc.call({ op: 'cancel', guid: other })).error?.type, 'ResourceNotFound', 'and cannot be cancelled')
  const listed = await cc.call({ op: 'list' })
  t.ok(listed.tasks!.every(x => ['cf-apps', 'cf-other'].includes(x.domain)), 'a list shows only granted domains')
  t.ok(listed.tasks!.some(x => x.task_guid === g))

  const tlsEvents = driver(['-url', tlsUrl, '-ca', certs.ca, '-cert', certs.client('cc-client').cert, '-key', certs.client('cc-client').key])
  t.ok((await tlsEvents.call({ op: 'subscribe' })).ok)
  t.ok((await plain.call({ op: 'cancel', guid: other })).ok)
  t.ok((await cc.call({ op: 'cancel', guid: g })).ok, 'cancel over mutual TLS')
  for (;;) {
    const e = (await tlsEvents.call({ op: 'next_event' })).event!
    const task = (e.task ?? e.after)!
    t.not(task.domain, 'elsewhere', 'no event of another domain')
    if (task.task_guid === g && task.state === 'Completed') break
  }
  await tlsEvents.call({ op: 'close_events' })

  const stranger = driver(['-url', tlsUrl, '-ca', certs.ca, '-cert', certs.client('stranger').cert, '-key', certs.client('stranger').key])
  const refused = await stranger.call({ op: 'list' })
  t.match(refused.error, { type: 'InvalidRequest', message: /not in TASKBBS_BBS_CLIENTS/ }, 'a signed certificate not in the configuration is refused')

  const rogue = driver(['-url', tlsUrl, '-ca', certs.ca, '-cert', certs.rogue.cert, '-key', certs.rogue.key])
  t.equal((await rogue.call({ op: 'ping' })).ping, false, 'a certificate from another CA cannot connect')

  const noCert = await new Promise<string>(resolve => {
    const req = httpsRequest(`${tlsUrl}/v1/ping`, { method: 'POST', ca: readFileSync(certs.ca) }, res => resolve(`HTTP ${res.statusCode}`))
    req.on('error', err => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`))
    req.end()
  })
  t.match(noCert, /^error/, 'no client certificate: no answer at all')

  const unknown = await new Promise<number | undefined>((resolve, reject) => {
    const req = httpsRequest(`${tlsUrl}/v1/tasks`, { method: 'GET', ca: readFileSync(certs.ca), cert: readFileSync(certs.client('cc-client').cert), key: readFileSync(certs.client('cc-client').key) }, res => { res.resume(); resolve(res.statusCode) })
    req.on('error', reject)
    req.end()
  })
  t.equal(unknown, 404, 'the JSON API is not on the BBS listener')
})

t.test('production: no plain BBS routes, mutual TLS only', async t => {
  const port = await freePort()
  const prod = await startServerProcess(t, {
    DATABASE_URL: db.url,
    TASKBBS_MODE: 'production',
    TASKBBS_TOKENS: JSON.stringify([{ name: 'ops', token: 'a-long-enough-token-for-tests', domains: '*', role: 'admin' }]),
    TASKBBS_SCHEDULER: 'false',
    TASKBBS_CALLBACKS: 'false',
    TASKBBS_BBS_PORT: String(port),
    TASKBBS_BBS_CERT_FILE: certs.serverCert,
    TASKBBS_BBS_KEY_FILE: certs.serverKey,
    TASKBBS_BBS_CA_FILE: certs.ca,
    TASKBBS_BBS_CLIENTS: ''
  })
  const plainProd = driver(['-url', prod.url])
  t.equal((await plainProd.call({ op: 'ping' })).ping, false, 'the plain listener serves no BBS route')
  const tls = driver(['-url', `https://127.0.0.1:${port}`, '-ca', certs.ca, '-cert', certs.client('stranger').cert, '-key', certs.client('stranger').key])
  const g = guid('prod')
  t.ok((await tls.call({ op: 'desire', guid: g, domain: 'anything', definition: sleeper() })).ok, 'without TASKBBS_BBS_CLIENTS every signed certificate may use every domain')
  t.match((await tls.call({ op: 'get', guid: g })).task?.state, /^(Pending|Running)$/, 'readable over mutual TLS (the development server shares the database and may have started it)')
  t.ok((await tls.call({ op: 'cancel', guid: g })).ok)
  t.equal(await prod.stop(), 0, 'drains and exits 0 with the BBS listener')
})
