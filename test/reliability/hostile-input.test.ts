/**
 * The hostile input corpus, sent over real HTTP to the app listening on
 * loopback: broken JSON, wrong media types, 10 MB bodies, 10,000-deep nesting,
 * huge arrays, NUL and unpaired surrogates in every string field, numbers out of
 * range, bad limits, duplicate and prototype keys, SQL metacharacters in every
 * filter and path parameter, path traversal, CR/LF in URLs, and requests Node's
 * HTTP parser refuses. Rule for each: a clear 4xx problem+json, never a 5xx,
 * the server keeps answering, and no row is stored. Each category prints its
 * figures (inputs, refusals, 5xx, rows before and after) for RELIABILITY.md.
 */
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { testApp } from '../helpers/app.ts'
import { listen } from '../helpers/sse.ts'

const BODY_LIMIT = 1 << 20
const { app, pool } = await testApp(t, { bodyLimit: BODY_LIMIT })
const base = await listen(app)
const { port } = new URL(base)

interface Answer { status: number, type: string, body: string }
/** A value for a test name: JSON, ASCII only (a TAP reader splits lines on U+2028, U+0085 and the like), cut short. */
const show = (v: unknown, max = 50) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, max)
const PROBLEM = /^application\/problem\+json/

/** One HTTP exchange on a fresh socket, bytes as given; whatever comes back (the server may close early). */
function raw (head: string, body: Buffer | Buffer[] = [], timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(Number(port), '127.0.0.1')
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer in ${timeoutMs} ms to ${head.split('\r\n')[0].slice(0, 80)}`)) }, timeoutMs)
    let answered = false
    const finish = () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('latin1')
      const cut = text.indexOf('\r\n\r\n')
      if (cut < 0) return reject(new Error(`no HTTP answer to ${head.split('\r\n')[0].slice(0, 80)}: ${JSON.stringify(text.slice(0, 200))}`))
      const [statusLine, ...lines] = text.slice(0, cut).split('\r\n')
      const headers = new Map(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      const length = Number(headers.get('content-length') ?? text.length - cut - 4)
      resolve({ status: Number(statusLine.split(' ')[1]), type: headers.get('content-type') ?? '', body: Buffer.from(text.slice(cut + 4, cut + 4 + length), 'latin1').toString('utf8') })
    }
    socket.on('data', d => {
      chunks.push(d)
      answered = true
      const text = Buffer.concat(chunks).toString('latin1')
      const cut = text.indexOf('\r\n\r\n')
      const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, cut))
      if (cut >= 0 && m && text.length - cut - 4 >= Number(m[1])) { socket.destroy(); finish() }
    })
    socket.on('close', () => { if (!socket.destroyed || answered) finish() })
    socket.on('error', () => {}) // EPIPE/ECONNRESET once the server has answered and closed: the answer is what counts
    socket.on('connect', async () => {
      socket.write(head)
      for (const c of Array.isArray(body) ? body : [body]) {
        if (answered || socket.destroyed) break
        if (!socket.write(c)) await new Promise(resolve => { socket.once('drain', resolve); socket.once('close', resolve) })
      }
    })
  })
}

async function http (method: string, path: string, opts: { body?: string | Buffer, type?: string } = {}): Promise<Answer> {
  const res = await request(`${base}${path}`, {
    method: method as 'GET',
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    headers: opts.type === undefined ? {} : { 'content-type': opts.type }
  })
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: await res.body.text() }
}
const post = (body: string | Buffer, type = 'application/json') => http('POST', '/v1/tasks', { body, type })
const desire = (def: unknown) => post(JSON.stringify(def))

const storedRows = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0].n

interface Tally { inputs: number, refused: number, fiveXX: number, before: number, after?: number }
const tallies = new Map<string, Tally>()

/** Asserts the refusal and counts it for the category's figures. */
function refused (t: Test, tally: Tally, a: Answer, expect: { status: number | number[], code?: string, field?: string }, what: string) {
  tally.inputs++
  if (a.status >= 500) tally.fiveXX++
  const statuses = Array.isArray(expect.status) ? expect.status : [expect.status]
  let body: { status?: number, code?: string, detail?: string, type?: string, errors?: Array<{ field: string }> } = {}
  try { body = JSON.parse(a.body) } catch {}
  const ok = statuses.includes(a.status) && PROBLEM.test(a.type) && body.status === a.status &&
    typeof body.code === 'string' && body.type === `urn:taskbbs:problem:${body.code}` && typeof body.detail === 'string' && body.detail.length > 0 &&
    (expect.code === undefined || body.code === expect.code) &&
    (expect.field === undefined || (body.errors ?? []).some(e => e.field === expect.field || e.field.startsWith(`${expect.field}.`) || e.field.startsWith(`${expect.field}[`)))
  if (ok) tally.refused++
  t.ok(ok, `${what}: ${a.status} ${body.code ?? a.type}${expect.field ? ` naming ${expect.field}` : ''}`, ok ? {} : { got: { status: a.status, type: a.type, body: a.body.slice(0, 400) }, expect })
  t.ok(a.body.length < 64 * 1024, `${what}: the answer stays small (${a.body.length} bytes)`)
}

/** A category: counts rows before and after, checks the server still answers, prints the figures. */
function category (name: string, fn: (t: Test, tally: Tally) => Promise<void>, opts: { stores?: number } = {}) {
  t.test(name, async t => {
    const tally: Tally = { inputs: 0, refused: 0, fiveXX: 0, before: await storedRows() }
    tallies.set(name, tally)
    await fn(t, tally)
    tally.after = await storedRows()
    t.equal(tally.after - tally.before, opts.stores ?? 0, opts.stores ? `exactly ${opts.stores} rows stored` : 'nothing was stored')
    t.equal(tally.fiveXX, 0, 'no 5xx')
    const health = await http('GET', '/healthz')
    t.equal(health.status, 200, 'the server still answers')
    t.comment(`figures: ${name}: ${tally.inputs} inputs, ${tally.refused} refused with a 4xx problem+json, ${tally.fiveXX} 5xx, rows ${tally.before} → ${tally.after}`)
  })
}

let n = 0
const guid = () => `hostile-${++n}`
const minimal = (o: Record<string, unknown> = {}) => ({ guid: guid(), domain: 'hostile', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } }, ...o })

/** A definition that sets every string field the API has (and is valid). */
function everyField (): Record<string, unknown> {
  return {
    guid: guid(),
    domain: 'hostile',
    root_fs: 'docker://registry.example.com/org/image#v1',
    image_username: 'user',
    image_password: 'secret-password',
    env: [{ name: 'A', value: 'a' }],
    cached_dependencies: [{ name: 'dep', from: 'https://dl.example.com/d.tgz', to: '/deps', cache_key: 'k', log_source: 'DEP', checksum_algorithm: 'sha256', checksum_value: 'abc' }],
    image_layers: [{ name: 'layer', url: 'https://dl.example.com/l.tgz', destination_path: '/layer', layer_type: 'SHARED', media_type: 'TGZ', digest_algorithm: 'SHA256', digest_value: 'def' }],
    trusted_system_certificates_path: '/etc/certs',
    volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'rw', shared: { volume_id: 'vol', mount_config: '{}' } }],
    placement_tags: ['tag'],
    action: {
      serial: {
        log_source: 'SERIAL',
        actions: [
          { run: { path: 'sh', args: ['-c', 'true'], dir: '/work', env: [{ name: 'B', value: 'b' }], user: 'root', log_source: 'RUN' } },
          { download: { from: 'https://dl.example.com/x.tgz', to: '/x', cache_key: 'x', artifact: 'x', user: 'root', checksum_algorithm: 'md5', checksum_value: 'c', log_source: 'DL' } },
          { upload: { from: '/out.txt', to: 'https://up.example.com/u', artifact: 'u', user: 'root', log_source: 'UP' } },
          { emit_progress: { action: { timeout: { action: { try: { action: { run: { path: 'true', user: 'root' } } } }, timeout_ms: 1000 } }, start_message: 'go', success_message: 'ok', failure_message_prefix: 'bad', log_source: 'EP' } }
        ]
      }
    },
    result_file: '/result.txt',
    completion_callback_url: 'https://hooks.example.com/cb',
    egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443], annotations: ['note'] }],
    log_guid: 'lg',
    log_source: 'LS',
    metrics_guid: 'mg',
    annotation: 'note',
    kubernetes: {
      node_selector: [{ key: 'zone', value: 'a' }],
      tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
      resources: { limits: { cpu: '1' } },
      secrets: ['s']
    }
  }
}

/** Every string leaf of a value, as [API field path, setter]. */
function stringLeaves (value: unknown, path = ''): Array<{ path: string, set: (root: Record<string, unknown>, v: string) => void }> {
  const out: Array<{ path: string, set: (root: Record<string, unknown>, v: string) => void }> = []
  const walk = (v: unknown, p: string, trail: Array<string | number>) => {
    if (typeof v === 'string') {
      out.push({
        path: p,
        set: (root, s) => {
          let node = root as Record<string | number, unknown>
          for (const k of trail.slice(0, -1)) node = node[k] as Record<string | number, unknown>
          node[trail.at(-1)!] = s
        }
      })
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`, [...trail, i]))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p === '' ? k : `${p}.${k}`, [...trail, k])
  }
  walk(value, path, [])
  return out
}

t.test('the control: a definition that sets every string field is accepted', async t => {
  const res = await desire(everyField())
  t.equal(res.status, 201, res.body.slice(0, 300))
})

category('invalid JSON is 400 BAD_REQUEST', async (t, tally) => {
  const texts = ['{', '}', '{"guid": }', "{'guid': 'x'}", '{"guid": "x",}', '{guid: "x"}', 'nul', 'undefined', 'NaN', '{"a": NaN}', '{"a": Infinity}',
    '{"a": 1} trailing', '{"a": 1}{"b": 2}', '{"a": "\\x"}', '{"a": "\\u12"}', '[1, 2', '{"a": 01}', '{"a": .5}', '{"a": 1.}', '{"a": +1}',
    '{"a": "unterminated}', '{"a": "tab\tinside"}', '{"a": "nl\ninside"}', '\u0000', '\uFEFF{"a": 1}', '/* comment */ {}', '{"a": 1 // c\n}']
  for (const text of texts) refused(t, tally, await post(text), { status: 400, code: 'BAD_REQUEST' }, show(text, 40))
  // Bytes that are not UTF-8 at all.
  refused(t, tally, await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), { status: [400, 422] }, 'invalid UTF-8 bytes')
})

category('a body of another media type is 415 UNSUPPORTED_MEDIA_TYPE', async (t, tally) => {
  const body = JSON.stringify(minimal())
  for (const type of ['text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
    'application/jsonx', 'application/json-patch+json', 'application/merge-patch+json', 'application/octet-stream', 'image/png', '*/*', 'json', 'application']) {
    refused(t, tally, await post(body, type), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, type)
  }
  refused(t, tally, await raw(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, 'no content-type at all')
})

category('bodies over the 1 MiB limit are 413 PAYLOAD_TOO_LARGE, 10 MB ones too, however they are framed', async (t, tally) => {
  const ten = Buffer.alloc(10 * 1024 * 1024, 0x20)
  ten.write('{"annotation": "')
  ten.write('"}', ten.length - 2)
  const head = (framing: string) => `POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\nConnection: close\r\n\r\n`
  refused(t, tally, await raw(head(`Content-Length: ${ten.length}`), ten), { status: 413, code: 'PAYLOAD_TOO_LARGE' }, '10 MB with content-length')
  const chunks: Buffer[] = []
  for (let off = 0; off < ten.length; off += 64 * 1024) {
    const c = ten.subarray(off, off + 64 * 1024)
    chunks.push(Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]))
  }
  chunks.push(Buffer.from('0\r\n\r\n'))
  refused(t, tally, await raw(head('Transfer-Encoding: chunked'), chunks), { status: 413, code: 'PAYLOAD_TOO_LARGE' }, '10 MB chunked, no length')
  const justOver = JSON.stringify(minimal({ annotation: 'a'.repeat(BODY_LIMIT) }))
  refused(t, tally, await post(justOver), { status: 413, code: 'PAYLOAD_TOO_LARGE' }, `${justOver.length} bytes`)
  refused(t, tally, await raw(head('Content-Length: 99999999999999'), Buffer.from('{}')), { status: [400, 413] }, 'a content-length of 99 TB')
})

category('nesting: 10,000 levels are 400 before validation; 33 levels of actions are 422', async (t, tally) => {
  const wrap = (open: string, inner: string, close: string, depth: number) => open.repeat(depth) + inner + close.repeat(depth)
  const defText = (action: string) => JSON.stringify(minimal()).replace('{"run":{"path":"true","user":"root"}}', action)
  const run = '{"run":{"path":"true","user":"root"}}'
  for (const [what, text] of [
    ['10,000 nested try actions', defText(wrap('{"try":{"action":', run, '}}', 10_000))],
    ['10,000 nested serial actions', defText(wrap('{"serial":{"actions":[', run, ']}}', 10_000))],
    ['10,000 nested timeout actions', defText(wrap('{"timeout":{"timeout_ms":1,"action":', run, '}}', 10_000))],
    ['10,000 nested arrays', wrap('[', '', ']', 10_000)],
    ['10,000 nested objects', wrap('{"a":', '1', '}', 10_000)],
    ['10,000 nested objects in kubernetes.affinity', JSON.stringify(minimal()).replace(/}$/, `,"kubernetes":{"affinity":{"nodeAffinity":${wrap('{"a":', '1', '}', 10_000)}}}}`)],
    ['129 nested arrays, one over the bound', wrap('[', '', ']', 129)]
  ]) refused(t, tally, await post(text), { status: 400, code: 'BAD_REQUEST' }, what)
  refused(t, tally, await post(defText(wrap('{"try":{"action":', run, '}}', 32))), { status: 422, code: 'VALIDATION_FAILED', field: 'action' }, '33 levels of actions')
})

category('huge arrays are 422 with at most 100 errors listed', async (t, tally) => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['200,000 numbers as run args', minimal({ action: { run: { path: 'true', user: 'root', args: new Array(200_000).fill(1) } } }), 'action.run.args'],
    ['1,025 run args', minimal({ action: { run: { path: 'true', user: 'root', args: new Array(1025).fill('a') } } }), 'action.run.args'],
    ['60,000 empty env objects', minimal({ env: new Array(60_000).fill({}) }), 'env'],
    ['100,000 placement tags', minimal({ placement_tags: new Array(100_000).fill('t') }), 'placement_tags'],
    ['5,000 egress rules', minimal({ egress_rules: new Array(5000).fill({ protocol: 'all', destinations: ['0.0.0.0/0'] }) }), 'egress_rules'],
    ['65 parallel actions', minimal({ action: { parallel: { actions: new Array(65).fill({ run: { path: 'true', user: 'root' } }) } } }), 'action.parallel.actions'],
    ['100,000 egress destinations', minimal({ egress_rules: [{ protocol: 'all', destinations: new Array(100_000).fill('1.2.3.4') }] }), 'egress_rules[0].destinations'],
    ['a 300,000-item array where a string belongs', minimal({ annotation: new Array(300_000).fill(0) }), 'annotation']
  ]
  for (const [what, def, field] of cases) {
    const a = await desire(def)
    refused(t, tally, a, { status: 422, code: 'VALIDATION_FAILED', field }, what)
    const errors = (JSON.parse(a.body) as { errors?: unknown[] }).errors ?? []
    t.ok(errors.length <= 100, `${what}: ${errors.length} errors listed`)
  }
})

category('NUL and unpaired surrogates in every string field are 422 naming the field', async (t, tally) => {
  const leaves = stringLeaves(everyField())
  t.ok(leaves.length >= 60, `${leaves.length} string fields`)
  for (const bad of ['\u0000', '\ud800']) {
    for (const leaf of leaves) {
      const def = everyField()
      leaf.set(def, `x${bad}y`)
      refused(t, tally, await desire(def), { status: 422, code: 'VALIDATION_FAILED', field: leaf.path }, `${bad === '\u0000' ? 'NUL' : 'lone surrogate'} in ${leaf.path}`)
    }
  }
})

category('unicode a guid may not hold is 422 naming guid', async (t, tally) => {
  for (const g of ['tâche-1', 'task\u200b1', 'task\u202e1', '任务', 'task😀', 'ta sk', 'task/1', 'task.1', 'task%00', '..', 'a'.repeat(256)]) {
    refused(t, tally, await desire(minimal({ guid: g })), { status: 422, code: 'VALIDATION_FAILED', field: 'guid' }, show(g, 30))
  }
  for (const d of ['', 'a\u0000b', 'a\nb', 'a\u007fb', 'a'.repeat(256)]) {
    refused(t, tally, await desire(minimal({ domain: d })), { status: 422, code: 'VALIDATION_FAILED', field: 'domain' }, `domain ${show(d, 30)}`)
  }
})

category('unicode and SQL metacharacters in fields that allow them are stored exactly and read back', async (t, tally) => {
  const texts = ['tâche ✓ 任务 😀', 'right-to-left \u202e override', 'zero\u200bwidth', "' OR '1'='1", "'; DROP TABLE tasks; --", 'Robert\'); DELETE FROM tasks;--', '$1 $$ \\x00 %s %n']
  for (const text of texts) {
    const def = minimal({ domain: text, annotation: text, env: [{ name: 'V', value: text }] })
    const a = await desire(def)
    tally.inputs++
    t.equal(a.status, 201, `${show(text)} accepted`)
    const got = await http('GET', `/v1/tasks/${def.guid}`)
    const task = JSON.parse(got.body) as { domain: string, annotation: string, env: Array<{ value: string }> }
    t.same([task.domain, task.annotation, task.env[0].value], [text, text, text], `${show(text)} read back exactly`)
    const list = JSON.parse((await http('GET', `/v1/tasks?domain=${encodeURIComponent(text)}`)).body) as { tasks: Array<{ guid: string }> }
    t.same(list.tasks.map(x => x.guid), [def.guid], `filtering by ${show(text)} finds that task only`)
  }
}, { stores: 7 })

category('numbers out of range, of the wrong type or fractional are 422 naming the field', async (t, tally) => {
  const checks: Array<{ field: string, value: unknown, def: Record<string, unknown> }> = []
  const top = (field: string, values: unknown[]) => { for (const value of values) checks.push({ field, value, def: minimal({ [field]: value }) }) }
  const at = (field: string, values: unknown[], make: (v: unknown) => Record<string, unknown>) => { for (const value of values) checks.push({ field, value, def: minimal(make(value)) }) }
  top('cpu_weight', [0, 101, -1, 1.5, '50', true, null, 2 ** 53 + 2, -(2 ** 53)])
  top('memory_mb', [-1, 2147483648, 1.5, 1e20, '1'])
  top('disk_mb', [-1, 2147483648, 0.1])
  top('max_pids', [-1, 2147483648, 3.14])
  at('action.timeout.timeout_ms', [0, -1, 2147483648, 1.5], v => ({ action: { timeout: { action: { run: { path: 'true', user: 'root' } }, timeout_ms: v } } }))
  at('action.run.resource_limits.nofile', [-1, 1048577, 0.5], v => ({ action: { run: { path: 'true', user: 'root', resource_limits: { nofile: v } } } }))
  at('egress_rules[0].ports[0]', [0, 65536, -1, 1.5], v => ({ egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.1'], ports: [v] }] }))
  at('egress_rules[0].port_range', [{ start: 9000, end: 80 }, { start: 0, end: 80 }], v => ({ egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: v }] }))
  at('egress_rules[0].icmp_info.type', [256, -2], v => ({ egress_rules: [{ protocol: 'icmp', destinations: ['10.0.0.1'], icmp_info: { type: v, code: 0 } }] }))
  at('kubernetes.run_as_user', [-1, 2147483648], v => ({ kubernetes: { run_as_user: v } }))
  for (const { field, value, def } of checks) {
    refused(t, tally, await desire(def), { status: 422, code: 'VALIDATION_FAILED', field }, `${field} = ${show(value)}`)
  }
  // Numbers JSON.parse turns into Infinity or loses: refused, not stored as something else.
  for (const literal of ['1e400', '-1e400', '100.0000000000000001e0', '1e-400']) {
    const text = JSON.stringify(minimal()).replace(/}$/, `,"cpu_weight":${literal}}`)
    const a = await post(text)
    if (literal === '100.0000000000000001e0') {
      // Parses to exactly 100, a valid weight: accepted is right; clean up so that nothing counts as stored.
      tally.inputs++
      t.equal(a.status, 201, `${literal} is 100 as a double`)
      await pool.query('DELETE FROM tasks WHERE guid = $1', [(JSON.parse(a.body) as { guid: string }).guid])
      continue
    }
    refused(t, tally, a, { status: 422, code: 'VALIDATION_FAILED', field: 'cpu_weight' }, `cpu_weight ${literal}`)
  }
})

category('negative, fractional and out-of-range limits and offsets in query strings are 422', async (t, tally) => {
  // (Numeric spellings such as 0x10 or 1e2 are read as the numbers they spell, as Number() reads them: not hostile.)
  for (const limit of ['-1', '0', '1.5', '1001', 'abc', '', 'NaN', 'Infinity', '-0.5', '99999999999999999999', '1e400', 'null', 'true', '[]', '{}']) {
    refused(t, tally, await http('GET', `/v1/tasks?limit=${encodeURIComponent(limit)}`), { status: 422, code: 'VALIDATION_FAILED' }, `list limit=${show(limit)}`)
  }
  await desire(minimal({ guid: 'with-logs' }))
  for (const [q, what] of [['limit=-1', 'limit'], ['limit=0', 'limit'], ['limit=10001', 'limit'], ['limit=2.5', 'limit'], ['after_seq=-1', 'after_seq'],
    ['after_seq=1.5', 'after_seq'], ['after_seq=2147483648', 'after_seq'], ['after_seq=99999999999999999999', 'after_seq'], ['after_seq=abc', 'after_seq']]) {
    refused(t, tally, await http('GET', `/v1/tasks/with-logs/logs?${q}`), { status: 422, code: 'VALIDATION_FAILED' }, `logs ${q} (${what})`)
  }
  refused(t, tally, await http('GET', '/v1/tasks?limit=1&limit=2'), { status: 422, code: 'VALIDATION_FAILED' }, 'limit given twice')
  refused(t, tally, await http('GET', `/v1/tasks?${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}`), { status: 422, code: 'VALIDATION_FAILED' }, '1,000 unknown parameters')
  await pool.query("DELETE FROM tasks WHERE guid = 'with-logs'")
})

category('duplicate keys are 400 at any depth, however escaped', async (t, tally) => {
  const base = JSON.stringify(minimal())
  for (const [what, text] of [
    ['top level', base.replace(/^\{/, '{"guid":"dup-1",')],
    ['escaped as \\u0067uid', base.replace(/^\{/, '{"\\u0067uid":"dup-2",')],
    ['in run', base.replace('"run":{', '"run":{"user":"x",')],
    ['in an env item', JSON.stringify(minimal({ env: [{ name: 'A', value: '1' }] })).replace('"value":"1"', '"value":"1","value":"2"')],
    ['in kubernetes.affinity (a pass-through object)', JSON.stringify(minimal({ kubernetes: { affinity: { nodeAffinity: { a: 1 } } } })).replace('{"a":1}', '{"a":1,"a":2}')],
    ['in an egress rule', JSON.stringify(minimal({ egress_rules: [{ protocol: 'all', destinations: ['1.2.3.4'] }] })).replace('"protocol":"all"', '"protocol":"all","protocol":"tcp"')]
  ]) refused(t, tally, await post(text), { status: 400, code: 'BAD_REQUEST' }, what)
})

category('__proto__, constructor and prototype keys are refused in bodies and query strings', async (t, tally) => {
  const base = JSON.stringify(minimal())
  for (const key of ['__proto__', 'constructor', 'prototype', '\\u005f_proto__']) {
    refused(t, tally, await post(base.replace(/^\{/, `{"${key}":{"polluted":true},`)), { status: 400, code: 'BAD_REQUEST' }, `top-level ${key}`)
    refused(t, tally, await post(base.replace('"run":{', `"run":{"${key}":{"polluted":true},`)), { status: 400, code: 'BAD_REQUEST' }, `${key} in run`)
    refused(t, tally, await post(JSON.stringify(minimal({ kubernetes: { affinity: { nodeAffinity: { x: 1 } } } })).replace('{"x":1}', `{"${key}":{"polluted":true}}`)), { status: 400, code: 'BAD_REQUEST' }, `${key} in kubernetes.affinity`)
    refused(t, tally, await post(JSON.stringify(minimal({ env: [{ name: 'A', value: '1' }] })).replace('{"name":"A"', `{"${key}":{"polluted":true},"name":"A"`)), { status: 400, code: 'BAD_REQUEST' }, `${key} in an env item`)
  }
  for (const q of ['__proto__=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'constructor=1', 'prototype=1', 'toString=1', 'hasOwnProperty=1']) {
    refused(t, tally, await http('GET', `/v1/tasks?${q}`), { status: 422, code: 'VALIDATION_FAILED' }, `query ${q}`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
  t.equal((Object.prototype as Record<string, unknown>).polluted, undefined, 'no property was added to Object.prototype')
})

const SQL = ["' OR '1'='1", "'; DROP TABLE tasks; --", '" OR 1=1 --', '1; SELECT pg_sleep(5)', "' UNION SELECT image_password FROM tasks --", '$1', '\\', "%' --", ') OR (1=1', "'||(SELECT pg_sleep(5))||'"]

category('SQL metacharacters in every filter and path parameter find nothing and change nothing', async (t, tally) => {
  // Tasks the injections would reveal if they worked.
  for (let i = 0; i < 3; i++) t.equal((await desire(minimal({ guid: `sql-victim-${i}`, image_username: 'u', image_password: 'victim-secret' }))).status, 201)
  tally.before = await storedRows()
  const started = Date.now()
  for (const s of SQL) {
    for (const filter of ['domain', 'cell_id']) {
      const a = await http('GET', `/v1/tasks?${filter}=${encodeURIComponent(s)}`)
      tally.inputs++
      const tasks = a.status === 200 ? (JSON.parse(a.body) as { tasks: Array<Record<string, unknown>> }).tasks : undefined
      // Only tasks whose field is that very text (an earlier category stored some on purpose), never the victims.
      t.ok(a.status === 422 || (a.status === 200 && tasks!.every(x => x[filter] === s)), `${filter}=${s}: ${a.status}, ${tasks?.length ?? 'no'} tasks, each with ${filter} equal to it`)
      if (a.status === 422) tally.refused++
      t.notMatch(a.body, /victim-secret/, 'no secret in the answer')
    }
    refused(t, tally, await http('GET', `/v1/tasks?state=${encodeURIComponent(s)}`), { status: 422, code: 'VALIDATION_FAILED' }, `state=${s}`)
    refused(t, tally, await http('GET', `/v1/tasks?cursor=${encodeURIComponent(s)}`), { status: 422, code: 'VALIDATION_FAILED' }, `cursor=${s}`)
    refused(t, tally, await http('GET', `/v1/tasks?cursor=${Buffer.from(`v1:1${s}`).toString('base64url')}`), { status: 422, code: 'VALIDATION_FAILED' }, `cursor carrying ${s}`)
    refused(t, tally, await http('GET', `/v1/events?last_event_id=${encodeURIComponent(s)}`), { status: 422, code: 'VALIDATION_FAILED' }, `last_event_id=${s}`)
    const p = encodeURIComponent(s)
    for (const [method, path] of [['GET', `/v1/tasks/${p}`], ['DELETE', `/v1/tasks/${p}`], ['POST', `/v1/tasks/${p}/cancel`], ['POST', `/v1/tasks/${p}/resolving`],
      ['GET', `/v1/tasks/${p}/logs`], ['GET', `/v1/tasks/${p}/callbacks`], ['GET', `/v1/tasks/sql-victim-0/logs?after_seq=${p}`]]) {
      refused(t, tally, await http(method, path), { status: [404, 422] }, `${method} ${path.slice(0, 60)}`)
    }
  }
  // A cursor of 19 digits is well-formed but beyond bigint: 422, not a database error.
  refused(t, tally, await http('GET', `/v1/tasks?cursor=${Buffer.from('v1:9999999999999999999').toString('base64url')}`), { status: 422, code: 'VALIDATION_FAILED' }, 'a cursor beyond bigint')
  refused(t, tally, await http('GET', '/v1/events?last_event_id=99999999999999999999-9999999999999999999'), { status: 422, code: 'VALIDATION_FAILED' }, 'an event id beyond xid8 and bigint')
  t.ok(Date.now() - started < 5000 + tally.inputs * 200, 'no pg_sleep ran')
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE guid LIKE 'sql-victim-%' AND state = 'PENDING'")
  t.equal(rows[0].n, 3, 'the victims are intact')
  await pool.query("DELETE FROM tasks WHERE guid LIKE 'sql-victim-%'")
  tally.before -= 3
})

category('path traversal in result_file and every download, upload and working directory is 422', async (t, tally) => {
  const bad = ['../../etc/passwd', '..', '/..', 'a/../../b', 'x/..', '../', '/out/../../../root/.ssh/authorized_keys']
  const places: Array<[string, (p: string) => Record<string, unknown>]> = [
    ['result_file', p => minimal({ result_file: p })],
    ['action.download.to', p => minimal({ action: { download: { from: 'https://dl.example.com/x.tgz', to: p, user: 'root' } } })],
    ['action.upload.from', p => minimal({ action: { upload: { from: p, to: 'https://up.example.com/u', user: 'root' } } })],
    ['action.run.dir', p => minimal({ action: { run: { path: 'true', user: 'root', dir: p } } })],
    ['cached_dependencies[0].to', p => minimal({ cached_dependencies: [{ from: 'https://dl.example.com/d.tgz', to: p, cache_key: 'k' }] })],
    ['image_layers[0].destination_path', p => minimal({ image_layers: [{ url: 'https://dl.example.com/l.tgz', destination_path: p, layer_type: 'SHARED', media_type: 'TGZ' }] })]
  ]
  for (const [field, make] of places) {
    for (const p of bad) refused(t, tally, await desire(make(p)), { status: 422, code: 'VALIDATION_FAILED', field }, `${field} = ${p}`)
  }
})

category('CR, LF and other whitespace in callback and transfer URLs is 422 (no header injection)', async (t, tally) => {
  const injected = ['https://hooks.example.com/cb\r\nX-Injected: 1', 'https://hooks.example.com/cb\nX-Injected: 1', 'https://hooks.example.com/cb\rX', 'https://hooks.example.com/c b',
    'https://hooks.example.com/cb\t', 'https://hooks.example.com/cb\u2028x', 'https://hooks.example.com/cb\u0085x', 'https://hooks.example.com\r\n/cb',
    'https://hooks.example.com/cb HTTP/1.1\r\nHost: evil', 'https://user:pa\r\nss@hooks.example.com/cb', '\r\nhttps://hooks.example.com/cb']
  for (const u of injected) {
    refused(t, tally, await desire(minimal({ completion_callback_url: u })), { status: 422, code: 'VALIDATION_FAILED', field: 'completion_callback_url' }, `callback ${show(u)}`)
    refused(t, tally, await desire(minimal({ action: { download: { from: u, to: '/x', user: 'root' } } })), { status: 422, code: 'VALIDATION_FAILED', field: 'action.download.from' }, `download ${show(u)}`)
    refused(t, tally, await desire(minimal({ action: { upload: { from: '/x', to: u, user: 'root' } } })), { status: 422, code: 'VALIDATION_FAILED', field: 'action.upload.to' }, `upload ${show(u)}`)
  }
  for (const u of ['ftp://hooks.example.com/cb', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:6379/_FLUSHALL', 'http://', '//hooks.example.com/cb', 'hooks.example.com/cb']) {
    refused(t, tally, await desire(minimal({ completion_callback_url: u })), { status: 422, code: 'VALIDATION_FAILED', field: 'completion_callback_url' }, `callback ${u}`)
  }
})

category('requests the HTTP parser refuses get a 400 problem+json, not a raw error', async (t, tally) => {
  const cases: Array<[string, string]> = [
    ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a garbage request line', 'GARBAGE\r\n\r\n'],
    ['a non-numeric content-length', 'POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}'],
    ['content-length and transfer-encoding together (smuggling)', 'POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['two different content-lengths', 'POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['a bare CR inside a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n'],
    ['a NUL inside a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n'],
    ['a space before the colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n'],
    ['a bad chunk size', 'POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n']
  ]
  for (const [what, text] of cases) refused(t, tally, await raw(text), { status: 400, code: 'BAD_REQUEST' }, what)
  refused(t, tally, await raw(`GET /v1/tasks/${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), { status: 422, code: 'VALIDATION_FAILED' }, 'a 5,000-character guid in the path')
  refused(t, tally, await raw(`GET /v1/tasks/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), { status: 422, code: 'VALIDATION_FAILED', field: 'params.guid' }, 'a 300-character guid in the path')
  refused(t, tally, await raw('GET /v1/tasks/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), { status: 400, code: 'BAD_REQUEST' }, 'bad percent-encoding in the path')
  refused(t, tally, await raw(`GET /v1/tasks?domain=${'d'.repeat(8000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), { status: 422, code: 'VALIDATION_FAILED' }, 'an 8,000-character domain filter')
  for (const method of ['PUT', 'PATCH', 'TRACE', 'FOO']) {
    refused(t, tally, await raw(`${method} /v1/tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), { status: [400, 404, 405] }, `method ${method}`)
  }
})

t.test('a guid of up to 255 characters is reachable on every route (the router once cut paths at 100)', async t => {
  const long = 'g'.repeat(255)
  t.equal((await desire(minimal({ guid: long }))).status, 201)
  for (const path of [`/v1/tasks/${long}`, `/v1/tasks/${long}/logs`, `/v1/tasks/${long}/callbacks`]) t.equal((await http('GET', path)).status, 200, path.slice(0, 40))
  t.equal((await http('POST', `/v1/tasks/${long}/cancel`)).status, 200, 'cancel')
  t.equal((await http('POST', `/v1/tasks/${long}/resolving`)).status, 200, 'resolving')
  t.equal((await http('DELETE', `/v1/tasks/${long}`)).status, 204, 'delete')
})

t.test('figures', async t => {
  let inputs = 0; let refusedCount = 0; let fiveXX = 0
  for (const x of tallies.values()) { inputs += x.inputs; refusedCount += x.refused; fiveXX += x.fiveXX }
  t.comment(`figures: total: ${inputs} hostile inputs in ${tallies.size} categories, ${refusedCount} refused with a 4xx problem+json, ${fiveXX} 5xx`)
  t.equal(fiveXX, 0)
})
