import { CallbackStatus, TaskCallback } from '../callbacks/payload.ts'
import { ActionSchema } from '../domain/action.ts'
import { TaskEvent } from '../domain/event.ts'
import { Task, TaskList, TaskStateSchema } from '../domain/task.ts'
import { TaskDefinition } from '../domain/task-definition.ts'
import { Problem } from './problem.ts'
import { LogPage } from './routes/logs.ts'

/** The named schemas of the JSON API, registered once and referenced by `$ref` from its routes, its validator and the BBS listener's. */
export const API_SCHEMAS = [ActionSchema, TaskStateSchema, TaskDefinition, Task, TaskList, LogPage, TaskCallback, CallbackStatus, TaskEvent, Problem]
