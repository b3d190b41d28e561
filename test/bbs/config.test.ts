/**
 * The BBS listener's settings fail at start, like any bad value: a port
 * without its certificates, and a client list that cannot be read.
 */
import t from 'tap'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../../src/config/load.ts'
import { readBbsClients } from '../../src/config/bbs-clients.ts'

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env)
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n')
    throw err
  }
}

t.test('a BBS port needs readable certificate, key and client CA files', async t => {
  t.match(problems({ TASKBBS_BBS_PORT: '8889' }).join(' '), /TASKBBS_BBS_CERT_FILE, TASKBBS_BBS_KEY_FILE, TASKBBS_BBS_CA_FILE must name readable PEM files/)
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-bbs-config-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  for (const f of ['c.pem', 'k.pem', 'ca.pem']) await writeFile(join(dir, f), 'x')
  t.match(problems({ TASKBBS_BBS_PORT: '8889', TASKBBS_BBS_CERT_FILE: join(dir, 'c.pem'), TASKBBS_BBS_KEY_FILE: join(dir, 'k.pem'), TASKBBS_BBS_CA_FILE: join(dir, 'nope.pem') }).join(' '), /TASKBBS_BBS_CA_FILE must name/)
  t.same(problems({ TASKBBS_BBS_PORT: '8889', TASKBBS_BBS_CERT_FILE: join(dir, 'c.pem'), TASKBBS_BBS_KEY_FILE: join(dir, 'k.pem'), TASKBBS_BBS_CA_FILE: join(dir, 'ca.pem') }), [])
  t.same(problems({}), [], 'no BBS port: nothing needed')
})

t.test('TASKBBS_BBS_CLIENTS: inline or a file; every mistake named', async t => {
  t.same(readBbsClients('').clients, [])
  t.same(readBbsClients('[{"common_name": "cc", "domains": ["a"]}]').clients, [{ common_name: 'cc', domains: ['a'] }])
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-bbs-clients-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'clients.json'), '[{"common_name": "ops", "domains": "*"}]')
  t.same(readBbsClients(join(dir, 'clients.json')).clients, [{ common_name: 'ops', domains: '*' }])
  t.match(readBbsClients('[{"common_name": "cc"}]').problems, [/TASKBBS_BBS_CLIENTS\[0\] must be/])
  t.match(readBbsClients('[{"common_name": "cc", "domains": []}]').problems, [/TASKBBS_BBS_CLIENTS\[0\]/])
  t.match(readBbsClients('[{"common_name": "cc", "domains": "*"}, {"common_name": "cc", "domains": "*"}]').problems, [/listed twice/])
  t.match(readBbsClients('[').problems, [/not valid JSON/])
  t.match(readBbsClients('[]').problems, [/non-empty/])
  t.match(readBbsClients(join(dir, 'missing.json')).problems, [/cannot read/])
  t.match(problems({ TASKBBS_BBS_CLIENTS: '[{"domains": "*"}]' }).join(' '), /TASKBBS_BBS_CLIENTS\[0\]/, 'refused at start')
})
