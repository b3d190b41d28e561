/**
 * Every rule of a task definition (Diego's "Defining Tasks" and the design's
 * quality bars), each checked through POST /v1/tasks: a broken field is a 422
 * VALIDATION_FAILED problem whose `errors` name exactly the offending fields,
 * and the boundary value next to it is accepted, so that each test fails when
 * its rule is removed.
 */
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { taskDefinition, testApp } from '../helpers/app.ts'

const { app } = await testApp(t)
const { app: privilegedApp } = await testApp(t, { policy: { allowPrivileged: true } })

type Def = Record<string, unknown>

const run = { run: { path: 'echo', args: ['hello'], user: 'vcap' } }

function without (def: Def, ...keys: string[]): Def {
  const out = { ...def }
  for (const k of keys) delete out[k]
  return out
}

async function desire (def: Def, on: FastifyInstance = app) {
  return on.inject({ method: 'POST', url: '/v1/tasks', payload: def })
}

/** Asserts a 422 VALIDATION_FAILED problem whose errors name exactly `fields`. */
async function refused (t: Test, def: Def, fields: string | string[], why = JSON.stringify(def).slice(0, 160), on: FastifyInstance = app) {
  const res = await desire(def, on)
  t.equal(res.statusCode, 422, `422 for ${why}`)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `problem+json for ${why}`)
  const body = res.json() as { code?: string, errors?: Array<{ field: string, message: string }> }
  t.equal(body.code, 'VALIDATION_FAILED', `code for ${why}`)
  const named = [...new Set((body.errors ?? []).map(e => e.field))].sort()
  t.same(named, [fields].flat().sort(), `errors name ${[fields].flat().join(', ')} for ${why}`)
  for (const e of body.errors ?? []) t.ok(e.message.length > 0, `${e.field} has a message`)
  return body
}

let storedOnApp = 0

async function accepted (t: Test, def: Def, why = JSON.stringify(def).slice(0, 160), on: FastifyInstance = app) {
  const res = await desire(def, on)
  if (res.statusCode === 201 && on === app) storedOnApp++
  t.equal(res.statusCode, 201, `201 for ${why}${res.statusCode === 201 ? '' : `: ${res.body}`}`)
  return res.json() as Def
}

const egress = (...rules: Def[]) => taskDefinition({ egress_rules: rules })
const tcp80 = { protocol: 'tcp', destinations: ['10.0.0.1'], ports: [80] }

t.test('a minimal definition (guid, domain, root_fs, action) is accepted', async t => {
  await accepted(t, taskDefinition())
})

t.test('the seed example, in snake_case JSON, is accepted and read back as sent without the image password', async t => {
  // diego-defining-tasks.md's DesireTask call, field for field, plus the image
  // credentials the same document defines.
  const seed: Def = {
    guid: 'task-guid',
    domain: 'domain',
    root_fs: 'docker:///docker.com/docker',
    image_username: 'registry-user',
    image_password: 'registry-password',
    env: [{ name: 'FOO', value: 'BAR' }],
    cached_dependencies: [{
      name: 'app bits',
      from: 'https://blobstore.com/bits/app-bits',
      to: '/usr/local/app',
      cache_key: 'cache-key',
      log_source: 'log-source',
      checksum_algorithm: 'md5',
      checksum_value: 'the-checksum'
    }],
    image_layers: [{
      url: 'https://blobstore.com/bits/other-bits',
      destination_path: '/usr/local/app/other',
      digest_value: 'some digest',
      digest_algorithm: 'SHA256',
      media_type: 'TGZ',
      layer_type: 'EXCLUSIVE'
    }],
    action: { run: { user: 'user', path: 'echo', args: ['hello world'], resource_limits: {} } },
    memory_mb: 256,
    disk_mb: 1024,
    max_pids: 1024,
    cpu_weight: 42,
    privileged: true,
    log_guid: '123',
    log_source: 'APP',
    metrics_guid: '456',
    completion_callback_url: 'http://36.195.164.128:8080',
    result_file: 'some-file.txt',
    egress_rules: [
      { protocol: 'tcp', destinations: ['0.0.0.0/0'], port_range: { start: 1, end: 1024 }, log: true },
      { protocol: 'udp', destinations: ['8.8.0.0/16'], ports: [53] }
    ],
    annotation: 'place any label/note/thing here',
    trusted_system_certificates_path: '/etc/somepath',
    volume_mounts: [{ driver: 'my-driver', container_dir: '/mnt/mypath', mode: 'r', shared: { volume_id: 'my-volume' } }],
    placement_tags: ['tag-1', 'tag-2']
  }
  await refused(t, seed, 'privileged', 'the seed on a server that refuses privileged tasks')

  const created = await accepted(t, seed, 'the seed', privilegedApp)
  const got = await privilegedApp.inject({ method: 'GET', url: '/v1/tasks/task-guid' })
  t.equal(got.statusCode, 200)
  const task = got.json() as Def
  t.same(task, created, 'GET returns what POST answered')
  t.notOk('image_password' in task, 'the password is not returned')
  t.notMatch(got.body, /registry-password/)
  const sent = without(seed, 'image_password')
  const readBack = Object.fromEntries(Object.keys(sent).map(k => [k, task[k]]))
  t.same(readBack, sent, 'every field reads back as sent')
  t.equal(task.state, 'PENDING')
})

t.test('guid', async t => {
  t.test('is required', async t => {
    await refused(t, without(taskDefinition(), 'guid'), 'guid')
  })
  t.test('must not be empty', async t => {
    await refused(t, taskDefinition({ guid: '' }), 'guid')
  })
  t.test('may hold only a-z, A-Z, 0-9, _ and -', async t => {
    for (const guid of ['has space', 'gu\u00efd', 'emoji-\u{1F600}', 'a/b', 'a\u0000b', 'a.b', 'a:b', 'line\nbreak']) {
      await refused(t, taskDefinition({ guid }), 'guid', JSON.stringify(guid))
    }
    await accepted(t, taskDefinition({ guid: 'abcxyzABCXYZ0189_-' }))
    await accepted(t, taskDefinition({ guid: '-' }))
  })
  t.test('is at most 255 characters', async t => {
    await refused(t, taskDefinition({ guid: 'g'.repeat(256) }), 'guid')
    await accepted(t, taskDefinition({ guid: 'g'.repeat(255) }))
  })
})

t.test('a task desired with the longest guid (255 characters) can be read, cancelled, resolved and deleted', async t => {
  const guid = 'L'.repeat(255)
  await accepted(t, taskDefinition({ guid }))
  t.equal((await app.inject({ method: 'GET', url: `/v1/tasks/${guid}` })).statusCode, 200, 'GET')
  t.equal((await app.inject({ method: 'POST', url: `/v1/tasks/${guid}/cancel` })).statusCode, 200, 'cancel')
  t.equal((await app.inject({ method: 'POST', url: `/v1/tasks/${guid}/resolving` })).statusCode, 200, 'resolving')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/tasks/${guid}` })).statusCode, 204, 'DELETE')
  storedOnApp--
})

t.test('a guid path segment that is not valid percent-encoding is a 400 problem+json', async t => {
  for (const [method, url] of [['GET', '/v1/tasks/%FF'], ['GET', '/v1/tasks/%'], ['POST', '/v1/tasks/%ED%A0%80/cancel']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 400, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url)
    t.equal(res.json().code, 'BAD_REQUEST', url)
  }
})

t.test('domain', async t => {
  t.test('is required', async t => {
    await refused(t, without(taskDefinition(), 'domain'), 'domain')
  })
  t.test('must not be empty', async t => {
    await refused(t, taskDefinition({ domain: '' }), 'domain')
    await accepted(t, taskDefinition({ domain: 'd' }))
  })
})

t.test('root_fs', async t => {
  t.test('is required', async t => {
    await refused(t, without(taskDefinition(), 'root_fs'), 'root_fs')
  })
  t.test('is preloaded:NAME or a docker URI, with or without a registry host', async t => {
    for (const root_fs of [
      'preloaded:cflinuxfs3',
      'preloaded:ROOTFS-NAME',
      'docker:///docker-org/docker-image#docker-tag',
      'docker://index.myregistry.gov/docker-org/docker-image#docker-tag',
      'docker://registry.example.com:5000/org/image#1.2.3',
      'docker:///busybox'
    ]) await accepted(t, taskDefinition({ root_fs }))
  })
  t.test('anything else is refused', async t => {
    for (const root_fs of ['', 'http://x', 'docker:', 'docker://', 'docker:///', 'preloaded:', 'cflinuxfs3', 'preloaded:a b',
      'docker://bad host/org/image', 'docker:///org/image#tag#tag', 'docker:///Org/Image']) {
      await refused(t, taskDefinition({ root_fs }), 'root_fs', JSON.stringify(root_fs))
    }
  })
})

t.test('image_username and image_password are set together', async t => {
  await refused(t, taskDefinition({ image_username: 'me' }), 'image_password', 'a username without a password')
  await refused(t, taskDefinition({ image_password: 'secret' }), 'image_username', 'a password without a username')
  await accepted(t, taskDefinition({ image_username: 'me', image_password: 'secret' }))
})

t.test('cpu_weight is an integer from 1 to 100', async t => {
  for (const cpu_weight of [0, 101, 1.5, -1, '5', true, null]) {
    await refused(t, taskDefinition({ cpu_weight }), 'cpu_weight', JSON.stringify(cpu_weight))
  }
  await accepted(t, taskDefinition({ cpu_weight: 1 }))
  await accepted(t, taskDefinition({ cpu_weight: 100 }))
})

for (const field of ['disk_mb', 'memory_mb', 'max_pids']) {
  t.test(`${field} is an integer ≥ 0; 0 means no limit`, async t => {
    for (const value of [-1, 1.5, '5', 1e20, null]) {
      await refused(t, taskDefinition({ [field]: value }), field, `${field}: ${JSON.stringify(value)}`)
    }
    await accepted(t, taskDefinition({ [field]: 0 }))
    await accepted(t, taskDefinition({ [field]: 2147483647 }))
  })
}

t.test('annotation is at most 10 KiB counted in UTF-8 bytes', async t => {
  await accepted(t, taskDefinition({ annotation: 'a'.repeat(10240) }), '10240 ASCII bytes')
  await refused(t, taskDefinition({ annotation: 'a'.repeat(10241) }), 'annotation', '10241 ASCII bytes')
  // 3414 × '€' (3 bytes each) is 10242 bytes in 3414 characters.
  await refused(t, taskDefinition({ annotation: '€'.repeat(3414) }), 'annotation', "3414 '€' = 10242 bytes")
  await accepted(t, taskDefinition({ annotation: '€'.repeat(3413) + 'a' }), "3413 '€' + 'a' = 10240 bytes")
})

t.test('action', async t => {
  t.test('is required', async t => {
    await refused(t, without(taskDefinition(), 'action'), 'action')
  })
  t.test('names exactly one kind', async t => {
    await refused(t, taskDefinition({ action: {} }), 'action', 'no kind')
    await refused(t, taskDefinition({ action: { ...run, try: { action: run } } }), 'action', 'two kinds')
    await refused(t, taskDefinition({ action: { shell: { path: 'sh' } } }), 'action.shell', 'an unknown kind')
  })

  t.test('each kind has its required fields', async t => {
    const required: Record<string, string[]> = {
      run: ['path', 'user'],
      download: ['from', 'to', 'user'],
      upload: ['from', 'to', 'user'],
      timeout: ['action', 'timeout_ms'],
      emit_progress: ['action'],
      try: ['action'],
      parallel: ['actions'],
      serial: ['actions'],
      codependent: ['actions']
    }
    for (const [kind, fields] of Object.entries(required)) {
      await refused(t, taskDefinition({ action: { [kind]: {} } }), fields.map(f => `action.${kind}.${f}`), `an empty ${kind}`)
    }
  })

  t.test('each kind with its required fields is accepted', async t => {
    const minimal: Record<string, Def> = {
      run: { path: '/bin/true', user: 'vcap' },
      download: { from: 'https://example.com/app.tgz', to: '/app', user: 'vcap' },
      upload: { from: '/tmp/out', to: 'https://example.com/upload', user: 'vcap' },
      timeout: { action: run, timeout_ms: 1 },
      emit_progress: { action: run },
      try: { action: run },
      parallel: { actions: [run] },
      serial: { actions: [run] },
      codependent: { actions: [run] }
    }
    for (const [kind, body] of Object.entries(minimal)) await accepted(t, taskDefinition({ action: { [kind]: body } }), kind)
  })

  t.test('composite actions hold at least one action', async t => {
    for (const kind of ['parallel', 'serial', 'codependent']) {
      await refused(t, taskDefinition({ action: { [kind]: { actions: [] } } }), `action.${kind}.actions`, `${kind} with no actions`)
    }
  })

  t.test('timeout_ms is at least 1', async t => {
    await refused(t, taskDefinition({ action: { timeout: { action: run, timeout_ms: 0 } } }), 'action.timeout.timeout_ms')
  })

  t.test('nested composite actions are validated at every level and accepted when valid', async t => {
    const tree = {
      serial: {
        actions: [
          { download: { from: 'https://example.com/a.tgz', to: '/app', user: 'vcap', checksum_algorithm: 'sha256', checksum_value: 'abc123' } },
          { parallel: { actions: [run, { try: { action: run } }] } },
          { timeout: { timeout_ms: 60000, action: { emit_progress: { start_message: 'go', action: { codependent: { actions: [run, run] } } } } } },
          { upload: { from: '/tmp/out', to: 'https://example.com/up', user: 'vcap' } }
        ]
      }
    }
    await accepted(t, taskDefinition({ action: tree }))
    // JSON copy, not structuredClone: the tree shares `run`, and the clone must not.
    const broken = JSON.parse(JSON.stringify(tree)) as { serial: { actions: Array<Record<string, any>> } }
    delete broken.serial.actions[2].timeout.action.emit_progress.action.codependent.actions[1].run.user
    broken.serial.actions[1].parallel.actions[1].try.action = { run: { path: 'x', user: 'vcap', bogus: 1 } }
    await refused(t, taskDefinition({ action: broken }), [
      'action.serial.actions[2].timeout.action.emit_progress.action.codependent.actions[1].run.user',
      'action.serial.actions[1].parallel.actions[1].try.action.run.bogus'
    ])
  })

  t.test('actions nest at most 32 levels deep', async t => {
    const nest = (levels: number): Def => levels === 1 ? run : { try: { action: nest(levels - 1) } }
    await accepted(t, taskDefinition({ action: nest(32) }), '32 levels')
    await refused(t, taskDefinition({ action: nest(33) }), 'action' + '.try.action'.repeat(32), '33 levels')
    const serialNest = (levels: number): Def => levels === 1 ? run : { serial: { actions: [run, serialNest(levels - 1)] } }
    await accepted(t, taskDefinition({ action: serialNest(32) }), '32 levels of serial')
    const level32 = 'action' + '.serial.actions[1]'.repeat(31)
    await refused(t, taskDefinition({ action: serialNest(33) }), [`${level32}.serial.actions[0]`, `${level32}.serial.actions[1]`], '33 levels of serial')
  })

  t.test('download and upload URLs use allowed schemes; paths do not climb out with ..', async t => {
    const download = (over: Def) => taskDefinition({ action: { download: { from: 'https://example.com/a.tgz', to: '/app', user: 'vcap', ...over } } })
    await refused(t, download({ from: 'ftp://example.com/a.tgz' }), 'action.download.from')
    await refused(t, download({ to: '/app/../../etc' }), 'action.download.to')
    await accepted(t, download({ from: 'file:///var/vcap/a.tgz' }))
    const upload = (over: Def) => taskDefinition({ action: { upload: { from: '/tmp/out', to: 'https://example.com/up', user: 'vcap', ...over } } })
    await refused(t, upload({ to: 'file:///etc/passwd' }), 'action.upload.to')
    await refused(t, upload({ from: '../secret' }), 'action.upload.from')
  })
})

t.test('download checksum_algorithm and checksum_value are set together', async t => {
  const download = (over: Def) => taskDefinition({ action: { download: { from: 'https://example.com/a.tgz', to: '/app', user: 'vcap', ...over } } })
  await refused(t, download({ checksum_algorithm: 'sha256' }), 'action.download.checksum_value', 'an algorithm without a value')
  await refused(t, download({ checksum_value: 'abc' }), 'action.download.checksum_algorithm', 'a value without an algorithm')
  await refused(t, download({ checksum_algorithm: 'crc32', checksum_value: 'abc' }), 'action.download.checksum_algorithm', 'an unknown algorithm')
  for (const algorithm of ['md5', 'sha1', 'sha256']) await accepted(t, download({ checksum_algorithm: algorithm, checksum_value: 'abc' }), algorithm)
})

t.test('cached_dependencies', async t => {
  const dep = (over: Def) => taskDefinition({ cached_dependencies: [{ from: 'https://example.com/bits', to: '/app', cache_key: 'k', ...over }] })
  t.test('checksum_algorithm and checksum_value are set together', async t => {
    await refused(t, dep({ checksum_algorithm: 'md5' }), 'cached_dependencies[0].checksum_value')
    await refused(t, dep({ checksum_value: 'abc' }), 'cached_dependencies[0].checksum_algorithm')
    await accepted(t, dep({ checksum_algorithm: 'md5', checksum_value: 'abc' }))
    await accepted(t, dep({}))
  })
  t.test('need from, to and cache_key; from is an http(s) or file URL', async t => {
    await refused(t, taskDefinition({ cached_dependencies: [{}] }),
      ['cached_dependencies[0].from', 'cached_dependencies[0].to', 'cached_dependencies[0].cache_key'])
    await refused(t, dep({ from: 'gopher://example.com/bits' }), 'cached_dependencies[0].from')
  })
})

t.test('image_layers', async t => {
  const layer = (over: Def) => taskDefinition({
    image_layers: [{ url: 'https://example.com/layer.tgz', destination_path: '/layer', layer_type: 'SHARED', media_type: 'TGZ', ...over }]
  })
  t.test('need url, destination_path, layer_type and media_type', async t => {
    await refused(t, taskDefinition({ image_layers: [{}] }),
      ['image_layers[0].url', 'image_layers[0].destination_path', 'image_layers[0].layer_type', 'image_layers[0].media_type'])
  })
  t.test('layer_type, media_type and digest_algorithm take their enumerated values', async t => {
    await refused(t, layer({ layer_type: 'PRIVATE' }), 'image_layers[0].layer_type')
    await refused(t, layer({ media_type: 'RAR' }), 'image_layers[0].media_type')
    await refused(t, layer({ digest_algorithm: 'MD5', digest_value: 'abc' }), 'image_layers[0].digest_algorithm')
    for (const media_type of ['TGZ', 'TAR', 'ZIP']) await accepted(t, layer({ media_type }))
    for (const digest_algorithm of ['SHA256', 'SHA512']) await accepted(t, layer({ digest_algorithm, digest_value: 'abc' }))
  })
  t.test('digest_algorithm and digest_value are set together', async t => {
    await refused(t, layer({ digest_algorithm: 'SHA256' }), 'image_layers[0].digest_value', 'an algorithm without a value')
    await refused(t, layer({ digest_value: 'abc' }), 'image_layers[0].digest_algorithm', 'a value without an algorithm')
  })
  t.test('an EXCLUSIVE layer needs a digest; a SHARED one does not', async t => {
    await refused(t, layer({ layer_type: 'EXCLUSIVE' }), ['image_layers[0].digest_algorithm', 'image_layers[0].digest_value'])
    await accepted(t, layer({ layer_type: 'EXCLUSIVE', digest_algorithm: 'SHA256', digest_value: 'abc' }))
    await accepted(t, layer({ layer_type: 'SHARED' }))
  })
  t.test('url is an http(s) or file URL', async t => {
    await refused(t, layer({ url: 'ftp://example.com/layer.tgz' }), 'image_layers[0].url')
  })
})

t.test('egress_rules', async t => {
  t.test('protocol is one of tcp, udp, icmp, icmpv6, all', async t => {
    for (const protocol of ['sctp', 'TCP', '', 'any']) {
      await refused(t, egress({ ...tcp80, protocol }), 'egress_rules[0].protocol', JSON.stringify(protocol))
    }
    await refused(t, egress(without(tcp80, 'protocol')), 'egress_rules[0].protocol', 'no protocol')
    await accepted(t, egress({ ...tcp80, protocol: 'tcp' }))
    await accepted(t, egress({ ...tcp80, protocol: 'udp' }))
    await accepted(t, egress({ protocol: 'icmp', destinations: ['10.0.0.1'], icmp_info: { type: 8, code: 0 } }))
    await accepted(t, egress({ protocol: 'icmpv6', destinations: ['::1'], icmp_info: { type: -1, code: -1 } }))
    await accepted(t, egress({ protocol: 'all', destinations: ['10.0.0.0/8'] }))
  })

  t.test('at least one destination', async t => {
    await refused(t, egress({ ...tcp80, destinations: [] }), 'egress_rules[0].destinations')
    await refused(t, egress(without(tcp80, 'destinations')), 'egress_rules[0].destinations')
  })

  t.test('destinations are IPs, CIDRs or ranges ip1-ip2 with ip1 ≤ ip2', async t => {
    for (const d of ['10.0.0.1', '0.0.0.0/0', '10.0.0.0/8', '10.0.0.1/32', '10.0.0.1-10.0.0.9', '10.0.0.5-10.0.0.5',
      '::1', '::', '2001:db8::/32', '2001:db8::1-2001:db8::ff', '::ffff:1.2.3.4', 'fe80::/10']) {
      await accepted(t, egress({ ...tcp80, destinations: [d] }), d)
    }
    for (const d of ['300.1.1.1', '10.0.0.0/33', '10.0.0.9-10.0.0.1', '10.0.0.1-::1', 'example.com', '10.0.0', '10.0.0.1/', '2001:db8::/129',
      '1::2::3', '10.0.0.1 ', '01.2.3.4', '10.0.0.1-10.0.0.2-10.0.0.3']) {
      // The bad one second, in the second rule: the error names its index.
      await refused(t, egress(tcp80, { ...tcp80, destinations: ['10.0.0.1', d] }), 'egress_rules[1].destinations[1]', JSON.stringify(d))
    }
  })

  t.test('tcp and udp need exactly one of ports or port_range', async t => {
    for (const protocol of ['tcp', 'udp']) {
      const base = { protocol, destinations: ['10.0.0.1'] }
      await refused(t, egress(base), 'egress_rules[0].ports', `${protocol} without ports`)
      await refused(t, egress({ ...base, ports: [80], port_range: { start: 1, end: 2 } }), 'egress_rules[0].ports', `${protocol} with both`)
      await accepted(t, egress({ ...base, ports: [80, 443] }))
      await accepted(t, egress({ ...base, port_range: { start: 8000, end: 8080 } }))
    }
  })

  t.test('port_range start ≤ end', async t => {
    await refused(t, egress({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 10, end: 9 } }), 'egress_rules[0].port_range')
    await accepted(t, egress({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 10, end: 10 } }))
  })

  t.test('ports are 1..65535', async t => {
    await refused(t, egress({ ...tcp80, ports: [0] }), 'egress_rules[0].ports[0]')
    await refused(t, egress({ ...tcp80, ports: [80, 65536] }), 'egress_rules[0].ports[1]')
    await refused(t, egress({ ...tcp80, ports: [] }), 'egress_rules[0].ports')
    await refused(t, egress({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 0, end: 10 } }), 'egress_rules[0].port_range.start')
    await refused(t, egress({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 1, end: 65536 } }), 'egress_rules[0].port_range.end')
    await accepted(t, egress({ ...tcp80, ports: [1, 65535] }))
    await accepted(t, egress({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 1, end: 65535 } }))
  })

  t.test('icmp and icmpv6 need icmp_info and refuse ports', async t => {
    for (const protocol of ['icmp', 'icmpv6']) {
      const base = { protocol, destinations: ['10.0.0.1'] }
      const info = { icmp_info: { type: 0, code: 0 } }
      await refused(t, egress(base), 'egress_rules[0].icmp_info', `${protocol} without icmp_info`)
      await refused(t, egress({ ...base, ...info, ports: [80] }), 'egress_rules[0].ports', `${protocol} with ports`)
      await refused(t, egress({ ...base, ...info, port_range: { start: 1, end: 2 } }), 'egress_rules[0].port_range', `${protocol} with port_range`)
      await accepted(t, egress({ ...base, ...info }))
    }
    await refused(t, egress({ protocol: 'icmp', destinations: ['10.0.0.1'], icmp_info: { type: 0 } }), 'egress_rules[0].icmp_info.code')
  })

  t.test('tcp and udp refuse icmp_info', async t => {
    await refused(t, egress({ ...tcp80, icmp_info: { type: 0, code: 0 } }), 'egress_rules[0].icmp_info')
  })

  t.test('all refuses ports, port_range and icmp_info', async t => {
    const base = { protocol: 'all', destinations: ['10.0.0.1'] }
    await refused(t, egress({ ...base, ports: [80] }), 'egress_rules[0].ports')
    await refused(t, egress({ ...base, port_range: { start: 1, end: 2 } }), 'egress_rules[0].port_range')
    await refused(t, egress({ ...base, icmp_info: { type: 0, code: 0 } }), 'egress_rules[0].icmp_info')
    await accepted(t, egress(base))
  })
})

t.test('completion_callback_url is an http or https URL', async t => {
  for (const url of ['ftp://example.com/cb', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd', 'http://',
    'http://example.com/cb\r\nX-Injected: 1', 'http://example.com/\ncb', 'http://exa\tmple.com/', '']) {
    await refused(t, taskDefinition({ completion_callback_url: url }), 'completion_callback_url', JSON.stringify(url))
  }
  await accepted(t, taskDefinition({ completion_callback_url: 'http://36.195.164.128:8080' }))
  await accepted(t, taskDefinition({ completion_callback_url: 'https://example.com:8443/callbacks?task=1' }))
})

t.test('result_file must not contain ".." segments', async t => {
  for (const result_file of ['..', '../etc/passwd', '/tmp/../../etc/shadow', 'a/..']) {
    await refused(t, taskDefinition({ result_file }), 'result_file', result_file)
  }
  for (const result_file of ['some-file.txt', '/tmp/result.json', 'a..b', '..hidden']) {
    await accepted(t, taskDefinition({ result_file }), result_file)
  }
})

t.test('privileged: true is refused unless the server allows privileged tasks', async t => {
  await refused(t, taskDefinition({ privileged: true }), 'privileged')
  await accepted(t, taskDefinition({ privileged: false }))
  await accepted(t, taskDefinition({ privileged: true }), 'privileged on a server that allows it', privilegedApp)
})

t.test('unknown fields are refused, naming them, at any depth', async t => {
  await refused(t, taskDefinition({ bogus: 1 }), 'bogus')
  await refused(t, without(taskDefinition({ rootFs: 'docker:///busybox' }), 'root_fs'), ['rootFs', 'root_fs'], 'camelCase instead of snake_case')
  await refused(t, taskDefinition({ state: 'COMPLETED', cell_id: 'cell-1', result: 'forged' }), ['state', 'cell_id', 'result'], 'server-owned task fields')
  await refused(t, taskDefinition({ action: { run: { path: 'echo', user: 'vcap', shell: true } } }), 'action.run.shell')
  await refused(t, egress({ ...tcp80, bogus: true }), 'egress_rules[0].bogus')
  await refused(t, taskDefinition({ env: [{ name: 'A', value: 'b', secret: true }] }), 'env[0].secret')
})

t.test('strings Postgres cannot store (NUL, lone UTF-16 surrogates) are refused, in values and field names', async t => {
  await refused(t, taskDefinition({ annotation: 'a\u0000b' }), 'annotation')
  await refused(t, taskDefinition({ env: [{ name: 'A', value: 'x\u0000' }] }), 'env[0].value')
  await refused(t, taskDefinition({ action: { run: { path: 'echo', user: 'vcap', args: ['\u0000'] } } }), 'action.run.args[0]')
  await refused(t, taskDefinition({ annotation: 'x\ud800y' }), 'annotation', 'a lone high surrogate')
  await refused(t, taskDefinition({ domain: 'd\udc00' }), 'domain', 'a lone low surrogate')
  await refused(t, taskDefinition({ env: [{ name: 'A', value: '\ud83d' }] }), 'env[0].value', 'half an emoji')
  // affinity is written as Kubernetes spells it, every field known: a bad key is an unknown field.
  await refused(t, taskDefinition({ kubernetes: { affinity: { nodeAffinity: { 'a\u0000b': {} } } } }), 'kubernetes.affinity.nodeAffinity.a\u0000b', 'NUL in a key')
  await refused(t, taskDefinition({ kubernetes: { affinity: { nodeAffinity: { '\udfff': {} } } } }), 'kubernetes.affinity.nodeAffinity.\udfff', 'a surrogate key')
  const term = (value: string) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: [value] }] }] })
  await refused(t, taskDefinition({ kubernetes: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('\ud800') } } } }),
    'kubernetes.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]')
  const created = await accepted(t, taskDefinition({ domain: 'd\u00e9', annotation: 'caf\u00e9 \u{1F600} \u20ac' }), 'well-formed non-ASCII text')
  t.equal(created.annotation, 'caf\u00e9 \u{1F600} \u20ac', 'is stored as sent')
  t.equal(created.domain, 'd\u00e9')
})

t.test('one request with several bad fields lists every one of them', async t => {
  await refused(t, {
    guid: 'bad guid',
    domain: '',
    root_fs: 'http://x',
    cpu_weight: 0,
    memory_mb: -1,
    disk_mb: 1.5,
    bogus: 1,
    egress_rules: [{ protocol: 'sctp', destinations: [] }]
  }, ['guid', 'domain', 'root_fs', 'cpu_weight', 'memory_mb', 'disk_mb', 'bogus', 'egress_rules[0].protocol', 'egress_rules[0].destinations', 'action'],
  'shape errors')

  await refused(t, taskDefinition({
    root_fs: 'docker://bad host/org/image',
    image_username: 'me',
    annotation: '€'.repeat(3414),
    completion_callback_url: 'ftp://example.com',
    result_file: '../x',
    privileged: true,
    egress_rules: [{ protocol: 'tcp', destinations: ['example.com'], ports: [80] }, { protocol: 'all', destinations: ['10.0.0.1'], ports: [1] }],
    cached_dependencies: [{ from: 'https://example.com/bits', to: '/app', cache_key: 'k', checksum_algorithm: 'md5' }],
    action: { serial: { actions: [{ try: { action: nestedTooDeep() } }] } }
  }), ['root_fs', 'image_password', 'annotation', 'completion_callback_url', 'result_file', 'privileged',
    'egress_rules[0].destinations[0]', 'egress_rules[1].ports', 'cached_dependencies[0].checksum_value',
    'action.serial.actions[0].try.action' + '.try.action'.repeat(30)], 'rule errors')
})

function nestedTooDeep (): Def {
  let a: Def = run
  for (let i = 0; i < 31; i++) a = { try: { action: a } }
  return a
}

t.test('shape errors and rule errors in one request are all listed',
  async t => {
    await refused(t, taskDefinition({ guid: 'bad guid', annotation: '€'.repeat(3414), image_username: 'me' }),
      ['guid', 'annotation', 'image_password'])
  })

t.test('nothing refused was stored', async t => {
  const res = await app.inject({ method: 'GET', url: '/v1/tasks?limit=1000' })
  t.equal(res.json().tasks.length, storedOnApp, 'only the accepted definitions are stored')
})
