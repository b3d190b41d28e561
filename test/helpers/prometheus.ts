/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every
 * line is empty, a HELP, a TYPE or a sample of a declared metric, or the parse
 * throws naming the line. Returns samples keyed `name{a="x",b="y"}` with
 * labels sorted, so tests can look values up.
 */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`
// Values are Go floats as Prometheus parses them: NaN and Inf in any case.
const VALUE = '(?:[+-]?(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[iI][nN][fF])|[nN][aA][nN])'
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`)
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`)
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})(?: -?[0-9]+)?$`)
const LABEL_G = new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`, 'g')

export interface Exposition {
  types: Map<string, string>
  samples: Map<string, number>
}

export function parseExposition (text: string): Exposition {
  const types = new Map<string, string>()
  const samples = new Map<string, number>()
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1}: ${line.slice(0, 120)}`
    if (line === '') continue // the format ignores empty lines; prom-client puts one between families
    if (line.startsWith('# HELP ')) { if (!HELP.test(line)) throw new Error(`bad HELP, ${where}`); continue }
    if (line.startsWith('# TYPE ')) {
      const m = TYPE.exec(line)
      if (!m) throw new Error(`bad TYPE, ${where}`)
      if (types.has(m[1])) throw new Error(`TYPE declared twice, ${where}`)
      types.set(m[1], m[2])
      continue
    }
    const m = SAMPLE.exec(line)
    if (!m) throw new Error(`not a sample, ${where}`)
    const [, name, labels = '', value] = m
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count|total|created)$/, '')
    if (!types.has(family)) throw new Error(`sample of an undeclared metric, ${where}`)
    const pairs = [...labels.matchAll(LABEL_G)].map(([, k, v]) => `${k}="${v}"`).sort()
    const key = pairs.length ? `${name}{${pairs.join(',')}}` : name
    if (samples.has(key)) throw new Error(`sample repeated, ${where}`)
    samples.set(key, /nan/i.test(value) ? NaN : Number(value.replace(/inf/i, 'Infinity')))
  }
  return { types, samples }
}
