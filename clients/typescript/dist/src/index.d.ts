/**
 * The TypeScript client of taskbbs: requests typed by the types openapi-typescript
 * generated from the server's OpenAPI document, made by openapi-fetch; plus the
 * events stream, waiting for completion and callback signatures.
 */
export type { components, paths, webhooks } from '../generated/taskbbs.ts';
export { connect, DEFAULT_TIMEOUT_MS, DEFAULT_URL, type Connection, type ConnectOptions } from './connect.ts';
export { DEFAULT_IDLE_TIMEOUT_MS, EventStreamError, followEvents, IdleTimeoutError, type FollowOptions, type Reset, type TaskEvent } from './events.ts';
export { TaskRemovedError, waitForCompletion, type Task, type WaitOptions } from './wait.ts';
export { CALLBACK_TOLERANCE_S, InvalidSignatureError, verifyCallback, type TaskCallback } from './webhooks.ts';
import type { components } from '../generated/taskbbs.ts';
export type TaskDefinition = components['schemas']['TaskDefinition'];
export type Problem = components['schemas']['Problem'];
