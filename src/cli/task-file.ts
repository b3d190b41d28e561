import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { CliError, EXIT } from './exit-codes.ts'

/**
 * Task files for `taskbbs submit`, in the spirit of dstack's `.dstack.yml`:
 * YAML (or JSON) holding a Diego TaskDefinition, with a few conveniences that
 * the CLI turns into plain API fields before sending:
 *
 *   commands: [..]     → action: one `run` of `sh -c CMD`, or a `serial` of them
 *   user: vcap         → the user those runs run as (default root)
 *   image: org/app:1   → root_fs: docker:///org/app#1
 *   env: {K: V}        → env: [{name: K, value: V}]; `K: null` or `- K` takes K from your environment
 *   ${{ env.NAME }}    → the value of NAME in your environment, in any string
 *   guid, domain       → optional: a generated guid; --domain, the file, TASKBBS_DOMAIN or "default"
 *   type: task         → accepted and ignored, as in a .dstack.yml
 *
 * Every other field goes to the server as written, which validates it.
 */

export type FilePath = Array<string | number>

export interface TaskFile {
  definition: Record<string, unknown>
  /** Where a field of the definition (as the server names it, `action.run.args[0]`) was written: `file:line:col`. */
  locate (field: string): string
}

export interface TaskFileOptions {
  /** --guid; wins over the file. */
  guid?: string
  /** --domain; wins over the file. */
  domain?: string
  env: NodeJS.ProcessEnv
}

/** A task file that cannot be used: every problem, each with its place in the file. */
export class TaskFileError extends CliError {
  readonly problems: string[]
  constructor (file: string, problems: string[]) {
    super(EXIT.USAGE, `${file} is not a valid task file:\n  ${problems.join('\n  ')}`)
    this.problems = problems
  }
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g
const ENV_NAME = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/
const SHORTHANDS = ['commands', 'user', 'image', 'type'] as const

/** Splits an API field path (`action.serial.actions[1].run`) into segments. */
export function fieldSegments (field: string): FilePath {
  const out: FilePath = []
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1])
  return out
}

function fieldName (path: FilePath): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : (out === '' ? p : `.${p}`)
  return out || '(top level)'
}

/** `docker:///org/name#tag` from a docker image reference `[registry/]org/name[:tag]`. */
export function rootFsOfImage (image: string): string {
  const slash = image.indexOf('/')
  const first = slash < 0 ? '' : image.slice(0, slash)
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost'
  const registry = hasRegistry ? first : ''
  let rest = hasRegistry ? image.slice(slash + 1) : image
  let tag = 'latest'
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon) }
  if (!registry && !rest.includes('/')) rest = `library/${rest}`
  return `docker://${registry}/${rest}#${tag}`
}

function generatedGuid (file: string): string {
  const stem = basename(file).replace(/(\.taskbbs)?\.(ya?ml|json)$/i, '').replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200)
  return `${stem || 'task'}-${randomBytes(4).toString('hex')}`
}

/** Reads, parses, interpolates and expands a task file; throws a TaskFileError naming every problem's line. */
export async function loadTaskFile (file: string, opts: TaskFileOptions): Promise<TaskFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(EXIT.USAGE, `cannot read the task file ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message}`)
  }
  const lines = new LineCounter()
  // JSON files are read as strict JSON (the YAML JSON schema), YAML with the core schema;
  // both refuse duplicate keys, as the server does.
  const json = /\.json$/i.test(file)
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, schema: json ? 'json' : 'core' })
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset)
    return `${file}:${line}:${col}`
  }
  if (doc.errors.length) {
    throw new TaskFileError(file, doc.errors.map(e => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`))
  }
  if (!isMap(doc.contents)) {
    throw new TaskFileError(file, [`${at(doc.contents?.range?.[0] ?? 0)}: the file must hold a mapping of task fields (guid, domain, root_fs, action or commands, …)`])
  }

  /** The offset of a path in the file: a mapping key for a field, the item for an array element; else the nearest ancestor. */
  const offsetOf = (path: FilePath): number => {
    let node: Node = doc.contents as Node
    let offset = node.range?.[0] ?? 0
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(p => isScalar(p.key) && p.key.value === seg)
        if (!pair) break
        offset = (pair.key as Node).range?.[0] ?? offset
        if (!pair.value) break
        node = pair.value as Node
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        node = node.items[seg] as Node
        offset = node.range?.[0] ?? offset
      } else break
    }
    return offset
  }
  const problems: string[] = []
  const problem = (path: FilePath, message: string) => problems.push(`${at(offsetOf(path))}: ${fieldName(path)}: ${message}`)

  // ${{ env.NAME }} in every string value, not in keys.
  const interpolate = (value: unknown, path: FilePath): unknown => {
    if (typeof value === 'string') {
      return value.replace(EXPRESSION, (whole, expr: string) => {
        const m = ENV_NAME.exec(expr)
        if (!m) { problem(path, `${whole} is not supported: only \${{ env.NAME }} is`); return whole }
        const v = opts.env[m[1]]
        if (v === undefined) { problem(path, `${whole}: the environment variable ${m[1]} is not set`); return whole }
        return v
      })
    }
    if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i]))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, [...path, k])]))
    }
    return value
  }
  const raw = interpolate(doc.toJS({ maxAliasCount: 100 }), []) as Record<string, unknown>

  // Where each expanded field came from, so the server's field errors point into the file.
  const origins = new Map<string, FilePath>()
  const def: Record<string, unknown> = {}
  def.guid = opts.guid ?? raw.guid ?? generatedGuid(file)
  if (opts.guid !== undefined) origins.set('guid', [])
  def.domain = opts.domain ?? raw.domain ?? (opts.env.TASKBBS_DOMAIN || 'default')
  if (opts.domain !== undefined || raw.domain === undefined) origins.set('domain', [])

  for (const [key, value] of Object.entries(raw)) {
    if (key === 'guid' || key === 'domain' || (SHORTHANDS as readonly string[]).includes(key)) continue
    if (key === 'env') def.env = expandEnv(value, opts.env, problem, origins)
    else def[key] = value
  }

  if (raw.type !== undefined && raw.type !== 'task') problem(['type'], 'must be "task" (taskbbs runs tasks only) or left out')

  if (raw.image !== undefined) {
    if (raw.root_fs !== undefined) problem(['image'], 'set image or root_fs, not both')
    else if (typeof raw.image !== 'string' || raw.image === '') problem(['image'], 'must be a docker image reference such as busybox or org/app:1.2')
    else {
      def.root_fs = rootFsOfImage(raw.image)
      origins.set('root_fs', ['image'])
    }
  }

  if (raw.commands !== undefined) {
    const user = raw.user ?? 'root'
    if (typeof user !== 'string') problem(['user'], 'must be a user name')
    if (raw.action !== undefined) problem(['commands'], 'set commands or action, not both')
    else if (!Array.isArray(raw.commands) || raw.commands.length === 0) problem(['commands'], 'must be a non-empty list of shell commands')
    else {
      const runs = raw.commands.map((c, i) => {
        if (typeof c !== 'string' || c.trim() === '') problem(['commands', i], 'must be a shell command (a non-empty string)')
        return { run: { path: 'sh', args: ['-c', String(c)], user } }
      })
      // Diego's serial runs them in order and stops at the first failure. Each
      // is its own `sh -c`: a `cd` or a variable does not carry over.
      if (runs.length === 1) {
        def.action = runs[0]
        origins.set('action', ['commands', 0])
      } else {
        def.action = { serial: { actions: runs } }
        origins.set('action', ['commands'])
        runs.forEach((_, i) => origins.set(`action.serial.actions[${i}]`, ['commands', i]))
      }
    }
  } else if (raw.user !== undefined) {
    problem(['user'], 'is only used with commands; give each run action its own user')
  }

  if (problems.length) throw new TaskFileError(file, problems)

  return {
    definition: def,
    locate (field: string): string {
      const segs = fieldSegments(field)
      // The longest expanded prefix maps to where it was written; other fields are where they stand.
      for (let n = segs.length; n > 0; n--) {
        const origin = origins.get(fieldName(segs.slice(0, n)))
        if (origin) return origin.length ? at(offsetOf(origin)) : (field === 'guid' ? '--guid' : '--domain or TASKBBS_DOMAIN')
      }
      return at(offsetOf(segs))
    }
  }
}

function expandEnv (value: unknown, env: NodeJS.ProcessEnv, problem: (path: FilePath, message: string) => void, origins: Map<string, FilePath>): unknown {
  const fromLocal = (name: string, path: FilePath) => {
    const v = env[name]
    if (v === undefined) problem(path, `takes ${name} from your environment, where it is not set`)
    return v ?? ''
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // A mapping: NAME: value, or NAME: null to pass NAME through from your environment.
    return Object.entries(value).map(([name, v], i) => {
      origins.set(`env[${i}]`, ['env', name])
      if (v !== null && typeof v === 'object') problem(['env', name], 'must be a string, a number, a boolean or null')
      return { name, value: v === null ? fromLocal(name, ['env', name]) : String(v) }
    })
  }
  if (Array.isArray(value)) {
    // Diego's list of {name, value}, or dstack's "NAME=value" and "NAME" strings.
    return value.map((item, i) => {
      if (typeof item !== 'string') return item
      const eq = item.indexOf('=')
      return eq < 0 ? { name: item, value: fromLocal(item, ['env', i]) } : { name: item.slice(0, eq), value: item.slice(eq + 1) }
    })
  }
  return value
}
