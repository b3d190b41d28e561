/**
 * Grants: a task names only the Secrets and volume claims the operator
 * granted to its domain (TASKBBS_K8S_GRANTS) or to every domain ("*").
 * Refusals name the field and read the same whether the object exists or not.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readK8sGrants } from '../../../src/config/k8s-grants.ts'
import { loadConfig } from '../../../src/config/load.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { grantErrors } from '../../../src/executors/kubernetes/grants.ts'

const GRANTS = JSON.stringify({ a: { secrets: ['a-db'], volume_claims: ['a-cache'] }, b: { secrets: ['b-db'] }, '*': { volume_claims: ['datasets'] } })
const { grants } = readK8sGrants(GRANTS)
const task = (domain: string, secrets: string[], claims: string[] = []) => ({
  guid: 'g', domain, root_fs: 'docker:///busybox', action: { run: { path: 'true', user: 'root' } },
  kubernetes: { secrets },
  volume_mounts: claims.map((c, i) => ({ driver: 'nfs', container_dir: `/v${i}`, mode: 'r', shared: { volume_id: c } }))
}) as TaskDefinition

t.test('a domain may name what is granted to it and to "*"', async t => {
  t.same(grantErrors(task('a', ['a-db'], ['a-cache', 'datasets']), grants), [])
  t.same(grantErrors(task('b', ['b-db'], ['datasets']), grants), [])
})

t.test('another domain\'s Secret, the server\'s Secret and an unlisted claim are refused, naming the field', async t => {
  t.match(grantErrors(task('a', ['a-db', 'b-db', 'taskbbs-secrets'], ['a-cache', 'postgres-data']), grants), [
    { field: 'kubernetes.secrets[1]', message: 'Secret "b-db" is not granted to domain "a"' },
    { field: 'kubernetes.secrets[2]', message: 'Secret "taskbbs-secrets" is not granted to domain "a"' },
    { field: 'volume_mounts[1].shared.volume_id', message: 'volume claim "postgres-data" is not granted to domain "a"' }
  ])
  t.same(grantErrors(task('b', [], ['a-cache']), grants).map(e => e.field), ['volume_mounts[0].shared.volume_id'])
})

t.test('a domain named like an Object prototype property gets nothing by accident', async t => {
  for (const domain of ['__proto__', 'constructor', 'toString']) t.equal(grantErrors(task(domain, ['a-db']), grants).length, 1, domain)
})

t.test('without grants nothing is granted', async t => {
  t.equal(grantErrors(task('a', ['a-db'], ['datasets']), readK8sGrants('').grants).length, 2)
})

t.test('TASKBBS_K8S_GRANTS is inline JSON or a file; a bad one stops the server naming the variable', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-grants-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'grants.json')
  await writeFile(file, GRANTS)
  t.same(grantErrors(task('a', ['a-db']), readK8sGrants(file).grants), [])
  t.equal(loadConfig({ TASKBBS_K8S_GRANTS: file }).TASKBBS_K8S_GRANTS, file)
  const bad: Array<[string, RegExp]> = [
    ['{', /TASKBBS_K8S_GRANTS is not valid JSON/],
    ['[]', /TASKBBS_K8S_GRANTS must be a JSON object/],
    ['{"a": {"secret": ["x"]}}', /TASKBBS_K8S_GRANTS\["a"\]/],
    ['{"a": {"secrets": ["Not_A_Name"]}}', /TASKBBS_K8S_GRANTS\["a"\]\.secrets\.0/],
    ['{"": {}}', /a domain is 1 to 255 characters/],
    [join(dir, 'missing.json'), /TASKBBS_K8S_GRANTS: cannot read .*missing\.json: ENOENT/]
  ]
  for (const [raw, message] of bad) t.throws(() => loadConfig({ TASKBBS_K8S_GRANTS: raw }), { code: 'CONFIG_INVALID', message }, raw)
})
