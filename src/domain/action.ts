import Type, { type Static } from 'typebox'
import { ChecksumAlgorithm, ChecksumValue, EnvironmentVariables, LIMITS, LogSource, Name, Path, Text, Url, VolumeMountedFiles } from './common.ts'

/**
 * Diego's action tree. As in BBS's JSON, an action is an object with exactly one
 * key naming its kind (`{"run": {...}}`), so composite actions nest to any depth.
 * The schema cannot bound depth; `MAX_ACTION_DEPTH` is checked in validate.ts and
 * a raw nesting bound on the body keeps the validator's recursion shallow.
 */
export const MAX_ACTION_DEPTH = 32

export const ACTION_KINDS = ['run', 'download', 'upload', 'timeout', 'emit_progress', 'try', 'parallel', 'serial', 'codependent'] as const
export type ActionKind = typeof ACTION_KINDS[number]

const ResourceLimits = Type.Object({
  nofile: Type.Optional(Type.Integer({ minimum: 0, maximum: 1048576, description: 'Open file limit for the process.' }))
}, { additionalProperties: false })

const RunAction = Type.Object({
  path: Path('Executable to run, absolute or on PATH.'),
  args: Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.longString }), { maxItems: LIMITS.items })),
  dir: Type.Optional(Path('Working directory.')),
  env: Type.Optional(EnvironmentVariables),
  user: Name('User to run as.'),
  resource_limits: Type.Optional(ResourceLimits),
  suppress_log_output: Type.Optional(Type.Boolean()),
  log_source: LogSource,
  volume_mounted_files: Type.Optional(VolumeMountedFiles)
}, { additionalProperties: false, description: 'Runs a process.' })

const DownloadAction = Type.Object({
  from: Url('URL to fetch: http, https or file.'),
  to: Path('Destination directory in the container.'),
  cache_key: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  artifact: Type.Optional(Type.String({ maxLength: LIMITS.shortString, description: 'Name shown in progress messages.' })),
  user: Name('User that owns the downloaded files.'),
  checksum_algorithm: Type.Optional(ChecksumAlgorithm),
  checksum_value: Type.Optional(ChecksumValue('Expected checksum; set together with checksum_algorithm.')),
  log_source: LogSource
}, { additionalProperties: false, description: 'Downloads and extracts a file into the container.' })

const UploadAction = Type.Object({
  from: Path('File in the container to upload.'),
  to: Url('http(s) URL to upload to.'),
  artifact: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  user: Name('User that reads the file.'),
  log_source: LogSource
}, { additionalProperties: false, description: 'Uploads a file from the container.' })

export const ActionTree = Type.Cyclic({
  Action: Type.Object({
    run: Type.Optional(RunAction),
    download: Type.Optional(DownloadAction),
    upload: Type.Optional(UploadAction),
    timeout: Type.Optional(Type.Object({
      action: Type.Ref('Action'),
      timeout_ms: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Fails the inner action after this many milliseconds.' }),
      log_source: LogSource
    }, { additionalProperties: false })),
    emit_progress: Type.Optional(Type.Object({
      action: Type.Ref('Action'),
      start_message: Type.Optional(Text('Logged when the inner action starts.', 1024)),
      success_message: Type.Optional(Text('Logged when it succeeds.', 1024)),
      failure_message_prefix: Type.Optional(Text('Prefixed to the failure reason.', 1024)),
      log_source: LogSource
    }, { additionalProperties: false })),
    try: Type.Optional(Type.Object({
      action: Type.Ref('Action'),
      log_source: LogSource
    }, { additionalProperties: false, description: 'Runs the inner action and ignores its failure.' })),
    parallel: Type.Optional(Type.Object({
      actions: Type.Array(Type.Ref('Action'), { minItems: 1, maxItems: 64 }),
      log_source: LogSource
    }, { additionalProperties: false, description: 'Runs all at once; fails if any fails, after all finish.' })),
    serial: Type.Optional(Type.Object({
      actions: Type.Array(Type.Ref('Action'), { minItems: 1, maxItems: 64 }),
      log_source: LogSource
    }, { additionalProperties: false, description: 'Runs one after another; stops at the first failure.' })),
    codependent: Type.Optional(Type.Object({
      actions: Type.Array(Type.Ref('Action'), { minItems: 1, maxItems: 64 }),
      log_source: LogSource
    }, { additionalProperties: false, description: 'Runs all at once; when any exits, the others are stopped.' }))
  }, {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'Exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial, codependent.'
  })
}, 'Action')

export type Action = Static<typeof ActionTree>

/** The schema registered under `$id: Action`; nested `$ref: Action` resolve to it. */
export const ActionSchema = ActionTree.$defs.Action

/** The kind of an action: of the API's tree or of the tree executors run (effective-action.ts). */
export function actionKind (action: { readonly [K in ActionKind]?: unknown }): ActionKind {
  return Object.keys(action)[0] as ActionKind
}

/** Children of a composite action, in order. */
export function childActions (action: Action): Action[] {
  const a = action as Record<string, { action?: Action, actions?: Action[] }>
  const body = a[actionKind(action)]
  if (body.actions) return body.actions
  if (body.action) return [body.action]
  return []
}
