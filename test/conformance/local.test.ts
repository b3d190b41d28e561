/**
 * The conformance table against the local executor, used as the scheduler uses
 * it: start(), events from observe() until `completed`, then cleanup().
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildValidatorCompiler } from '../../src/api/validation.ts'
import { ActionSchema } from '../../src/domain/action.ts'
import { definitionErrors } from '../../src/domain/validate.ts'
import { TaskDefinition } from '../../src/domain/task-definition.ts'
import type { ExecutorEvent } from '../../src/executors/executor.ts'
import { LocalExecutor } from '../../src/executors/local/index.ts'
import { caseGuid, definitionOf, expectationFor, type LogLine, materialize } from './case-types.ts'
import { CANCEL_CASE, CASES } from './cases.ts'
import { compareOutcome, processGone } from './compare.ts'
import { startFixtures } from './fixtures.ts'

const fixtures = await startFixtures()
t.teardown(() => fixtures.close())
const workDir = await mkdtemp(join(tmpdir(), 'taskbbs-conformance-'))
t.teardown(() => rm(workDir, { recursive: true, force: true }))
const executor = new LocalExecutor({ workDir })
t.teardown(() => executor.close())

const events: ExecutorEvent[] = []
const waiters = new Set<() => void>()
executor.observe(e => { events.push(e); for (const w of waiters) w() })

async function completion (guid: string, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const done = events.find(e => e.type === 'completed' && e.guid === guid)
    if (done?.type === 'completed') return done
    if (Date.now() > deadline) throw new Error(`${guid} did not complete within ${timeoutMs} ms`)
    await new Promise<void>(resolve => { const w = () => { waiters.delete(w); resolve() }; waiters.add(w); setTimeout(w, 100) })
  }
}

const validate = buildValidatorCompiler([ActionSchema])({ schema: TaskDefinition, method: 'POST', url: '/v1/tasks', httpPart: 'body' })

t.test('every case of the table is a task the API accepts', async t => {
  for (const [i, c] of CASES.entries()) {
    const def = definitionOf(materialize(c, fixtures.base), caseGuid(i))
    t.ok(validate(def), `${c.name}: schema`, { errors: (validate as unknown as { errors: unknown }).errors })
    t.same(definitionErrors(def, { allowPrivileged: false }), [], `${c.name}: rules`)
  }
})

for (const [i, raw] of CASES.entries()) {
  t.test(raw.name, { todo: raw.knownGaps?.local ?? false }, async t => {
    const c = materialize(raw, fixtures.base)
    const guid = caseGuid(i, 'local')
    const started = performance.now()
    await executor.start({ guid, domain: 'conformance', definition: definitionOf(c, guid) })
    const done = await completion(guid)
    const elapsedMs = performance.now() - started
    const logs: LogLine[] = events.flatMap(e => e.type === 'log' && e.guid === guid ? [{ fd: e.stream, source: e.source, line: e.line }] : [])
    compareOutcome(t, expectationFor(c, process.getuid?.() === 0), { failed: done.failed, failure_reason: done.failureReason, result: done.result, logs, elapsedMs, uploads: fixtures.uploads })
    await executor.cleanup(guid)
  })
}

t.test(CANCEL_CASE.name, async t => {
  const c = CANCEL_CASE
  const guid = 'local-cancel'
  const started = performance.now()
  await executor.start({ guid, domain: 'conformance', definition: definitionOf(c, guid) })
  while (!events.some(e => e.type === 'log' && e.guid === guid && e.line === c.startedLine)) {
    if (performance.now() - started > 30000) throw new Error('the task never started')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  await executor.cancel(guid)
  const done = await completion(guid)
  const logs: LogLine[] = events.flatMap(e => e.type === 'log' && e.guid === guid ? [{ fd: e.stream, source: e.source, line: e.line }] : [])
  compareOutcome(t, c.expect, { failed: done.failed, failure_reason: done.failureReason, result: done.result, logs, elapsedMs: performance.now() - started, uploads: fixtures.uploads })
  const taskDir = (await readdir(workDir)).find(d => d.startsWith(`${guid}-`))
  const pid = Number(await readFile(join(workDir, taskDir!, c.pidFile), 'utf8'))
  t.ok(await processGone(pid), `the background process ${pid} was stopped`)
  await executor.cleanup(guid)
})
