import Type, { type Static } from 'typebox'
import { StringEnum } from './common.ts'
import { definitionFields } from './task-definition.ts'

/**
 * Diego's task states. The lifecycle, as BBS implements it:
 * PENDING → RUNNING → COMPLETED → RESOLVING → deleted; cancel and failure move
 * PENDING or RUNNING to COMPLETED.
 */
export const TASK_STATES = ['PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING'] as const
export type TaskState = typeof TASK_STATES[number]

export const TaskStateSchema = StringEnum(TASK_STATES, { $id: 'TaskState', description: 'PENDING → RUNNING → COMPLETED → RESOLVING → deleted.' })

const Timestamp = (description: string) => Type.String({ format: 'date-time', description })

export const Task = Type.Object({
  ...definitionFields,
  state: Type.Unsafe<TaskState>(Type.Ref('TaskState')),
  cell_id: Type.String({ description: 'Where the task runs or ran; empty while PENDING. Local executor: the replica. Kubernetes: the node of its pod (the replica until the pod is bound).' }),
  result: Type.String({ description: 'First 10 KB of result_file, once COMPLETED and not failed.' }),
  failed: Type.Boolean(),
  failure_reason: Type.String({ maxLength: 1024 }),
  rejection_count: Type.Integer({ minimum: 0 }),
  rejection_reason: Type.String({ maxLength: 1024 }),
  created_at: Timestamp('When the task was desired.'),
  updated_at: Timestamp('Last change of state or fields.'),
  first_completed_at: Type.Optional(Timestamp('When the task first reached COMPLETED.'))
}, { additionalProperties: false, $id: 'Task' })

export type Task = Static<typeof Task>

export const TaskList = Type.Object({
  tasks: Type.Array(Type.Ref('Task')),
  next_cursor: Type.Optional(Type.String({ description: 'Pass as `cursor` for the next page; absent on the last page.' }))
}, { additionalProperties: false, $id: 'TaskList' })

export type TaskList = { tasks: Task[], next_cursor?: string }
