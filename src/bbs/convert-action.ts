import { create } from '@bufbuild/protobuf'
import type { Action } from '../domain/action.ts'
import {
  type Action as PbAction, ActionSchema, CodependentActionSchema, DownloadActionSchema, EmitProgressActionSchema, ParallelActionSchema,
  ResourceLimitsSchema, RunActionSchema, SerialActionSchema, TimeoutActionSchema, TryActionSchema, UploadActionSchema
} from './gen/actions_pb.ts'
import { EnvironmentVariableSchema, type EnvironmentVariable } from './gen/environment_variables_pb.ts'
import { FileSchema, type File } from './gen/file_pb.ts'

/**
 * Protobuf cannot tell an empty string, a zero or an empty list from an absent
 * field, so proto3 zero values become absent fields of the domain definition,
 * as BBS reads them (its JSON omits them too). The domain validator then judges
 * the result exactly as it judges a JSON body.
 */
export function opt<T> (value: T): T | undefined {
  if (value === '' || value === 0 || value === 0n || value === false) return undefined
  if (Array.isArray(value) && value.length === 0) return undefined
  return value
}

/**
 * A copy without the undefined keys, so that a converted definition has only
 * the fields that were set. A copy, not `delete`: deleting turns an object into
 * a slow dictionary for the validator and the JSON encoder after it.
 */
export function compact<T extends object> (o: T): T {
  const out: Record<string, unknown> = {}
  for (const k in o) if (o[k] !== undefined) out[k] = o[k]
  return out as T
}

/** An int64 as a number; past the safe range it stays out of range, so validation still refuses it. */
export function num (v: bigint): number { return Number(v) }

export function envFromProto (env: EnvironmentVariable[]): Array<{ name: string, value: string }> | undefined {
  return opt(env.map(e => ({ name: e.name, value: e.value })))
}

export function envToProto (env: Array<{ name: string, value: string }> | undefined): EnvironmentVariable[] {
  return (env ?? []).map(e => create(EnvironmentVariableSchema, e))
}

export function filesFromProto (files: File[]): Array<{ path: string, content: string }> | undefined {
  return opt(files.map(f => ({ path: f.path, content: f.content })))
}

export function filesToProto (files: Array<{ path: string, content: string }> | undefined): File[] {
  return (files ?? []).map(f => create(FileSchema, f))
}

type AnyAction = Record<string, unknown>

/**
 * A BBS action (one message with a field per kind) as the domain's `{kind: body}`.
 * Every kind that is set is kept, so that an action with none or several is
 * refused by the schema ("exactly one of …"), naming the field.
 */
export function actionFromProto (a: PbAction): Action {
  const out: AnyAction = {}
  if (a.runAction) {
    const r = a.runAction
    const nofile = r.resourceLimits?.optionalNofile.case === 'nofile' ? num(r.resourceLimits.optionalNofile.value) : undefined
    out.run = compact({
      path: r.path,
      args: opt(r.args),
      dir: opt(r.dir),
      env: envFromProto(r.env),
      user: r.user,
      resource_limits: nofile === undefined ? undefined : { nofile },
      suppress_log_output: opt(r.suppressLogOutput),
      log_source: opt(r.logSource),
      volume_mounted_files: filesFromProto(r.volumeMountedFiles)
    })
  }
  if (a.downloadAction) {
    const d = a.downloadAction
    out.download = compact({
      from: d.from, to: d.to, cache_key: opt(d.cacheKey), artifact: opt(d.artifact), user: d.user,
      checksum_algorithm: opt(d.checksumAlgorithm), checksum_value: opt(d.checksumValue), log_source: opt(d.logSource)
    })
  }
  if (a.uploadAction) {
    const u = a.uploadAction
    out.upload = compact({ from: u.from, to: u.to, artifact: opt(u.artifact), user: u.user, log_source: opt(u.logSource) })
  }
  if (a.timeoutAction) {
    const t = a.timeoutAction
    // BBS still reads the nanosecond field of old clients when timeout_ms is unset.
    const ms = t.timeoutMs !== 0n ? num(t.timeoutMs) : Math.ceil(num(t.deprecatedTimeoutNs) / 1e6)
    out.timeout = compact({ action: t.action ? actionFromProto(t.action) : {}, timeout_ms: ms, log_source: opt(t.logSource) })
  }
  if (a.emitProgressAction) {
    const e = a.emitProgressAction
    out.emit_progress = compact({
      action: e.action ? actionFromProto(e.action) : {},
      start_message: opt(e.startMessage), success_message: opt(e.successMessage),
      failure_message_prefix: opt(e.failureMessagePrefix), log_source: opt(e.logSource)
    })
  }
  if (a.tryAction) out.try = compact({ action: a.tryAction.action ? actionFromProto(a.tryAction.action) : {}, log_source: opt(a.tryAction.logSource) })
  for (const [kind, body] of [['parallel', a.parallelAction], ['serial', a.serialAction], ['codependent', a.codependentAction]] as const) {
    if (body) out[kind] = compact({ actions: body.actions.map(actionFromProto), log_source: opt(body.logSource) })
  }
  return out as Action
}

export function actionToProto (action: Action): PbAction {
  const a = create(ActionSchema)
  if (action.run) {
    const r = action.run
    a.runAction = create(RunActionSchema, {
      path: r.path, args: r.args ?? [], dir: r.dir ?? '', env: envToProto(r.env), user: r.user,
      suppressLogOutput: r.suppress_log_output ?? false, logSource: r.log_source ?? '',
      volumeMountedFiles: filesToProto(r.volume_mounted_files),
      ...(r.resource_limits?.nofile === undefined
        ? {}
        : { resourceLimits: create(ResourceLimitsSchema, { optionalNofile: { case: 'nofile', value: BigInt(r.resource_limits.nofile) } }) })
    })
  }
  if (action.download) {
    const d = action.download
    a.downloadAction = create(DownloadActionSchema, {
      from: d.from, to: d.to, cacheKey: d.cache_key ?? '', artifact: d.artifact ?? '', user: d.user,
      checksumAlgorithm: d.checksum_algorithm ?? '', checksumValue: d.checksum_value ?? '', logSource: d.log_source ?? ''
    })
  }
  if (action.upload) {
    const u = action.upload
    a.uploadAction = create(UploadActionSchema, { from: u.from, to: u.to, artifact: u.artifact ?? '', user: u.user, logSource: u.log_source ?? '' })
  }
  if (action.timeout) {
    const t = action.timeout
    a.timeoutAction = create(TimeoutActionSchema, { action: actionToProto(t.action), timeoutMs: BigInt(t.timeout_ms), logSource: t.log_source ?? '' })
  }
  if (action.emit_progress) {
    const e = action.emit_progress
    a.emitProgressAction = create(EmitProgressActionSchema, {
      action: actionToProto(e.action), startMessage: e.start_message ?? '', successMessage: e.success_message ?? '',
      failureMessagePrefix: e.failure_message_prefix ?? '', logSource: e.log_source ?? ''
    })
  }
  if (action.try) a.tryAction = create(TryActionSchema, { action: actionToProto(action.try.action), logSource: action.try.log_source ?? '' })
  if (action.parallel) a.parallelAction = create(ParallelActionSchema, { actions: action.parallel.actions.map(actionToProto), logSource: action.parallel.log_source ?? '' })
  if (action.serial) a.serialAction = create(SerialActionSchema, { actions: action.serial.actions.map(actionToProto), logSource: action.serial.log_source ?? '' })
  if (action.codependent) a.codependentAction = create(CodependentActionSchema, { actions: action.codependent.actions.map(actionToProto), logSource: action.codependent.log_source ?? '' })
  return a
}
