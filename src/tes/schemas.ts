import Type, { type Static } from 'typebox'
import { StringEnum } from '../domain/common.ts'

/**
 * GA4GH TES 1.1 documents (task_execution_service.openapi.yaml), as TypeBox
 * schemas: the one source of the TES routes' validation, types and OpenAPI.
 * Field names, required fields and enums are TES's; the bounds are taskbbs's,
 * so that no request can make the server hold unbounded data.
 */

export const TES_STATES = ['UNKNOWN', 'QUEUED', 'INITIALIZING', 'RUNNING', 'PAUSED', 'COMPLETE', 'EXECUTOR_ERROR', 'SYSTEM_ERROR', 'CANCELED', 'PREEMPTED', 'CANCELING'] as const
export type TesState = typeof TES_STATES[number]
export const TesStateSchema = StringEnum(TES_STATES, { $id: 'tesState', description: 'Task state as TES defines it; see the README for how taskbbs states map to it.' })

export const TES_VIEWS = ['MINIMAL', 'BASIC', 'FULL'] as const
export type TesView = typeof TES_VIEWS[number]

const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$'
const ABSOLUTE = '^/[^\\u0000-\\u001f\\u007f]*$'
const AbsolutePath = (description: string) => Type.String({ minLength: 2, maxLength: 4096, pattern: ABSOLUTE, description })
const Url = (description: string) => Type.String({ minLength: 1, maxLength: 4096, pattern: PRINTABLE, description })
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) })
const Timestamp = (description: string) => Type.String({ format: 'date-time', description })

const FileType = StringEnum(['FILE', 'DIRECTORY'], { description: 'FILE (the default) or DIRECTORY.', default: 'FILE' })

/** TES asks servers to take at least 128 KiB of literal content. */
export const MAX_INPUT_CONTENT = 128 * 1024
export const MAX_EXECUTORS = 64
export const MAX_FILES = 64

export const TesInput = Type.Object({
  name: Type.Optional(Text(255)),
  description: Type.Optional(Text(4096)),
  url: Type.Optional(Url('http or https URL to download; required unless content is set.')),
  path: AbsolutePath('Absolute path of the file or directory in the container.'),
  type: Type.Optional(FileType),
  content: Type.Optional(Text(MAX_INPUT_CONTENT, 'File content literal (UTF-8), at most 128 KiB; when set, url is ignored.')),
  streamable: Type.Optional(Type.Boolean({ description: 'Accepted; taskbbs always downloads.' }))
}, { additionalProperties: false })

export const TesOutput = Type.Object({
  name: Type.Optional(Text(255)),
  description: Type.Optional(Text(4096)),
  url: Url('http or https URL the file is POSTed to after the executors.'),
  path: AbsolutePath('Absolute path of the file in the container; no wildcards.'),
  path_prefix: Type.Optional(Text(4096, 'Only meaningful with wildcards, which taskbbs does not support.')),
  type: Type.Optional(FileType)
}, { additionalProperties: false })

export const TesResources = Type.Object({
  cpu_cores: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096, description: 'CPU cores requested (the Kubernetes cpu request).' })),
  preemptible: Type.Optional(Type.Boolean({ description: 'May run on preemptible nodes: tolerates the taskbbs.io/preemptible taint.' })),
  ram_gb: Type.Optional(Type.Number({ minimum: 0, maximum: 2097151, description: 'Memory in GiB: memory_mb, and the Kubernetes memory request.' })),
  disk_gb: Type.Optional(Type.Number({ minimum: 0, maximum: 2097151, description: 'Disk in GiB: disk_mb.' })),
  zones: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 64, description: 'Node zones (topology.kubernetes.io/zone) the task may run in.' })),
  backend_parameters: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), Type.String({ maxLength: 4096 }), { maxProperties: 64, description: 'taskbbs supports no backend parameters.' })),
  backend_parameters_strict: Type.Optional(Type.Boolean({ description: 'With true, any backend parameter is refused (400).' }))
}, { additionalProperties: false })

export const TesExecutor = Type.Object({
  image: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[^\\s\\u0000-\\u001f\\u007f]+$', description: 'Container image, e.g. ubuntu:24.04 or quay.io/org/tool@sha256:…; every executor of a task uses the same image.' }),
  // 1000, not 1024: stdin/stdout/stderr add a few arguments of a wrapping `sh -c` (to-definition.ts).
  command: Type.Array(Type.String({ maxLength: 65536 }), { minItems: 1, maxItems: 1000, description: 'argv; the first item is the program.' }),
  workdir: Type.Optional(AbsolutePath('Working directory.')),
  stdin: Type.Optional(AbsolutePath('File piped to stdin.')),
  stdout: Type.Optional(AbsolutePath('File stdout is written to.')),
  stderr: Type.Optional(AbsolutePath('File stderr is written to.')),
  env: Type.Optional(Type.Record(
    Type.String({ minLength: 1, maxLength: 255, pattern: '^[^=\\u0000-\\u001f\\u007f]+$' }),
    Type.String({ maxLength: 65536 }),
    { maxProperties: 1024, description: 'Environment variables.' })),
  ignore_error: Type.Optional(Type.Boolean({ description: 'Go on to the next executor when this one fails.' }))
}, { additionalProperties: false })

const TesTags = Type.Record(Type.String({ maxLength: 255 }), Type.String({ maxLength: 4096 }), { maxProperties: 256, description: 'Free key/value pairs; `taskbbs.domain` chooses the domain.' })

const taskFields = {
  name: Type.Optional(Text(1024, 'User-provided name; filterable with name_prefix.')),
  description: Type.Optional(Text(65536)),
  inputs: Type.Optional(Type.Array(TesInput, { maxItems: MAX_FILES })),
  outputs: Type.Optional(Type.Array(TesOutput, { maxItems: MAX_FILES })),
  resources: Type.Optional(TesResources),
  volumes: Type.Optional(Type.Array(AbsolutePath('Directory shared by the executors.'), { maxItems: MAX_FILES })),
  tags: Type.Optional(TesTags)
}

export const TesExecutorLog = Type.Object({
  start_time: Type.Optional(Timestamp('When the executor started.')),
  end_time: Type.Optional(Timestamp('When it ended.')),
  stdout: Type.Optional(Type.String({ description: 'The last 10 KiB of its stdout (FULL view).' })),
  stderr: Type.Optional(Type.String({ description: 'The last 10 KiB of its stderr (FULL view).' })),
  exit_code: Type.Integer({ description: 'Exit status; -1 while it runs or when it could not start; 128+n when killed by signal n.' })
}, { additionalProperties: false })
export type TesExecutorLog = Static<typeof TesExecutorLog>

export const TesOutputFileLog = Type.Object({
  url: Type.String(),
  path: Type.String(),
  size_bytes: Type.String({ pattern: '^[0-9]+$', description: 'Bytes, as a string (int64).' })
}, { additionalProperties: false })
export type TesOutputFileLog = Static<typeof TesOutputFileLog>

export const TesTaskLog = Type.Object({
  logs: Type.Array(TesExecutorLog),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  start_time: Type.Optional(Timestamp('When the task started running.')),
  end_time: Type.Optional(Timestamp('When it ended.')),
  outputs: Type.Array(TesOutputFileLog),
  system_logs: Type.Optional(Type.Array(Type.String(), { description: 'System log lines and the failure reason (FULL view).' }))
}, { additionalProperties: false })
export type TesTaskLog = Static<typeof TesTaskLog>

/**
 * The body of POST /tasks. id, state, logs and creation_time are the server's:
 * TES's one Task schema lets them be sent (a task read back and submitted
 * again carries them), so they are accepted when well-formed and ignored.
 */
export const TesTaskCreate = Type.Object({
  ...taskFields,
  executors: Type.Array(TesExecutor, { minItems: 1, maxItems: MAX_EXECUTORS }),
  id: Type.Optional(Type.String({ maxLength: 255, readOnly: true, description: 'Set by the server; ignored when sent.' })),
  state: Type.Optional(Type.Unsafe<TesState>({ type: 'string', enum: [...TES_STATES], readOnly: true, description: 'Set by the server; ignored when sent.' })),
  logs: Type.Optional(Type.Array(TesTaskLog, { maxItems: 16, readOnly: true, description: 'Set by the server; ignored when sent.' })),
  creation_time: Type.Optional(Type.String({ maxLength: 64, readOnly: true, description: 'Set by the server; ignored when sent.' }))
}, { additionalProperties: false, $id: 'tesTaskCreate' })
export type TesTaskCreate = Static<typeof TesTaskCreate>
export type TesInput = Static<typeof TesInput>
export type TesOutput = Static<typeof TesOutput>
export type TesExecutor = Static<typeof TesExecutor>
export type TesResources = Static<typeof TesResources>

/** A task as the views return it: MINIMAL has only id and state, so everything else is optional. */
export const TesTask = Type.Object({
  id: Type.String({ description: 'Task identifier assigned by the server (the taskbbs guid).' }),
  state: Type.Unsafe<TesState>(Type.Ref('tesState')),
  ...taskFields,
  executors: Type.Optional(Type.Array(TesExecutor)),
  logs: Type.Optional(Type.Array(TesTaskLog)),
  creation_time: Type.Optional(Timestamp('When the task was created.'))
}, { additionalProperties: false, $id: 'tesTask' })
export type TesTask = Static<typeof TesTask>

export const TesListTasksResponse = Type.Object({
  tasks: Type.Array(Type.Ref('tesTask')),
  next_page_token: Type.Optional(Type.String({ description: 'Pass as page_token for the next page; absent on the last page.' }))
}, { additionalProperties: false, $id: 'tesListTasksResponse' })

export const TesCreateTaskResponse = Type.Object({ id: Type.String() }, { additionalProperties: false, $id: 'tesCreateTaskResponse' })
export const TesCancelTaskResponse = Type.Object({}, { additionalProperties: false, $id: 'tesCancelTaskResponse' })

export const TesServiceInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Object({ group: Type.String(), artifact: Type.String(), version: Type.String() }, { additionalProperties: false }),
  description: Type.String(),
  organization: Type.Object({ name: Type.String(), url: Type.String() }, { additionalProperties: false }),
  documentationUrl: Type.Optional(Type.String()),
  createdAt: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String()),
  environment: Type.Optional(Type.String()),
  version: Type.String(),
  storage: Type.Array(Type.String(), { description: 'Where inputs and outputs may live: http and https URLs.' }),
  tesResources_backend_parameters: Type.Array(Type.String(), { description: 'None: taskbbs supports no backend parameters.' })
}, { additionalProperties: false, $id: 'tesServiceInfo' })

/** Schemas the TES routes reference by $id; each becomes an OpenAPI component. */
export const TES_SCHEMAS = [TesStateSchema, TesTaskCreate, TesTask, TesListTasksResponse, TesCreateTaskResponse, TesCancelTaskResponse, TesServiceInfo]
