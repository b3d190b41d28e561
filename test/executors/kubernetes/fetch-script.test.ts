/**
 * The fetch init container's script, run here with the local sh, curl, tar
 * and unzip (the simulated cluster never executes containers): it fetches,
 * verifies the checksum, extracts archives, keeps plain files, and explains
 * every failure in its termination message.
 */
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { FETCH_SCRIPT, fetchEnv, type FetchSpec } from '../../../src/executors/kubernetes/fetch-script.ts'

const work = await mkdtemp(join(tmpdir(), 'taskbbs-fetch-'))
t.teardown(() => rm(work, { recursive: true, force: true }))

// An archive with one file, as tgz and zip, and a plain file.
await writeFile(join(work, 'hello.txt'), 'hello from the archive\n')
execFileSync('tar', ['-czf', join(work, 'bits.tgz'), '-C', work, 'hello.txt'])
execFileSync('zip', ['-q', '-j', join(work, 'bits.zip'), join(work, 'hello.txt')])
const files: Record<string, Buffer> = {
  '/bits.tgz': await readFile(join(work, 'bits.tgz')),
  '/bits.zip': await readFile(join(work, 'bits.zip')),
  '/plain/config.json': Buffer.from('{"a":1}')
}
const server = createServer((req, res) => {
  const body = files[req.url ?? '']
  res.writeHead(body ? 200 : 404).end(body ?? 'no such file')
})
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
t.teardown(() => server.close())
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`

let n = 0
async function fetchOnce (spec: Omit<FetchSpec, 'slot'>) {
  const root = join(work, `run-${++n}`)
  const messageFile = join(work, `message-${n}`)
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TASKBBS_FETCH_MESSAGE_FILE: messageFile }
  for (const v of fetchEnv({ ...spec, slot: 'd1' })) env[v.name] = v.value
  env.TASKBBS_FETCH_DEST = join(root, 'd1')
  const code = await new Promise<number>(resolve => {
    execFile('sh', ['-c', FETCH_SCRIPT], { env }, err => resolve(err ? (err as { code?: number }).code ?? 1 : 0))
  })
  const message = await readFile(messageFile, 'utf8').catch(() => '')
  const listing = await readdir(join(root, 'd1')).catch(() => [])
  return { code, message, listing, dir: join(root, 'd1') }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

t.test('a tgz download with the right checksum is extracted into the destination', async t => {
  const r = await fetchOnce({ url: `${base}/bits.tgz`, kind: 'auto', checksumTool: 'sha256sum', checksumValue: sha256(files['/bits.tgz']).toUpperCase() })
  t.equal(r.code, 0)
  t.same(r.listing, ['hello.txt'])
  t.equal(await readFile(join(r.dir, 'hello.txt'), 'utf8'), 'hello from the archive\n')
})

t.test('a zip is extracted; an image layer of media type ZIP too', async t => {
  const auto = await fetchOnce({ url: `${base}/bits.zip`, kind: 'auto' })
  t.same([auto.code, auto.listing], [0, ['hello.txt']])
  const layer = await fetchOnce({ url: `${base}/bits.zip`, kind: 'zip', checksumTool: 'sha256sum', checksumValue: sha256(files['/bits.zip']) })
  t.same([layer.code, layer.listing], [0, ['hello.txt']])
})

t.test('a file that is no archive is kept under its URL name', async t => {
  const r = await fetchOnce({ url: `${base}/plain/config.json`, kind: 'auto', checksumTool: 'md5sum', checksumValue: createHash('md5').update(files['/plain/config.json']).digest('hex') })
  t.same([r.code, r.listing], [0, ['config.json']])
})

t.test('a checksum mismatch fails, and the termination message says which sums differ', async t => {
  const r = await fetchOnce({ url: `${base}/bits.tgz`, kind: 'auto', checksumTool: 'sha256sum', checksumValue: 'not-the-sum' })
  t.equal(r.code, 1)
  t.equal(r.message, `checksum mismatch for ${base}/bits.tgz: sha256 is ${sha256(files['/bits.tgz'])}, expected not-the-sum`)
  t.same(r.listing, [], 'nothing is extracted')
})

t.test('a URL that answers 404 fails with curl\'s reason', async t => {
  const r = await fetchOnce({ url: `${base}/missing.tgz`, kind: 'auto' })
  t.equal(r.code, 1)
  t.match(r.message, new RegExp(`^fetching ${base}/missing.tgz failed: .*404`))
})

t.test('client text reaches the script only as data: a checksum with shell syntax is compared, not run', async t => {
  const marker = join(work, 'pwned')
  const r = await fetchOnce({ url: `${base}/bits.tgz`, kind: 'auto', checksumTool: 'sha256sum', checksumValue: `$(touch ${marker})` })
  t.equal(r.code, 1)
  await t.rejects(readFile(marker), 'the command substitution never ran')
})
