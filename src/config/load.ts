import Value from 'typebox/value'
import { type Config, ConfigSchema } from './schema.ts'
import { configRuleProblems } from './rules.ts'

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
  readonly problems: string[]
  constructor (problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}\nSee --help for every variable and its allowed values.`)
    this.problems = problems
  }
}

type Field = { type?: string, anyOf?: Array<{ const?: unknown }>, default?: unknown, minimum?: number, maximum?: number, description?: string }

function fields (): Array<[string, Field]> {
  return Object.entries(ConfigSchema.properties) as unknown as Array<[string, Field]>
}

function parseValue (name: string, raw: string, f: Field): { value?: unknown, problem?: string } {
  if (f.type === 'integer' || f.type === 'number') {
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n) || (f.type === 'integer' && !Number.isInteger(n))) {
      return { problem: `${name}=${JSON.stringify(raw)} is not ${f.type === 'integer' ? 'an integer' : 'a number'}` }
    }
    if ((f.minimum !== undefined && n < f.minimum) || (f.maximum !== undefined && n > f.maximum)) {
      return { problem: `${name}=${raw} is out of range ${f.minimum}..${f.maximum}` }
    }
    return { value: n }
  }
  if (f.type === 'boolean') {
    if (/^(true|1|yes)$/i.test(raw)) return { value: true }
    if (/^(false|0|no)$/i.test(raw)) return { value: false }
    return { problem: `${name}=${JSON.stringify(raw)} is not a boolean (true or false)` }
  }
  if (f.anyOf) {
    const allowed = f.anyOf.map(a => a.const)
    if (!allowed.includes(raw)) return { problem: `${name}=${JSON.stringify(raw)} is not one of ${allowed.join(', ')}` }
  }
  return { value: raw }
}

/**
 * Reads the configuration from an environment, applying defaults. Unset or
 * empty variables take their default; every bad value is reported at once.
 */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}, context: { ownNamespace?: () => string | undefined } = {}): Config {
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [name, f] of fields()) {
    const raw = env[name]
    if (raw === undefined || (raw === '' && name !== 'DATABASE_URL')) {
      out[name] = f.default
      continue
    }
    const { value, problem } = parseValue(name, raw, f)
    if (problem) problems.push(problem)
    else out[name] = value
  }
  if (problems.length) throw new ConfigError(problems)
  const config = { ...out, ...overrides }
  if (!Value.Check(ConfigSchema, config)) {
    throw new ConfigError([...Value.Errors(ConfigSchema, config)].map(e => `${e.instancePath || 'config'} ${e.message}`))
  }
  const ruleProblems = configRuleProblems(config as Config, context.ownNamespace)
  if (ruleProblems.length) throw new ConfigError(ruleProblems)
  return config as Config
}

/** The text of `--help`: every variable, its default and meaning. */
export function configHelp (): string {
  const lines = ['Environment variables (all optional):', '']
  for (const [name, f] of fields()) {
    const allowed = f.anyOf ? ` (${f.anyOf.map(a => a.const).join(' | ')})` : ''
    lines.push(`  ${name}${allowed}`, `      default: ${JSON.stringify(f.default)}`, `      ${f.description ?? ''}`)
  }
  return lines.join('\n')
}

/** Rows of the README's configuration table. */
export function configTable (): string {
  const rows = fields().map(([name, f]) => {
    const allowed = f.anyOf ? ` One of ${f.anyOf.map(a => `\`${a.const}\``).join(', ')}.` : ''
    // A `|` inside a cell would end it; Markdown wants it escaped.
    return `| \`${name}\` | \`${JSON.stringify(f.default)}\` | ${(f.description ?? '').replaceAll('|', '\\|')}${allowed} |`
  })
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n')
}
