/** "Diego only returns the first 10 kilobytes of the ResultFile": cut on a character boundary. */
import t from 'tap'
import { resultText } from '../../src/domain/result.ts'

const bytes = (s: string) => new TextEncoder().encode(s)

t.test('text up to the limit is the result as it is', async t => {
  t.equal(resultText(bytes('42\n')), '42\n')
  t.equal(resultText(bytes('x'.repeat(10240))), 'x'.repeat(10240))
  t.equal(resultText(bytes('')), '')
})

t.test('longer text is cut to the limit', async t => {
  t.equal(resultText(bytes('x'.repeat(10241))), 'x'.repeat(10240))
  t.equal(resultText(bytes('abcdef'), 4), 'abcd')
})

t.test('a character across the limit is left out whole, whatever its length', async t => {
  t.equal(resultText(bytes('abc€'), 4), 'abc', '3-byte character starting at byte 3')
  t.equal(resultText(bytes('ab€'), 4), 'ab', '3-byte character starting at byte 2')
  t.equal(resultText(bytes('a😀'), 4), 'a', '4-byte character')
  t.equal(resultText(bytes('abé!'), 4), 'abé', 'a character ending exactly at the limit is kept')
  t.equal(resultText(bytes('€€€'), 4), '€')
})
