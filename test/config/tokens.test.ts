/**
 * TASKBBS_TOKENS: the operator's bearer tokens, checked at start. Problems
 * name the variable and the entry, and never quote a token.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Authenticator } from '../../src/api/auth.ts'
import { loadConfig } from '../../src/config/load.ts'
import { readTokens } from '../../src/config/tokens.ts'

const SECRET = 'a-secret-token-0123456789'
const entry = (over: Record<string, unknown> = {}) => ({ name: 'ci', token: SECRET, domains: ['a'], role: 'write', ...over })
const problemsOf = (value: unknown) => readTokens(typeof value === 'string' ? value : JSON.stringify(value)).problems

t.test('inline JSON gives one grant per entry; only the SHA-256 digest of the token is kept', async t => {
  const { grants, problems } = readTokens(JSON.stringify([entry(), entry({ name: 'ops', token: `${SECRET}-2`, domains: '*', role: 'admin' })]))
  t.same(problems, [])
  t.match(grants, [{ name: 'ci', role: 'write', domains: ['a'] }, { name: 'ops', role: 'admin', domains: '*' }])
  t.same(grants[0].digest, createHash('sha256').update(SECRET).digest())
  t.notMatch(JSON.stringify(grants), SECRET, 'the token itself is not kept')
})

t.test('a value that does not start with [ is the path of a file holding the JSON', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-tokens-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'tokens.json')
  await writeFile(file, JSON.stringify([entry()]))
  t.equal(readTokens(file).grants.length, 1)
  t.match(readTokens(join(dir, 'missing.json')).problems, [/TASKBBS_TOKENS: cannot read the token file .*missing\.json: ENOENT/])
  const bare = readTokens(SECRET).problems
  t.match(bare, [/cannot read the token file \(value not shown/], 'a bare token pasted by mistake is not a readable file…')
  t.notMatch(bare.join('\n'), SECRET, '…and is not printed')
})

t.test('an empty value means no tokens', async t => {
  t.same(readTokens(''), { grants: [], problems: [] })
})

t.test('bad entries are refused, each problem naming TASKBBS_TOKENS and the entry', async t => {
  const cases: Array<[unknown, RegExp, string]> = [
    [[entry({ token: 'short' })], /^TASKBBS_TOKENS\[0\]\.token /, 'a token under 16 characters'],
    [[entry({ role: 'root' })], /^TASKBBS_TOKENS\[0\]\.role /, 'an unknown role'],
    [[entry({ domains: [] })], /^TASKBBS_TOKENS\[0\]\.domains /, 'no domain at all'],
    [[entry({ domains: 'a' })], /^TASKBBS_TOKENS\[0\]\.domains /, 'a domain string other than "*"'],
    [[entry({ sha256: 'ab'.repeat(32) })], /^TASKBBS_TOKENS\[0\] needs exactly one of "token" or "sha256"/, 'both token and sha256'],
    [[{ name: 'x', domains: '*', role: 'read' }], /^TASKBBS_TOKENS\[0\] needs exactly one/, 'neither token nor sha256'],
    [[entry(), entry({ name: 'again' })], /^TASKBBS_TOKENS\[1\] repeats a token/, 'the same token twice'],
    [[entry({ extra: 1 })], /^TASKBBS_TOKENS\[0\]/, 'an unknown field'],
    [[], /must be a non-empty JSON array/, 'an empty list'],
    [{ token: SECRET }, /must be a non-empty JSON array/, 'an object instead of an array']
  ]
  for (const [value, pattern, why] of cases) {
    const problems = problemsOf(value)
    t.ok(problems.some(p => pattern.test(p)), `${why}: ${problems.join('; ')}`)
    t.notMatch(problems.join('\n'), SECRET, `${why}: the token is not quoted`)
  }
})

t.test('broken JSON is refused without quoting the text around the error (it may hold a token)', async t => {
  const problems = problemsOf(`[{"token": "${SECRET}", "role": write}]`)
  t.match(problems, [/^TASKBBS_TOKENS is not valid JSON/])
  t.notMatch(problems.join('\n'), SECRET)
})

t.test('production refuses to start without tokens; development allows it', async t => {
  t.throws(() => loadConfig({ TASKBBS_MODE: 'production' }), { code: 'CONFIG_INVALID', message: /TASKBBS_TOKENS is empty but TASKBBS_MODE=production/ })
  t.equal(loadConfig({ TASKBBS_MODE: 'production', TASKBBS_TOKENS: JSON.stringify([entry()]) }).TASKBBS_MODE, 'production')
  t.equal(loadConfig({ TASKBBS_MODE: 'development' }).TASKBBS_TOKENS, '')
  t.throws(() => loadConfig({ TASKBBS_TOKENS: '[{]' }), { code: 'CONFIG_INVALID', message: /TASKBBS_TOKENS is not valid JSON/ }, 'bad tokens fail in development too')
})

t.test('the authenticator finds the grant of a token and nothing for any other string', async t => {
  const auth = new Authenticator(readTokens(JSON.stringify([entry(), entry({ name: 'two', token: `${SECRET}-2` })])).grants)
  t.equal(auth.verify(SECRET)?.name, 'ci')
  t.equal(auth.verify(`${SECRET}-2`)?.name, 'two')
  for (const wrong of ['', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase()]) t.equal(auth.verify(wrong), undefined, JSON.stringify(wrong))
  t.throws(() => new Authenticator([]))
})
