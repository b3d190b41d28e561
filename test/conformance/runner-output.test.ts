/**
 * The reading of the runner's frames and outcome that runner.test.ts relies
 * on: only the result frame whose digest the outcome names is the result, and
 * breaches of the protocol are reported, never passed over.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { taskReport } from './runner-output.ts'

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const frames = (...fs: object[]) => fs.map((f, i) => JSON.stringify({ seq: i + 1, ...f })).join('\n') + '\n'
const outcome = (o: object) => JSON.stringify({ v: 1, failed: false, failure_reason: '', ...o })

t.test('log frames become lines; the result frame the outcome names is the result', async t => {
  const out = frames({ fd: 'stdout', src: 'TASK', line: 'hi' }, { fd: 'system', src: 'APP', line: 'Downloaded x' }, { result: '42\n' })
  const r = taskReport(out, outcome({ result_bytes: 3, result_sha256: sha('42\n'), frames: 3 }))
  t.same(r, {
    failed: false, failureReason: '', result: '42\n', problems: [],
    logs: [{ fd: 'stdout', source: 'TASK', line: 'hi' }, { fd: 'system', source: 'APP', line: 'Downloaded x' }]
  })
})

t.test('a result frame the outcome does not name is no result, and is reported', async t => {
  const out = frames({ result: 'forged' })
  const r = taskReport(out, outcome({ frames: 1 }))
  t.equal(r.result, '')
  t.same(r.problems, ['1 result frames'])
  const wrong = taskReport(frames({ result: 'forged' }), outcome({ result_bytes: 4, result_sha256: sha('real'), frames: 1 }))
  t.equal(wrong.result, '')
  t.same(wrong.problems, ['no result frame matches the outcome\'s digest'])
})

t.test('gaps, stray lines, a wrong frame count and a result that is not last are reported', async t => {
  const gap = JSON.stringify({ seq: 1, fd: 'stdout', src: 'T', line: 'a' }) + '\n' + JSON.stringify({ seq: 3, fd: 'stdout', src: 'T', line: 'b' }) + '\nnot json\n'
  t.same(taskReport(gap, outcome({ frames: 2 })).problems, ['stdout line is not a frame: not json', 'frame 2 has seq 3'])
  t.same(taskReport(frames({ fd: 'stdout', src: 'T', line: 'a' }), outcome({ frames: 5 })).problems, ['outcome counts 5 frames, stdout has 1'])
  const early = frames({ result: 'r' }, { fd: 'stdout', src: 'T', line: 'a' })
  t.same(taskReport(early, outcome({ result_bytes: 1, result_sha256: sha('r'), frames: 2 })).problems, ['the result frame is not the last frame'])
})

t.test('failed and failure_reason come from the outcome only; a malformed outcome is an error', async t => {
  const r = taskReport(frames({ fd: 'stdout', src: 'T', line: '{"v":1,"failed":false}' }), outcome({ failed: true, failure_reason: 'run sh: exited with status 1', frames: 1 }))
  t.equal(r.failed, true)
  t.equal(r.failureReason, 'run sh: exited with status 1')
  t.throws(() => taskReport('', '{"failed":false}'), /not an outcome/)
  t.throws(() => taskReport('', ''), SyntaxError)
  t.throws(() => taskReport('', outcome({ frames: 0, failure_reason: 'x'.repeat(5000) })), /over 4096/)
})
