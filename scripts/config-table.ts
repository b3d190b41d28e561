/**
 * Prints the configuration table that README.md carries between
 * `<!-- config-table:start -->` and `<!-- config-table:end -->`, from the one
 * config schema. `--write` replaces the table in README.md in place;
 * test/config/readme.test.ts fails when the two differ.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { configTable } from '../src/config/load.ts'

export const README = new URL('../README.md', import.meta.url)
export const START = '<!-- config-table:start -->'
export const END = '<!-- config-table:end -->'

/** The README text with its table block replaced by the current one; undefined when it has no markers. */
export function withTable (readme: string): string | undefined {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) return undefined
  return `${readme.slice(0, start)}${START}\n${configTable()}\n${END}${readme.slice(end + END.length)}`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) {
    const text = await readFile(README, 'utf8')
    const next = withTable(text)
    if (next === undefined) {
      process.stderr.write(`README.md has no ${START} … ${END} markers\n`)
      process.exit(1)
    }
    await writeFile(README, next)
    process.stdout.write('README.md configuration table updated\n')
  } else {
    process.stdout.write(configTable() + '\n')
  }
}
