/**
 * Process output becomes lines the same way on every executor: split on
 * newlines, bytes kept whole across reads, lines over 64 KiB in pieces cut
 * on character boundaries.
 */
import t from 'tap'
import { MAX_LINE_BYTES, lineSplitter } from '../../../src/executors/local/lines.ts'

function split (chunks: Array<string | Buffer>): string[] {
  const out: string[] = []
  const s = lineSplitter(l => out.push(l))
  for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c))
  s.end()
  return out
}

t.test('lines are split on newlines; a last line without one is reported at the end', async t => {
  t.same(split(['a\nb', 'c\n\nd']), ['a', 'bc', '', 'd'])
  t.same(split(['x\n']), ['x'])
  t.same(split([]), [])
})

t.test('a character split across two reads stays whole', async t => {
  const euro = Buffer.from('€\n')
  t.same(split([euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)]), ['€'])
})

t.test('a line of exactly 64 KiB is one line, whether or not its newline comes in the same read', async t => {
  const line = 'x'.repeat(MAX_LINE_BYTES)
  t.same(split([line + '\n']), [line])
  t.same(split([line, '\n']), [line])
  t.same(split([line.slice(0, 1000), line.slice(1000), '\nnext\n']), [line, 'next'])
})

t.test('a longer line comes in pieces of 64 KiB, cut on character boundaries', async t => {
  const long = 'x'.repeat(150000)
  t.same(split([long + '\n']).map(l => l.length), [65536, 65536, 18928])
  t.same(split([long.slice(0, 70000), long.slice(70000), '\n']).map(l => l.length), [65536, 65536, 18928])
  const accents = 'a' + 'é'.repeat(40000)
  const pieces = split([accents])
  t.same(pieces, ['a' + 'é'.repeat(32767), 'é'.repeat(7233)])
  t.equal(pieces.join(''), accents)
})
