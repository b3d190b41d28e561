/**
 * The conformance table against the runner as a real process: built from
 * runner/ with runner/build.sh, started as `taskbbs-runner run --spec … --root
 * … --termination-log …` in a temporary root for each case, its frames and
 * outcome read as the Kubernetes executor reads them (runner-output.ts). The
 * table runs twice: as root, and as the unprivileged user `nobody`, as a
 * runner in a pod with a non-root securityContext would.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { caseGuid, definitionOf, expectationFor, materialize } from './case-types.ts'
import { CANCEL_CASE, CASES } from './cases.ts'
import { compareOutcome, processGone } from './compare.ts'
import { startFixtures } from './fixtures.ts'
import { taskReport } from './runner-output.ts'
import { containerEnv, runnerSpec } from './runner-spec.ts'

const repo = new URL('../../', import.meta.url).pathname
const NOBODY = { uid: 65534, gid: 65534 }

function sh (file: string, args: string[]): Promise<{ code: number | null, out: string }> {
  return new Promise(resolve => {
    const child = spawn(file, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', d => { out += d })
    child.stderr.on('data', d => { out += d })
    child.on('close', code => resolve({ code, out }))
  })
}

const base = await mkdtemp(join(tmpdir(), 'taskbbs-runner-conformance-'))
t.teardown(() => rm(base, { recursive: true, force: true }))
// The binary and the case roots must be reachable by `nobody`.
await chmod(base, 0o755)
const binary = join(base, 'taskbbs-runner')

let skip: string | false = false
if (!existsSync(join(repo, 'runner/build.sh'))) {
  skip = 'runner/build.sh is missing: the runner is not in this checkout'
} else {
  const built = await sh('bash', ['runner/build.sh', binary])
  if (built.code !== 0) {
    if (/Go is not installed/.test(built.out)) skip = `Go is missing, so the runner cannot be built: ${built.out.trim()}`
    else {
      t.fail(`runner/build.sh failed: ${built.out}`)
      skip = 'runner/build.sh failed (reported above)'
    }
  }
}

const fixtures = await startFixtures()
t.teardown(() => fixtures.close())

interface Mode { name: string, ids?: { uid: number, gid: number } }
const asRoot = process.getuid?.() === 0
const modes: Mode[] = asRoot ? [{ name: 'as root' }, { name: 'as nobody', ids: NOBODY }] : [{ name: `as uid ${process.getuid?.()}` }]

/** Runs one task; `cancelAfter`: send SIGTERM to the runner once this stdout line was reported. */
async function runCase (guid: string, def: ReturnType<typeof definitionOf>, mode: Mode, cancelAfter?: string) {
  const root = join(base, guid)
  await mkdir(root, { mode: 0o755 })
  await chmod(root, 0o755)
  const specFile = join(base, `${guid}.spec.json`)
  const termLog = join(base, `${guid}.termination-log`)
  await writeFile(specFile, JSON.stringify(runnerSpec(def)), { mode: 0o644 })
  await writeFile(termLog, '', { mode: 0o644 })
  if (mode.ids) {
    await chown(root, mode.ids.uid, mode.ids.gid)
    await chown(termLog, mode.ids.uid, mode.ids.gid)
  }
  const started = performance.now()
  const child = spawn(binary, ['run', '--spec', specFile, '--root', root, '--termination-log', termLog], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...containerEnv(def) },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(mode.ids ?? {})
  })
  let stdout = ''
  let stderr = ''
  let cancelled = false
  // Decoded as one stream: a character split across two reads stays whole.
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', d => {
    stdout += d
    if (cancelAfter !== undefined && !cancelled && stdout.split('\n').some(l => l.includes(`"fd":"stdout"`) && l.includes(JSON.stringify(cancelAfter)))) {
      cancelled = true
      child.kill('SIGTERM')
    }
  })
  child.stderr.on('data', d => { stderr += d })
  const killer = setTimeout(() => child.kill('SIGKILL'), 60000)
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  clearTimeout(killer)
  return { code, stdout, stderr, root, outcome: await readFile(termLog, 'utf8'), elapsedMs: performance.now() - started }
}

if (!asRoot) t.test('the runner as nobody', { skip: 'this test does not run as root, so it cannot start the runner as another user' }, async () => {})

for (const mode of modes) {
  t.test(`the runner ${mode.name}`, { skip }, async t => {
    for (const [i, raw] of CASES.entries()) {
      await t.test(raw.name, { todo: raw.knownGaps?.runner ?? false }, async t => {
        const c = materialize(raw, fixtures.base)
        const guid = caseGuid(i, `runner-${mode.ids ? 'nobody' : 'self'}`)
        const run = await runCase(guid, definitionOf(c, guid), mode)
        const expect = expectationFor(c, !mode.ids && asRoot)
        t.equal(run.code, expect.failed ? 1 : 0, 'exit status: 0 succeeded, 1 failed', { stderr: run.stderr })
        const report = taskReport(run.stdout, run.outcome)
        t.same(report.problems, [], 'frames and outcome keep the protocol')
        compareOutcome(t, expect, {
          failed: report.failed,
          failure_reason: report.failureReason,
          result: report.result,
          logs: report.logs,
          elapsedMs: run.elapsedMs,
          uploads: fixtures.uploads
        })
      })
    }

    await t.test(CANCEL_CASE.name, async t => {
      const c = CANCEL_CASE
      const guid = `runner-cancel-${mode.ids ? 'nobody' : 'self'}`
      const run = await runCase(guid, definitionOf(c, guid), mode, c.startedLine)
      t.equal(run.code, 1, 'exit status 1: the task failed', { stderr: run.stderr })
      const report = taskReport(run.stdout, run.outcome)
      t.same(report.problems, [], 'frames and outcome keep the protocol')
      compareOutcome(t, c.expect, { failed: report.failed, failure_reason: report.failureReason, result: report.result, logs: report.logs, elapsedMs: run.elapsedMs, uploads: fixtures.uploads })
      const pid = Number(await readFile(join(run.root, c.pidFile), 'utf8'))
      t.ok(await processGone(pid), `the background process ${pid} was stopped`)
    })
  })
}
