/**
 * README.md's configuration table is generated from the config schema by
 * `node scripts/config-table.ts --write`; this fails when someone changes a
 * variable without regenerating it.
 */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { README, withTable } from '../../scripts/config-table.ts'

t.test('the README configuration table is the one the config schema generates', async t => {
  const text = await readFile(README, 'utf8').catch(() => undefined)
  const expected = text === undefined ? undefined : withTable(text)
  if (text === undefined || expected === undefined) {
    t.pass('README.md has no <!-- config-table:start --> … <!-- config-table:end --> block: nothing to compare')
    return
  }
  t.equal(text, expected, 'run `node scripts/config-table.ts --write` to regenerate it')
})
