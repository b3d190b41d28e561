/**
 * The committed clients are what `npm run clients` (clients/generate.sh) makes
 * of the committed OpenAPI document: the script writes into a temporary
 * directory (TASKBBS_CLIENTS_OUT) with each client's pinned toolchain, and every
 * generated file must match, none missing, none extra. Packages carry the
 * document's version. The TypeScript example and sources type-check.
 * When this fails after an API change: `npm run clients` and commit the result.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { CLIENTS, ROOT, exec } from './scenario.ts'

const spec = JSON.parse(await readFile(`${ROOT}openapi/openapi.json`, 'utf8'))

/** The generated part of each client, relative to its folder. */
const GENERATED = {
  typescript: ['generated', 'dist'],
  python: ['taskbbs_client'],
  go: ['taskbbs/taskbbs.gen.go']
} as const

const missing = async (command: string, args: string[]) => exec(command, args).then(() => undefined, () => `${command} is not on PATH`)
const unavailable: Record<keyof typeof GENERATED, Promise<string | undefined>> = {
  typescript: Promise.resolve(undefined),
  python: missing('python3', ['-m', 'venv', '--help']),
  go: missing('go', ['version'])
}

t.setTimeout(600_000)
const out = await mkdtemp(join(tmpdir(), 'taskbbs-clients-'))
t.teardown(() => rm(out, { recursive: true, force: true }))

for (const [client, paths] of Object.entries(GENERATED) as Array<[keyof typeof GENERATED, readonly string[]]>) {
  t.test(`the committed ${client} client is what clients/generate.sh makes of openapi/openapi.json`, async t => {
    const reason = await unavailable[client]
    if (reason) return t.plan(0, `cannot run the ${client} generator: ${reason}`)
    await exec('bash', [`${CLIENTS}generate.sh`, client], { cwd: ROOT, env: { ...process.env, TASKBBS_CLIENTS_OUT: out }, maxBuffer: 16 << 20 })
    for (const path of paths) {
      const { stdout } = await promisify(execFile)('diff', ['-r', '-u', '-x', '__pycache__', join(CLIENTS, client, path), join(out, client, path)], { maxBuffer: 64 << 20 })
        .catch((err: { stdout: string }) => err)
      t.equal(stdout.slice(0, 4000), '', `clients/${client}/${path} matches (npm run clients regenerates it)`)
    }
  })
}

t.test('the packages carry the API version', async t => {
  const pkg = JSON.parse(await readFile(`${CLIENTS}typescript/package.json`, 'utf8'))
  t.equal(pkg.version, spec.info.version, 'clients/typescript/package.json')
  const pyproject = await readFile(`${CLIENTS}python/pyproject.toml`, 'utf8')
  t.equal(pyproject.match(/^version = "(.*)"$/m)?.[1], spec.info.version, 'clients/python/pyproject.toml')
})

t.test('the TypeScript example and sources type-check against the generated types (TypeScript 5, the generator\'s own)', async t => {
  // The typescript subtest above installed the toolchain (clients/typescript/node_modules).
  const tsc = `${CLIENTS}typescript/node_modules/.bin/tsc`
  const { stdout } = await exec(process.execPath, [tsc, '--noEmit', '-p', `${CLIENTS}typescript`]).catch(err => err)
  t.equal(stdout, '', 'tsc reports nothing')
})
