/**
 * Task pods never share the server's namespace in production: a server that
 * can tell its namespace (in a pod) refuses to start when TASKBBS_K8S_NAMESPACE
 * names it, with a message naming the setting.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config/load.ts'
import { readOwnNamespace } from '../../src/config/server-namespace.ts'

const production = {
  TASKBBS_MODE: 'production',
  TASKBBS_EXECUTOR: 'kubernetes',
  TASKBBS_TOKENS: JSON.stringify([{ name: 'ops', token: 'a-test-token-of-some-length', domains: '*', role: 'admin' }])
}
const inPod = (ns: string) => ({ ownNamespace: () => ns })

t.test('production refuses a task namespace equal to the server\'s own', async t => {
  t.throws(() => loadConfig({ ...production, TASKBBS_K8S_NAMESPACE: 'taskbbs' }, {}, inPod('taskbbs')), {
    code: 'CONFIG_INVALID',
    message: /TASKBBS_K8S_NAMESPACE=taskbbs is the namespace this server runs in/
  })
})

t.test('a namespace of their own is accepted; so is development, and a server that cannot tell', async t => {
  t.equal(loadConfig({ ...production, TASKBBS_K8S_NAMESPACE: 'taskbbs-tasks' }, {}, inPod('taskbbs')).TASKBBS_K8S_NAMESPACE, 'taskbbs-tasks')
  t.equal(loadConfig({ ...production, TASKBBS_MODE: 'development', TASKBBS_K8S_NAMESPACE: 'taskbbs' }, {}, inPod('taskbbs')).TASKBBS_MODE, 'development')
  t.equal(loadConfig({ ...production, TASKBBS_K8S_NAMESPACE: 'taskbbs' }, {}, { ownNamespace: () => undefined }).TASKBBS_K8S_NAMESPACE, 'taskbbs')
  t.equal(loadConfig({ ...production, TASKBBS_EXECUTOR: 'local', TASKBBS_K8S_NAMESPACE: 'taskbbs' }, {}, inPod('taskbbs')).TASKBBS_EXECUTOR, 'local', 'the local executor makes no pods')
})

t.test('the server\'s namespace is read from the service account mount, when there is one', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-sa-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'namespace'), 'taskbbs')
  t.equal(readOwnNamespace(join(dir, 'namespace')), 'taskbbs')
  t.equal(readOwnNamespace(join(dir, 'absent')), undefined)
})
