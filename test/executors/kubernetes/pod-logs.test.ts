/**
 * Reading a container log over HTTP (pod-logs.ts), against a loopback server
 * that answers as the API server does: complete lines only from a stream
 * that drops, a bound on a line that never ends, the API's error as an
 * ApiException, and the query the API server is sent.
 */
import { ApiException, KubeConfig } from '@kubernetes/client-node'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { MAX_LINE, readLog } from '../../../src/executors/kubernetes/pod-logs.ts'

let answer: (url: URL, res: ServerResponse) => void = (_, res) => res.end()
const server = createServer((req, res) => answer(new URL(req.url!, 'http://127.0.0.1'), res))
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
t.teardown(() => server.close())
const kc = new KubeConfig()
kc.loadFromOptions({
  clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
  users: [{ name: 'u' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x'
})
const req = { namespace: 'ns', pod: 'p', container: 'task' }

t.test('the query: the container, timestamps always, and follow, sinceTime in whole seconds, tailLines, limitBytes when asked', async t => {
  let seen: URL | undefined
  answer = (url, res) => { seen = url; res.end('') }
  await readLog(kc, { ...req, follow: true, sinceTime: new Date('2030-01-01T00:00:05.678Z'), tailLines: 0, limitBytes: 100 }, () => {})
  t.equal(seen!.pathname, '/api/v1/namespaces/ns/pods/p/log')
  t.same(Object.fromEntries(seen!.searchParams), { container: 'task', timestamps: 'true', follow: 'true', sinceTime: '2030-01-01T00:00:05Z', tailLines: '0', limitBytes: '100' })
})

t.test('lines split across chunks come whole; a last line without newline counts only when the read is no follow', async t => {
  answer = (_, res) => {
    res.write('first li')
    res.write('ne\nsecond\nthi')
    setTimeout(() => res.end('rd'), 10)
  }
  const got: string[] = []
  await readLog(kc, req, l => got.push(l))
  t.same(got, ['first line', 'second', 'third'])
  const followed: string[] = []
  await readLog(kc, { ...req, follow: true }, l => followed.push(l))
  t.same(followed, ['first line', 'second'], 'a line cut by the end of a stream comes again on the next read')
})

t.test('a line that never ends is passed on in pieces of at most MAX_LINE, not kept whole', async t => {
  const chunk = 'x'.repeat(64 * 1024)
  answer = (_, res) => {
    for (let i = 0; i < 10; i++) res.write(chunk)
    res.end('\n')
  }
  const got: string[] = []
  await readLog(kc, req, l => got.push(l))
  t.ok(got.length >= 2)
  t.ok(got.every(l => l.length <= MAX_LINE + 64 * 1024), 'bounded')
  t.equal(got.join('').length, 10 * 64 * 1024, 'nothing lost')
})

t.test('an error status is an ApiException carrying the API server\'s Status', async t => {
  answer = (_, res) => {
    res.statusCode = 400
    res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'container "task" in pod "p" is waiting to start: PodInitializing', reason: 'BadRequest', code: 400 }))
  }
  const err = await readLog(kc, req, () => {}).then(() => undefined, (e: unknown) => e)
  t.type(err, ApiException)
  t.equal((err as ApiException<string>).code, 400)
  t.match((err as ApiException<string>).body, /waiting to start/)
})

t.test('an aborted read rejects: the follower reconnects', async t => {
  answer = (_, res) => { res.write('a\n') }
  const abort = new AbortController()
  const got: string[] = []
  const reading = readLog(kc, { ...req, follow: true }, l => { got.push(l); abort.abort() }, abort.signal)
  await t.rejects(reading)
  t.same(got, ['a'])
})
