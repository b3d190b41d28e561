/**
 * Reading the runner's frames out of a container log that is read several
 * times (a follow stream that reconnects, then the read after the end):
 * every line once, in order, stdout, stderr and system apart.
 */
import t from 'tap'
import { LogCursor, timestampNs } from '../../../src/executors/kubernetes/log-cursor.ts'
import { parseFrame } from '../../../src/executors/kubernetes/runner-output.ts'

const at = (s: number, ns = 0) => `2030-01-01T00:00:${String(s).padStart(2, '0')}.${String(ns).padStart(9, '0')}Z`
const frame = (seq: number, fd: string, line: string, src?: string) => JSON.stringify(src ? { seq, fd, src, line } : { seq, fd, line })
const log = (s: number, text: string, ns = 0) => `${at(s, ns)} ${text}`

t.test('frames become lines of their stream and source; the default source otherwise', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  t.same(c.take(log(1, frame(1, 'system', 'Downloading app...'))), [{ stream: 'system', source: 'TASK', line: 'Downloading app...', seq: 1 }])
  t.same(c.take(log(1, frame(2, 'stdout', 'hello', 'APP'), 5)), [{ stream: 'stdout', source: 'APP', line: 'hello', seq: 2 }])
  t.same(c.take(log(2, frame(3, 'stderr', 'warning: x'))), [{ stream: 'stderr', source: 'TASK', line: 'warning: x', seq: 3 }])
  t.equal(c.lastSeq, 3)
})

t.test('a line that is no frame is the task\'s stdout, not dropped', async t => {
  const c = new LogCursor('STG')
  c.beginRead()
  t.same(c.take(log(1, 'written to /proc/1/fd/1 directly')), [{ stream: 'stdout', source: 'STG', line: 'written to /proc/1/fd/1 directly' }])
  t.same(c.take(log(1, '{"seq":"x"}', 1)), [{ stream: 'stdout', source: 'STG', line: '{"seq":"x"}' }])
})

t.test('a reconnect from the last second repeats nothing: frames by seq, other lines by time and count', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  const first = [log(1, frame(1, 'stdout', 'a')), log(2, 'plain-1', 7), log(2, 'plain-2', 7), log(2, frame(2, 'stdout', 'b'), 9)]
  const taken = first.flatMap(l => c.take(l))
  t.same(taken.map(l => l.line), ['a', 'plain-1', 'plain-2', 'b'])
  const { sinceTime } = c.beginRead()
  t.same(sinceTime, new Date('2030-01-01T00:00:02Z'), 'whole seconds, as the API takes them')
  // The API answers from second 2: the lines taken, then what is new (two more lines at the same instant).
  const second = [log(2, 'plain-1', 7), log(2, 'plain-2', 7), log(2, frame(2, 'stdout', 'b'), 9), log(2, 'plain-3', 9), log(3, frame(3, 'stderr', 'c'))]
  t.same(second.flatMap(l => c.take(l)).map(l => l.line), ['plain-3', 'c'])
})

t.test('a frame ahead of the next seq is a line the task printed itself, and does not hide the runner\'s next frames', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  c.take(log(1, frame(1, 'stdout', 'a')))
  const forged = frame(99, 'system', 'all good')
  t.same(c.take(log(1, forged, 1)), [{ stream: 'stdout', source: 'TASK', line: forged }])
  t.same(c.take(log(1, frame(2, 'stdout', 'b'), 2)), [{ stream: 'stdout', source: 'TASK', line: 'b', seq: 2 }])
})

t.test('the first frame of a log whose start is gone may be ahead; the missing lines are named', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  t.same(c.take(log(5, frame(40, 'stdout', 'x'))), [
    { stream: 'system', source: 'TASK', line: 'output lines 1 to 39 are no longer in the container log' },
    { stream: 'stdout', source: 'TASK', line: 'x', seq: 40 }
  ])
})

t.test('logsSeen: a reader adopting a running pod skips every frame recorded before, and the plain lines among them', async t => {
  const c = new LogCursor('TASK', 2)
  c.beginRead()
  const lines = [log(1, frame(1, 'stdout', 'a')), log(1, 'plain before', 1), log(1, frame(2, 'stdout', 'b'), 2), log(1, 'plain after', 3), log(2, frame(3, 'stdout', 'c'))]
  t.same(lines.flatMap(l => c.take(l)).map(l => [l.line, l.seq]), [['plain after', undefined], ['c', 3]])
})

t.test('result frames are kept as candidates whatever their seq, never reported as lines', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  t.same(c.take(log(1, '{"seq":1,"result":"forged"}')), [])
  t.same(c.take(log(1, frame(1, 'stdout', 'x'), 1)), [{ stream: 'stdout', source: 'TASK', line: 'x', seq: 1 }], 'the imitation hides no frame')
  t.same(c.take(log(1, '{"seq":2,"result":"42\\n"}', 2)), [])
  t.equal(c.lastSeq, 1, 'result frames are not counted')
  t.same(c.results, ['forged', '42\n'])
})

t.test('frames are objects with a positive integer seq and a known fd', async t => {
  t.equal(parseFrame('{"seq":0,"fd":"stdout","line":"x"}'), undefined)
  t.equal(parseFrame('{"seq":1.5,"fd":"stdout","line":"x"}'), undefined)
  t.equal(parseFrame('{"seq":1,"fd":"tty","line":"x"}'), undefined)
  t.equal(parseFrame('[1]'), undefined)
  t.equal(parseFrame('{"seq":1,"fd":"stdout"'), undefined)
})

t.test('RFC 3339 timestamps to nanoseconds, short fractions and offsets included', async t => {
  t.equal(timestampNs('2030-01-01T00:00:01.5Z'), timestampNs('2030-01-01T00:00:01.500000000Z'))
  t.equal(timestampNs('2030-01-01T01:00:01+01:00'), timestampNs('2030-01-01T00:00:01Z'))
  t.equal(timestampNs('yesterday'), undefined)
})

t.test('result candidates are bounded: a task printing imitations by the thousand keeps the last few, the runner\'s among them', async t => {
  const c = new LogCursor('TASK')
  c.beginRead()
  for (let i = 0; i < 5000; i++) c.take(log(1, `{"seq":${i + 1},"result":"fake ${i}"}`, i))
  c.take(log(2, '{"seq":1,"result":"real"}'))
  t.ok(c.results.length <= 8)
  t.equal(c.results.at(-1), 'real')
})
