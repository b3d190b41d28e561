import { type Action, MAX_ACTION_DEPTH, actionKind, childActions } from './action.ts'
import { egressRuleErrors } from './egress.ts'
import type { FieldError } from './errors.ts'
import { MAX_ANNOTATION_BYTES, type TaskDefinition } from './task-definition.ts'

/**
 * Rules a JSON schema cannot say: pairs of fields, byte lengths, address
 * grammar, nesting depth. Run after the schema accepted the shape, so every
 * field here has its declared type.
 */
export interface DefinitionPolicy {
  allowPrivileged: boolean
}

const DOCKER_ROOTFS = /^docker:\/\/([^/#]*)\/([a-z0-9]+(?:[._-][a-z0-9]+|__)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(#[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|#sha256:[a-f0-9]{64})?$/
const REGISTRY_HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/
const PRELOADED_ROOTFS = /^preloaded:[A-Za-z0-9][A-Za-z0-9._-]*$/

export function rootFsError (rootFs: string): string | undefined {
  if (rootFs.startsWith('preloaded:')) {
    return PRELOADED_ROOTFS.test(rootFs) ? undefined : 'a preloaded root_fs is "preloaded:NAME" with NAME of letters, digits, ".", "_" and "-"'
  }
  const m = DOCKER_ROOTFS.exec(rootFs)
  if (!m) return 'must be "preloaded:NAME" or a docker URI such as "docker:///org/image#tag" or "docker://registry.example.com/org/image#tag"'
  if (m[1] !== '' && !REGISTRY_HOST.test(m[1])) return `"${m[1]}" is not a registry host`
  return undefined
}

export function urlError (value: string, schemes: readonly string[]): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'is not a valid URL'
  }
  // WHATWG URL parsing silently drops tabs and newlines; refuse them instead.
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return 'must not contain whitespace or control characters'
  const scheme = url.protocol.slice(0, -1)
  if (!schemes.includes(scheme)) return `must be an ${schemes.join(' or ')} URL, not ${scheme}`
  if (scheme !== 'file' && url.hostname === '') return 'must name a host'
  return undefined
}

function checksumErrors (prefix: string, algorithm: unknown, value: unknown): FieldError[] {
  if ((algorithm === undefined) === (value === undefined)) return []
  return algorithm === undefined
    ? [{ field: `${prefix}.checksum_algorithm`, message: 'is required when checksum_value is set' }]
    : [{ field: `${prefix}.checksum_value`, message: 'is required when checksum_algorithm is set' }]
}

function pathTraversalError (path: string): string | undefined {
  return path.split('/').includes('..') ? 'must not contain ".." segments' : undefined
}

function actionErrors (root: Action): FieldError[] {
  const errors: FieldError[] = []
  const stack: Array<{ action: Action, path: string, depth: number }> = [{ action: root, path: 'action', depth: 1 }]
  while (stack.length > 0) {
    const { action, path, depth } = stack.pop()!
    if (depth > MAX_ACTION_DEPTH) {
      errors.push({ field: path, message: `actions nest deeper than ${MAX_ACTION_DEPTH} levels` })
      continue
    }
    const kind = actionKind(action)
    const at = `${path}.${kind}`
    if (action.download) {
      const e = urlError(action.download.from, ['http', 'https', 'file'])
      if (e) errors.push({ field: `${at}.from`, message: e })
      const t = pathTraversalError(action.download.to)
      if (t) errors.push({ field: `${at}.to`, message: t })
      errors.push(...checksumErrors(at, action.download.checksum_algorithm, action.download.checksum_value))
    }
    if (action.upload) {
      const e = urlError(action.upload.to, ['http', 'https'])
      if (e) errors.push({ field: `${at}.to`, message: e })
      const t = pathTraversalError(action.upload.from)
      if (t) errors.push({ field: `${at}.from`, message: t })
    }
    action.run?.volume_mounted_files?.forEach((file, i) => {
      const t = pathTraversalError(file.path)
      if (t) errors.push({ field: `${at}.volume_mounted_files[${i}].path`, message: t })
    })
    if (action.run?.dir !== undefined) {
      // The local executor resolves dir inside the task directory, as it does result_file.
      const t = pathTraversalError(action.run.dir)
      if (t) errors.push({ field: `${at}.dir`, message: t })
    }
    const children = childActions(action)
    const many = kind === 'parallel' || kind === 'serial' || kind === 'codependent'
    children.forEach((child, i) => {
      stack.push({ action: child, path: many ? `${at}.actions[${i}]` : `${at}.action`, depth: depth + 1 })
    })
  }
  return errors
}

/**
 * The rules that read only top-level fields, safe on a body the schema refused:
 * run then too, so that one answer lists shape and rule errors together.
 */
export function topLevelRuleErrors (body: unknown): FieldError[] {
  const errors: FieldError[] = []
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return errors
  const def = body as Record<string, unknown>
  if (def.image_username !== undefined && def.image_password === undefined) {
    errors.push({ field: 'image_password', message: 'is required when image_username is set' })
  }
  if (def.image_password !== undefined && def.image_username === undefined) {
    errors.push({ field: 'image_username', message: 'is required when image_password is set' })
  }
  if (typeof def.annotation === 'string') {
    const bytes = Buffer.byteLength(def.annotation, 'utf8')
    if (bytes > MAX_ANNOTATION_BYTES) {
      errors.push({ field: 'annotation', message: `is ${bytes} bytes; at most ${MAX_ANNOTATION_BYTES} bytes (10 KiB) are allowed` })
    }
  }
  return errors
}

/** Every semantic problem of a definition the schema accepted, each naming its field. */
export function definitionErrors (def: TaskDefinition, policy: DefinitionPolicy): FieldError[] {
  const errors: FieldError[] = []
  const rootFs = rootFsError(def.root_fs)
  if (rootFs) errors.push({ field: 'root_fs', message: rootFs })

  errors.push(...topLevelRuleErrors(def))
  if (def.completion_callback_url !== undefined) {
    const e = urlError(def.completion_callback_url, ['http', 'https'])
    if (e) errors.push({ field: 'completion_callback_url', message: e })
  }
  if (def.result_file !== undefined) {
    const e = pathTraversalError(def.result_file)
    if (e) errors.push({ field: 'result_file', message: e })
  }
  if (def.privileged === true && !policy.allowPrivileged) {
    errors.push({ field: 'privileged', message: 'this server does not run privileged tasks' })
  }
  def.egress_rules?.forEach((rule, i) => {
    for (const e of egressRuleErrors(rule)) errors.push({ field: `egress_rules[${i}].${e.field}`, message: e.message })
  })
  def.cached_dependencies?.forEach((dep, i) => {
    const at = `cached_dependencies[${i}]`
    const e = urlError(dep.from, ['http', 'https', 'file'])
    if (e) errors.push({ field: `${at}.from`, message: e })
    // A download destination, like download.to.
    const t = pathTraversalError(dep.to)
    if (t) errors.push({ field: `${at}.to`, message: t })
    errors.push(...checksumErrors(at, dep.checksum_algorithm, dep.checksum_value))
  })
  def.image_layers?.forEach((layer, i) => {
    const at = `image_layers[${i}]`
    const e = urlError(layer.url, ['http', 'https', 'file'])
    if (e) errors.push({ field: `${at}.url`, message: e })
    const t = pathTraversalError(layer.destination_path)
    if (t) errors.push({ field: `${at}.destination_path`, message: t })
    // As BBS's ImageLayer.Validate: name whichever half of the digest is missing.
    const exclusive = layer.layer_type === 'EXCLUSIVE'
    if (layer.digest_algorithm === undefined && (exclusive || layer.digest_value !== undefined)) {
      errors.push({ field: `${at}.digest_algorithm`, message: exclusive ? 'is required for an EXCLUSIVE layer' : 'is required when digest_value is set' })
    }
    if (layer.digest_value === undefined && (exclusive || layer.digest_algorithm !== undefined)) {
      errors.push({ field: `${at}.digest_value`, message: exclusive ? 'is required for an EXCLUSIVE layer' : 'is required when digest_algorithm is set' })
    }
  })
  def.volume_mounted_files?.forEach((file, i) => {
    // Written below the container's volume-mounted-files directory, never outside it.
    const t = pathTraversalError(file.path)
    if (t) errors.push({ field: `volume_mounted_files[${i}].path`, message: t })
  })
  errors.push(...actionErrors(def.action))
  errors.push(...unstorableErrors(def))
  return errors
}

/**
 * Postgres stores neither U+0000 nor a lone UTF-16 surrogate: jsonb refuses the
 * row (a 500, not the client's 422) and text silently turns a surrogate into
 * U+FFFD. Refuse both in every string, and in the keys of pass-through objects.
 */
export function unstorableErrors (value: unknown): FieldError[] {
  const errors: FieldError[] = []
  const problem = (s: string) => s.includes('\u0000')
    ? 'NUL characters'
    : s.isWellFormed() ? undefined : 'a lone UTF-16 surrogate, which is not Unicode text'
  const stack: Array<{ v: unknown, p: string }> = [{ v: value, p: '' }]
  while (stack.length > 0) {
    const { v, p } = stack.pop()!
    if (typeof v === 'string') {
      const why = problem(v)
      if (why) errors.push({ field: p, message: `must not contain ${why}` })
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, p: `${p}[${i}]` }))
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const why = problem(k)
        if (why) errors.push({ field: p, message: `has a field name with ${why}` })
        else stack.push({ v: item, p: p === '' ? k : `${p}.${k}` })
      }
    }
  }
  return errors
}
