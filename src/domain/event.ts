import Type, { type Static } from 'typebox'
import { StringEnum } from './common.ts'
import type { Task, TaskState } from './task.ts'

/** What happened to a task: desired, changed in any field a client sees, or deleted. */
export const TASK_EVENT_TYPES = ['task_created', 'task_changed', 'task_removed'] as const
export type TaskEventType = typeof TASK_EVENT_TYPES[number]

/** One message of GET /v1/events; its `id` is also the SSE `id:` line. */
export const TaskEvent = Type.Object({
  id: Type.String({
    pattern: '^[0-9]+-[0-9]+$',
    description: 'Position in the stream: an opaque cursor that orders events. Send the last one back as Last-Event-ID to resume without gaps or repeats.'
  }),
  type: StringEnum(TASK_EVENT_TYPES, { description: 'task_created on desire, task_changed on any visible change, task_removed on deletion.' }),
  guid: Type.String(),
  domain: Type.String(),
  state: Type.Unsafe<TaskState>(Type.Ref('TaskState', { description: 'The state after the change; on removal, the state the task was deleted in.' })),
  at: Type.String({ format: 'date-time', description: 'When the change was made (database clock).' }),
  task: Type.Optional(Type.Unsafe<Task>(Type.Ref('Task', { description: 'The task after the change, as GET /v1/tasks/{guid} shows it; absent on removal.' })))
}, { additionalProperties: false, $id: 'TaskEvent' })

export type TaskEvent = Static<typeof TaskEvent>
