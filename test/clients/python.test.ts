/**
 * The Python client as a user installs it: `pip install ./clients/python` into
 * a fresh venv (its dependencies from the package index), then the example,
 * copied out of the checkout so that only the installed package can be
 * imported, runs the client scenario against a real server. Its calls are
 * bounded: requests by a default timeout, the events stream by the caller;
 * its signature check accepts exactly what the server signs.
 */
import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { signatureHeaders } from '../../src/callbacks/signing.ts'
import { CLIENTS, clientScenario, exec } from './scenario.ts'

const version = await exec('python3', ['-c', 'import sys; print(sys.version_info >= (3, 11))']).then(r => r.stdout.trim(), () => 'missing')
if (version !== 'True') {
  t.plan(0, `the Python client needs python3 3.11 or newer with venv (python3: ${version === 'missing' ? 'not found' : 'too old'})`)
} else {
  const venv = await mkdtemp(join(tmpdir(), 'taskbbs-python-venv-'))
  t.teardown(() => rm(venv, { recursive: true, force: true }))
  const python = join(venv, 'bin/python')
  let installed: Promise<unknown> | undefined
  const install = () => (installed ??= (async () => {
    await exec('python3', ['-m', 'venv', venv])
    await exec(join(venv, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', `${CLIENTS}python`], { maxBuffer: 16 << 20 })
  })())

  await clientScenario(t, 'python', async dir => {
    await install()
    await copyFile(`${CLIENTS}python/example.py`, join(dir, 'example.py'))
    return { file: python, args: ['example.py', 'python-client-test'], cwd: dir }
  })

  t.test('requests time out by default and the events stream is bounded by its caller', async t => {
    t.setTimeout(180_000)
    // /v1/events?domain=beating sends a heartbeat every 100 ms and no event; domain=silent sends nothing after its headers.
    const open = new Set<ServerResponse>()
    const server = createServer((req, res) => {
      open.add(res)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('retry: 1000\n\n')
      if (req.url?.includes('domain=beating')) {
        const beat = setInterval(() => res.write(': keep-alive\n\n'), 100)
        res.on('close', () => clearInterval(beat))
      }
    })
    server.listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    t.teardown(() => { for (const res of open) res.destroy(); server.close() })
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    await install()
    const { stdout } = await exec(python, ['-c', `
import json, sys, time
import httpx
from taskbbs import connect, follow_events
from taskbbs_client import AuthenticatedClient, Client
seen = {
    "generated_default": Client(base_url=sys.argv[1]).get_httpx_client().timeout.read,
    "authenticated_default": AuthenticatedClient(base_url=sys.argv[1], token="t").get_httpx_client().timeout.read,
    "connect_default": connect(sys.argv[1]).get_httpx_client().timeout.read,
}
started = time.monotonic()
try:
    for event in follow_events(connect(sys.argv[1]), domain="beating", timeout=1.0):
        pass
except TimeoutError:
    seen["bounded_after"] = time.monotonic() - started
started = time.monotonic()
try:
    for event in follow_events(connect(sys.argv[1]), domain="silent", idle_timeout=0.5):
        pass
except httpx.ReadTimeout:
    seen["idle_after"] = time.monotonic() - started
print(json.dumps(seen))
`, url], { timeout: 60_000 })
    const seen = JSON.parse(stdout)
    t.same({ generated: seen.generated_default, authenticated: seen.authenticated_default, connect: seen.connect_default },
      { generated: 30, authenticated: 30, connect: 30 }, 'every client waits at most 30 s for a response by default')
    t.ok(seen.bounded_after >= 1 && seen.bounded_after < 5, `a stream given timeout=1 ends with TimeoutError (after ${seen.bounded_after?.toFixed(2)} s)`)
    t.ok(seen.idle_after >= 0.5 && seen.idle_after < 5, `a silent stream ends with ReadTimeout after idle_timeout=0.5 (after ${seen.idle_after?.toFixed(2)} s)`)
  })

  t.test('verify_callback accepts what the server signs and nothing else', async t => {
    const key = randomBytes(32)
    const secret = `whsec_${key.toString('base64')}`
    const body = JSON.stringify({ task_guid: 'g', failed: false, failure_reason: '', result: '42\n', annotation: '', created_at: '2026-01-02T03:04:05.000000Z' })
    const signed = signatureHeaders(key, 'msg_1', body)
    const cases = {
      signed: [secret, body, signed],
      'an altered body': [secret, body.replace('42', '43'), signed],
      'another message id': [secret, body, { ...signed, 'webhook-id': 'msg_2' }],
      'another secret': [`whsec_${randomBytes(32).toString('base64')}`, body, signed],
      'a timestamp 6 minutes old': [secret, body, signatureHeaders(key, 'msg_1', body, new Date(Date.now() - 360_000))],
      'no signature headers': [secret, body, {}]
    }
    await install()
    const { stdout } = await exec(python, ['-c', `
import json, sys
from taskbbs import InvalidSignature, verify_callback
seen = {}
for what, (secret, body, headers) in json.loads(sys.argv[1]).items():
    try:
        callback = verify_callback(secret, body.encode(), headers)
        seen[what] = [callback.task_guid, callback.failed, callback.result, callback.created_at.isoformat()]
    except InvalidSignature:
        seen[what] = "refused"
print(json.dumps(seen))
`, JSON.stringify(cases)], { timeout: 60_000 })
    const seen = JSON.parse(stdout)
    t.same(seen.signed, ['g', false, '42\n', '2026-01-02T03:04:05+00:00'], 'a body signed by the server verifies and parses as a TaskCallback')
    for (const what of Object.keys(cases).slice(1)) t.equal(seen[what], 'refused', `${what} is refused`)
  })
}
